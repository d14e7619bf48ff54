"""The portfolio engine: several seeds on one sub-problem, best kept, deterministic for a seed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reliefops.planning import StopRule, check, plan_to_json, solve
from reliefops.planning.cli import main
from reliefops.planning.instances import instance_problem_data, instance_read, instance_solve
from reliefops.planning.portfolio import (
    portfolio_seeds,
    portfolio_solve,
    run_solve,
    solution_objective,
)
from reliefops.planning.routing import TaskResult, results_best, task_runs, task_solve
from reliefops.planning.solver import solve_prepare

INSTANCES = Path(__file__).resolve().parents[2] / "bench" / "instances"
RULE = StopRule(max_iterations=150)


def _routes(solution) -> list[list[int]]:  # type: ignore[no-untyped-def]
    return [[a.idx for a in route if a.is_client()] for route in solution.routes()]


def test_portfolio_keeps_the_best_seed_and_is_deterministic() -> None:
    data = instance_problem_data(instance_read(INSTANCES / "C101.txt"))
    seeds = portfolio_seeds(3, 2)
    assert seeds[0] == 3 and len(set(seeds)) == 2
    parallel = portfolio_solve(data, RULE, seeds, workers=2)
    again = portfolio_solve(data, RULE, seeds, workers=2)
    inline = portfolio_solve(data, RULE, seeds, workers=1)
    assert _routes(parallel.best.solution) == _routes(again.best.solution)
    assert _routes(parallel.best.solution) == _routes(inline.best.solution)
    singles = [run_solve(data, RULE, s) for s in seeds]
    assert solution_objective(parallel.best.solution) == min(
        solution_objective(s.solution) for s in singles
    )
    assert parallel.iterations == sum(s.iterations for s in singles)


def test_instance_solve_with_two_workers_is_no_worse_than_its_first_seed() -> None:
    instance = instance_read(INSTANCES / "RC101.txt")
    one = instance_solve(instance, RULE, seed=5)
    two = instance_solve(instance, RULE, seed=5, workers=2)
    assert two.distance <= one.distance
    assert two.routes == instance_solve(instance, RULE, seed=5, workers=2).routes


def _result(key: str, seed: int, cost: int, feasible: bool = True) -> TaskResult:
    return TaskResult(key, (), iterations=10, seconds=0.0, feasible=feasible, cost=cost, seed=seed)


def test_results_best_prefers_feasible_then_cost_then_first_seed() -> None:
    kept = results_best(
        [
            _result("b", 7, 50),
            _result("a", 2, 10, feasible=False),
            _result("a", 1, 90),
            _result("b", 3, 50),
            _result("a", 4, 80),
        ]
    )
    assert [(r.key, r.seed, r.iterations) for r in kept] == [("a", 4, 30), ("b", 3, 20)]


def test_one_sub_problem_on_two_workers_becomes_a_deterministic_portfolio() -> None:
    from reliefops.planning import GenerateSpec, problem_generate

    problem = problem_generate(
        GenerateSpec(places=60, requests=0, vehicles=1, teams=4, depots=1, visits=40, seed=3)
    )
    rule = StopRule(max_iterations=100)
    prepared = solve_prepare(problem, rule, seed=2, workers=2, decompose=False)
    assert [t.portfolio for t in prepared.tasks] == [2]
    task = prepared.tasks[0]
    runs = task_runs(task)
    assert [r.seed for r in runs] == portfolio_seeds(task.seed, 2)
    assert all(r.stop_rule == task.stop_rule and r.portfolio == 1 for r in runs)
    best = task_solve(task)
    assert best.seed in {r.seed for r in runs}
    assert best == replace(task_solve(task), seconds=best.seconds)
    assert best.cost <= task_solve(runs[0]).cost
    parallel = solve(problem, rule, seed=2, workers=2, decompose=False)
    again = solve(problem, rule, seed=2, workers=2, decompose=False)
    assert plan_to_json(parallel)["rounds"] == plan_to_json(again)["rounds"]
    single = solve(problem, rule, seed=2, workers=1, decompose=False)
    assert parallel.stats["iterations"] > single.stats["iterations"]
    for plan in (parallel, single):
        assert check(problem, plan) == []


def test_cli_solve_with_workers(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "solve",
            str(INSTANCES / "C101.txt"),
            "--iterations",
            "100",
            "--workers",
            "2",
            "--json",
            "--no-progress",
        ]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["feasible"] is True and payload["vehicles"] >= 10

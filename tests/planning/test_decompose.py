"""Decomposition of a large problem over the cores: complete, feasible, never worse than
the routes it starts from, deterministic for a seed under an iteration limit."""

from __future__ import annotations

from pathlib import Path

import pyvrp

from reliefops.planning.decompose import (
    DECOMPOSE_MIN_CLIENTS,
    Part,
    _cuts,
    _round_parts,
    _shares,
    decompose_eligible,
    decompose_solve,
    part_solve,
)
from reliefops.planning.instance_checker import instance_check
from reliefops.planning.instances import instance_problem_data, instance_read, instance_solve
from reliefops.planning.portfolio import solution_objective
from reliefops.planning.stopping import StopRule

INSTANCES = Path(__file__).resolve().parents[2] / "bench" / "instances"
LARGE = INSTANCES / "large" / "X-n1001-k43.vrp"


def test_cuts_cover_every_index_once_and_shares_sum_to_the_total() -> None:
    for count, parts, offset in [(10, 3, 4), (7, 2, 0), (43, 4, 21), (5, 5, 9)]:
        cut = _cuts(count, parts, offset)
        assert len(cut) == parts
        assert sorted(k for part in cut for k in part) == list(range(count))
        assert max(map(len, cut)) - min(map(len, cut)) <= 1
    assert _shares(54, [1.0, 1.0, 2.0]) == [14, 13, 27]  # ties: the first part gets the extra one
    assert sum(_shares(11, [0.3, 0.3, 0.4])) == 11
    assert _shares(0, [1.0, 2.0]) == [0, 0]


def test_only_large_single_depot_problems_on_several_cores_are_decomposed() -> None:
    large = instance_problem_data(instance_read(LARGE))
    small = instance_problem_data(instance_read(INSTANCES / "C101.txt"))
    assert large.num_clients >= DECOMPOSE_MIN_CLIENTS > small.num_clients
    assert decompose_eligible(large, 2)
    assert not decompose_eligible(large, 1)
    assert not decompose_eligible(small, 2)
    two_depots = large.replace(depots=[large.depot(0), large.depot(0)])
    assert not decompose_eligible(two_depots, 2)


def test_a_decomposed_solve_is_complete_feasible_and_deterministic() -> None:
    instance = instance_read(LARGE)
    rule = StopRule(max_iterations=300)
    first = instance_solve(instance, rule, seed=4, workers=2)
    again = instance_solve(instance, rule, seed=4, workers=2)
    checked = instance_check(instance, first.routes)
    assert checked.feasible, checked.violations[:5]
    assert sorted(c for route in first.routes for c in route) == sorted(instance.labels)
    assert first.routes == again.routes
    assert first.iterations > 0


def test_a_part_never_comes_back_worse_than_its_routes() -> None:
    data = instance_problem_data(instance_read(LARGE))
    start = decompose_solve(data, StopRule(max_iterations=100), seed=1, workers=2)
    solution = start.best.solution
    routes = tuple(
        (r.vehicle_type(), tuple(a.idx for a in r if a.is_client())) for r in solution.routes()
    )
    parts = _round_parts(data, routes, 4, 3, seed=9, stop=StopRule(max_iterations=5))
    assert sorted(c for part in parts for c in part.clients) == list(range(data.num_clients))
    for part in parts:
        before = _cost(data, part, part.routes)
        result = part_solve(part, data)
        assert sorted(c for _, clients in result.routes for c in clients) == list(part.clients)
        after = _cost(data, part, result.routes)
        assert after <= before
        assert result.improved == (after < before)


def _cost(
    data: pyvrp.ProblemData, part: Part, routes: tuple[tuple[int, tuple[int, ...]], ...]
) -> int:
    sub = data.replace(clients=[data.client(c) for c in part.clients])
    local = {c: k for k, c in enumerate(part.clients)}
    solution = pyvrp.Solution(
        sub, [pyvrp.Route(sub, [local[c] for c in clients], 0) for _, clients in routes]
    )
    assert solution.is_feasible()
    return solution_objective(solution)

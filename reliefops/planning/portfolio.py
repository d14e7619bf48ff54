"""Portfolio: several cores on one routing sub-problem.

PyVRP 0.14's iterated local search is single-threaded and has no parallel option of its own,
so when a day cannot be cut into at least as many sub-problems as there are workers (or one
sub-problem dominates), the spare cores run the *same* sub-problem with other seeds, each with
the full time limit, and the best solution is kept: feasible first, then the lowest objective,
then the first seed of the list (so ties are resolved the same way every time).

Every run is deterministic for its seed under an iteration limit, and the choice depends only
on the runs' results, so a portfolio is deterministic for a seed list under an iteration limit
whether its runs go to processes or one after the other.

Runs go to forked processes where the platform allows (copy-on-write: the data is not copied
until touched). A process that may not have children (a daemonic pool worker, e.g. a Celery
prefork child) runs them one after the other with an equal share of the seconds instead, so
the wall time stays the limit.
"""

from __future__ import annotations

import multiprocessing
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import pyvrp

from reliefops.planning.stopping import StopRule, stop_criterion

SEED_STRIDE = 100_003
"""Distance between the seeds of one portfolio (sub-problems use ``seed + k``, so a prime far
above the number of sub-problems keeps the runs of different sub-problems apart)."""

T = TypeVar("T")
R = TypeVar("R")


def portfolio_seeds(seed: int, runs: int) -> list[int]:
    """The seeds of a portfolio of ``runs`` runs that starts with ``seed``."""
    return [seed + SEED_STRIDE * k for k in range(max(1, runs))]


def solution_objective(solution: pyvrp.Solution) -> int:
    """What PyVRP minimises, without penalties: costs plus the prizes left uncollected."""
    return int(
        solution.distance_cost()
        + solution.duration_cost()
        + solution.fixed_vehicle_cost()
        + solution.uncollected_prizes()
    )


def may_fork_children() -> bool:
    """Whether this process may start worker processes (daemonic ones may not)."""
    return not multiprocessing.current_process().daemon


def pool_context() -> Any:
    # fork: children share the parent's pages copy-on-write; spawn (elsewhere) re-imports the
    # caller's main module, which unguarded scripts break.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


child_initializer: Callable[[], object] | None = None
"""Called first in every worker process of :func:`runs_map` (the benchmark sets
``os.setsid``: see bench/vrp/portfolio_bench.py); ``None`` in the application."""


def runs_map(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``[function(item) for item in items]``, in ``workers`` processes when allowed."""
    if workers <= 1 or len(items) <= 1 or not may_fork_children():
        return [function(item) for item in items]
    with ProcessPoolExecutor(
        max_workers=min(workers, len(items)),
        mp_context=pool_context(),
        initializer=child_initializer,
    ) as pool:
        return list(pool.map(function, items))


@dataclass(frozen=True)
class RunResult:
    seed: int
    solution: pyvrp.Solution
    iterations: int
    seconds: float

    @property
    def rank(self) -> tuple[bool, int]:
        return (not self.solution.is_feasible(), solution_objective(self.solution))


def run_solve(
    data: pyvrp.ProblemData,
    stop: StopRule,
    seed: int,
    initial_solution: pyvrp.Solution | None = None,
) -> RunResult:
    """One PyVRP run (its penalty-bound warnings silenced: see :mod:`routing`)."""
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pyvrp.solve(
            data,
            stop=stop_criterion(stop),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=initial_solution,
        )
    return RunResult(seed, result.best, int(result.num_iterations), time.perf_counter() - started)


@dataclass(frozen=True)
class PortfolioResult:
    best: RunResult
    runs: tuple[RunResult, ...]

    @property
    def iterations(self) -> int:
        return sum(r.iterations for r in self.runs)


def best_index(ranks: Sequence[tuple[bool, int]]) -> int:
    """Index of the best rank (infeasible last, then cost); the first one on ties."""
    return min(range(len(ranks)), key=lambda i: (ranks[i], i))


RETURN_MARGIN = 0.02
"""Seconds kept back in a child for sending its solution to the parent."""

_JOB: tuple[pyvrp.ProblemData, StopRule, pyvrp.Solution | None, float | None] | None = None


def _deadline_rule(stop: StopRule, started: float | None) -> StopRule:
    """``stop`` less the seconds already gone since the parent's ``started`` (perf_counter is
    system-wide monotonic on Linux): the portfolio's wall time stays the limit."""
    if stop.max_seconds is None or started is None:
        return stop
    lag = max(0.0, time.perf_counter() - started) + RETURN_MARGIN
    return StopRule(max(0.05, stop.max_seconds - lag), stop.max_iterations)


def _job_run(seed: int) -> RunResult:
    assert _JOB is not None
    data, stop, initial, started = _JOB
    return run_solve(data, _deadline_rule(stop, started), seed, initial)


def _args_run(
    args: tuple[pyvrp.ProblemData, StopRule, int, pyvrp.Solution | None, float | None],
) -> RunResult:
    data, stop, seed, initial, started = args
    return run_solve(data, _deadline_rule(stop, started), seed, initial)


def portfolio_solve(
    data: pyvrp.ProblemData,
    stop: StopRule,
    seeds: Sequence[int],
    workers: int,
    initial_solution: pyvrp.Solution | None = None,
) -> PortfolioResult:
    """Run ``data`` once per seed (``workers`` at a time, each with ``stop``); keep the best.

    Without processes the runs share ``stop``'s seconds (iterations stay per run)."""
    global _JOB
    started = time.perf_counter()
    seeds = list(seeds) or [0]
    parallel = workers > 1 and len(seeds) > 1 and may_fork_children()
    rule = stop if parallel else stop.scaled(1.0 / len(seeds))
    if parallel and pool_context().get_start_method() != "fork":
        items = [(data, rule, seed, initial_solution, started) for seed in seeds]
        runs = runs_map(_args_run, items, workers)
    else:
        # forked children inherit it (no pickled data); one after the other: no deadline
        _JOB = (data, rule, initial_solution, started if parallel else None)
        try:
            runs = runs_map(_job_run, seeds, workers if parallel else 1)
        finally:
            _JOB = None
    best = runs[best_index([r.rank for r in runs])]
    return PortfolioResult(best, tuple(runs))

"""Decomposition: several cores on one large routing problem.

A seed portfolio (:mod:`portfolio`) keeps one run's result and throws the others away, which
helps little on a problem of a thousand stops, where a single run is still far from converged
at the limit. Here the cores share the work instead, as in the decomposition step of HGS and
of PyVRP's large-instance examples:

1. **Sweep.** The stops are sorted by their angle around the depot and cut into sectors of
   about equal size, each with the fleet's share of its demand; the sectors are solved at the
   same time, one per core, and their routes put together.
2. **Rounds.** The routes of the current solution are sorted by the angle of their centre
   and cut into groups of neighbouring routes; each group (its stops and the vehicles of its
   routes, plus a share of the unused ones) is solved again from its own routes, the groups at
   the same time. A group's routes are replaced only when the new ones cost less, so a round
   never makes the solution worse. Every round shifts the cuts by half a group, so that the
   routes on either side of one round's cut are solved together in the next.
3. **Polish.** The whole problem is searched once more from the result (a portfolio of seeds,
   one per core), which lets stops move across every cut.

Only problems with one depot, no client groups, no shipments and no reloading take this path
(:func:`decompose_eligible`); the rest go to the portfolio. Everything is deterministic for a
seed under an iteration limit: the cuts depend only on the data and the solution so far, the
seeds only on the seed, the round and the group, and the groups are merged in their order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import pyvrp

from reliefops.planning import portfolio as _portfolio
from reliefops.planning.portfolio import (
    PortfolioResult,
    RunResult,
    may_fork_children,
    pool_context,
    portfolio_seeds,
    portfolio_solve,
    run_solve,
    solution_objective,
)
from reliefops.planning.stopping import StopRule

DECOMPOSE_MIN_CLIENTS = 400
"""Smallest problem that is decomposed; below it one run converges well within the usual limits
and the portfolio is as good."""

GROUP_CLIENTS = 250
"""About how many stops one group (or sweep sector) holds."""

SWEEP_SHARE = 0.3
ROUNDS = 4
ROUND_SHARE = 0.15
POLISH_SHARE = 1.0 - SWEEP_SHARE - ROUNDS * ROUND_SHARE
"""Shares of the limit (seconds and iterations alike): the sweep, each round, the polish."""

Routes = tuple[tuple[int, tuple[int, ...]], ...]
"""Routes as ``(vehicle type, client indices)``, in the whole problem's numbering."""


def decompose_eligible(data: pyvrp.ProblemData, workers: int) -> bool:
    """Whether :func:`decompose_solve` applies to ``data`` with ``workers`` cores."""
    return (
        workers > 1
        and may_fork_children()
        and data.num_clients >= DECOMPOSE_MIN_CLIENTS
        and data.num_depots == 1
        and data.num_groups == 0
        and data.num_shipments == 0
        and not any(vt.reload_depots for vt in data.vehicle_types())
    )


def _angles(data: pyvrp.ProblemData) -> list[float]:
    """Each client's angle around the depot."""
    depot = data.location(data.depot(0).location)
    out = []
    for client in data.clients():
        at = data.location(client.location)
        out.append(math.atan2(at.y - depot.y, at.x - depot.x))
    return out


def _route_angle(data: pyvrp.ProblemData, clients: Sequence[int]) -> float:
    depot = data.location(data.depot(0).location)
    xs = [data.location(data.client(c).location).x for c in clients]
    ys = [data.location(data.client(c).location).y for c in clients]
    return math.atan2(sum(ys) / len(ys) - depot.y, sum(xs) / len(xs) - depot.x)


def _cuts(count: int, parts: int, offset: int) -> list[list[int]]:
    """``range(count)`` rotated by ``offset`` and cut into ``parts`` runs of about equal length."""
    order = [(offset + k) % count for k in range(count)]
    bounds = [round(count * p / parts) for p in range(parts + 1)]
    return [order[bounds[p] : bounds[p + 1]] for p in range(parts)]


def _shares(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split by ``weights`` (largest remainders; the split sums to ``total``)."""
    mass = sum(weights) or 1.0
    exact = [total * w / mass for w in weights]
    out = [math.floor(x) for x in exact]
    for k in sorted(range(len(out)), key=lambda k: (out[k] - exact[k], k))[: total - sum(out)]:
        out[k] += 1
    return out


@dataclass(frozen=True)
class Part:
    """One sub-problem: its clients, vehicles per type and starting routes (whole numbering)."""

    clients: tuple[int, ...]
    vehicles: tuple[int, ...]
    routes: Routes
    seed: int
    stop: StopRule


@dataclass(frozen=True)
class PartResult:
    routes: Routes
    improved: bool
    iterations: int


_DATA: pyvrp.ProblemData | None = None


def _part_data(data: pyvrp.ProblemData, part: Part) -> tuple[pyvrp.ProblemData, list[int]]:
    """The sub-problem's data (the same locations and matrices; its clients and vehicles) and
    its vehicle types' numbers in the whole problem."""
    types = [t for t, n in enumerate(part.vehicles) if n > 0]
    sub = data.replace(
        clients=[data.client(c) for c in part.clients],
        vehicle_types=[data.vehicle_type(t).replace(num_available=part.vehicles[t]) for t in types],
    )
    return sub, types


def part_solve(part: Part, data: pyvrp.ProblemData | None = None) -> PartResult:
    """Solve one part from its routes; its routes back when nothing better was found."""
    data = data if data is not None else _DATA
    assert data is not None
    sub, types = _part_data(data, part)
    local = {c: k for k, c in enumerate(part.clients)}
    sub_type = {t: k for k, t in enumerate(types)}
    initial = None
    if part.routes:
        initial = pyvrp.Solution(
            sub,
            [
                pyvrp.Route(sub, [local[c] for c in clients], sub_type[t])
                for t, clients in part.routes
            ],
        )
    run = run_solve(sub, part.stop, part.seed, initial)
    better = run.solution.is_feasible() and (
        initial is None
        or not initial.is_feasible()
        or solution_objective(run.solution) < solution_objective(initial)
    )
    if not better and initial is not None:
        return PartResult(part.routes, False, run.iterations)
    routes = tuple(
        (
            types[route.vehicle_type()],
            tuple(part.clients[a.idx] for a in route if a.is_client()),
        )
        for route in run.solution.routes()
    )
    return PartResult(routes, True, run.iterations)


def _sweep_parts(data: pyvrp.ProblemData, parts: int, seed: int, stop: StopRule) -> list[Part]:
    angles = _angles(data)
    order = sorted(range(data.num_clients), key=lambda c: (angles[c], c))
    demand = [float(sum(data.client(c).delivery) + sum(data.client(c).pickup)) for c in order]
    out = []
    sectors = _cuts(len(order), parts, 0)
    weights = [sum(demand[k] for k in sector) for sector in sectors]
    fleet = [
        _shares(vt.num_available, weights) for vt in data.vehicle_types()
    ]  # per type, per sector
    for p, sector in enumerate(sectors):
        out.append(
            Part(
                clients=tuple(sorted(order[k] for k in sector)),
                vehicles=tuple(fleet[t][p] for t in range(len(fleet))),
                routes=(),
                seed=seed + p,
                stop=stop,
            )
        )
    return out


def _round_parts(
    data: pyvrp.ProblemData,
    routes: Routes,
    parts: int,
    offset: int,
    seed: int,
    stop: StopRule,
) -> list[Part]:
    ordered = sorted(routes, key=lambda r: (_route_angle(data, r[1]), r[1]))
    groups = _cuts(len(ordered), parts, offset)
    used = [0] * data.num_vehicle_types
    for t, _ in routes:
        used[t] += 1
    spare = [
        _shares(vt.num_available - used[t], [1.0] * parts)
        for t, vt in enumerate(data.vehicle_types())
    ]
    served = {c for _, clients in routes for c in clients}
    missing = [c for c in range(data.num_clients) if c not in served]
    out = []
    for p, group in enumerate(groups):
        own = tuple(ordered[k] for k in group)
        vehicles = [spare[t][p] for t in range(data.num_vehicle_types)]
        for t, _ in own:
            vehicles[t] += 1
        out.append(
            Part(
                clients=tuple(sorted(c for _, clients in own for c in clients)),
                vehicles=tuple(vehicles),
                routes=own,
                seed=seed + p,
                stop=stop,
            )
        )
    if missing:
        # Stops no route serves (optional ones left out, or a sector that ran short) go to the
        # group whose angle is nearest theirs.
        angles = _angles(data)
        centres = [_route_angle(data, part.clients) if part.clients else 0.0 for part in out]
        extra: list[list[int]] = [[] for _ in out]
        for c in missing:
            near = min(
                range(len(out)),
                key=lambda p: (abs(math.remainder(angles[c] - centres[p], math.tau)), p),
            )
            extra[near].append(c)
        out = [
            Part(
                tuple(sorted(part.clients + tuple(more))),
                part.vehicles,
                part.routes,
                part.seed,
                part.stop,
            )
            for part, more in zip(out, extra, strict=True)
        ]
    return [part for part in out if part.clients and sum(part.vehicles) > 0]


def _solution(data: pyvrp.ProblemData, routes: Routes) -> pyvrp.Solution:
    return pyvrp.Solution(data, [pyvrp.Route(data, list(c), t) for t, c in routes if c])


def _share(stop: StopRule, share: float, started: float) -> StopRule:
    """``share`` of ``stop``, its seconds capped by what is left of the whole limit."""
    if stop.max_seconds is None:
        return StopRule(None, max(1, round((stop.max_iterations or 1) * share)))
    left = stop.max_seconds - (time.perf_counter() - started)
    seconds = max(0.05, min(stop.max_seconds * share, left - _portfolio.RETURN_MARGIN))
    iterations = None
    if stop.max_iterations is not None:
        iterations = max(1, round(stop.max_iterations * share))
    return StopRule(seconds, iterations)


def _parallel(pool: Executor | None, parts: list[Part]) -> list[PartResult]:
    if pool is None:
        assert _DATA is not None
        return [part_solve(part, _DATA) for part in parts]
    return list(pool.map(part_solve, parts))


def decompose_solve(
    data: pyvrp.ProblemData, stop: StopRule, seed: int, workers: int
) -> PortfolioResult:
    """Solve ``data`` on ``workers`` cores by the sweep, the rounds and the polish above.

    The wall time stays within ``stop``'s seconds (each phase's share is capped by what is
    left); under an iteration limit every sub-search gets its phase's share of the iterations.
    """
    global _DATA
    started = time.perf_counter()
    per_worker = max(1, math.ceil(data.num_clients / (GROUP_CLIENTS * workers)))
    parts = workers * per_worker
    iterations = 0
    _DATA = data
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=pool_context(),
            initializer=_portfolio.child_initializer,
        ) as pool:
            # every part of a phase runs in one ``per_worker``-th of the phase's wall time
            sweep = _share(stop, SWEEP_SHARE / per_worker, started)
            results = _parallel(pool, _sweep_parts(data, parts, seed, sweep))
            iterations += sum(r.iterations for r in results)
            routes: Routes = tuple(r for result in results for r in result.routes)
            current = _solution(data, routes)
            if not current.is_feasible():
                # a sector ran short of vehicles: fall back to the whole problem
                current = run_solve(data, sweep, seed, current).solution
            routes = _routes_of(current)
            group_routes = max(1, round(len(routes) / parts))
            for number in range(ROUNDS):
                rule = _share(stop, ROUND_SHARE / per_worker, started)
                offset = (number * group_routes) // 2 if number % 2 else number * group_routes
                round_parts = _round_parts(
                    data, routes, parts, offset, seed + 1_000 * (number + 1), rule
                )
                results = _parallel(pool, round_parts)
                iterations += sum(r.iterations for r in results)
                kept = {c for part in round_parts for c in part.clients}
                routes = tuple(r for r in routes if not (set(r[1]) & kept)) + tuple(
                    r for result in results for r in result.routes
                )
            current = _solution(data, routes)
    finally:
        _DATA = None
    polish = _share(stop, POLISH_SHARE, started)
    final = portfolio_solve(data, polish, portfolio_seeds(seed + 7, workers), workers, current)
    iterations += final.iterations
    best = final.best
    if not best.solution.is_feasible() or solution_objective(best.solution) > solution_objective(
        current
    ):
        best = RunResult(best.seed, current, best.iterations, best.seconds)
    merged = RunResult(seed, best.solution, iterations, time.perf_counter() - started)
    return PortfolioResult(merged, (merged,))


def _routes_of(solution: pyvrp.Solution) -> Routes:
    return tuple(
        (route.vehicle_type(), tuple(a.idx for a in route if a.is_client()))
        for route in solution.routes()
    )

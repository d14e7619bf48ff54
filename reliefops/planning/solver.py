"""``solve(problem, stop, seed)``: allocation, then routing of deliveries and team rounds.

**Decomposition.** Deliveries are split per depot (exact once stock is allocated: a vehicle
loads only at its own depot). Team rounds are split per base: each visit goes to the nearest
base that has an eligible team able to reach it; with ``decompose=False`` all teams and visits
form one multi-depot problem instead (the benchmark compares both). Sub-problems run in
``workers`` processes (forked where the platform allows: copy-on-write, so the full matrix is
not copied); each gets a share
of the time limit proportional to its number of stops, and its own seed ``seed + k``, so an
iteration-limited run is deterministic for a seed.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from reliefops.planning.allocation import Allocation, allocation_solve, site_window
from reliefops.planning.model import PRIORITY_WEIGHT, Priority, Problem, Team, Visit
from reliefops.planning.plan import (
    Delivery,
    Plan,
    TeamRound,
    Unmet,
    UnmetReason,
    Unvisited,
    VehicleRoute,
)
from reliefops.planning.routing import (
    SECONDS,
    DeliveryStopSpec,
    RoutingTask,
    TaskResult,
    VisitStopSpec,
    delivery_tasks,
    task_solve,
    team_round_build,
    team_tasks,
    vehicle_route_build,
)
from reliefops.planning.stopping import ProgressCallback, StopRule

_EPS = 1e-6


def _team_eligible(team: Team, visit: Visit) -> bool:
    return (visit.skill is None or visit.skill in team.skills) and (
        visit.language is None or visit.language in team.languages
    )


def _team_reaches(problem: Problem, team: Team, visit: Visit) -> bool:
    early, late = site_window(problem, visit.site)
    early, late = max(early, visit.open_min), min(late, visit.close_min)
    if math.floor(late * SECONDS + 1e-9) < math.ceil(early * SECONDS - 1e-9):
        return False  # shorter than PyVRP's time unit
    arrive = team.shift_start_min + problem.travel_min(team.base, visit.site)
    begin = max(arrive, early)
    if begin > late + _EPS:
        return False
    back = begin + visit.service_min + problem.travel_min(visit.site, team.base)
    return back - team.shift_start_min <= team.shift_min + _EPS


def visits_assign(
    problem: Problem, decompose: bool
) -> tuple[dict[str, list[str]], dict[str, list[str]], list[Unvisited]]:
    """Groups of teams and visits for team routing, and the visits no team can make."""
    teams_by_base: dict[str, list[Team]] = defaultdict(list)
    for team in problem.teams:
        teams_by_base[team.base].append(team)
    teams_by_group: dict[str, list[str]] = {}
    visits_by_group: dict[str, list[str]] = defaultdict(list)
    unvisited: list[Unvisited] = []
    for base, teams in teams_by_base.items():
        group = base if decompose else "all"
        teams_by_group.setdefault(group, []).extend(t.id for t in teams)
    for visit in problem.visits:
        eligible = [t for t in problem.teams if _team_eligible(t, visit)]
        if not eligible:
            unvisited.append(
                Unvisited(
                    visit.id,
                    UnmetReason.NO_ELIGIBLE_TEAM,
                    f"no team with skill {visit.skill!r} and language {visit.language!r}",
                )
            )
            continue
        reaching = [t for t in eligible if _team_reaches(problem, t, visit)]
        if not reaching:
            unvisited.append(
                Unvisited(
                    visit.id,
                    UnmetReason.UNREACHABLE,
                    "no eligible team reaches it within its window and shift",
                )
            )
            continue
        if decompose:
            nearest = min(reaching, key=lambda t: (problem.travel_min(t.base, visit.site), t.base))
            visits_by_group[nearest.base].append(visit.id)
        else:
            visits_by_group["all"].append(visit.id)
    return teams_by_group, dict(visits_by_group), unvisited


def _tasks_run(
    tasks: Sequence[RoutingTask], workers: int, progress: ProgressCallback | None
) -> list[TaskResult]:
    results: list[TaskResult] = []
    ordered = sorted(tasks, key=lambda t: (-t.size, t.key))
    if workers <= 1 or len(ordered) <= 1:
        for number, task in enumerate(ordered):
            results.append(task_solve(task))
            if progress is not None:
                progress("routing", (number + 1) / len(ordered))
        return results
    # fork: workers share the parent's pages copy-on-write and never touch the full matrix;
    # spawn (elsewhere) re-imports the caller's main module, which unguarded scripts break.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(task_solve, task) for task in ordered]
        for number, future in enumerate(as_completed(futures)):
            results.append(future.result())
            if progress is not None:
                progress("routing", (number + 1) / len(ordered))
    results.sort(key=lambda r: r.key)
    return results


@dataclass
class Prepared:
    """A day after allocation, cut into routing sub-problems (picklable ``tasks``).

    :func:`solve` runs the tasks in processes; the Django side sends each one to a Celery
    worker instead and hands the results to :func:`solve_merge`.
    """

    allocation: Allocation
    tasks: list[RoutingTask]
    rejected: list[tuple[Delivery, str]]
    unvisited: list[Unvisited]
    seconds_allocation: float


def solve_prepare(
    problem: Problem,
    stop: StopRule,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    workers: int = 1,
    decompose: bool = True,
    candidate_depots: int = 3,
) -> Prepared:
    """Allocate stock (HiGHS) and cut the routing into sub-problems, each with its share of
    ``stop`` for ``workers`` running at once and its own seed."""
    started = time.perf_counter()
    if progress is not None:
        progress("allocation", 0.0)
    allocation = allocation_solve(problem, candidate_depots=candidate_depots)
    if progress is not None:
        progress("allocation", 1.0)
    d_tasks, rejected = delivery_tasks(problem, allocation.allocated, stop, seed)
    teams_by_group, visits_by_group, unvisited = visits_assign(problem, decompose)
    all_visit_ids = [v for ids in visits_by_group.values() for v in ids]
    t_tasks = team_tasks(problem, all_visit_ids, teams_by_group, visits_by_group, stop, seed)
    tasks = d_tasks + t_tasks
    total_size = sum(t.size for t in tasks) or 1
    share_workers = max(1, min(workers, len(tasks)))
    for task in tasks:
        share = min(1.0, share_workers * task.size / total_size)
        task.stop_rule = stop.scaled(share)
    return Prepared(allocation, tasks, list(rejected), unvisited, time.perf_counter() - started)


def solve(
    problem: Problem,
    stop: StopRule,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    workers: int = 1,
    decompose: bool = True,
    candidate_depots: int = 3,
) -> Plan:
    """Plan the day: allocate stock (HiGHS), route deliveries and team rounds (PyVRP).

    ``stop`` is the routing limit for the whole day (seconds are shared among sub-problems,
    iterations apply to each). Check the result with :func:`reliefops.planning.checker`.
    """
    prepared = solve_prepare(problem, stop, seed, progress, workers, decompose, candidate_depots)
    routing_started = time.perf_counter()
    results = _tasks_run(prepared.tasks, workers, progress)
    return solve_merge(problem, prepared, results, time.perf_counter() - routing_started)


def solve_merge(
    problem: Problem,
    prepared: Prepared,
    results: Sequence[TaskResult],
    seconds_routing: float = 0.0,
) -> Plan:
    """The plan from the sub-problems' results (in any order): routes, rounds, what was
    left out and why, and the day's figures."""
    allocation, tasks, rejected = prepared.allocation, prepared.tasks, prepared.rejected
    unvisited = list(prepared.unvisited)
    results = sorted(results, key=lambda r: r.key)
    by_key = {t.key: t for t in tasks}
    routes: list[VehicleRoute] = []
    rounds: list[TeamRound] = []
    served_specs: set[tuple[str, int]] = set()
    vehicle_by_id = {v.id: v for v in problem.vehicles}
    iterations = 0
    for result in results:
        task = by_key[result.key]
        iterations += result.iterations
        next_free = [0] * len(task.vehicle_ids)
        for route in result.routes:
            vt = route.vehicle_type
            vehicle_id = task.vehicle_ids[vt][next_free[vt]]
            next_free[vt] += 1
            start_min = route.start_sec / SECONDS
            for trip in route.trips:
                served_specs.update((task.key, c) for c in trip)
            if task.kind == "delivery":
                trips = [[_delivery_spec(task, c) for c in trip] for trip in route.trips]
                routes.append(
                    vehicle_route_build(problem, vehicle_by_id[vehicle_id], start_min, trips)
                )
            else:
                stops = [_visit_spec(task, c) for trip in route.trips for c in trip]
                rounds.append(team_round_build(problem, vehicle_id, start_min, stops))

    unmet = list(allocation.unmet)
    dropped: dict[str, float] = defaultdict(float)
    for line, _detail in rejected:
        dropped[line.demand] += line.quantity
    for task in tasks:
        for c, spec in enumerate(task.stops):
            if (task.key, c) in served_specs:
                continue
            if isinstance(spec, DeliveryStopSpec):
                for line in spec.lines:
                    dropped[line.demand] += line.quantity
            elif isinstance(spec, VisitStopSpec):
                unvisited.append(
                    Unvisited(
                        spec.visit,
                        UnmetReason.NO_CAPACITY,
                        "the teams' time is used up by higher-value visits",
                    )
                )
    for demand_id in sorted(dropped):
        unmet.append(
            Unmet(
                demand_id,
                dropped[demand_id],
                UnmetReason.NO_CAPACITY,
                "routing: no vehicle time or capacity left for this delivery",
            )
        )
    routes.sort(key=lambda r: r.vehicle)
    rounds.sort(key=lambda r: r.team)
    stats = _stats(problem, routes, rounds, unmet)
    stats.update(
        {
            "seconds_allocation": prepared.seconds_allocation,
            "seconds_routing": seconds_routing,
            "seconds_solve": prepared.seconds_allocation + seconds_routing,
            "subproblems": float(len(tasks)),
            "iterations": float(iterations),
        }
    )
    return Plan(tuple(routes), tuple(rounds), tuple(unmet), tuple(unvisited), stats)


def _delivery_spec(task: RoutingTask, client: int) -> DeliveryStopSpec:
    spec = task.stops[client]
    assert isinstance(spec, DeliveryStopSpec)
    return spec


def _visit_spec(task: RoutingTask, client: int) -> VisitStopSpec:
    spec = task.stops[client]
    assert isinstance(spec, VisitStopSpec)
    return spec


def _stats(
    problem: Problem,
    routes: Sequence[VehicleRoute],
    rounds: Sequence[TeamRound],
    unmet: Sequence[Unmet],
) -> dict[str, float]:
    delivered: dict[str, float] = defaultdict(float)
    for route in routes:
        for stop in route.stops:
            for line in stop.deliveries:
                delivered[line.demand] += line.quantity
    weighted = total_weight = 0.0
    life_units = life_total = 0.0
    units = units_total = 0.0
    for demand in problem.demands:
        w = PRIORITY_WEIGHT[demand.priority]
        share = min(1.0, delivered.get(demand.id, 0.0) / demand.quantity)
        weighted += w * share
        total_weight += w
        units += delivered.get(demand.id, 0.0)
        units_total += demand.quantity
        if demand.priority == Priority.LIFE_SAVING:
            life_units += delivered.get(demand.id, 0.0)
            life_total += demand.quantity
    by_reason: dict[str, float] = defaultdict(float)
    priority_of = {d.id: d.priority for d in problem.demands}
    for u in unmet:
        by_reason[f"unmet_units_{u.reason.value}"] += u.quantity
        if priority_of.get(u.demand) == Priority.LIFE_SAVING:
            by_reason[f"life_saving_unmet_units_{u.reason.value}"] += u.quantity
    made = sum(len(r.stops) for r in rounds)
    visit_priority = {v.id: v.priority for v in problem.visits}
    life_visits = sum(1 for v in problem.visits if v.priority == Priority.LIFE_SAVING)
    life_made = sum(
        1
        for r in rounds
        for s in r.stops
        if s.visit is not None and visit_priority[s.visit] == Priority.LIFE_SAVING
    )
    return {
        "served_percent": 100.0 * weighted / total_weight if total_weight else 100.0,
        "units_served_percent": 100.0 * units / units_total if units_total else 100.0,
        "life_saving_served_percent": 100.0 * life_units / life_total if life_total else 100.0,
        "demands": float(len(problem.demands)),
        "visits_due": float(len(problem.visits)),
        "visits_made": float(made),
        "visits_made_percent": 100.0 * made / len(problem.visits) if problem.visits else 100.0,
        "life_saving_visits_percent": 100.0 * life_made / life_visits if life_visits else 100.0,
        "routes": float(len(routes)),
        "trips": float(sum(len(r.trips) for r in routes)),
        "rounds": float(len(rounds)),
        "distance_km": sum(r.distance_km for r in routes) + sum(r.distance_km for r in rounds),
        "unmet_units": sum(u.quantity for u in unmet),
        **by_reason,
    }


def plan_stats(
    problem: Problem,
    routes: Sequence[VehicleRoute],
    rounds: Sequence[TeamRound],
    unmet: Sequence[Unmet],
) -> dict[str, float]:
    """The day's figures of a plan (served %, life-saving served %, visits, distance, unmet
    units per reason); ``planning.edit`` recomputes them after every edit."""
    return _stats(problem, routes, rounds, unmet)

"""Routing with PyVRP: delivery routes per depot and team rounds per base.

**Deliveries.** After allocation every unit to deliver comes from a lot in a known depot, and a
vehicle loads only at its own depot, so deliveries split exactly into one sub-problem per
depot. Allocated lines are grouped per (site, item class) and packed into *deliveries* that
each fit one eligible vehicle; a site's demand larger than a vehicle becomes several
deliveries, served by several vehicles or trips (split delivery). Vehicles: one PyVRP vehicle
type per group of identical vehicles, capacity in kg, m³ and litres, shift as ``shift_duration``,
fixed and per-km cost, reloads at the depot when allowed (multi-trip).

**Eligibility** (an item class a vehicle may carry, a skill or a language a team needs) is
modelled as one extra capacity dimension per class/skill/language: a stop that needs it loads
:data:`ELIGIBILITY_UNIT` in that dimension, an eligible vehicle or team has room for every
stop, an ineligible one has capacity 0. A feasible PyVRP solution therefore never assigns an ineligible stop. We chose
this over PyVRP client groups (they express "one of these alternatives", not who may serve),
over routing profiles (they change travel matrices, not permissions) and over one sub-problem
per eligibility class (overlapping eligibilities — a nurse who speaks two languages — would
have to be split arbitrarily and would lose shared capacity).

**Priorities.** Every stop is optional with a prize (prize-collecting): life-saving 100×,
urgent 10× the prize of routine, and even a routine prize outweighs a 200 km detour, so stops
are dropped only when no vehicle time or capacity is left, lowest priority first. (Making
life-saving stops ``required`` would make the whole sub-problem infeasible when the fleet
cannot carry them all.)

**Integer rounding.** PyVRP works on integers: travel times, service times and loads are
rounded *up* and capacities, shift lengths and window ends *down*, so a schedule feasible for
PyVRP stays feasible in the exact (float) data the checker uses.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyvrp

from reliefops.planning.allocation import Allocated, demand_window, site_window
from reliefops.planning.model import PRIORITY_WEIGHT, Problem, Vehicle
from reliefops.planning.plan import Delivery, Stop, TeamRound, Trip, VehicleRoute
from reliefops.planning.portfolio import (
    best_index,
    may_fork_children,
    portfolio_seeds,
    run_solve,
    runs_map,
    solution_objective,
)
from reliefops.planning.stopping import StopRule
from reliefops.planning.trips import trips_added

SECONDS = 60  # PyVRP time unit: seconds
KG_SCALE, M3_SCALE, L_SCALE = 10, 1000, 10  # PyVRP load units: 0.1 kg, litre of volume, 0.1 l
PRIZE_UNIT = 200_000  # a fully served routine stop ≈ 200 km at cost 1 per km (metres)
ELIGIBILITY_UNIT = 10_000
"""Load of a stop in its eligibility dimension: large, so that PyVRP's bounded load penalty
always outweighs a stop's prize and an ineligible assignment never pays off."""
_BIG = 1 << 40


@dataclass(frozen=True)
class DeliveryStopSpec:
    """One PyVRP client of a delivery sub-problem: what it drops at ``site``."""

    site: str
    item_class: str
    lines: tuple[Delivery, ...]
    load: tuple[float, float, float]  # kg, m3, l
    prize_weight: float


@dataclass(frozen=True)
class VisitStopSpec:
    visit: str
    site: str


@dataclass
class RoutingTask:
    """A picklable sub-problem: PyVRP data plus what its clients and vehicle types stand for."""

    key: str
    kind: str  # "delivery" or "team"
    data: pyvrp.ProblemData
    stops: Sequence[DeliveryStopSpec | VisitStopSpec]
    vehicle_ids: list[list[str]]  # per vehicle type: the vehicle/team ids it stands for
    stop_rule: StopRule
    seed: int
    size: int = 0
    depot_sites: list[str] = field(default_factory=list)
    portfolio: int = 1
    """Runs with different seeds on this sub-problem, each with the full limit; best kept."""


@dataclass(frozen=True)
class TaskRoute:
    vehicle_type: int
    start_sec: int
    trips: tuple[tuple[int, ...], ...]  # client indices per trip


@dataclass(frozen=True)
class TaskResult:
    key: str
    routes: tuple[TaskRoute, ...]
    iterations: int
    seconds: float
    feasible: bool
    cost: int = 0  # objective of the kept routes' solution (portfolio choice)
    seed: int = 0


def _ceil(x: float) -> int:
    return math.ceil(x - 1e-9)


def _floor(x: float) -> int:
    return math.floor(x + 1e-9)


def _matrices(problem: Problem, sites: Sequence[str]) -> tuple[Any, Any]:
    """Integer matrices for PyVRP: metres (rounded) and seconds (rounded up)."""
    idx = np.array([problem.site_index[s] for s in sites], dtype=np.int64)
    distance = np.rint(problem.distance_km[np.ix_(idx, idx)].astype(np.float64) * 1000.0)
    duration = np.ceil(problem.duration_min[np.ix_(idx, idx)].astype(np.float64) * SECONDS - 1e-6)
    return distance.astype(np.int64), np.maximum(duration, 0).astype(np.int64)


def _locations(problem: Problem, sites: Sequence[str]) -> list[pyvrp.Location]:
    return [pyvrp.Location(x=problem.site(s).lon * 1e4, y=problem.site(s).lat * 1e4) for s in sites]


def _vehicle_capacity_int(v: Vehicle) -> tuple[int, int, int]:
    return (
        _floor(v.capacity_kg * KG_SCALE),
        _floor(v.capacity_m3 * M3_SCALE),
        _floor(v.capacity_l * L_SCALE),
    )


def _pack(
    problem: Problem, lines: list[Delivery], capacity: tuple[int, int, int]
) -> list[list[Delivery]] | None:
    """First-fit packing of ``lines`` into loads that each fit ``capacity`` (integer units),
    splitting a line across loads when needed; ``None`` when not one unit fits."""
    packs: list[list[Delivery]] = []
    current: list[Delivery] = []
    used = [0.0, 0.0, 0.0]
    room = [c - 1 for c in capacity]  # 1 unit margin for rounding the load up
    scales = (KG_SCALE, M3_SCALE, L_SCALE)
    for line in lines:
        item = problem.item_by_id[line.item]
        per_unit = [item.kg * scales[0], item.m3 * scales[1], item.l * scales[2]]
        left = line.quantity
        while left > 1e-9:
            fits = left
            for dim in range(3):
                if per_unit[dim] > 0:
                    fits = min(fits, (room[dim] - used[dim]) / per_unit[dim])
            if not item.divisible:
                fits = math.floor(fits + 1e-9)
            if fits <= 1e-9:
                if not current:
                    return None  # not even one unit fits an empty vehicle
                packs.append(current)
                current, used = [], [0.0, 0.0, 0.0]
                continue
            take = min(left, fits)
            current.append(Delivery(line.demand, line.item, line.lot, take))
            for dim in range(3):
                used[dim] += per_unit[dim] * take
            left -= take
    if current:
        packs.append(current)
    return packs


def _load(problem: Problem, lines: Sequence[Delivery]) -> tuple[float, float, float]:
    kg = m3 = litres = 0.0
    for line in lines:
        item = problem.item_by_id[line.item]
        kg += item.kg * line.quantity
        m3 += item.m3 * line.quantity
        litres += item.l * line.quantity
    return kg, m3, litres


def _vehicle_groups(vehicles: Sequence[Vehicle]) -> list[list[Vehicle]]:
    groups: dict[tuple[object, ...], list[Vehicle]] = {}
    for v in sorted(vehicles, key=lambda v: v.id):
        key = (
            v.end_depot or v.depot,
            v.capacity_kg,
            v.capacity_m3,
            v.capacity_l,
            tuple(sorted(v.item_classes)),
            v.shift_start_min,
            v.shift_min,
            v.fixed_cost,
            v.cost_per_km,
            v.reload,
        )
        groups.setdefault(key, []).append(v)
    return list(groups.values())


def delivery_tasks(
    problem: Problem, allocated: Sequence[Allocated], stop_rule: StopRule, seed: int
) -> tuple[list[RoutingTask], list[tuple[Delivery, str]]]:
    """One routing task per depot; also the lines no eligible vehicle can carry (with detail)."""
    by_depot: dict[str, dict[tuple[str, str], list[Delivery]]] = defaultdict(
        lambda: defaultdict(list)
    )
    demand_by_id = {d.id: d for d in problem.demands}
    for a in allocated:
        demand = demand_by_id[a.demand]
        item = problem.item_by_id[demand.item]
        by_depot[a.depot][(demand.site, item.item_class)].append(
            Delivery(a.demand, demand.item, a.lot, a.quantity)
        )
    vehicles_by_depot: dict[str, list[Vehicle]] = defaultdict(list)
    for v in problem.vehicles:
        vehicles_by_depot[v.depot].append(v)
    classes = sorted({item.item_class for item in problem.item_by_id.values()})
    class_dim = {c: 3 + i for i, c in enumerate(classes)}
    tasks: list[RoutingTask] = []
    rejected: list[tuple[Delivery, str]] = []
    for number, depot_id in enumerate(sorted(by_depot)):
        depot = problem.depot_by_id[depot_id]
        vehicles = vehicles_by_depot.get(depot_id, [])
        specs: list[DeliveryStopSpec] = []
        for (site_id, item_class), lines in sorted(by_depot[depot_id].items()):
            eligible = [v for v in vehicles if item_class in v.item_classes]
            lines.sort(key=lambda d: (d.demand, d.lot))
            best: list[list[Delivery]] | None = None
            for v in eligible:
                packs = _pack(problem, lines, _vehicle_capacity_int(v))
                if packs is not None and (best is None or len(packs) < len(best)):
                    best = packs
            if best is None:
                rejected += [
                    (line, f"no vehicle at {depot_id} can carry one unit") for line in lines
                ]
                continue
            for pack in best:
                weight = sum(
                    PRIORITY_WEIGHT[demand_by_id[d.demand].priority]
                    * d.quantity
                    / demand_by_id[d.demand].quantity
                    for d in pack
                )
                specs.append(
                    DeliveryStopSpec(site_id, item_class, tuple(pack), _load(problem, pack), weight)
                )
        if not specs:
            continue
        end_depots = sorted(
            {v.end_depot for v in vehicles if v.end_depot and v.end_depot != depot_id}
        )
        depot_ids = [depot_id, *end_depots]
        depot_sites = [problem.depot_by_id[d].site for d in depot_ids]
        client_sites = sorted({s.site for s in specs})
        sites = depot_sites + client_sites
        loc = {s: i for i, s in enumerate(client_sites, start=len(depot_sites))}
        pv_depots = [
            pyvrp.Depot(
                location=i,
                tw_early=_ceil(problem.depot_by_id[d].open_min * SECONDS),
                tw_late=_floor(problem.depot_by_id[d].close_min * SECONDS),
                service_duration=_ceil(problem.depot_by_id[d].load_min * SECONDS),
            )
            for i, d in enumerate(depot_ids)
        ]
        clients = []
        kept: list[DeliveryStopSpec] = []
        for spec in specs:
            early, late = site_window(problem, spec.site)
            for line in spec.lines:
                late = min(late, demand_window(problem, demand_by_id[line.demand])[1])
            if _floor(late * SECONDS) < _ceil(early * SECONDS):
                rejected += [(line, "window shorter than a second") for line in spec.lines]
                continue
            kept.append(spec)
            delivery = [0] * (3 + len(classes))
            delivery[0] = _ceil(spec.load[0] * KG_SCALE)
            delivery[1] = _ceil(spec.load[1] * M3_SCALE)
            delivery[2] = _ceil(spec.load[2] * L_SCALE)
            delivery[class_dim[spec.item_class]] = ELIGIBILITY_UNIT
            clients.append(
                pyvrp.Client(
                    location=loc[spec.site],
                    delivery=delivery,
                    service_duration=_ceil(problem.site(spec.site).service_min * SECONDS),
                    tw_early=_ceil(early * SECONDS),
                    tw_late=_floor(late * SECONDS),
                    prize=max(1, round(spec.prize_weight * PRIZE_UNIT)),
                    required=False,
                )
            )
        if not kept:
            continue
        vehicle_types = []
        vehicle_ids = []
        for group in _vehicle_groups(vehicles):
            v = group[0]
            capacity = list(_vehicle_capacity_int(v)) + [
                ELIGIBILITY_UNIT * len(specs) if c in v.item_classes else 0 for c in classes
            ]
            start = max(v.shift_start_min, depot.open_min)
            vehicle_types.append(
                pyvrp.VehicleType(
                    num_available=len(group),
                    capacity=capacity,
                    start_depot=0,
                    end_depot=depot_ids.index(v.end_depot or depot_id),
                    fixed_cost=round(v.fixed_cost * 1000),
                    tw_early=_ceil(start * SECONDS),
                    tw_late=_floor((v.shift_start_min + v.shift_min) * SECONDS),
                    shift_duration=_floor(v.shift_min * SECONDS),
                    unit_distance_cost=max(1, round(v.cost_per_km)),
                    reload_depots=[0] if v.reload else [],
                    name=v.id,
                )
            )
            vehicle_ids.append([g.id for g in group])
        distance, duration = _matrices(problem, sites)
        data = pyvrp.ProblemData(
            locations=_locations(problem, sites),
            clients=clients,
            depots=pv_depots,
            vehicle_types=vehicle_types,
            distance_matrices=[distance],
            duration_matrices=[duration],
        )
        tasks.append(
            RoutingTask(
                key=f"depot:{depot_id}",
                kind="delivery",
                data=data,
                stops=kept,
                vehicle_ids=vehicle_ids,
                stop_rule=stop_rule,
                seed=seed + number,
                size=len(kept),
                depot_sites=depot_sites,
            )
        )
    return tasks, rejected


def team_tasks(
    problem: Problem,
    visit_ids: Sequence[str],
    teams_by_group: dict[str, list[str]],
    visits_by_group: dict[str, list[str]],
    stop_rule: StopRule,
    seed: int,
) -> list[RoutingTask]:
    """One routing task per group of team bases (``teams_by_group``/``visits_by_group``)."""
    team_by_id = {t.id: t for t in problem.teams}
    visit_by_id = {v.id: v for v in problem.visits if v.id in set(visit_ids)}
    skills = sorted({v.skill for v in visit_by_id.values() if v.skill})
    languages = sorted({v.language for v in visit_by_id.values() if v.language})
    dims = [("skill", s) for s in skills] + [("language", lang) for lang in languages]
    dim_of = {d: i for i, d in enumerate(dims)}
    tasks: list[RoutingTask] = []
    for number, group in enumerate(sorted(teams_by_group)):
        teams = [team_by_id[t] for t in teams_by_group[group]]
        visits = [visit_by_id[v] for v in visits_by_group.get(group, []) if v in visit_by_id]
        if not teams or not visits:
            continue
        bases = sorted({t.base for t in teams})
        client_sites = sorted({v.site for v in visits})
        sites = bases + client_sites
        loc = {s: i for i, s in enumerate(client_sites, start=len(bases))}
        pv_depots = [pyvrp.Depot(location=i) for i in range(len(bases))]
        clients = []
        specs: list[VisitStopSpec] = []
        for visit in sorted(visits, key=lambda v: v.id):
            early, late = site_window(problem, visit.site)
            early, late = max(early, visit.open_min), min(late, visit.close_min)
            load = [0] * len(dims)
            if visit.skill:
                load[dim_of[("skill", visit.skill)]] = ELIGIBILITY_UNIT
            if visit.language:
                load[dim_of[("language", visit.language)]] = ELIGIBILITY_UNIT
            clients.append(
                pyvrp.Client(
                    location=loc[visit.site],
                    delivery=load,
                    service_duration=_ceil(visit.service_min * SECONDS),
                    tw_early=_ceil(early * SECONDS),
                    tw_late=max(_ceil(early * SECONDS), _floor(late * SECONDS)),
                    prize=round(PRIORITY_WEIGHT[visit.priority] * PRIZE_UNIT),
                    required=False,
                )
            )
            specs.append(VisitStopSpec(visit.id, visit.site))
        vehicle_types = []
        vehicle_ids = []
        for team in sorted(teams, key=lambda t: t.id):
            has = {("skill", s) for s in team.skills} | {("language", x) for x in team.languages}
            base = bases.index(team.base)
            vehicle_types.append(
                pyvrp.VehicleType(
                    num_available=1,
                    capacity=[ELIGIBILITY_UNIT * len(visits) if d in has else 0 for d in dims],
                    start_depot=base,
                    end_depot=base,
                    tw_early=_ceil(team.shift_start_min * SECONDS),
                    tw_late=_floor((team.shift_start_min + team.shift_min) * SECONDS),
                    shift_duration=_floor(team.shift_min * SECONDS),
                    unit_distance_cost=max(1, round(team.cost_per_km)),
                    name=team.id,
                )
            )
            vehicle_ids.append([team.id])
        distance, duration = _matrices(problem, sites)
        data = pyvrp.ProblemData(
            locations=_locations(problem, sites),
            clients=clients,
            depots=pv_depots,
            vehicle_types=vehicle_types,
            distance_matrices=[distance],
            duration_matrices=[duration],
        )
        tasks.append(
            RoutingTask(
                key=f"teams:{group}",
                kind="team",
                data=data,
                stops=specs,
                vehicle_ids=vehicle_ids,
                stop_rule=stop_rule,
                seed=seed + 1000 + number,
                size=len(specs),
                depot_sites=bases,
            )
        )
    return tasks


def task_runs(task: RoutingTask) -> list[RoutingTask]:
    """The single runs of ``task``'s portfolio (itself when it has one run)."""
    if task.portfolio <= 1:
        return [task]
    seeds = portfolio_seeds(task.seed, task.portfolio)
    return [replace(task, seed=s, portfolio=1) for s in seeds]


def results_best(results: Sequence[TaskResult]) -> list[TaskResult]:
    """One result per key, sorted by key: the best run of each portfolio (feasible first, then
    cost, then the first seed of the portfolio), iterations summed over its runs."""
    by_key: dict[str, list[TaskResult]] = defaultdict(list)
    for r in results:
        by_key[r.key].append(r)
    kept = []
    for key in sorted(by_key):
        runs = sorted(by_key[key], key=lambda r: r.seed)
        best = runs[best_index([(not r.feasible, r.cost) for r in runs])]
        kept.append(replace(best, iterations=sum(r.iterations for r in runs)))
    return kept


def task_solve(task: RoutingTask) -> TaskResult:
    """Solve one sub-problem (runs in a worker process); returns plain, picklable routes.

    A portfolio task runs its seeds in processes when this process may have children, else
    one after the other with an equal share of the seconds (:mod:`portfolio`).

    When some vehicle may reload, 75 % of the limit goes to a first search, then the best
    solution is extended with extra trips (:func:`trips_added`) and searched again for the
    rest (from the best solution itself when no trip can be added); the better is kept.
    """
    if task.portfolio > 1:
        runs = task_runs(task)
        if not may_fork_children():
            runs = [replace(r, stop_rule=r.stop_rule.scaled(1.0 / len(runs))) for r in runs]
        return results_best(runs_map(task_solve, runs, len(runs)))[0]
    started = time.perf_counter()
    reloads = any(vt.reload_depots for vt in task.data.vehicle_types())
    first_rule = task.stop_rule.scaled(0.75) if reloads else task.stop_rule
    # PyVRP warns when a penalty hits its bound; with optional stops and eligibility
    # dimensions of capacity 0 that is expected, and the best solution is still feasible.
    first = run_solve(task.data, first_rule, task.seed)
    best, iterations = first.solution, first.iterations
    if reloads:
        # Without trips to add, the second search simply continues from the best solution.
        extended = trips_added(task.data, best) if best.is_feasible() else None
        start = extended if extended is not None else best
        second = run_solve(task.data, task.stop_rule.scaled(0.25), task.seed + 1, start)
        iterations += second.iterations
        if second.solution.is_feasible() and solution_objective(
            second.solution
        ) < solution_objective(best):
            best = second.solution
    routes: list[TaskRoute] = []
    feasible = best.is_feasible()
    for route in best.routes():
        # Routes are independent, so the feasible routes of an infeasible best solution still
        # form a feasible (partial) plan; the stops of infeasible routes count as unserved.
        if route.is_feasible():
            trips: dict[int, list[int]] = defaultdict(list)
            for activity in route.schedule():
                if activity.is_client():
                    trips[activity.trip].append(activity.idx)
            routes.append(
                TaskRoute(
                    vehicle_type=route.vehicle_type(),
                    start_sec=route.start_time(),
                    trips=tuple(tuple(trips[k]) for k in sorted(trips) if trips[k]),
                )
            )
    return TaskResult(
        key=task.key,
        routes=tuple(routes),
        iterations=iterations,
        seconds=time.perf_counter() - started,
        feasible=feasible,
        cost=solution_objective(best),
        seed=task.seed,
    )


def vehicle_route_build(
    problem: Problem,
    vehicle: Vehicle,
    start_min: float,
    trips: Sequence[Sequence[DeliveryStopSpec]],
) -> VehicleRoute:
    """Times of a delivery route from the exact matrix: load at the depot at the start of every
    trip, wait for windows, return to the end depot."""
    depot = problem.depot_by_id[vehicle.depot]
    end_site = problem.depot_by_id[vehicle.end_depot or vehicle.depot].site
    t = start_min
    where = depot.site
    distance = 0.0
    built: list[Trip] = []
    for number, specs in enumerate(trips):
        if number > 0:
            distance += problem.travel_km(where, depot.site)
            t = max(t + problem.travel_min(where, depot.site), depot.open_min)
            where = depot.site
        load_start = t
        t += depot.load_min
        stops: list[Stop] = []
        for spec in specs:
            if stops and stops[-1].site == spec.site:
                # Parts of one site's demand carried on the same trip: one stop, one service
                # (PyVRP charged the service per part, so the times only get earlier).
                stops[-1] = replace(stops[-1], deliveries=stops[-1].deliveries + spec.lines)
                continue
            distance += problem.travel_km(where, spec.site)
            arrival = t + problem.travel_min(where, spec.site)
            early, _ = site_window(problem, spec.site)
            begin = max(arrival, early)
            t = begin + problem.site(spec.site).service_min
            stops.append(Stop(spec.site, arrival, begin, t, spec.lines))
            where = spec.site
        kg, m3, litres = _load(problem, [line for s in specs for line in s.lines])
        built.append(Trip(depot.id, load_start, tuple(stops), kg, m3, litres))
    distance += problem.travel_km(where, end_site)
    t += problem.travel_min(where, end_site)
    return VehicleRoute(vehicle.id, start_min, t, distance, tuple(built))


def team_round_build(
    problem: Problem, team_id: str, start_min: float, specs: Sequence[VisitStopSpec]
) -> TeamRound:
    team = next(t for t in problem.teams if t.id == team_id)
    visit_by_id = {v.id: v for v in problem.visits}
    t = start_min
    where = team.base
    distance = 0.0
    stops = []
    for spec in specs:
        visit = visit_by_id[spec.visit]
        distance += problem.travel_km(where, visit.site)
        arrival = t + problem.travel_min(where, visit.site)
        early = max(site_window(problem, visit.site)[0], visit.open_min)
        begin = max(arrival, early)
        t = begin + visit.service_min
        stops.append(Stop(visit.site, arrival, begin, t, (), visit.id))
        where = visit.site
    distance += problem.travel_km(where, team.base)
    t += problem.travel_min(where, team.base)
    return TeamRound(team.id, start_min, t, distance, tuple(stops))

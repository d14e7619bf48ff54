"""Allocation with HiGHS: which quantity of which item goes from which lot (depot) to which demand.

A linear programme over variables ``x[demand, lot]`` (units), for candidate depots only:

* each demand's units ≤ its quantity; each lot's units ≤ its stock;
* only usable lots (not expired on the planning day), only depots that hold a vehicle allowed
  to carry the item's class and can reach the site inside its window, the demand's needed-by
  time and the vehicle's shift; at most ``candidate_depots`` nearest such depots per demand;
* fleet capacity per depot (kg, m³, litres; per item class and in total): the capacity of its
  vehicles × an estimated number of trips (2 when reloading is allowed, else 1);
* objective: priority-weighted fulfilment ``Σ w·x/q`` (life-saving 100, urgent 10, routine 1)
  plus ``fairness_weight·Σw·z`` where ``z`` ≤ the weighted fulfilment ratio of every area
  (max-min fairness: no area far below the others). Within a demand, first-expiry-first-out
  and the nearer depot are preferred through a ≤ 2 % discount on later lots/farther depots.

Quantities of indivisible items are rounded down to whole units. Every unit that is not
allocated carries a reason: ``no_stock``, ``no_capacity``, ``unreachable``, ``after_deadline``.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from reliefops.planning.model import PRIORITY_WEIGHT, Demand, Lot, Problem, Vehicle
from reliefops.planning.plan import Unmet, UnmetReason

_EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Allocated:
    demand: str
    lot: str
    depot: str
    quantity: float


@dataclass(frozen=True)
class Allocation:
    allocated: tuple[Allocated, ...]
    unmet: tuple[Unmet, ...]
    lp_status: str


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """HiGHS prints a banner on stdout from C++ when first created; keep stdout clean (JSON)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def highs_new() -> highspy.Highs:
    """A silent HiGHS instance."""
    with _stdout_silenced():
        solver = highspy.Highs()  # type: ignore[no-untyped-call]
    solver.setOptionValue("output_flag", False)
    return solver


def site_window(problem: Problem, site_id: str) -> tuple[float, float]:
    """When service may start at a site: its hours, narrowed by its crossing point's hours
    shifted by the travel time from the crossing to the site."""
    site = problem.site(site_id)
    early, late = site.open_min, site.close_min
    if site.crossing is not None:
        crossing = problem.crossing_by_id[site.crossing]
        lag = problem.travel_min(crossing.site, site_id)
        early, late = max(early, crossing.open_min + lag), min(late, crossing.close_min + lag)
    return early, late


def demand_window(problem: Problem, demand: Demand) -> tuple[float, float]:
    early, late = site_window(problem, demand.site)
    if demand.needed_by_min is not None:
        late = min(late, demand.needed_by_min)
    return early, late


def vehicle_reaches(
    problem: Problem, vehicle: Vehicle, site_id: str, window: tuple[float, float]
) -> bool:
    """Can ``vehicle`` alone serve ``site_id`` inside ``window`` and come back within its shift?"""
    depot = problem.depot_by_id[vehicle.depot]
    end_depot = problem.depot_by_id[vehicle.end_depot or vehicle.depot]
    start = max(vehicle.shift_start_min, depot.open_min)
    arrive = start + depot.load_min + problem.travel_min(depot.site, site_id)
    begin = max(arrive, window[0])
    if begin > window[1] + _EPS:
        return False
    back = begin + problem.site(site_id).service_min + problem.travel_min(site_id, end_depot.site)
    return back - start <= vehicle.shift_min + _EPS


def lot_usable(problem: Problem, lot: Lot) -> bool:
    return lot.quantity > _EPS and (lot.expires_on is None or lot.expires_on >= problem.day)


MAX_TRIPS_ESTIMATE = 8


def trips_estimate(problem: Problem, vehicle: Vehicle) -> float:
    """Trips a vehicle can make in its shift: 1 without reloading; with reloading, the shift over
    one full-load round trip (loading + there and back to the median demand site + a service),
    between 1 and :data:`MAX_TRIPS_ESTIMATE`. An upper estimate: routing is the final judge."""
    if not vehicle.reload or not problem.demands:
        return 1.0
    depot = problem.depot_by_id[vehicle.depot]
    sites = np.array(sorted({problem.site_index[d.site] for d in problem.demands}))
    row = problem.duration_min[problem.site_index[depot.site], sites]
    service = float(np.median([problem.sites[i].service_min for i in sites]))
    round_trip = depot.load_min + 2.0 * float(np.median(row)) + service
    if round_trip <= 0:
        return float(MAX_TRIPS_ESTIMATE)
    return float(min(MAX_TRIPS_ESTIMATE, max(1, int(vehicle.shift_min // round_trip))))


def allocation_solve(problem: Problem, candidate_depots: int = 3) -> Allocation:
    """Allocate stock to demands (see the module docstring); deterministic."""
    lots_by_item: dict[str, list[Lot]] = defaultdict(list)
    for lot in problem.lots:
        if lot_usable(problem, lot):
            lots_by_item[lot.item].append(lot)
    vehicles_by_depot: dict[str, list[Vehicle]] = defaultdict(list)
    for vehicle in problem.vehicles:
        vehicles_by_depot[vehicle.depot].append(vehicle)

    # FEFO rank per lot within its item: 0 for the earliest expiry, 1 for the latest / none.
    fefo: dict[str, float] = {}
    for lots in lots_by_item.values():
        ordered = sorted(lots, key=lambda lot: (lot.expires_on is None, lot.expires_on, lot.id))
        for rank, lot in enumerate(ordered):
            fefo[lot.id] = rank / max(1, len(ordered) - 1)

    reach_cache: dict[tuple[str, str, str, float, float], bool] = {}

    def depot_reaches(
        depot_id: str, item_class: str, site_id: str, window: tuple[float, float]
    ) -> bool:
        key = (depot_id, item_class, site_id, window[0], window[1])
        if key not in reach_cache:
            reach_cache[key] = any(
                item_class in v.item_classes and vehicle_reaches(problem, v, site_id, window)
                for v in vehicles_by_depot.get(depot_id, ())
            )
        return reach_cache[key]

    unmet: list[Unmet] = []
    columns: list[tuple[int, Lot, float]] = []  # (demand index, lot, preference discount)
    candidates_of: dict[int, list[Lot]] = {}
    for k, demand in enumerate(problem.demands):
        item = problem.item_by_id[demand.item]
        lots = lots_by_item.get(demand.item, [])
        if not lots:
            unmet.append(
                Unmet(
                    demand.id,
                    demand.quantity,
                    UnmetReason.NO_STOCK,
                    f"no usable lot of {item.id} (none in stock or all expired)",
                )
            )
            continue
        depots = sorted({lot.depot for lot in lots})
        carriers = [
            d
            for d in depots
            if any(item.item_class in v.item_classes for v in vehicles_by_depot.get(d, ()))
        ]
        if not carriers:
            unmet.append(
                Unmet(
                    demand.id,
                    demand.quantity,
                    UnmetReason.NO_CAPACITY,
                    f"no vehicle at a depot holding {item.id} may carry {item.item_class}",
                )
            )
            continue
        site_only = site_window(problem, demand.site)
        reachable = [
            d for d in carriers if depot_reaches(d, item.item_class, demand.site, site_only)
        ]
        if not reachable:
            unmet.append(
                Unmet(
                    demand.id,
                    demand.quantity,
                    UnmetReason.UNREACHABLE,
                    "no vehicle can reach the site within its hours and shift",
                )
            )
            continue
        window = demand_window(problem, demand)
        in_time = [d for d in reachable if depot_reaches(d, item.item_class, demand.site, window)]
        if not in_time:
            unmet.append(
                Unmet(
                    demand.id,
                    demand.quantity,
                    UnmetReason.AFTER_DEADLINE,
                    f"no vehicle arrives by needed-by minute {demand.needed_by_min:g}",
                )
            )
            continue
        in_time.sort(
            key=lambda d: (problem.travel_min(problem.depot_by_id[d].site, demand.site), d)
        )
        chosen = in_time[:candidate_depots]
        far = max(problem.travel_min(problem.depot_by_id[d].site, demand.site) for d in chosen)
        candidate_lots = [lot for lot in lots if lot.depot in chosen]
        candidates_of[k] = candidate_lots
        for lot in candidate_lots:
            near = problem.travel_min(problem.depot_by_id[lot.depot].site, demand.site)
            discount = 0.01 * fefo[lot.id] + 0.01 * (near / far if far > 0 else 0.0)
            columns.append((k, lot, discount))

    allocated: list[Allocated] = []
    status = "empty"
    if columns:
        x, status = _lp_solve(problem, columns)
        used_by_demand: dict[int, float] = defaultdict(float)
        for (k, lot, _), value in zip(columns, x, strict=True):
            demand = problem.demands[k]
            quantity = float(value)
            if not problem.item_by_id[demand.item].divisible:
                quantity = float(np.floor(quantity + 1e-6))
            if quantity > _EPS:
                allocated.append(Allocated(demand.id, lot.id, lot.depot, quantity))
                used_by_demand[k] += quantity
        used_by_lot: dict[str, float] = defaultdict(float)
        for a in allocated:
            used_by_lot[a.lot] += a.quantity
        for k, lots in candidates_of.items():
            demand = problem.demands[k]
            remaining = demand.quantity - used_by_demand.get(k, 0.0)
            if remaining <= _EPS:
                continue
            left = sum(max(0.0, lot.quantity - used_by_lot[lot.id]) for lot in lots)
            if left + _EPS < remaining:
                unmet.append(
                    Unmet(
                        demand.id,
                        remaining,
                        UnmetReason.NO_STOCK,
                        f"stock of {demand.item} at the reachable depots is used up",
                    )
                )
            else:
                unmet.append(
                    Unmet(
                        demand.id,
                        remaining,
                        UnmetReason.NO_CAPACITY,
                        "fleet capacity of the reachable depots is used up",
                    )
                )
    return Allocation(tuple(allocated), tuple(unmet), status)


def _lp_solve(
    problem: Problem, columns: Sequence[tuple[int, Lot, float]]
) -> tuple[np.ndarray, str]:
    demands = problem.demands
    n = len(columns)
    areas = sorted({problem.site(demands[k].site).area for k, _, _ in columns})
    area_index = {a: i for i, a in enumerate(areas)}
    weight = np.array([PRIORITY_WEIGHT[d.priority] for d in demands])
    total_weight = float(sum(weight[k] for k in {k for k, _, _ in columns}))
    area_weight = np.zeros(len(areas))
    for k in {k for k, _, _ in columns}:
        area_weight[area_index[problem.site(demands[k].site).area]] += weight[k]

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    row_upper: list[float] = []
    row_lower: list[float] = []

    def add_row(entries: Sequence[tuple[int, float]], lower: float, upper: float) -> None:
        r = len(row_upper)
        for c, v in entries:
            rows.append(r)
            cols.append(c)
            vals.append(v)
        row_lower.append(lower)
        row_upper.append(upper)

    by_demand: dict[int, list[int]] = defaultdict(list)
    by_lot: dict[str, list[int]] = defaultdict(list)
    for j, (k, lot, _) in enumerate(columns):
        by_demand[k].append(j)
        by_lot[lot.id].append(j)
    for k, js in by_demand.items():
        add_row([(j, 1.0) for j in js], -np.inf, demands[k].quantity)
    lot_by_id = {lot.id: lot for _, lot, _ in columns}
    for lot_id, js in by_lot.items():
        add_row([(j, 1.0) for j in js], -np.inf, lot_by_id[lot_id].quantity)

    # Fleet capacity per depot: per (class, dimension) and per dimension.
    trips_of = {v.id: trips_estimate(problem, v) for v in problem.vehicles}
    cap_class: dict[tuple[str, str, int], float] = defaultdict(float)
    cap_total: dict[tuple[str, int], float] = defaultdict(float)
    for v in problem.vehicles:
        caps = (v.capacity_kg, v.capacity_m3, v.capacity_l)
        for dim, cap in enumerate(caps):
            cap_total[(v.depot, dim)] += cap * trips_of[v.id]
            for item_class in v.item_classes:
                cap_class[(v.depot, item_class, dim)] += cap * trips_of[v.id]
    use_class: dict[tuple[str, str, int], list[tuple[int, float]]] = defaultdict(list)
    use_total: dict[tuple[str, int], list[tuple[int, float]]] = defaultdict(list)
    for j, (k, lot, _) in enumerate(columns):
        item = problem.item_by_id[demands[k].item]
        for dim, per_unit in enumerate((item.kg, item.m3, item.l)):
            if per_unit > 0:
                use_class[(lot.depot, item.item_class, dim)].append((j, per_unit))
                use_total[(lot.depot, dim)].append((j, per_unit))
    for class_key, entries in use_class.items():
        add_row(entries, -np.inf, cap_class[class_key])
    for total_key, entries in use_total.items():
        add_row(entries, -np.inf, cap_total[total_key])

    # Fairness: z <= weighted fulfilment ratio of every area  ⇔  Σ (w/q/W_a)·x − z ≥ 0.
    z = n
    by_area: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for j, (k, _, _) in enumerate(columns):
        a = area_index[problem.site(demands[k].site).area]
        by_area[a].append((j, weight[k] / demands[k].quantity / area_weight[a]))
    for entries in by_area.values():
        add_row([*entries, (z, -1.0)], 0.0, np.inf)

    cost = np.zeros(n + 1)
    for j, (k, _, discount) in enumerate(columns):
        cost[j] = weight[k] / demands[k].quantity * (1.0 - discount)
    cost[z] = problem.fairness_weight * total_weight
    upper = np.array([min(demands[k].quantity, lot.quantity) for k, lot, _ in columns] + [1.0])
    matrix = sp.csc_matrix((vals, (rows, cols)), shape=(len(row_upper), n + 1))

    lp = highspy.HighsLp()
    lp.num_col_ = n + 1
    lp.num_row_ = len(row_upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n + 1)
    lp.col_upper_ = upper
    lp.row_lower_ = np.array(row_lower)
    lp.row_upper_ = np.array(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    solver = highs_new()
    solver.setOptionValue("threads", 1)
    solver.passModel(lp)
    solver.run()
    status = solver.modelStatusToString(solver.getModelStatus())
    values = np.asarray(solver.getSolution().col_value[:n], dtype=np.float64)
    return np.clip(values, 0.0, None), status

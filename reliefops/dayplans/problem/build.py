"""The planning problem of a day, built from the database (issue 14, "Problem from the database").

What goes in, for ``day`` and an optional admin1 ``area`` (None: everywhere):

* **demands**: the item lines (with a stock item) of dispatchable requests, each with what
  it still awaits: quantity - dispatched - what convoys still being prepared carry for it.
  Priority life-saving / urgent / routine as the request's; needed by the end of the
  working day (18:00) of the request's ``needed_by`` date, in minutes from midnight of
  ``day`` (negative when past). The site is the request's facility, else its place.
* **stock**: per warehouse and lot, the balance less what is reserved, lots expired on
  ``day`` left out; **depots**: the active warehouses (hours: the facility's operating
  hours when understood, else 08:00-18:00), 30 min loading per trip.
* **items**: class = ``Item.category`` (the classes vehicles may carry, as logistics uses
  them), kg and m³ per unit, litres = 1 per unit for litre items; divisible when counted in
  litres or kg.
* **vehicles**: available (not on a mission, not in maintenance), not in an active convoy,
  not a mobile team's own vehicle, based at an active warehouse. Capacities as recorded
  (no m³ recorded: 100 m³, i.e. weight is the limit; litres: the tank for tankers, else the
  kg capacity since 1 l of liquid weighs about 1 kg), item classes the vehicle's own or its
  kind's (``logistics.choices.KIND_ITEM_CLASSES``; none: any). Shift 08:00 + 10 h.
  **Reload** (several trips a day) for vehicles on *short runs*: when the median round trip
  from its depot to the day's demand sites takes at most a third of the shift (three or
  more trips would fit); long-haul vehicles make one trip.
* **teams**: active, not unavailable on ``day``, with a shift that weekday (a team with no
  shifts recorded at all works 08:00-16:00), at a base facility; skills and languages are
  the union of their active members'. With ``area``: the teams whose home or served areas
  include it.
* **visits**: the people due on ``day`` by the coverage rules (``teams`` due list), minus
  those visited on ``day``; required skill from the person's vulnerabilities (surgery:
  doctor; chronic conditions, medication, pregnancy: nurse), language one the person speaks
  (the one most teams speak); priority from how overdue (life-saving when a whole interval
  overdue, urgent when overdue, else routine); 30 min, 08:00-18:00.
* **travel**: the road network's matrix for trucks with today's closures (see
  :mod:`.matrix`); every crossing point is a site with its hours; a demand or visit site gets
  ``Site.crossing`` when a crossing point lies on the fastest road from some depot to it
  (its window then narrows the site's: conservative when other depots do not pass it).

``replan_of`` (a committed run): its convoys that departed keep their vehicles (in an
active convoy) and their goods (dispatched) out of the problem; its convoys still planned or
loading are released: their vehicles, the stock they reserved and the lines they carry count
as free again. What is fixed is in ``index["fixed"]``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor
from reliefops.dayplans.problem.hours import DAY_MIN, WORK_CLOSE_MIN, WORK_OPEN_MIN, hours_window
from reliefops.dayplans.problem.matrix import UNREACHABLE_MIN, site_matrix
from reliefops.dayplans.problem.rounds import teams_add, visits_add
from reliefops.dayplans.problem.store import input_hash
from reliefops.logistics.choices import KIND_ITEM_CLASSES, VehicleKind, VehicleStatus
from reliefops.logistics.selectors import (
    convoy_reserved_lines,
    convoys_by_code,
    planned_on_convoys,
    planning_vehicles,
    vehicles_in_active_convoys,
)
from reliefops.needs.selectors import planning_request_lines
from reliefops.places.choices import FacilityStatus
from reliefops.places.selectors import admin_areas_among, crossing_point_list
from reliefops.planning import (
    Crossing,
    Demand,
    Depot,
    Item,
    Lot,
    Priority,
    Problem,
    ProblemBuilder,
    Site,
    Team,
    Vehicle,
    Visit,
)
from reliefops.stock.choices import ItemCategory, Unit
from reliefops.stock.selectors import planning_balances, planning_warehouses

LOAD_MIN = 30.0
VEHICLE_SHIFT_START_MIN = 8 * 60.0
VEHICLE_SHIFT_MIN = 10 * 60.0
DELIVERY_SERVICE_MIN = 15.0
UNKNOWN_M3 = 100.0
RELOAD_SHARE = 1 / 3
ON_THE_WAY_SLACK = 1.005  # a crossing is "on the way" within 0.5 % (+1 min) of the fastest time
ON_ROAD = ("departed", "at_crossing", "arrived", "completed")
DIVISIBLE_UNITS = {Unit.LITRE, Unit.KG}
ALL_CLASSES = frozenset(str(c) for c in ItemCategory)


@dataclass
class BuiltProblem:
    problem: Problem
    index: dict[str, Any]
    input_hash: str
    notes: list[str] = field(default_factory=list)


@dataclass
class _Site:
    id: str
    place: Any
    lat: float
    lon: float
    window: tuple[float, float]
    service_min: float
    entry: dict[str, Any]
    crossing: str | None = None


class _Build:
    def __init__(self, day: dt.date) -> None:
        self.day = day
        self.sites: dict[str, _Site] = {}
        self.items: dict[str, Item] = {}
        self.item_entries: dict[str, Any] = {}
        self.depots: dict[str, Depot] = {}
        self.lots: list[Lot] = []
        self.demands: list[Demand] = []
        self.vehicles: list[Vehicle] = []
        self.teams: list[Team] = []
        self.visits: list[Visit] = []
        self.crossings: list[Crossing] = []
        self.notes: list[str] = []
        self.index: dict[str, Any] = {
            "sites": {},
            "demands": {},
            "lots": {},
            "depots": {},
            "vehicles": {},
            "teams": {},
            "visits": {},
            "crossings": {},
            "fixed": {},
        }

    # -- sites ---------------------------------------------------------------------------
    def facility_site(self, facility: Any, window: tuple[float, float] | None = None) -> str:
        sid = f"F:{facility.code}"
        if sid not in self.sites:
            self.sites[sid] = _Site(
                sid,
                facility.place,
                float(facility.latitude),
                float(facility.longitude),
                window or hours_window(facility.operating_hours) or (WORK_OPEN_MIN, WORK_CLOSE_MIN),
                DELIVERY_SERVICE_MIN,
                {
                    "name": facility.name,
                    "names": dict(facility.names or {}),
                    "lat": float(facility.latitude),
                    "lon": float(facility.longitude),
                    "place": facility.place.code,
                    "facility": facility.code,
                    "kind": str(facility.kind),
                },
            )
        return sid

    def place_site(self, place: Any) -> str:
        sid = f"P:{place.code}"
        if sid not in self.sites:
            self.sites[sid] = _Site(
                sid,
                place,
                float(place.latitude),
                float(place.longitude),
                (WORK_OPEN_MIN, WORK_CLOSE_MIN),
                DELIVERY_SERVICE_MIN,
                {
                    "name": place.name,
                    "names": dict(place.names or {}),
                    "lat": float(place.latitude),
                    "lon": float(place.longitude),
                    "place": place.code,
                    "facility": None,
                    "kind": "place",
                },
            )
        return sid

    # -- items ---------------------------------------------------------------------------
    def item(self, item: Any) -> str | None:
        """The planning item of a stock item (None, with a note, when it has no size)."""
        if item.code in self.items:
            return item.code
        if item.code in self.item_entries:
            return None
        kg = float(item.weight_kg or 0)
        m3 = float(item.volume_m3 or 0)
        litres = 1.0 if item.unit == Unit.LITRE else 0.0
        if kg + m3 + litres <= 0:
            self.item_entries[item.code] = None
            self.notes.append(
                f"Item {item.code} has no weight or volume per unit: its stock and request "
                "lines are left out."
            )
            return None
        self.items[item.code] = Item(
            item.code, str(item.category), kg, m3, litres, item.unit in DIVISIBLE_UNITS
        )
        self.item_entries[item.code] = item
        return item.code


def _replan_state(replan_of: Any, day: dt.date) -> tuple[list[str], dict[str, Any]]:
    """(convoy codes released, the ``fixed`` index) of a committed run."""
    if replan_of is None:
        return [], {}
    commitment = replan_of.commitment or {}
    released: list[str] = []
    kept: list[dict[str, Any]] = []
    for convoy in convoys_by_code(commitment.get("convoys", [])):
        vehicles = sorted(cv.vehicle.registration for cv in convoy.vehicles.all())
        if convoy.status in ("planned", "loading"):
            released.append(convoy.code)
        elif convoy.status in ON_ROAD:
            kept.append({"convoy": convoy.code, "status": str(convoy.status), "vehicles": vehicles})
    return released, {
        "run": replan_of.reference,
        "convoys": kept,
        "released_convoys": released,
        "rounds": list(commitment.get("rounds", [])),
    }


def _depots(b: _Build, actor: Actor) -> None:
    for wh in planning_warehouses(actor=actor):
        facility = wh.facility
        site = b.facility_site(facility)
        open_min, close_min = b.sites[site].window
        b.depots[wh.code] = Depot(wh.code, site, open_min, close_min, LOAD_MIN)
        b.index["depots"][wh.code] = {
            "warehouse": wh.code,
            "site": site,
            "organisation": wh.organisation.acronym if wh.organisation else None,
        }


def _lots(b: _Build, actor: Actor, released: list[str]) -> None:
    back: dict[tuple[str, str], Decimal] = {}
    for wh, lot_pk, _item, qty in convoy_reserved_lines(released):
        if lot_pk is not None:
            back[(wh, str(lot_pk))] = back.get((wh, str(lot_pk)), Decimal("0")) + qty
    for bal in planning_balances(actor=actor, day=b.day):
        wh = bal.warehouse.code
        if wh not in b.depots:
            continue
        free = bal.free  # type: ignore[attr-defined]  # quantity - reserved (annotated)
        free += back.get((wh, str(bal.lot_id)), Decimal("0"))
        if free <= 0:
            continue
        item = b.item(bal.item)
        if item is None:
            continue
        lot_id = f"{wh}/{bal.lot_id}"
        b.lots.append(Lot(lot_id, wh, item, float(free), bal.lot.expiry_date))
        b.index["lots"][lot_id] = {
            "warehouse": wh,
            "lot": str(bal.lot_id),
            "lot_code": bal.lot.code,
            "item": item,
            "expires_on": bal.lot.expiry_date.isoformat() if bal.lot.expiry_date else None,
        }


def _demands(b: _Build, actor: Actor, area: Any, released: list[str]) -> None:
    carried = planned_on_convoys(except_convoys=released)
    for line in planning_request_lines(actor=actor, area=area):
        request = line.request
        awaited = line.quantity - line.quantity_dispatched - carried.get(line.pk, Decimal("0"))
        if awaited <= 0:
            continue
        item = b.item(line.item)
        if item is None:
            continue
        if request.facility is not None:
            site = b.facility_site(request.facility)
        elif request.place is not None:
            site = b.place_site(request.place)
        else:
            b.notes.append(f"Request {request.reference} names no facility or place: left out.")
            continue
        needed_by = (request.needed_by - b.day).days * DAY_MIN + WORK_CLOSE_MIN
        did = str(line.pk)
        b.demands.append(
            Demand(did, site, item, float(awaited), Priority(request.priority), needed_by)
        )
        b.index["demands"][did] = {
            "request": request.reference,
            "request_line": did,
            "item": item,
            "item_name": b.item_entries[item].name,
            "item_names": dict(b.item_entries[item].names or {}),
            "unit": line.unit,
            "quantity": float(awaited),
            "priority": str(request.priority),
            "site": site,
        }


def _vehicles(b: _Build, actor: Actor, released: list[str], team_vehicles: set[Any]) -> None:
    busy = vehicles_in_active_convoys(except_convoys=released)
    for v in planning_vehicles(actor=actor):
        if v.status != VehicleStatus.AVAILABLE or v.registration in busy:
            continue
        if v.pk in team_vehicles:
            continue  # a mobile team's own vehicle: it drives the team's round
        base = v.base
        if base is None or base.code not in b.depots:
            b.notes.append(
                f"Vehicle {v.registration} is not based at an active warehouse: left out."
            )
            continue
        classes = frozenset(v.item_classes or KIND_ITEM_CLASSES.get(v.kind, ())) or ALL_CLASSES
        kg = float(v.capacity_kg)
        litres = float(v.capacity_litres or 0) if v.kind == VehicleKind.FUEL_TANKER else float(kg)
        b.vehicles.append(
            Vehicle(
                v.registration,
                base.code,
                kg,
                float(v.capacity_m3) if v.capacity_m3 else UNKNOWN_M3,
                litres,
                classes,
                shift_start_min=VEHICLE_SHIFT_START_MIN,
                shift_min=VEHICLE_SHIFT_MIN,
            )
        )
        b.index["vehicles"][v.registration] = {
            "vehicle": v.registration,
            "kind": str(v.kind),
            "organisation": v.organisation.acronym,
            "depot": base.code,
        }


def _crossings(b: _Build, actor: Actor) -> None:
    for cp in crossing_point_list(actor=actor).order_by("code"):
        window = hours_window(cp.operating_hours) or (WORK_OPEN_MIN, WORK_CLOSE_MIN)
        site = b.facility_site(cp, window)
        b.crossings.append(Crossing(cp.code, site, window[0], window[1]))
        b.index["crossings"][cp.code] = {
            "facility": cp.code,
            "name": cp.name,
            "status": str(cp.status),
            "site": site,
        }


def _assign_crossings(b: _Build, duration: np.ndarray, order: list[str]) -> None:
    """``Site.crossing`` of demand and visit sites: an operating crossing point on the
    fastest road from the nearest origin (demands: the nearest depot with vehicles, else
    any depot; visits: the nearest team base)."""
    open_ = {
        c.id: c
        for c in b.crossings
        if b.index["crossings"][c.id]["status"] == FacilityStatus.OPERATING
    }
    if not open_:
        return
    pos = {sid: i for i, sid in enumerate(order)}
    fleet = {v.depot for v in b.vehicles}
    depot_sites = sorted({d.site for d in b.depots.values() if d.id in fleet}) or sorted(
        {d.site for d in b.depots.values()}
    )
    groups = [
        (depot_sites, sorted({d.site for d in b.demands})),
        (sorted({t.base for t in b.teams}), sorted({v.site for v in b.visits})),
    ]
    crossing_sites = {c.site for c in open_.values()}
    for origins, targets in groups:
        targets = [t for t in targets if t not in crossing_sites and b.sites[t].crossing is None]
        if not origins or not targets:
            continue
        o_idx = np.asarray([pos[o] for o in origins])
        t_idx = np.asarray([pos[t] for t in targets])
        direct = duration[np.ix_(o_idx, t_idx)]
        nearest = o_idx[np.argmin(direct, axis=0)]  # per target, its nearest origin
        fastest = duration[nearest, t_idx]
        for cid in sorted(open_, key=lambda c: (open_[c].close_min - open_[c].open_min, c)):
            ci = pos[open_[cid].site]
            via = duration[nearest, ci] + duration[ci, t_idx]
            on_way = (
                (via <= fastest * ON_THE_WAY_SLACK + 1.0)
                & (fastest < UNREACHABLE_MIN)
                & (duration[nearest, ci] > 0)
            )
            for k in np.flatnonzero(on_way):
                site = b.sites[targets[int(k)]]
                if site.crossing is None:
                    site.crossing = cid


def _reloads(b: _Build, duration: np.ndarray, order: list[str]) -> list[Vehicle]:
    """The vehicles with ``reload`` set for short runs (see the module docstring)."""
    pos = {sid: i for i, sid in enumerate(order)}
    demand_idx = np.asarray(sorted({pos[d.site] for d in b.demands}), dtype=np.int64)
    median: dict[str, float | None] = {}
    for depot in b.depots.values():
        d = pos[depot.site]
        trips = duration[d, demand_idx].astype(float) + duration[demand_idx, d].astype(float)
        trips = trips[trips < UNREACHABLE_MIN]
        median[depot.id] = float(np.median(trips)) if len(trips) else None
    out = []
    for v in b.vehicles:
        m = median[v.depot]
        out.append(dataclasses.replace(v, reload=m is not None and m <= v.shift_min * RELOAD_SHARE))
    return out


def problem_build(
    *, actor: Actor, day: dt.date, area: Any = None, replan_of: Any = None
) -> BuiltProblem:
    """The problem of ``day`` (optionally one admin1 ``area``; a re-plan of a committed run)."""
    b = _Build(day)
    released, fixed = _replan_state(replan_of, day)
    _depots(b, actor)
    _lots(b, actor, released)
    _demands(b, actor, area, released)
    team_vehicles, speakers = teams_add(b, actor, area)
    _vehicles(b, actor, released, team_vehicles)
    made = visits_add(b, actor, area, speakers)
    if replan_of is not None:
        fixed["visits_made"] = made
    b.index["fixed"] = fixed
    _crossings(b, actor)
    if not b.sites:
        raise InvalidInput(_("Nothing to plan on this day: no warehouse, request or visit."))
    order = list(b.sites)
    distance, duration, off = site_matrix([b.sites[s].place.code for s in order])
    for code in off:
        b.notes.append(
            f"Place {code} is not on the road network: its travel times are straight-line "
            "estimates."
        )
    _assign_crossings(b, duration, order)
    vehicles = _reloads(b, duration, order)
    builder = ProblemBuilder(day)
    # one query for the sites' admin1 codes (not one per site: 2,600 on a national day)
    admin1_code = {
        a.pk: a.code for a in admin_areas_among({b.sites[s].place.admin1_id for s in order})
    }
    for sid in order:
        s = b.sites[sid]
        area_code = admin1_code.get(s.place.admin1_id, "")
        builder.add_site(
            Site(sid, s.lat, s.lon, area_code, s.window[0], s.window[1], s.service_min, s.crossing)
        )
        b.index["sites"][sid] = s.entry
    for c in b.crossings:
        builder.add_crossing(c)
    for item in sorted(b.items.values(), key=lambda i: i.id):
        builder.add_item(item)
    for depot in b.depots.values():
        builder.add_depot(depot)
    for lot in b.lots:
        builder.add_lot(lot)
    for demand in b.demands:
        builder.add_demand(demand)
    for vehicle in vehicles:
        builder.add_vehicle(vehicle)
    for team in b.teams:
        builder.add_team(team)
    for visit in b.visits:
        builder.add_visit(visit)
    builder.set_matrix(distance, duration)
    problem = builder.build()
    return BuiltProblem(problem, b.index, input_hash(problem), b.notes)


def input_hash_current(
    *, actor: Actor, day: dt.date, area: Any = None, replan_of: Any = None
) -> str:
    """The hash of the problem the database gives now (the stale check at commit)."""
    return problem_build(actor=actor, day=day, area=area, replan_of=replan_of).input_hash

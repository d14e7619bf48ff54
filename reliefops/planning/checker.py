"""``check(problem, plan)``: an independent feasibility check of a plan.

Recomputes everything from the problem and the plan's sequences alone — it imports nothing
from the allocation or routing code — and lists every violation with its place:

* vehicles: known, used once, item classes allowed, load per trip (kg, m³, litres) within
  capacity, more than one trip only when reloading is allowed, shift length and shift start;
* times: from the route's start, loading at the depot at the start of every trip, travel from
  the matrix, waiting for a window, service; a stop must start inside the site's hours, its
  crossing point's hours (shifted by the travel time from the crossing) and every delivered
  demand's needed-by time; the times written in the plan must match the recomputed ones;
* stock: every lot exists, holds the item, sits at the vehicle's depot, is not expired, and is
  not drawn beyond its quantity over the whole plan (a lot used twice is caught here);
* demands: delivered at their own site, never more than requested, and delivered + unmet
  accounts for the whole quantity;
* teams: known, used once, every visit made at most once, at its site, inside its window, by a
  team with the skill and language it needs, within the team's shift; every due visit is
  either made or listed as unvisited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from reliefops.planning.model import Problem
from reliefops.planning.plan import Plan, Stop

TOLERANCE_MIN = 1e-3
TOLERANCE_QTY = 1e-6


@dataclass(frozen=True, slots=True)
class Violation:
    """``where``: e.g. ``vehicle V3, trip 2, stop 4 (site S17)``; ``kind``: a short code."""

    where: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.detail}"


def _window(problem: Problem, site_id: str) -> tuple[float, float]:
    site = problem.site(site_id)
    early, late = site.open_min, site.close_min
    if site.crossing is not None:
        crossing = problem.crossing_by_id[site.crossing]
        shift = float(
            problem.duration_min[problem.site_index[crossing.site], problem.site_index[site_id]]
        )
        early = max(early, crossing.open_min + shift)
        late = min(late, crossing.close_min + shift)
    return early, late


def _times(
    out: list[Violation], where: str, stop: Stop, arrival: float, begin: float, leave: float
) -> None:
    for name, reported, computed in (
        ("arrival_min", stop.arrival_min, arrival),
        ("start_min", stop.start_min, begin),
        ("departure_min", stop.departure_min, leave),
    ):
        if abs(reported - computed) > TOLERANCE_MIN:
            out.append(
                Violation(
                    where, "time_mismatch", f"{name} {reported:.2f} but recomputed {computed:.2f}"
                )
            )


def check(problem: Problem, plan: Plan) -> list[Violation]:
    """Every violation of ``plan`` against ``problem``; an empty list means feasible."""
    out: list[Violation] = []
    idx = problem.site_index
    minutes = problem.duration_min
    km = problem.distance_km
    items = problem.item_by_id
    depots = problem.depot_by_id
    vehicles = {v.id: v for v in problem.vehicles}
    lots = {lot.id: lot for lot in problem.lots}
    demands = {d.id: d for d in problem.demands}
    lot_drawn: dict[str, float] = defaultdict(float)
    delivered: dict[str, float] = defaultdict(float)
    seen_vehicles: set[str] = set()

    for route in plan.routes:
        vehicle = vehicles.get(route.vehicle)
        here = f"vehicle {route.vehicle}"
        if vehicle is None:
            out.append(Violation(here, "unknown_vehicle", "not in the problem"))
            continue
        if route.vehicle in seen_vehicles:
            out.append(Violation(here, "vehicle_used_twice", "more than one route"))
        seen_vehicles.add(route.vehicle)
        depot = depots[vehicle.depot]
        end_site = depots[vehicle.end_depot or vehicle.depot].site
        if len(route.trips) > 1 and not vehicle.reload:
            out.append(Violation(here, "reload_not_allowed", f"{len(route.trips)} trips"))
        if route.start_min < vehicle.shift_start_min - TOLERANCE_MIN:
            out.append(
                Violation(
                    here,
                    "starts_before_shift",
                    f"starts {route.start_min:.1f} < shift start {vehicle.shift_start_min:.1f}",
                )
            )
        clock = route.start_min
        at = idx[depot.site]
        distance = 0.0
        for t, trip in enumerate(route.trips, start=1):
            trip_here = f"{here}, trip {t}"
            if trip.depot != vehicle.depot:
                out.append(
                    Violation(
                        trip_here, "wrong_depot", f"loads at {trip.depot}, based at {vehicle.depot}"
                    )
                )
            if t > 1:
                distance += float(km[at, idx[depot.site]])
                clock += float(minutes[at, idx[depot.site]])
                at = idx[depot.site]
            clock = max(clock, depot.open_min)
            if clock > depot.close_min + TOLERANCE_MIN:
                out.append(
                    Violation(
                        trip_here,
                        "depot_closed",
                        f"loading at {clock:.1f} after {depot.close_min:.1f}",
                    )
                )
            if abs(trip.load_start_min - clock) > TOLERANCE_MIN:
                out.append(
                    Violation(
                        trip_here,
                        "time_mismatch",
                        f"load_start_min {trip.load_start_min:.2f} but recomputed {clock:.2f}",
                    )
                )
            clock += depot.load_min
            kg = m3 = litres = 0.0
            for s, stop in enumerate(trip.stops, start=1):
                stop_here = f"{trip_here}, stop {s} (site {stop.site})"
                if stop.site not in idx:
                    out.append(Violation(stop_here, "unknown_site", stop.site))
                    continue
                site = problem.site(stop.site)
                distance += float(km[at, idx[stop.site]])
                arrival = clock + float(minutes[at, idx[stop.site]])
                early, late = _window(problem, stop.site)
                for line in stop.deliveries:
                    demand = demands.get(line.demand)
                    if demand is not None and demand.needed_by_min is not None:
                        late = min(late, demand.needed_by_min)
                begin = max(arrival, early)
                if begin > late + TOLERANCE_MIN:
                    out.append(
                        Violation(
                            stop_here,
                            "missed_window",
                            f"service starts {begin:.1f} > latest {late:.1f}",
                        )
                    )
                clock = begin + site.service_min
                _times(out, stop_here, stop, arrival, begin, clock)
                at = idx[stop.site]
                for line in stop.deliveries:
                    line_here = f"{stop_here}, demand {line.demand}"
                    demand = demands.get(line.demand)
                    lot = lots.get(line.lot)
                    item = items.get(line.item)
                    if demand is None or lot is None or item is None:
                        out.append(
                            Violation(
                                line_here,
                                "unknown_reference",
                                f"demand/lot/item {line.demand}/{line.lot}/{line.item}",
                            )
                        )
                        continue
                    if line.quantity <= 0:
                        out.append(
                            Violation(line_here, "non_positive_quantity", f"{line.quantity:g}")
                        )
                    if demand.site != stop.site:
                        out.append(
                            Violation(line_here, "wrong_site", f"demand is at {demand.site}")
                        )
                    if demand.item != line.item or lot.item != line.item:
                        out.append(
                            Violation(
                                line_here,
                                "wrong_item",
                                f"demand {demand.item}, lot {lot.item}, line {line.item}",
                            )
                        )
                    if lot.depot != vehicle.depot:
                        out.append(
                            Violation(line_here, "lot_elsewhere", f"lot {lot.id} is at {lot.depot}")
                        )
                    if lot.expires_on is not None and lot.expires_on < problem.day:
                        out.append(
                            Violation(
                                line_here, "lot_expired", f"lot {lot.id} expired {lot.expires_on}"
                            )
                        )
                    if item.item_class not in vehicle.item_classes:
                        out.append(
                            Violation(
                                line_here,
                                "class_not_allowed",
                                f"{item.item_class} in a vehicle for {sorted(vehicle.item_classes)}",
                            )
                        )
                    if (
                        not item.divisible
                        and abs(line.quantity - round(line.quantity)) > TOLERANCE_QTY
                    ):
                        out.append(
                            Violation(
                                line_here, "fractional_units", f"{line.quantity:g} of {item.id}"
                            )
                        )
                    lot_drawn[lot.id] += line.quantity
                    delivered[demand.id] += line.quantity
                    kg += item.kg * line.quantity
                    m3 += item.m3 * line.quantity
                    litres += item.l * line.quantity
            for name, load, cap in (
                ("kg", kg, vehicle.capacity_kg),
                ("m3", m3, vehicle.capacity_m3),
                ("l", litres, vehicle.capacity_l),
            ):
                if load > cap * (1 + 1e-9) + TOLERANCE_QTY:
                    out.append(
                        Violation(trip_here, "overloaded", f"{load:.3f} {name} > capacity {cap:g}")
                    )
        distance += float(km[at, idx[end_site]])
        clock += float(minutes[at, idx[end_site]])
        if clock - route.start_min > vehicle.shift_min + TOLERANCE_MIN:
            out.append(
                Violation(
                    here,
                    "shift_too_long",
                    f"{clock - route.start_min:.1f} min > shift {vehicle.shift_min:g}",
                )
            )
        if clock > vehicle.shift_start_min + vehicle.shift_min + TOLERANCE_MIN:
            out.append(Violation(here, "shift_ends_late", f"back at {clock:.1f}"))
        if abs(route.end_min - clock) > TOLERANCE_MIN:
            out.append(
                Violation(
                    here, "time_mismatch", f"end_min {route.end_min:.2f} but recomputed {clock:.2f}"
                )
            )
        if abs(route.distance_km - distance) > 1e-3 * max(1.0, distance):
            out.append(
                Violation(
                    here,
                    "distance_mismatch",
                    f"{route.distance_km:.3f} km but recomputed {distance:.3f}",
                )
            )

    for lot_id, drawn in sorted(lot_drawn.items()):
        if drawn > lots[lot_id].quantity + TOLERANCE_QTY:
            out.append(
                Violation(
                    f"lot {lot_id}",
                    "lot_overdrawn",
                    f"{drawn:g} drawn > {lots[lot_id].quantity:g} in stock",
                )
            )
    unmet: dict[str, float] = defaultdict(float)
    for u in plan.unmet:
        if u.demand not in demands:
            out.append(Violation(f"unmet {u.demand}", "unknown_demand", "not in the problem"))
            continue
        unmet[u.demand] += u.quantity
    for demand in problem.demands:
        got = delivered.get(demand.id, 0.0)
        if got > demand.quantity + TOLERANCE_QTY:
            out.append(
                Violation(f"demand {demand.id}", "over_delivered", f"{got:g} > {demand.quantity:g}")
            )
        if abs(got + unmet.get(demand.id, 0.0) - demand.quantity) > 1e-4 * max(
            1.0, demand.quantity
        ):
            out.append(
                Violation(
                    f"demand {demand.id}",
                    "unaccounted",
                    f"delivered {got:g} + unmet {unmet.get(demand.id, 0.0):g} != {demand.quantity:g}",
                )
            )

    teams = {t.id: t for t in problem.teams}
    visits = {v.id: v for v in problem.visits}
    made: dict[str, str] = {}
    seen_teams: set[str] = set()
    for team_round in plan.rounds:
        here = f"team {team_round.team}"
        team = teams.get(team_round.team)
        if team is None:
            out.append(Violation(here, "unknown_team", "not in the problem"))
            continue
        if team.id in seen_teams:
            out.append(Violation(here, "team_used_twice", "more than one round"))
        seen_teams.add(team.id)
        if team_round.start_min < team.shift_start_min - TOLERANCE_MIN:
            out.append(Violation(here, "starts_before_shift", f"{team_round.start_min:.1f}"))
        clock = team_round.start_min
        at = idx[team.base]
        distance = 0.0
        for s, stop in enumerate(team_round.stops, start=1):
            stop_here = f"{here}, stop {s} (visit {stop.visit})"
            visit = visits.get(stop.visit or "")
            if visit is None:
                out.append(Violation(stop_here, "unknown_visit", "not in the problem"))
                continue
            if visit.id in made:
                out.append(Violation(stop_here, "visited_twice", f"also by team {made[visit.id]}"))
            made[visit.id] = team.id
            if stop.site != visit.site:
                out.append(Violation(stop_here, "wrong_site", f"visit is at {visit.site}"))
            if visit.skill is not None and visit.skill not in team.skills:
                out.append(Violation(stop_here, "missing_skill", f"needs {visit.skill}"))
            if visit.language is not None and visit.language not in team.languages:
                out.append(Violation(stop_here, "missing_language", f"needs {visit.language}"))
            distance += float(km[at, idx[visit.site]])
            arrival = clock + float(minutes[at, idx[visit.site]])
            early, late = _window(problem, visit.site)
            early, late = max(early, visit.open_min), min(late, visit.close_min)
            begin = max(arrival, early)
            if begin > late + TOLERANCE_MIN:
                out.append(
                    Violation(stop_here, "missed_window", f"starts {begin:.1f} > latest {late:.1f}")
                )
            clock = begin + visit.service_min
            _times(out, stop_here, stop, arrival, begin, clock)
            at = idx[visit.site]
        distance += float(km[at, idx[team.base]])
        clock += float(minutes[at, idx[team.base]])
        if clock - team_round.start_min > team.shift_min + TOLERANCE_MIN:
            out.append(
                Violation(
                    here,
                    "shift_too_long",
                    f"{clock - team_round.start_min:.1f} min > shift {team.shift_min:g}",
                )
            )
        if abs(team_round.end_min - clock) > TOLERANCE_MIN:
            out.append(
                Violation(
                    here,
                    "time_mismatch",
                    f"end_min {team_round.end_min:.2f} but recomputed {clock:.2f}",
                )
            )
        if abs(team_round.distance_km - distance) > 1e-3 * max(1.0, distance):
            out.append(
                Violation(
                    here,
                    "distance_mismatch",
                    f"{team_round.distance_km:.3f} km but recomputed {distance:.3f}",
                )
            )
    listed = {u.visit for u in plan.unvisited}
    for visit_id in visits:
        if visit_id in made and visit_id in listed:
            out.append(Violation(f"visit {visit_id}", "made_and_unvisited", "listed as both"))
        if visit_id not in made and visit_id not in listed:
            out.append(
                Violation(f"visit {visit_id}", "unaccounted", "neither made nor listed unvisited")
            )
    return out

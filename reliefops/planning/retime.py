"""Re-timing of routes and rounds with the checker's arithmetic (used by ``planning.edit``).

A trip starts loading at its depot once the depot is open and leaves ``load_min`` later;
arrival = departure + travel from the matrix; service starts at ``max(arrival, window open)``
(the site's hours narrowed by its crossing point's, and a visit's own window); the route ends
back at the vehicle's end depot, a round at the team's base. Loads per trip (kg, m³, litres)
and distances are recomputed, and a plan's figures with :func:`plan_stats`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reliefops.planning.allocation import site_window
from reliefops.planning.errors import EditError
from reliefops.planning.model import Problem, Team, Vehicle
from reliefops.planning.plan import Plan, Stop, TeamRound, Trip, Unmet, Unvisited, VehicleRoute
from reliefops.planning.solver import plan_stats

_RECOMPUTED = ("unmet_units", "life_saving_unmet_units")
"""Prefixes of figures that :func:`plan_stats` writes only when non-zero (dropped first)."""


def vehicle_of(problem: Problem, vehicle_id: str, field: str) -> Vehicle:
    for vehicle in problem.vehicles:
        if vehicle.id == vehicle_id:
            return vehicle
    raise EditError(field, f"no vehicle {vehicle_id} in the problem")


def team_of(problem: Problem, team_id: str, field: str) -> Team:
    for team in problem.teams:
        if team.id == team_id:
            return team
    raise EditError(field, f"no team {team_id} in the problem")


def route_retime(
    problem: Problem, vehicle_id: str, start_min: float, trips: Sequence[Sequence[Stop]]
) -> VehicleRoute:
    """The route of ``vehicle_id`` leaving at ``start_min`` with ``trips`` (its stops in
    order), every time, load and distance recomputed as the checker does; every trip loads
    at the vehicle's own depot."""
    vehicle = vehicle_of(problem, vehicle_id, "vehicle")
    depot = problem.depot_by_id[vehicle.depot]
    end_site = problem.depot_by_id[vehicle.end_depot or vehicle.depot].site
    clock = start_min
    where = depot.site
    distance = 0.0
    built: list[Trip] = []
    for number, stops in enumerate(trips):
        if number > 0:
            distance += problem.travel_km(where, depot.site)
            clock += problem.travel_min(where, depot.site)
            where = depot.site
        clock = max(clock, depot.open_min)
        load_start = clock
        clock += depot.load_min
        timed: list[Stop] = []
        kg = m3 = litres = 0.0
        for stop in stops:
            if stop.site not in problem.site_index:
                raise EditError("plan", f"site {stop.site} is not in the problem")
            distance += problem.travel_km(where, stop.site)
            arrival = clock + problem.travel_min(where, stop.site)
            begin = max(arrival, site_window(problem, stop.site)[0])
            clock = begin + problem.site(stop.site).service_min
            timed.append(replace(stop, arrival_min=arrival, start_min=begin, departure_min=clock))
            where = stop.site
            for line in stop.deliveries:
                item = problem.item_by_id.get(line.item)
                if item is None:
                    raise EditError("plan", f"item {line.item} is not in the problem")
                kg += item.kg * line.quantity
                m3 += item.m3 * line.quantity
                litres += item.l * line.quantity
        built.append(Trip(vehicle.depot, load_start, tuple(timed), kg, m3, litres))
    distance += problem.travel_km(where, end_site)
    clock += problem.travel_min(where, end_site)
    return VehicleRoute(vehicle.id, start_min, clock, distance, tuple(built))


def round_retime(
    problem: Problem, team_id: str, start_min: float, stops: Sequence[Stop]
) -> TeamRound:
    """The round of ``team_id`` leaving its base at ``start_min`` with the visits of
    ``stops`` in order, every time and the distance recomputed as the checker does."""
    team = team_of(problem, team_id, "team")
    visits = {v.id: v for v in problem.visits}
    clock = start_min
    where = team.base
    distance = 0.0
    timed: list[Stop] = []
    for stop in stops:
        visit = visits.get(stop.visit or "")
        if visit is None:
            raise EditError("plan", f"visit {stop.visit} is not in the problem")
        distance += problem.travel_km(where, visit.site)
        arrival = clock + problem.travel_min(where, visit.site)
        begin = max(arrival, site_window(problem, visit.site)[0], visit.open_min)
        clock = begin + visit.service_min
        timed.append(
            replace(
                stop, site=visit.site, arrival_min=arrival, start_min=begin, departure_min=clock
            )
        )
        where = visit.site
    distance += problem.travel_km(where, team.base)
    clock += problem.travel_min(where, team.base)
    return TeamRound(team.id, start_min, clock, distance, tuple(timed))


def plan_rebuilt(
    problem: Problem,
    plan: Plan,
    routes: Sequence[VehicleRoute],
    rounds: Sequence[TeamRound],
    unmet: Sequence[Unmet],
    unvisited: Sequence[Unvisited],
) -> Plan:
    """A plan of these routes, rounds, unmet and unvisited (empty routes and rounds left
    out, sorted like the solver's), with ``plan``'s other figures and the day's recomputed."""
    kept_routes = tuple(sorted((r for r in routes if r.trips), key=lambda r: r.vehicle))
    kept_rounds = tuple(sorted((r for r in rounds if r.stops), key=lambda r: r.team))
    stats = {k: v for k, v in plan.stats.items() if not k.startswith(_RECOMPUTED)}
    stats.update(plan_stats(problem, kept_routes, kept_rounds, unmet))
    return Plan(kept_routes, kept_rounds, tuple(unmet), tuple(unvisited), stats)


def plan_retime(problem: Problem, plan: Plan) -> Plan:
    """``plan`` with every route and round re-timed and its figures recomputed."""
    routes = [
        route_retime(problem, r.vehicle, r.start_min, [t.stops for t in r.trips])
        for r in plan.routes
    ]
    rounds = [round_retime(problem, r.team, r.start_min, r.stops) for r in plan.rounds]
    return plan_rebuilt(problem, plan, routes, rounds, plan.unmet, plan.unvisited)

"""Pins across a re-plan: the stops a coordinator pinned stay with their vehicle or team.

A re-plan solves the rest of the day again; :func:`pins_keep` then puts every stop the earlier
plan had pinned (:func:`~reliefops.planning.edit.pinned_stops`) back on its vehicle or team, as
near its old position as the new route allows, and pins it again. Ids are stable across runs of
a day (vehicle registration, team code, request line, person reference), so a pin is found again
by its vehicle, site and demands (or its visit). What cannot be kept is returned with the reason
(the vehicle is no longer in the problem, the demand is no longer delivered …). The result is
re-timed like any edit; check it with :func:`~reliefops.planning.check`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reliefops.planning.edit import stop_move, stop_pin
from reliefops.planning.model import Problem
from reliefops.planning.plan import Plan


def _delivery_candidate(plan: Plan, pin: Mapping[str, Any]) -> tuple[str, int, int] | None:
    """The first unpinned stop at the pin's site delivering one of its demands."""
    demands = set(pin.get("demands") or ())
    for route in plan.routes:
        for t, trip in enumerate(route.trips, start=1):
            for p, stop in enumerate(trip.stops, start=1):
                if stop.pinned or stop.site != pin.get("site"):
                    continue
                if demands & {line.demand for line in stop.deliveries}:
                    return route.vehicle, t, p
    return None


def _keep_delivery(problem: Problem, plan: Plan, pin: Mapping[str, Any]) -> tuple[Plan, str]:
    vehicle = str(pin.get("vehicle"))
    if vehicle not in {v.id for v in problem.vehicles}:
        return plan, "the vehicle is not available in the re-plan"
    found = False
    while (at := _delivery_candidate(plan, pin)) is not None:
        found = True
        source, trip, position = at
        if source == vehicle:
            plan = stop_pin(plan, vehicle=vehicle, trip=trip, position=position)
            continue
        route = next((r for r in plan.routes if r.vehicle == vehicle), None)
        trips = len(route.trips) if route is not None else 0
        to_trip = min(int(pin.get("trip", 1)), trips) if trips else 1
        length = len(route.trips[to_trip - 1].stops) if route is not None and trips else 0
        to_position = min(int(pin.get("position", 1)), length + 1)
        plan = stop_move(
            problem,
            plan,
            vehicle=source,
            trip=trip,
            position=position,
            to_vehicle=vehicle,
            to_trip=to_trip,
            to_position=to_position,
        )
        plan = stop_pin(plan, vehicle=vehicle, trip=to_trip, position=to_position)
    if not found and not _already_pinned(plan, pin):
        return plan, "its deliveries are not in the re-plan"
    return plan, ""


def _already_pinned(plan: Plan, pin: Mapping[str, Any]) -> bool:
    demands = set(pin.get("demands") or ())
    return any(
        stop.pinned
        and stop.site == pin.get("site")
        and demands & {line.demand for line in stop.deliveries}
        for route in plan.routes
        if route.vehicle == pin.get("vehicle")
        for stop in route.stops
    )


def _keep_visit(problem: Problem, plan: Plan, pin: Mapping[str, Any]) -> tuple[Plan, str]:
    team = str(pin.get("team"))
    if team not in {t.id for t in problem.teams}:
        return plan, "the team is not available in the re-plan"
    for team_round in plan.rounds:
        for p, stop in enumerate(team_round.stops, start=1):
            if stop.visit != pin.get("visit"):
                continue
            if team_round.team == team:
                return stop_pin(plan, team=team, position=p), ""
            target = next((r for r in plan.rounds if r.team == team), None)
            length = len(target.stops) if target is not None else 0
            to_position = min(int(pin.get("position", 1)), length + 1)
            plan = stop_move(
                problem,
                plan,
                team=team_round.team,
                position=p,
                to_team=team,
                to_position=to_position,
            )
            return stop_pin(plan, team=team, position=to_position), ""
    return plan, "the visit is not in the re-plan"


def pins_keep(
    problem: Problem, plan: Plan, pins: Sequence[Mapping[str, Any]]
) -> tuple[Plan, list[dict[str, Any]]]:
    """``plan`` with every pin of ``pins`` (as :func:`pinned_stops` lists them) kept, and
    the pins that could not be kept, each with a ``reason``."""
    lost: list[dict[str, Any]] = []
    for pin in pins:
        if pin.get("vehicle"):
            plan, why = _keep_delivery(problem, plan, pin)
        else:
            plan, why = _keep_visit(problem, plan, pin)
        if why:
            lost.append({**pin, "reason": why})
    return plan, lost

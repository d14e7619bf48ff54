"""Edits of a draft plan by a coordinator: move, drop or pin a stop, swap a vehicle or a team.

Every function returns a NEW :class:`Plan`. The routes and rounds an edit touches are re-timed
from the problem with the checker's arithmetic (a trip starts loading at its depot once the
depot is open, ``load_min`` later it leaves; arrival = departure + travel from the matrix;
service starts at ``max(arrival, window open)``; the route ends back at the end depot), their
loads per trip and distances are recomputed, and so are the day's figures
(:func:`~reliefops.planning.solver.plan_stats`). Routes and rounds the edit does not touch are
kept as they are.

An edit is applied even when the result breaks a rule (an overloaded trip, an item class the
vehicle may not carry, a missed window, a lot at another depot): run
:func:`~reliefops.planning.check` on the result and show the violations. An edit that cannot be
applied at all (no such stop, an unknown vehicle, a pinned stop) raises :class:`EditError`
naming the edit's field.

Addresses count from 1, as the checker's messages do: ``vehicle V3, trip 2, position 4``; a
team round has no trips (``team T1, position 2``). ``to_position`` is the stop's position in
its destination trip once it has left its old place; ``to_trip`` may be one past the last
trip (a new trip; without ``reload`` the checker reports ``reload_not_allowed``). A vehicle or
team without a route or round gets one that starts at its shift start. A trip, route or round
left empty disappears.

A pinned stop (``Stop.pinned``) stays with its vehicle or team: moving or dropping it, and
swapping its vehicle or team, are refused until it is unpinned; a re-plan keeps it
(:func:`pinned_stops` lists them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from reliefops.planning.errors import EditError, PinnedStopError
from reliefops.planning.model import Problem
from reliefops.planning.plan import (
    Plan,
    Stop,
    TeamRound,
    Unmet,
    UnmetReason,
    Unvisited,
    VehicleRoute,
)
from reliefops.planning.retime import (
    plan_rebuilt,
    round_retime,
    route_retime,
    team_of,
    vehicle_of,
)

EDIT_KINDS = ("move", "drop", "pin", "unpin", "swap")
DROPPED_DETAIL = "dropped by the coordinator"


# ------------------------------------------------------------------------------ addresses


def _route_of(plan: Plan, vehicle: str) -> VehicleRoute | None:
    return next((r for r in plan.routes if r.vehicle == vehicle), None)


def _round_of(plan: Plan, team: str) -> TeamRound | None:
    return next((r for r in plan.rounds if r.team == team), None)


def _vehicle_stop(plan: Plan, vehicle: str, trip: int, position: int) -> Stop:
    route = _route_of(plan, vehicle)
    if route is None:
        raise EditError("vehicle", f"vehicle {vehicle} has no route in the plan")
    if not 1 <= trip <= len(route.trips):
        raise EditError("trip", f"vehicle {vehicle} has {len(route.trips)} trip(s), not {trip}")
    stops = route.trips[trip - 1].stops
    if not 1 <= position <= len(stops):
        raise EditError(
            "position", f"trip {trip} of vehicle {vehicle} has {len(stops)} stop(s), not {position}"
        )
    return stops[position - 1]


def _team_stop(plan: Plan, team: str, position: int) -> Stop:
    team_round = _round_of(plan, team)
    if team_round is None:
        raise EditError("team", f"team {team} has no round in the plan")
    if not 1 <= position <= len(team_round.stops):
        raise EditError(
            "position", f"team {team}'s round has {len(team_round.stops)} stop(s), not {position}"
        )
    return team_round.stops[position - 1]


def _address(
    vehicle: str | None, team: str | None, trip: int | None
) -> tuple[str, str, int | None]:
    """``("vehicle", id, trip)`` or ``("team", id, None)``; refuses both or neither."""
    if (vehicle is None) == (team is None):
        raise EditError("vehicle", "name either a vehicle or a team")
    if vehicle is not None:
        return "vehicle", vehicle, 1 if trip is None else trip
    assert team is not None
    if trip is not None:
        raise EditError("trip", "a team round has no trips")
    return "team", team, None


def stop_at(
    plan: Plan,
    *,
    vehicle: str | None = None,
    team: str | None = None,
    trip: int | None = None,
    position: int,
) -> Stop:
    """The stop at an address (``EditError`` naming the field when there is none)."""
    kind, owner, number = _address(vehicle, team, trip)
    if kind == "vehicle":
        assert number is not None
        return _vehicle_stop(plan, owner, number, position)
    return _team_stop(plan, owner, position)


def _unpinned(stop: Stop, where: str) -> None:
    if stop.pinned:
        raise PinnedStopError("position", f"{where} is pinned: unpin it first")


# ------------------------------------------------------------------------------ the edits


def stop_move(
    problem: Problem,
    plan: Plan,
    *,
    vehicle: str | None = None,
    team: str | None = None,
    trip: int | None = None,
    position: int,
    to_vehicle: str | None = None,
    to_team: str | None = None,
    to_trip: int | None = None,
    to_position: int | None = None,
) -> Plan:
    """Move a stop to another place in its route, another trip or another vehicle (a
    delivery stop), or to another place or team (a visit). Without ``to_vehicle``/``to_team``
    the stop stays with its vehicle or team; without ``to_trip`` it stays in its trip (or goes
    to the last trip of another vehicle); without ``to_position`` it goes last."""
    kind, owner, number = _address(vehicle, team, trip)
    stop = stop_at(plan, vehicle=vehicle, team=team, trip=trip, position=position)
    if kind == "vehicle":
        assert number is not None
        if to_team is not None:
            raise EditError("to_team", "a delivery stop goes to a vehicle, not to a team")
        _unpinned(stop, f"stop {position} of vehicle {owner}, trip {number}")
        return _delivery_move(
            problem, plan, owner, number, position, to_vehicle or owner, to_trip, to_position
        )
    if to_vehicle is not None:
        raise EditError("to_vehicle", "a visit goes to a team, not to a vehicle")
    if to_trip is not None:
        raise EditError("to_trip", "a team round has no trips")
    _unpinned(stop, f"stop {position} of team {owner}")
    return _visit_move(problem, plan, owner, position, to_team or owner, to_position)


def _insert_at(target: list[Stop], stop: Stop, to_position: int | None, where: str) -> None:
    at = len(target) + 1 if to_position is None else to_position
    if not 1 <= at <= len(target) + 1:
        raise EditError("to_position", f"{where} has room for positions 1 to {len(target) + 1}")
    target.insert(at - 1, stop)


def _delivery_move(
    problem: Problem,
    plan: Plan,
    vehicle: str,
    trip: int,
    position: int,
    to_vehicle: str,
    to_trip: int | None,
    to_position: int | None,
) -> Plan:
    destination = vehicle_of(problem, to_vehicle, "to_vehicle")
    touched = {
        r.vehicle: [list(t.stops) for t in r.trips]
        for r in plan.routes
        if r.vehicle in (vehicle, to_vehicle)
    }
    touched.setdefault(to_vehicle, [])
    stop = touched[vehicle][trip - 1].pop(position - 1)
    trips = touched[to_vehicle]
    if to_trip is None:
        to_trip = trip if to_vehicle == vehicle else max(1, len(trips))
    if not 1 <= to_trip <= len(trips) + 1:
        raise EditError(
            "to_trip",
            f"vehicle {to_vehicle} has {len(trips)} trip(s): give 1 to {len(trips) + 1} (a new trip)",
        )
    if to_trip == len(trips) + 1:
        trips.append([])
    _insert_at(trips[to_trip - 1], stop, to_position, f"trip {to_trip} of vehicle {to_vehicle}")
    starts = {r.vehicle: r.start_min for r in plan.routes}
    starts.setdefault(to_vehicle, destination.shift_start_min)
    routes = [r for r in plan.routes if r.vehicle not in touched]
    for vehicle_id, stops in touched.items():
        kept = [t for t in stops if t]
        if kept:
            routes.append(route_retime(problem, vehicle_id, starts[vehicle_id], kept))
    return plan_rebuilt(problem, plan, routes, plan.rounds, plan.unmet, plan.unvisited)


def _visit_move(
    problem: Problem,
    plan: Plan,
    team: str,
    position: int,
    to_team: str,
    to_position: int | None,
) -> Plan:
    destination = team_of(problem, to_team, "to_team")
    touched = {r.team: list(r.stops) for r in plan.rounds if r.team in (team, to_team)}
    touched.setdefault(to_team, [])
    stop = touched[team].pop(position - 1)
    _insert_at(touched[to_team], stop, to_position, f"team {to_team}'s round")
    starts = {r.team: r.start_min for r in plan.rounds}
    starts.setdefault(to_team, destination.shift_start_min)
    rounds = [r for r in plan.rounds if r.team not in touched]
    rounds += [
        round_retime(problem, team_id, starts[team_id], stops)
        for team_id, stops in touched.items()
        if stops
    ]
    return plan_rebuilt(problem, plan, plan.routes, rounds, plan.unmet, plan.unvisited)


def _unmet_dropped(unmet: Sequence[Unmet], stop: Stop) -> list[Unmet]:
    extra: dict[str, float] = defaultdict(float)
    for line in stop.deliveries:
        extra[line.demand] += line.quantity
    out: list[Unmet] = []
    for u in unmet:
        if u.reason == UnmetReason.DROPPED and u.demand in extra:
            out.append(replace(u, quantity=u.quantity + extra.pop(u.demand)))
        else:
            out.append(u)
    out += [Unmet(d, q, UnmetReason.DROPPED, DROPPED_DETAIL) for d, q in sorted(extra.items())]
    return out


def stop_drop(
    problem: Problem,
    plan: Plan,
    *,
    vehicle: str | None = None,
    team: str | None = None,
    trip: int | None = None,
    position: int,
) -> Plan:
    """Drop a stop: its deliveries become unmet (reason ``dropped``), its visit unvisited
    (reason ``dropped``); the rest of its route or round is re-timed."""
    kind, owner, number = _address(vehicle, team, trip)
    stop = stop_at(plan, vehicle=vehicle, team=team, trip=trip, position=position)
    if kind == "vehicle":
        assert number is not None
        _unpinned(stop, f"stop {position} of vehicle {owner}, trip {number}")
        route = _route_of(plan, owner)
        assert route is not None
        trips = [list(t.stops) for t in route.trips]
        del trips[number - 1][position - 1]
        kept = [t for t in trips if t]
        routes = [r for r in plan.routes if r.vehicle != owner]
        if kept:
            routes.append(route_retime(problem, owner, route.start_min, kept))
        unmet = _unmet_dropped(plan.unmet, stop)
        return plan_rebuilt(problem, plan, routes, plan.rounds, unmet, plan.unvisited)
    _unpinned(stop, f"stop {position} of team {owner}")
    team_round = _round_of(plan, owner)
    assert team_round is not None
    stops = list(team_round.stops)
    del stops[position - 1]
    rounds = [r for r in plan.rounds if r.team != owner]
    if stops:
        rounds.append(round_retime(problem, owner, team_round.start_min, stops))
    unvisited = list(plan.unvisited)
    if stop.visit is not None:
        unvisited.append(Unvisited(stop.visit, UnmetReason.DROPPED, DROPPED_DETAIL))
    return plan_rebuilt(problem, plan, plan.routes, rounds, plan.unmet, unvisited)


def stop_pin(
    plan: Plan,
    *,
    vehicle: str | None = None,
    team: str | None = None,
    trip: int | None = None,
    position: int,
    pinned: bool = True,
) -> Plan:
    """Pin a stop to its vehicle or team (``pinned=False``: unpin it). Times and figures do
    not change."""
    kind, owner, number = _address(vehicle, team, trip)
    stop = stop_at(plan, vehicle=vehicle, team=team, trip=trip, position=position)
    changed = replace(stop, pinned=pinned)
    if kind == "vehicle":
        assert number is not None
        routes = []
        for route in plan.routes:
            if route.vehicle == owner:
                trips = list(route.trips)
                stops = list(trips[number - 1].stops)
                stops[position - 1] = changed
                trips[number - 1] = replace(trips[number - 1], stops=tuple(stops))
                route = replace(route, trips=tuple(trips))
            routes.append(route)
        return replace(plan, routes=tuple(routes))
    rounds = []
    for team_round in plan.rounds:
        if team_round.team == owner:
            stops = list(team_round.stops)
            stops[position - 1] = changed
            team_round = replace(team_round, stops=tuple(stops))
        rounds.append(team_round)
    return replace(plan, rounds=tuple(rounds))


Held = TypeVar("Held", VehicleRoute, TeamRound)


class _Shift(Protocol):
    """A vehicle or a team: what a swap reads of the holder."""

    @property
    def id(self) -> str: ...

    @property
    def shift_start_min(self) -> float: ...


def _swapped(
    held: Sequence[Held],
    noun: str,
    what: str,
    pair: tuple[_Shift, _Shift],
    fields: tuple[str, str],
    retime: Callable[[Held, str, float], Held],
) -> list[Held]:
    """``held`` (routes or rounds, each held by the ``noun`` attribute) with the first of
    ``pair``'s ``what`` given to the second and the second's, if any, to the first; each starts
    when it did, or at its new holder's shift start if that is later."""
    first, second = pair
    if first.id == second.id:
        raise EditError(fields[1], f"name another {noun}")
    owned = {getattr(x, noun): x for x in held}
    mine, theirs = owned.get(first.id), owned.get(second.id)
    if mine is None:
        raise EditError(fields[0], f"{noun} {first.id} has no {what} in the plan")
    for one, field in ((mine, fields[0]), (theirs, fields[1])):
        if one is not None and any(s.pinned for s in one.stops):
            raise PinnedStopError(
                field, f"{noun} {getattr(one, noun)} has pinned stops: unpin them first"
            )
    kept = [x for x in held if getattr(x, noun) not in (first.id, second.id)]
    for one, target in ((mine, second), (theirs, first)):
        if one is not None:
            kept.append(retime(one, target.id, max(one.start_min, target.shift_start_min)))
    return kept


def vehicle_swap(problem: Problem, plan: Plan, *, vehicle: str, to_vehicle: str) -> Plan:
    """Give ``vehicle``'s route to ``to_vehicle`` (and ``to_vehicle``'s route, if it has one,
    to ``vehicle``). Each route keeps its start, or starts at its new vehicle's shift start
    if that is later; its trips load at the new vehicle's depot."""
    pair = (vehicle_of(problem, vehicle, "vehicle"), vehicle_of(problem, to_vehicle, "to_vehicle"))
    routes = _swapped(
        plan.routes,
        "vehicle",
        "route",
        pair,
        ("vehicle", "to_vehicle"),
        lambda r, v, start: route_retime(problem, v, start, [t.stops for t in r.trips]),
    )
    return plan_rebuilt(problem, plan, routes, plan.rounds, plan.unmet, plan.unvisited)


def team_swap(problem: Problem, plan: Plan, *, team: str, to_team: str) -> Plan:
    """Give ``team``'s round to ``to_team`` (and back, if ``to_team`` has one); the round
    leaves from its new team's base."""
    pair = (team_of(problem, team, "team"), team_of(problem, to_team, "to_team"))
    rounds = _swapped(
        plan.rounds,
        "team",
        "round",
        pair,
        ("team", "to_team"),
        lambda r, t, start: round_retime(problem, t, start, r.stops),
    )
    return plan_rebuilt(problem, plan, plan.routes, rounds, plan.unmet, plan.unvisited)


def pinned_stops(plan: Plan) -> list[dict[str, Any]]:
    """Every pinned stop: ``{"vehicle", "trip", "position", "site", "demands"}`` or
    ``{"team", "position", "site", "visit"}`` (what a re-plan keeps)."""
    out: list[dict[str, Any]] = []
    for route in plan.routes:
        for t, trip in enumerate(route.trips, start=1):
            for p, stop in enumerate(trip.stops, start=1):
                if stop.pinned:
                    demands = sorted({line.demand for line in stop.deliveries})
                    out.append(
                        {
                            "vehicle": route.vehicle,
                            "trip": t,
                            "position": p,
                            "site": stop.site,
                            "demands": demands,
                        }
                    )
    for team_round in plan.rounds:
        for p, stop in enumerate(team_round.stops, start=1):
            if stop.pinned:
                out.append(
                    {"team": team_round.team, "position": p, "site": stop.site, "visit": stop.visit}
                )
    return out


# ------------------------------------------------------------------------------ edit dicts

_ADDRESS = ("vehicle", "team", "trip", "position")
_FIELDS: dict[str, tuple[str, ...]] = {
    "move": (*_ADDRESS, "to_vehicle", "to_team", "to_trip", "to_position"),
    "drop": _ADDRESS,
    "pin": _ADDRESS,
    "unpin": _ADDRESS,
    "swap": ("vehicle", "team", "to_vehicle", "to_team"),
}
_NUMBERS = frozenset({"trip", "position", "to_trip", "to_position"})
EDIT_RECORD_FIELDS = frozenset({"by", "at", "stop", "violations"})
"""Fields a stored edit carries besides its own (who, when, which stop): ignored on replay."""


@dataclass(frozen=True)
class EditOutcome:
    """The plan after an edit, the edit as applied (numbers as ints, empty fields left out)
    and the stop it was about (``{"site", "demands", "visit"}``; None for a swap)."""

    plan: Plan
    edit: dict[str, Any]
    stop: dict[str, Any] | None


def _number(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise EditError(name, "a whole number from 1")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 1:
        raise EditError(name, "a whole number from 1")
    return value


def edit_normalise(edit: Mapping[str, Any]) -> dict[str, Any]:
    """``edit`` with its kind and fields checked, numbers as ints and empty fields left out."""
    kind = edit.get("kind")
    if kind not in _FIELDS:
        raise EditError("kind", f"one of {', '.join(EDIT_KINDS)}")
    out: dict[str, Any] = {"kind": kind}
    for name, value in edit.items():
        if name == "kind" or name in EDIT_RECORD_FIELDS or value is None or value == "":
            continue
        if name not in _FIELDS[kind]:
            raise EditError(name, f"not a field of a {kind} edit")
        if name in _NUMBERS:
            out[name] = _number(name, value)
        elif isinstance(value, str):
            out[name] = value.strip()
        else:
            raise EditError(name, "an identifier")
    if kind != "swap" and "position" not in out:
        raise EditError("position", "name the stop's position (1 for the first)")
    if kind == "swap" and ("vehicle" in out) == ("team" in out):
        raise EditError("vehicle", "name either a vehicle or a team")
    return out


def _stop_summary(stop: Stop) -> dict[str, Any]:
    return {
        "site": stop.site,
        "demands": sorted({line.demand for line in stop.deliveries}),
        "visit": stop.visit,
    }


def edit_apply(problem: Problem, plan: Plan, edit: Mapping[str, Any]) -> EditOutcome:
    """Apply one edit given as a dict (what ``dayplans.services.edits.plan_edit`` receives):

    * ``{"kind": "move", "vehicle", "trip", "position", "to_vehicle"?, "to_trip"?,
      "to_position"?}`` or ``{"kind": "move", "team", "position", "to_team"?, "to_position"?}``;
    * ``{"kind": "drop" | "pin" | "unpin", "vehicle", "trip", "position"}`` or
      ``{"kind": ..., "team", "position"}``;
    * ``{"kind": "swap", "vehicle", "to_vehicle"}`` or ``{"kind": "swap", "team", "to_team"}``.

    Ids are the problem's (vehicle registration, team code); numbers count from 1 and may
    be given as digit strings (form input). ``EditError`` names the field that is wrong.
    """
    e = edit_normalise(edit)
    kind = e["kind"]
    if kind == "swap":
        if "vehicle" in e:
            if "to_team" in e:
                raise EditError("to_team", "a vehicle swaps with a vehicle")
            if "to_vehicle" not in e:
                raise EditError("to_vehicle", "name the vehicle to swap with")
            return EditOutcome(
                vehicle_swap(problem, plan, vehicle=e["vehicle"], to_vehicle=e["to_vehicle"]),
                e,
                None,
            )
        if "to_vehicle" in e:
            raise EditError("to_vehicle", "a team swaps with a team")
        if "to_team" not in e:
            raise EditError("to_team", "name the team to swap with")
        return EditOutcome(team_swap(problem, plan, team=e["team"], to_team=e["to_team"]), e, None)
    address: dict[str, Any] = {
        "vehicle": e.get("vehicle"),
        "team": e.get("team"),
        "trip": e.get("trip"),
        "position": e["position"],
    }
    stop = _stop_summary(stop_at(plan, **address))
    if kind == "move":
        moved = stop_move(
            problem,
            plan,
            **address,
            to_vehicle=e.get("to_vehicle"),
            to_team=e.get("to_team"),
            to_trip=e.get("to_trip"),
            to_position=e.get("to_position"),
        )
        return EditOutcome(moved, e, stop)
    if kind == "drop":
        return EditOutcome(stop_drop(problem, plan, **address), e, stop)
    return EditOutcome(stop_pin(plan, **address, pinned=kind == "pin"), e, stop)

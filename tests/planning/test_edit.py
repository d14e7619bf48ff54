"""Edits of a plan (move, drop, pin a stop; swap a vehicle or a team) and their re-check."""

from __future__ import annotations

import math
from collections import defaultdict

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliefops.planning import (
    EditError,
    GenerateSpec,
    Plan,
    Problem,
    StopRule,
    UnmetReason,
    Vehicle,
    check,
    edit_apply,
    pinned_stops,
    plan_from_json,
    plan_retime,
    plan_to_json,
    problem_generate,
    schema_load,
    solve,
    stop_drop,
    stop_move,
    stop_pin,
    team_swap,
    vehicle_swap,
)
from tests.planning.conftest import small_builder

#: What an edit must never produce: its own arithmetic or bookkeeping disagreeing with the checker.
BOOKKEEPING = {"time_mismatch", "distance_mismatch", "unaccounted", "over_delivered"}


def kinds(problem: Problem, plan: Plan) -> set[str]:
    return {v.kind for v in check(problem, plan)}


def delivered(plan: Plan) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for route in plan.routes:
        for stop in route.stops:
            for line in stop.deliveries:
                out[line.demand] += line.quantity
    return dict(out)


def truck_sites(plan: Plan, vehicle: str = "TRUCK") -> list[str]:
    route = next(r for r in plan.routes if r.vehicle == vehicle)
    return [s.site for s in route.stops]


@pytest.fixture(scope="module")
def wide_problem() -> Problem:
    """The small day with a second food truck that has no route."""
    builder = small_builder()
    builder.add_vehicle(Vehicle("TRUCK2", "D1", 3000, 12, 0, frozenset({"food"}), shift_min=600))
    return builder.build()


@pytest.fixture(scope="module")
def wide_plan(wide_problem: Problem) -> Plan:
    """The small day's plan (TRUCK2 is not in that problem, so it stays free)."""
    plan = solve(small_builder().build(), StopRule(max_iterations=200), seed=3)
    assert check(wide_problem, plan) == []
    assert {r.vehicle for r in plan.routes} == {"TRUCK", "TANKER"}
    assert truck_sites(plan) == ["S2", "S1"]
    return plan


@pytest.fixture(scope="module")
def generated() -> tuple[Problem, Plan]:
    problem = problem_generate(
        GenerateSpec(places=40, requests=16, vehicles=4, teams=2, depots=2, visits=12, seed=5)
    )
    plan = solve(problem, StopRule(max_iterations=300), seed=1)
    assert check(problem, plan) == []
    assert plan.routes and plan.rounds
    return problem, plan


def test_retiming_reproduces_the_solvers_times(generated: tuple[Problem, Plan]) -> None:
    problem, plan = generated
    again = plan_retime(problem, plan)
    for mine, theirs in zip(again.routes, plan.routes, strict=True):
        assert mine.vehicle == theirs.vehicle
        assert math.isclose(mine.end_min, theirs.end_min, abs_tol=1e-6)
        assert math.isclose(mine.distance_km, theirs.distance_km, rel_tol=1e-9)
        for a, b in zip(mine.stops, theirs.stops, strict=True):
            assert math.isclose(a.start_min, b.start_min, abs_tol=1e-6)
    assert check(problem, again) == []
    assert again.stats["served_percent"] == plan.stats["served_percent"]


def test_move_within_the_route_and_capacity_keeps_the_plan_feasible(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    moved = stop_move(wide_problem, wide_plan, vehicle="TRUCK", trip=1, position=2, to_position=1)
    assert truck_sites(moved) == ["S1", "S2"]
    assert check(wide_problem, moved) == []
    assert delivered(moved) == delivered(wide_plan)
    route = next(r for r in moved.routes if r.vehicle == "TRUCK")
    first, second = route.stops
    assert first.arrival_min == pytest.approx(
        route.trips[0].load_start_min + 20 + wide_problem.travel_min("DEPOT", "S1")
    )
    assert second.arrival_min == pytest.approx(
        first.departure_min + wide_problem.travel_min("S1", "S2")
    )
    assert moved.stats["distance_km"] == pytest.approx(
        sum(r.distance_km for r in moved.routes) + sum(r.distance_km for r in moved.rounds)
    )
    assert moved.stats["seconds_solve"] == wide_plan.stats["seconds_solve"]  # kept


def test_move_to_a_free_vehicle_opens_a_route_at_its_shift_start(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    moved = stop_move(wide_problem, wide_plan, vehicle="TRUCK", position=1, to_vehicle="TRUCK2")
    assert truck_sites(moved) == ["S1"]
    assert truck_sites(moved, "TRUCK2") == ["S2"]
    new = next(r for r in moved.routes if r.vehicle == "TRUCK2")
    assert new.start_min == 480.0
    assert new.trips[0].load_kg == pytest.approx(30 * 15.0)
    assert check(wide_problem, moved) == []
    assert moved.stats["routes"] == 3.0


def test_move_onto_the_fuel_tanker_is_applied_and_reported(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    moved = stop_move(
        wide_problem, wide_plan, vehicle="TRUCK", trip=1, position=1, to_vehicle="TANKER"
    )
    assert truck_sites(moved, "TANKER") == ["S3", "S2"]
    violations = check(wide_problem, moved)
    not_allowed = [v for v in violations if v.kind == "class_not_allowed"]
    assert not_allowed and all("vehicle TANKER" in v.where for v in not_allowed)
    assert not {v.kind for v in violations} & BOOKKEEPING


def test_a_new_trip_on_a_vehicle_without_reload_is_reported(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    moved = stop_move(wide_problem, wide_plan, vehicle="TRUCK", position=2, to_trip=2)
    route = next(r for r in moved.routes if r.vehicle == "TRUCK")
    assert [[s.site for s in t.stops] for t in route.trips] == [["S2"], ["S1"]]
    assert kinds(wide_problem, moved) == {"reload_not_allowed"}


def test_drop_makes_the_deliveries_unmet_with_reason_dropped(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    dropped = stop_drop(wide_problem, wide_plan, vehicle="TRUCK", trip=1, position=2)
    assert truck_sites(dropped) == ["S2"]
    assert [(u.demand, u.quantity, u.reason) for u in dropped.unmet] == [
        ("R1-food", 20.0, UnmetReason.DROPPED)
    ]
    assert check(wide_problem, dropped) == []  # accounted for, not a violation
    assert dropped.stats["served_percent"] < wide_plan.stats["served_percent"]
    assert dropped.stats["life_saving_served_percent"] == 0.0
    assert dropped.stats["unmet_units_dropped"] == 20.0
    assert dropped.stats["distance_km"] < wide_plan.stats["distance_km"]

    emptied = stop_drop(wide_problem, dropped, vehicle="TRUCK", position=1)
    assert "TRUCK" not in {r.vehicle for r in emptied.routes}
    assert {u.demand for u in emptied.unmet} == {"R1-food", "R2-food"}
    assert check(wide_problem, emptied) == []


def test_drop_of_a_visit_makes_it_unvisited(wide_problem: Problem, wide_plan: Plan) -> None:
    dropped = stop_drop(wide_problem, wide_plan, team="SOCIAL", position=1)
    assert [(u.visit, u.reason) for u in dropped.unvisited] == [("V2", UnmetReason.DROPPED)]
    assert "SOCIAL" not in {r.team for r in dropped.rounds}
    assert dropped.stats["visits_made"] == 1.0
    assert check(wide_problem, dropped) == []


def test_swap_to_a_free_vehicle_keeps_every_delivery(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    swapped = vehicle_swap(wide_problem, wide_plan, vehicle="TRUCK", to_vehicle="TRUCK2")
    assert {r.vehicle for r in swapped.routes} == {"TRUCK2", "TANKER"}
    assert truck_sites(swapped, "TRUCK2") == ["S2", "S1"]
    assert delivered(swapped) == delivered(wide_plan)
    assert check(wide_problem, swapped) == []


def test_swap_exchanges_two_routes(wide_problem: Problem, wide_plan: Plan) -> None:
    swapped = vehicle_swap(wide_problem, wide_plan, vehicle="TRUCK", to_vehicle="TANKER")
    assert truck_sites(swapped, "TANKER") == ["S2", "S1"]
    assert truck_sites(swapped, "TRUCK") == ["S3"]
    assert delivered(swapped) == delivered(wide_plan)
    assert "class_not_allowed" in kinds(wide_problem, swapped)
    assert not kinds(wide_problem, swapped) & BOOKKEEPING


def test_team_swap_exchanges_rounds_and_reports_skills(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    swapped = team_swap(wide_problem, wide_plan, team="NURSES", to_team="SOCIAL")
    made = {r.team: [s.visit for s in r.stops] for r in swapped.rounds}
    assert made == {"NURSES": ["V2"], "SOCIAL": ["V1"]}
    assert {"missing_skill", "missing_language"} <= kinds(wide_problem, swapped)


def test_pin_survives_json_and_blocks_moves_until_unpinned(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    pinned = stop_pin(wide_plan, vehicle="TRUCK", trip=1, position=2)
    assert pinned_stops(pinned) == [
        {"vehicle": "TRUCK", "trip": 1, "position": 2, "site": "S1", "demands": ["R1-food"]}
    ]
    assert pinned.stats == wide_plan.stats
    document = plan_to_json(pinned, check(wide_problem, pinned))
    jsonschema.validate(document, schema_load("plan"))
    again = plan_from_json(document)
    assert again.routes == pinned.routes

    with pytest.raises(EditError) as error:
        stop_move(wide_problem, pinned, vehicle="TRUCK", position=2, to_position=1)
    assert error.value.field == "position" and "pinned" in error.value.message
    with pytest.raises(EditError):
        stop_drop(wide_problem, pinned, vehicle="TRUCK", position=2)
    with pytest.raises(EditError) as error:
        vehicle_swap(wide_problem, pinned, vehicle="TANKER", to_vehicle="TRUCK")
    assert error.value.field == "to_vehicle"
    # moving another stop of the route is fine and keeps the pin on its stop
    moved = stop_move(wide_problem, pinned, vehicle="TRUCK", position=1, to_position=2)
    assert [p["site"] for p in pinned_stops(moved)] == ["S1"]
    unpinned = stop_pin(moved, vehicle="TRUCK", position=1, pinned=False)
    assert pinned_stops(unpinned) == []
    assert stop_move(wide_problem, unpinned, vehicle="TRUCK", position=1, to_position=2)


def test_dropped_reason_is_valid_plan_json(wide_problem: Problem, wide_plan: Plan) -> None:
    dropped = stop_drop(wide_problem, wide_plan, vehicle="TANKER", position=1)
    dropped = stop_drop(wide_problem, dropped, team="NURSES", position=1)
    document = plan_to_json(dropped, check(wide_problem, dropped))
    jsonschema.validate(document, schema_load("plan"))
    assert {u["reason"] for u in document["unmet"]} == {"dropped"}
    assert plan_from_json(document).unvisited == dropped.unvisited


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"kind": "shuffle"}, "kind"),
        ({"kind": "move", "vehicle": "TRUCK", "trip": 1}, "position"),
        ({"kind": "move", "vehicle": "NOPE", "trip": 1, "position": 1}, "vehicle"),
        ({"kind": "move", "vehicle": "TRUCK", "trip": 3, "position": 1}, "trip"),
        ({"kind": "move", "vehicle": "TRUCK", "trip": 1, "position": 9}, "position"),
        ({"kind": "move", "vehicle": "TRUCK", "position": 1, "to_vehicle": "BUS"}, "to_vehicle"),
        ({"kind": "move", "vehicle": "TRUCK", "position": 1, "to_trip": 5}, "to_trip"),
        ({"kind": "move", "vehicle": "TRUCK", "position": 1, "to_position": 4}, "to_position"),
        ({"kind": "move", "vehicle": "TRUCK", "position": 1, "to_team": "NURSES"}, "to_team"),
        ({"kind": "move", "team": "NURSES", "position": 1, "to_vehicle": "TRUCK"}, "to_vehicle"),
        ({"kind": "move", "team": "NURSES", "trip": 1, "position": 1}, "trip"),
        ({"kind": "drop", "vehicle": "TRUCK", "team": "NURSES", "position": 1}, "vehicle"),
        ({"kind": "drop", "vehicle": "TRUCK", "position": 0}, "position"),
        ({"kind": "drop", "vehicle": "TRUCK", "position": True}, "position"),
        ({"kind": "drop", "vehicle": "TRUCK", "position": 1, "colour": "red"}, "colour"),
        ({"kind": "pin", "team": "NOBODY", "position": 1}, "team"),
        ({"kind": "swap", "vehicle": "TRUCK"}, "to_vehicle"),
        ({"kind": "swap", "vehicle": "TRUCK", "to_vehicle": "TRUCK"}, "to_vehicle"),
        ({"kind": "swap", "vehicle": "TRUCK2", "to_vehicle": "TRUCK"}, "vehicle"),
        ({"kind": "swap", "team": "NURSES", "to_vehicle": "TRUCK"}, "to_vehicle"),
    ],
)
def test_an_edit_that_cannot_be_applied_names_its_field(
    wide_problem: Problem, wide_plan: Plan, edit: dict[str, object], field: str
) -> None:
    with pytest.raises(EditError) as error:
        edit_apply(wide_problem, wide_plan, edit)
    assert error.value.field == field


def test_edit_dicts_from_a_form_apply_like_the_functions(
    wide_problem: Problem, wide_plan: Plan
) -> None:
    outcome = edit_apply(
        wide_problem,
        wide_plan,
        {
            "kind": "move",
            "vehicle": "TRUCK",
            "trip": "1",
            "position": "2",
            "to_position": "1",
            "to_vehicle": "",
            "by": "someone",
        },
    )
    assert outcome.edit == {
        "kind": "move",
        "vehicle": "TRUCK",
        "trip": 1,
        "position": 2,
        "to_position": 1,
    }
    assert outcome.stop == {"site": "S1", "demands": ["R1-food"], "visit": None}
    assert outcome.plan == stop_move(
        wide_problem, wide_plan, vehicle="TRUCK", trip=1, position=2, to_position=1
    )
    swap = edit_apply(
        wide_problem, wide_plan, {"kind": "swap", "team": "NURSES", "to_team": "SOCIAL"}
    )
    assert swap.stop is None and len(swap.plan.rounds) == 2
    pin = edit_apply(wide_problem, wide_plan, {"kind": "pin", "team": "NURSES", "position": 1})
    assert pin.stop == {"site": "S1", "demands": [], "visit": "V1"}
    unpin = edit_apply(wide_problem, pin.plan, {"kind": "unpin", "team": "NURSES", "position": 1})
    assert pinned_stops(unpin.plan) == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_moves_keep_deliveries_and_agree_with_the_checker(
    generated: tuple[Problem, Plan], data: st.DataObject
) -> None:
    problem, plan = generated
    vehicles = [v.id for v in problem.vehicles]
    for _ in range(data.draw(st.integers(1, 3))):
        route = data.draw(st.sampled_from(plan.routes))
        trip = data.draw(st.integers(1, len(route.trips)))
        position = data.draw(st.integers(1, len(route.trips[trip - 1].stops)))
        target = data.draw(st.sampled_from(vehicles))
        existing = next((r for r in plan.routes if r.vehicle == target), None)
        trips = len(existing.trips) if existing else 0
        to_trip = data.draw(st.integers(1, trips + 1))
        length = (
            len(existing.trips[to_trip - 1].stops) if existing and to_trip <= trips else 0
        ) - (1 if target == route.vehicle and to_trip == trip else 0)
        to_position = data.draw(st.integers(1, length + 1))
        before = delivered(plan)
        plan = stop_move(
            problem,
            plan,
            vehicle=route.vehicle,
            trip=trip,
            position=position,
            to_vehicle=target,
            to_trip=to_trip,
            to_position=to_position,
        )
        assert delivered(plan) == pytest.approx(before)
        assert not kinds(problem, plan) & BOOKKEEPING
    if plan.rounds and data.draw(st.booleans()):
        team_round = data.draw(st.sampled_from(plan.rounds))
        position = data.draw(st.integers(1, len(team_round.stops)))
        target_team = data.draw(st.sampled_from([t.id for t in problem.teams]))
        plan = stop_move(
            problem, plan, team=team_round.team, position=position, to_team=target_team
        )
        assert not kinds(problem, plan) & BOOKKEEPING
    served = plan.stats["served_percent"]
    route = data.draw(st.sampled_from(plan.routes))
    dropped = stop_drop(problem, plan, vehicle=route.vehicle, position=1)
    assert not kinds(problem, dropped) & BOOKKEEPING
    assert dropped.stats["served_percent"] < served
    assert (
        dropped.stats["unmet_units_dropped"]
        >= sum(line.quantity for line in route.trips[0].stops[0].deliveries) - 1e-9
    )

"""Pins across a re-plan: pinned stops go back to their vehicle or team."""

from __future__ import annotations

from reliefops.planning import (
    Plan,
    Problem,
    StopRule,
    Vehicle,
    check,
    pinned_stops,
    pins_keep,
    solve,
    stop_drop,
    stop_move,
    stop_pin,
)
from tests.planning.conftest import small_builder


def _day() -> tuple[Problem, Plan]:
    builder = small_builder()
    plan = solve(builder.build(), StopRule(max_iterations=200), seed=3)
    builder.add_vehicle(Vehicle("TRUCK2", "D1", 3000, 12, 0, frozenset({"food"}), shift_min=600))
    return builder.build(), plan


def test_a_pinned_stop_that_the_replan_gave_another_vehicle_goes_back() -> None:
    problem, plan = _day()
    pinned = stop_pin(plan, vehicle="TRUCK", trip=1, position=2)  # S1, R1-food
    pins = pinned_stops(pinned)
    # The re-plan put S1 on TRUCK2 (and knows nothing of the pin).
    replan = stop_move(problem, plan, vehicle="TRUCK", position=2, to_vehicle="TRUCK2")
    kept, lost = pins_keep(problem, replan, pins)
    assert lost == []
    assert pinned_stops(kept) == pins
    assert "TRUCK2" not in {r.vehicle for r in kept.routes}
    assert check(problem, kept) == []


def test_a_pin_already_in_place_is_pinned_again_and_visits_follow_their_team() -> None:
    problem, plan = _day()
    pinned = stop_pin(plan, team="NURSES", position=1)
    pinned = stop_pin(pinned, vehicle="TANKER", position=1)
    pins = pinned_stops(pinned)
    replan = stop_move(problem, plan, team="NURSES", position=1, to_team="SOCIAL", to_position=1)
    kept, lost = pins_keep(problem, replan, pins)
    assert lost == []
    assert sorted(p["site"] for p in pinned_stops(kept)) == ["S1", "S3"]
    nurses = next(r for r in kept.rounds if r.team == "NURSES")
    assert [s.visit for s in nurses.stops] == ["V1"] and nurses.stops[0].pinned


def test_pins_that_cannot_be_kept_say_why() -> None:
    problem, plan = _day()
    pins = [
        {"vehicle": "GONE", "trip": 1, "position": 1, "site": "S1", "demands": ["R1-food"]},
        {"vehicle": "TRUCK", "trip": 1, "position": 1, "site": "S2", "demands": ["R2-food"]},
        {"team": "NURSES", "position": 1, "site": "S1", "visit": "V9"},
        {"team": "GHOSTS", "position": 1, "site": "S1", "visit": "V1"},
    ]
    replan = stop_drop(problem, plan, vehicle="TRUCK", position=1)  # S2 no longer delivered
    kept, lost = pins_keep(problem, replan, pins)
    assert [p["reason"] for p in lost] == [
        "the vehicle is not available in the re-plan",
        "its deliveries are not in the re-plan",
        "the visit is not in the re-plan",
        "the team is not available in the re-plan",
    ]
    assert kept == replan

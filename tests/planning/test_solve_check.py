"""The engine's plans pass the independent checker; hand-broken plans do not."""

from __future__ import annotations

import dataclasses
import json

import jsonschema

from reliefops.planning import (
    Plan,
    Problem,
    StopRule,
    UnmetReason,
    check,
    plan_from_json,
    plan_to_json,
    schema_load,
    solve,
)


def kinds(problem: Problem, plan: Plan) -> set[str]:
    return {v.kind for v in check(problem, plan)}


def test_plan_is_feasible_and_serves_the_small_day(
    small_problem: Problem, small_plan: Plan
) -> None:
    assert check(small_problem, small_plan) == []
    delivered = {
        line.demand: line.quantity
        for route in small_plan.routes
        for stop in route.stops
        for line in stop.deliveries
    }
    assert set(delivered) == {"R1-food", "R2-food", "R3-fuel"}
    assert small_plan.stats["served_percent"] == 100.0
    made = {stop.visit for r in small_plan.rounds for stop in r.stops}
    assert made == {"V1", "V2"}
    by_vehicle = {r.vehicle: r for r in small_plan.routes}
    fuel_lines = [line for stop in by_vehicle["TANKER"].stops for line in stop.deliveries]
    assert {line.item for line in fuel_lines} == {"heating_fuel"}


def test_first_expiry_first_out(small_plan: Plan) -> None:
    lots = [
        line.lot
        for r in small_plan.routes
        for s in r.stops
        for line in s.deliveries
        if line.item == "food_parcel"
    ]
    drawn = dict.fromkeys(lots, 0.0)
    for r in small_plan.routes:
        for s in r.stops:
            for line in s.deliveries:
                if line.item == "food_parcel":
                    drawn[line.lot] += line.quantity
    assert drawn["L-food-old"] == 30  # the lot that expires first is emptied first


def test_solve_is_deterministic_for_a_seed(small_problem: Problem) -> None:
    a = solve(small_problem, StopRule(max_iterations=150), seed=7)
    b = solve(small_problem, StopRule(max_iterations=150), seed=7)
    assert plan_to_json(a)["routes"] == plan_to_json(b)["routes"]
    assert plan_to_json(a)["rounds"] == plan_to_json(b)["rounds"]


def test_plan_json_validates_and_round_trips(small_problem: Problem, small_plan: Plan) -> None:
    document = json.loads(json.dumps(plan_to_json(small_plan, check(small_problem, small_plan))))
    jsonschema.validate(document, schema_load("plan"))
    again = plan_from_json(document)
    assert check(small_problem, again) == []
    assert again.routes == small_plan.routes


def _route(plan: Plan, vehicle: str) -> int:
    return next(i for i, r in enumerate(plan.routes) if r.vehicle == vehicle)


def _replace_route(plan: Plan, index: int, **changes: object) -> Plan:
    routes = list(plan.routes)
    routes[index] = dataclasses.replace(routes[index], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(plan, routes=tuple(routes))


def test_checker_rejects_an_overloaded_vehicle(small_problem: Problem, small_plan: Plan) -> None:
    i = _route(small_plan, "TRUCK")
    trip = small_plan.routes[i].trips[0]
    stop = trip.stops[0]
    heavy = dataclasses.replace(stop.deliveries[0], quantity=stop.deliveries[0].quantity + 500)
    stop = dataclasses.replace(stop, deliveries=(heavy, *stop.deliveries[1:]))
    trip = dataclasses.replace(trip, stops=(stop, *trip.stops[1:]))
    broken = _replace_route(small_plan, i, trips=(trip,))
    assert "overloaded" in kinds(small_problem, broken)


def test_checker_rejects_a_missed_window(small_problem: Problem, small_plan: Plan) -> None:
    i = _route(small_plan, "TRUCK")
    late = small_plan.routes[i].start_min + 700  # reaches S1/S2 after they close
    broken = _replace_route(small_plan, i, start_min=late)
    assert "missed_window" in kinds(small_problem, broken)


def test_checker_rejects_a_lot_used_twice(small_problem: Problem, small_plan: Plan) -> None:
    i = _route(small_plan, "TRUCK")
    trip = small_plan.routes[i].trips[0]
    twice = dataclasses.replace(trip, stops=(*trip.stops, *trip.stops))
    broken = _replace_route(small_plan, i, trips=(twice,))
    found = kinds(small_problem, broken)
    assert "lot_overdrawn" in found
    assert "over_delivered" in found


def test_checker_rejects_an_over_long_shift(small_problem: Problem, small_plan: Plan) -> None:
    i = _route(small_plan, "TANKER")
    early = small_plan.routes[i].start_min - 600  # waits for hours: longer than the shift
    broken = _replace_route(small_plan, i, start_min=early)
    found = kinds(small_problem, broken)
    assert "shift_too_long" in found or "starts_before_shift" in found
    trip = small_plan.routes[i].trips[0]
    shifted = dataclasses.replace(trip, stops=trip.stops)
    long_way = _replace_route(small_plan, i, trips=(shifted,) * 12)  # 12 trips, no reloads allowed
    found = kinds(small_problem, long_way)
    assert "reload_not_allowed" in found


def test_checker_rejects_a_shift_longer_than_allowed(
    small_problem: Problem, small_plan: Plan
) -> None:
    tanker = next(v for v in small_problem.vehicles if v.id == "TANKER")
    short = dataclasses.replace(tanker, shift_min=20.0)
    problem = dataclasses.replace(
        small_problem,
        vehicles=tuple(short if v.id == "TANKER" else v for v in small_problem.vehicles),
    )
    assert "shift_too_long" in kinds(problem, small_plan)


def test_checker_rejects_a_wrong_skill(small_problem: Problem, small_plan: Plan) -> None:
    rounds = list(small_plan.rounds)
    k = next(i for i, r in enumerate(rounds) if any(s.visit == "V1" for s in r.stops))
    other = "SOCIAL" if rounds[k].team == "NURSES" else "NURSES"
    rounds = [r for r in rounds if r.team != other]
    k = next(i for i, r in enumerate(rounds) if any(s.visit == "V1" for s in r.stops))
    rounds[k] = dataclasses.replace(rounds[k], team=other)
    broken = dataclasses.replace(small_plan, rounds=tuple(rounds))
    found = kinds(small_problem, broken)
    assert "missing_skill" in found or "missing_language" in found


def test_checker_rejects_food_in_a_tanker(small_problem: Problem, small_plan: Plan) -> None:
    i = _route(small_plan, "TRUCK")
    routes = [r for r in small_plan.routes if r.vehicle != "TANKER"]
    i = next(k for k, r in enumerate(routes) if r.vehicle == "TRUCK")
    routes[i] = dataclasses.replace(routes[i], vehicle="TANKER")
    broken = dataclasses.replace(small_plan, routes=tuple(routes))
    assert "class_not_allowed" in kinds(small_problem, broken)


def test_unmet_quantities_carry_their_reason(small_problem: Problem) -> None:
    import datetime

    from reliefops.planning import Demand, Lot, Priority, Site
    from tests.planning.conftest import small_builder

    b = small_builder()
    b.add_site(Site("FAR", 41.5, 49.0))  # ~250 km away: no round trip within a shift
    b.add_demand(Demand("R4-far", "FAR", "food_parcel", 5, Priority.URGENT))
    b.add_demand(Demand("R5-late", "S2", "food_parcel", 5, Priority.URGENT, needed_by_min=300))
    b.add_item(dataclasses.replace(small_problem.items[0], id="blanket", item_class="nfi"))
    b.add_lot(Lot("L-blanket", "D1", "blanket", 10, datetime.date(2026, 1, 1)))  # expired
    b.add_demand(Demand("R6-blanket", "S3", "blanket", 4))
    problem = b.build()
    plan = solve(problem, StopRule(max_iterations=100), seed=1)
    reasons = {u.demand: u.reason for u in plan.unmet}
    assert reasons["R4-far"] == UnmetReason.UNREACHABLE
    assert reasons["R5-late"] == UnmetReason.AFTER_DEADLINE
    assert reasons["R6-blanket"] == UnmetReason.NO_STOCK
    assert check(problem, plan) == []


def test_progress_callback_reaches_the_end(small_problem: Problem) -> None:
    seen: list[tuple[str, float]] = []
    solve(
        small_problem,
        StopRule(max_iterations=50),
        seed=1,
        progress=lambda p, f: seen.append((p, f)),
    )
    assert ("allocation", 1.0) in seen
    assert seen[-1] == ("routing", 1.0)


def test_parallel_decomposed_and_whole_solves_are_feasible_and_deterministic() -> None:
    from reliefops.planning import GenerateSpec, problem_generate

    problem = problem_generate(
        GenerateSpec(places=80, requests=20, vehicles=6, teams=10, depots=2, visits=30, seed=11)
    )
    rule = StopRule(max_iterations=80)
    parallel = solve(problem, rule, seed=2, workers=2)
    again = solve(problem, rule, seed=2, workers=2)
    inline = solve(problem, rule, seed=2, workers=1)
    whole = solve(problem, rule, seed=2, workers=1, decompose=False)
    assert plan_to_json(parallel)["routes"] == plan_to_json(again)["routes"]
    assert plan_to_json(parallel)["rounds"] == plan_to_json(inline)["rounds"]
    assert parallel.stats["subproblems"] > whole.stats["subproblems"]
    for plan in (parallel, inline, whole):
        assert check(problem, plan) == []


def test_split_delivery_multi_trip_and_end_depot() -> None:
    from datetime import date

    from reliefops.planning import Demand, Depot, Item, Lot, ProblemBuilder, Site, Vehicle

    b = ProblemBuilder(date(2026, 1, 15))
    b.add_site(Site("A", 40.00, 47.00, service_min=0))
    b.add_site(Site("B", 40.10, 47.10, service_min=0))
    b.add_site(Site("S1", 40.02, 47.01))
    b.add_site(Site("S2", 40.03, 47.03))
    b.add_item(Item("food", "food", kg=10.0, m3=0.01))
    b.add_depot(Depot("DA", "A", load_min=15))
    b.add_depot(Depot("DB", "B", load_min=15))
    b.add_lot(Lot("LA", "DA", "food", 1000))
    # 250 units = 2,500 kg: more than one van (1,000 kg) can carry, so it is split over trips.
    b.add_demand(Demand("big", "S1", "food", 250))
    b.add_demand(Demand("small", "S2", "food", 50))
    b.add_vehicle(Vehicle("VAN", "DA", 1000, 10, 0, frozenset({"food"}), reload=True))
    b.add_vehicle(Vehicle("ONE-WAY", "DA", 600, 10, 0, frozenset({"food"}), end_depot="DB"))
    b.set_speed_model()
    problem = b.build()
    plan = solve(problem, StopRule(max_iterations=300), seed=4)
    assert check(problem, plan) == []
    delivered = sum(line.quantity for r in plan.routes for s in r.stops for line in s.deliveries)
    assert delivered == 300
    van = next(r for r in plan.routes if r.vehicle == "VAN")
    assert len(van.trips) >= 2
    big_stops = [s for r in plan.routes for s in r.stops if s.site == "S1"]
    assert len(big_stops) >= 2  # the big demand is split across trips/vehicles
    for trip in van.trips:
        assert trip.load_kg <= 1000

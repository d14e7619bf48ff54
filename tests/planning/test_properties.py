"""Property tests: on random small problems the checker accepts every plan the engine returns,
and rejects the same plan once it is broken by hand."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliefops.planning import (
    Demand,
    Depot,
    Item,
    Lot,
    Priority,
    Problem,
    ProblemBuilder,
    Site,
    StopRule,
    Team,
    Vehicle,
    Visit,
    check,
    solve,
)

DAY = date(2026, 3, 1)
ITEMS = (
    Item("food", "food", kg=15.0, m3=0.05),
    Item("kit", "medical", kg=8.0, m3=0.04),
    Item("fuel", "fuel", kg=0.84, l=1.0, divisible=True),
)
PRIORITIES = list(Priority)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    b = ProblemBuilder(DAY)
    n_depots = draw(st.integers(1, 2))
    n_sites = draw(st.integers(2, 7))
    for d in range(n_depots):
        b.add_site(
            Site(f"D{d}", 40 + draw(st.floats(0, 0.1)), 47 + draw(st.floats(0, 0.1)), service_min=0)
        )
        b.add_depot(Depot(f"dep{d}", f"D{d}", load_min=draw(st.sampled_from([0.0, 15.0]))))
    for s in range(n_sites):
        opens = draw(st.sampled_from([0.0, 480.0, 600.0, 720.0]))
        b.add_site(
            Site(
                f"S{s}",
                40 + draw(st.floats(0, 0.15)),
                47 + draw(st.floats(0, 0.15)),
                area=f"A{s % 2}",
                open_min=opens,
                close_min=opens + draw(st.sampled_from([90.0, 300.0, 700.0])),
                service_min=draw(st.sampled_from([5.0, 20.0])),
            )
        )
    for item in ITEMS:
        b.add_item(item)
    for d in range(n_depots):
        for k, item in enumerate(ITEMS):
            for lot in range(draw(st.integers(1, 2))):
                expires = DAY + timedelta(days=draw(st.integers(-2, 30)))
                b.add_lot(
                    Lot(
                        f"L{d}{k}{lot}",
                        f"dep{d}",
                        item.id,
                        float(draw(st.integers(0, 400))),
                        expires if draw(st.booleans()) else None,
                    )
                )
    for r in range(draw(st.integers(1, 8))):
        item = draw(st.sampled_from(ITEMS))
        b.add_demand(
            Demand(
                f"R{r}",
                f"S{draw(st.integers(0, n_sites - 1))}",
                item.id,
                float(draw(st.integers(1, 300))),
                draw(st.sampled_from(PRIORITIES)),
                draw(st.sampled_from([None, None, 700.0, 300.0])),
            )
        )
    for v in range(draw(st.integers(2, 4))):
        tanker = v == 1 or (v > 1 and draw(st.booleans()))
        b.add_vehicle(
            Vehicle(
                f"V{v}",
                f"dep{draw(st.integers(0, n_depots - 1))}",
                capacity_kg=float(draw(st.integers(200, 3000))),
                capacity_m3=0.0 if tanker else float(draw(st.integers(1, 10))),
                capacity_l=float(draw(st.integers(500, 3000))) if tanker else 0.0,
                item_classes=frozenset({"fuel"}) if tanker else frozenset({"food", "medical"}),
                shift_min=float(draw(st.sampled_from([180, 300, 600]))),
                reload=draw(st.booleans()),
            )
        )
    for t in range(draw(st.integers(1, 2))):
        b.add_team(
            Team(
                f"T{t}",
                "D0",
                frozenset(draw(st.sets(st.sampled_from(["nurse", "doctor"]), max_size=2))),
                frozenset(draw(st.sets(st.sampled_from(["az", "hy"]), max_size=2))),
                shift_min=float(draw(st.sampled_from([180, 480]))),
            )
        )
    for w in range(draw(st.integers(1, 5))):
        b.add_visit(
            Visit(
                f"W{w}",
                f"S{draw(st.integers(0, n_sites - 1))}",
                float(draw(st.integers(10, 60))),
                draw(st.sampled_from(PRIORITIES)),
                draw(st.sampled_from([None, "nurse", "doctor"])),
                draw(st.sampled_from([None, "az", "hy"])),
            )
        )
    b.set_speed_model(speed_kmh=draw(st.sampled_from([20.0, 40.0])), detour=1.3)
    return b.build()


PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@PROPERTY_SETTINGS
@given(problem=problems(), seed=st.integers(0, 50))
def test_checker_accepts_every_plan_the_engine_returns(problem: Problem, seed: int) -> None:
    plan = solve(problem, StopRule(max_iterations=60), seed=seed)
    assert check(problem, plan) == []


@PROPERTY_SETTINGS
@given(problem=problems(), seed=st.integers(0, 50), data=st.data())
def test_checker_rejects_hand_broken_plans(
    problem: Problem, seed: int, data: st.DataObject
) -> None:
    plan = solve(problem, StopRule(max_iterations=60), seed=seed)
    vehicles = {v.id: v for v in problem.vehicles}
    for k, route in enumerate(plan.routes):
        vehicle = vehicles[route.vehicle]
        trip = route.trips[0]
        stop = trip.stops[0]
        line = stop.deliveries[0]
        item = problem.item_by_id[line.item]
        # Overload: add a vehicle-load more of the item to the first stop.
        per_unit = max(
            item.kg / max(vehicle.capacity_kg, 1e-9),
            item.l / max(vehicle.capacity_l, 1e-9) if item.l else 0.0,
        )
        extra = dataclasses.replace(line, quantity=line.quantity + float(int(1.5 / per_unit) + 1))
        broken_stop = dataclasses.replace(stop, deliveries=(extra, *stop.deliveries[1:]))
        broken_trip = dataclasses.replace(trip, stops=(broken_stop, *trip.stops[1:]))
        routes = list(plan.routes)
        routes[k] = dataclasses.replace(route, trips=(broken_trip, *route.trips[1:]))
        found = {v.kind for v in check(problem, dataclasses.replace(plan, routes=tuple(routes)))}
        assert "overloaded" in found
        # Missed window: start the route a day later.
        routes = list(plan.routes)
        routes[k] = dataclasses.replace(route, start_min=route.start_min + 1440)
        found = {v.kind for v in check(problem, dataclasses.replace(plan, routes=tuple(routes)))}
        assert "missed_window" in found
        # Lot used twice: the same stop twice in the trip.
        routes = list(plan.routes)
        routes[k] = dataclasses.replace(
            route, trips=(dataclasses.replace(trip, stops=(stop, *trip.stops)), *route.trips[1:])
        )
        found = {v.kind for v in check(problem, dataclasses.replace(plan, routes=tuple(routes)))}
        assert found & {"lot_overdrawn", "over_delivered", "unaccounted"}
        # Over-long shift: the same plan against a vehicle with a much shorter shift.
        short = dataclasses.replace(
            vehicle, shift_min=max(0.5, (route.end_min - route.start_min) / 2)
        )
        shorter = dataclasses.replace(
            problem, vehicles=tuple(short if v.id == vehicle.id else v for v in problem.vehicles)
        )
        assert "shift_too_long" in {v.kind for v in check(shorter, plan)}
        # Food in a tanker / fuel in a truck: the vehicle may no longer carry the item's class.
        other = frozenset({"fuel"}) if item.item_class != "fuel" else frozenset({"food"})
        changed = dataclasses.replace(vehicle, item_classes=other)
        problem_b = dataclasses.replace(
            problem, vehicles=tuple(changed if v.id == vehicle.id else v for v in problem.vehicles)
        )
        assert "class_not_allowed" in {v.kind for v in check(problem_b, plan)}
    for team_round in plan.rounds:
        team = next(t for t in problem.teams if t.id == team_round.team)
        visit = next(v for v in problem.visits if v.id == team_round.stops[0].visit)
        if visit.skill is None and visit.language is None:
            continue
        unskilled = dataclasses.replace(team, skills=frozenset(), languages=frozenset())
        problem_t = dataclasses.replace(
            problem, teams=tuple(unskilled if t.id == team.id else t for t in problem.teams)
        )
        found = {v.kind for v in check(problem_t, plan)}
        assert found & {"missing_skill", "missing_language"}

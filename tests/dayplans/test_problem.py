"""The planning problem of a day from the database (issue 14), on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from reliefops.dayplans.problem import (
    input_hash_current,
    problem_build,
    problem_load,
    problem_store,
)
from reliefops.dayplans.problem.matrix import UNREACHABLE_MIN
from reliefops.needs.models import Request, RequestLine
from reliefops.places.models import RoadNode, RoadSegment
from reliefops.planning import StopRule, check, problem_to_json, solve
from reliefops.stock.models import StockBalance, Warehouse
from reliefops.stock.services.movements import stock_receive
from reliefops.teams.models import CoverageRule, Shift, Team, TeamMember, Unavailability
from reliefops.teams.models import Visit as TeamVisit
from tests.accounts.factories import OrganisationFactory, make_user
from tests.logistics.factories import VehicleFactory
from tests.people.factories import PersonFactory
from tests.places.factories import AdminAreaFactory, FacilityFactory, PlaceFactory
from tests.stock.factories import ItemFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 3)  # a Thursday


def _node(place: Any) -> RoadNode:
    return RoadNode.objects.create(
        code=f"N-{place.code}",
        kind="place",
        place=place,
        latitude=place.latitude,
        longitude=place.longitude,
    )


def _road(code: str, a: RoadNode, b: RoadNode, km: float) -> RoadSegment:
    return RoadSegment.objects.create(
        code=code, from_node=a, to_node=b, length_km=km, speed_truck_kmh=50
    )


@pytest.fixture
def world() -> dict[str, Any]:
    north = AdminAreaFactory(code="T-NO")
    south = AdminAreaFactory(code="T-SO")
    depot_place = PlaceFactory(code="T-DEP", latitude=40.0, longitude=46.0, admin1=north)
    town = PlaceFactory(code="T-TWN", latitude=40.0, longitude=46.4, admin1=north)
    village = PlaceFactory(code="T-VIL", latitude=40.1, longitude=46.4, admin1=north)
    south_town = PlaceFactory(code="T-STH", latitude=39.7, longitude=46.2, admin1=south)
    n_dep, n_twn, n_vil, n_sth = (_node(p) for p in (depot_place, town, village, south_town))
    main = _road("T-R1", n_dep, n_twn, 40)
    _road("T-R2", n_twn, n_vil, 12)
    _road("T-R3", n_dep, n_sth, 40)
    wh_facility = FacilityFactory(code="F-T-WH", kind="warehouse", place=depot_place)
    school = FacilityFactory(code="F-T-SCH", kind="school", place=town)
    clinic = FacilityFactory(code="F-T-CLN", kind="health_post", place=town)
    south_school = FacilityFactory(code="F-T-SSC", kind="school", place=south_town)
    org = OrganisationFactory(acronym="TORG")
    warehouse = Warehouse.objects.create(facility=wh_facility, organisation=org)
    keeper = make_user("admin")
    food = ItemFactory(code="T-FOOD", category="food", unit="parcel", weight_kg=Decimal("15"))
    fuel = ItemFactory(code="T-DSL", category="fuel", unit="litre", weight_kg=Decimal("0.84"))
    stock_receive(
        actor=keeper, warehouse=warehouse, item=food, quantity=Decimal("300"), lot_code="A"
    )
    stock_receive(
        actor=keeper,
        warehouse=warehouse,
        item=food,
        quantity=Decimal("50"),
        lot_code="OLD",
        expiry_date=DAY - dt.timedelta(days=1),
    )
    stock_receive(
        actor=keeper, warehouse=warehouse, item=fuel, quantity=Decimal("8000"), lot_code=""
    )
    truck = VehicleFactory(registration="T-TRUCK", organisation=org, base=wh_facility)
    VehicleFactory(
        registration="T-TANK",
        kind="fuel_tanker",
        organisation=org,
        base=wh_facility,
        capacity_kg=Decimal("9000"),
        capacity_litres=Decimal("10000"),
    )
    VehicleFactory(registration="T-NOBASE", organisation=org)
    VehicleFactory(registration="T-MAINT", organisation=org, base=wh_facility, status="maintenance")

    def request(ref: str, facility: Any, priority: str, lines: list[tuple[Any, int]]) -> Request:
        r = Request.objects.create(
            reference=ref,
            requester_kind="facility",
            facility=facility,
            place=facility.place,
            area=facility.place.admin1,
            organisation=org,
            priority=priority,
            needed_from=DAY - dt.timedelta(days=5),
            needed_by=DAY + dt.timedelta(days=1),
            status="approved",
        )
        for item, qty in lines:
            RequestLine.objects.create(request=r, item=item, quantity=qty, unit=item.unit)
        return r

    r1 = request("T-REQ-1", school, "life_saving", [(food, 120), (fuel, 2000)])
    r2 = request("T-REQ-2", south_school, "routine", [(food, 40)])
    r3 = request("T-REQ-3", clinic, "urgent", [(food, 30)])
    r3.status = "submitted"
    r3.save()
    # A joint mobile team in the town, a nurse speaking hy and az.
    team = Team.objects.create(
        code="T-MMT",
        name="Mobile team",
        kind="mobile_medical",
        organisation=org,
        base=clinic,
        area=north,
    )
    TeamMember.objects.create(
        team=team, organisation=org, name="A", skills=["nurse"], languages=["hy"]
    )
    TeamMember.objects.create(
        team=team, organisation=org, name="B", skills=["driver"], languages=["az", "ru"]
    )
    TeamMember.objects.create(
        team=team, organisation=org, name="C", skills=["doctor"], languages=["fr"], is_active=False
    )
    Shift.objects.create(team=team, weekday=DAY.weekday(), starts=dt.time(9), ends=dt.time(15))
    off = Team.objects.create(
        code="T-OFF",
        name="On leave",
        kind="mobile_medical",
        organisation=org,
        base=clinic,
        area=north,
    )
    Unavailability.objects.create(team=off, starts_on=DAY, ends_on=DAY, reason="leave")
    CoverageRule.objects.create(code="T-ALONE", name="Alone", lives_alone=True, interval_days=7)
    alone = PersonFactory(
        reference="T-P1",
        place=village,
        lives_alone=True,
        languages=["hy"],
        vulnerabilities=["diabetes"],
    )
    PersonFactory(reference="T-P2", place=village, lives_alone=True, languages=[])
    visited = PersonFactory(reference="T-P3", place=village, lives_alone=True)
    TeamVisit.objects.create(
        person=visited,
        team=team,
        place=village,
        area=north,
        outcome="visited",
        visited_at=timezone.make_aware(dt.datetime.combine(DAY, dt.time(8, 30))),
    )
    return {
        "actor": make_user("coordinator"),
        "north": north,
        "r1": r1,
        "r2": r2,
        "food": food,
        "truck": truck,
        "main": main,
        "warehouse": warehouse,
        "alone": alone,
    }


def _line(request: Request, code: str) -> RequestLine:
    return request.lines.get(item__code=code)


def test_ids_quantities_and_index(world: dict[str, Any]) -> None:
    built = problem_build(actor=world["actor"], day=DAY)
    p = built.problem
    sites = {s.id: s for s in p.sites}
    assert {"F:F-T-WH", "F:F-T-SCH", "F:F-T-SSC", "P:T-VIL"} <= set(sites)
    assert [d.id for d in p.depots] == ["F-T-WH"]
    # Approved requests only (the submitted clinic request stays out), ids = line pks.
    demands = {d.id: d for d in p.demands}
    food_line = _line(world["r1"], "T-FOOD")
    assert set(demands) == {
        str(food_line.pk),
        str(_line(world["r1"], "T-DSL").pk),
        str(_line(world["r2"], "T-FOOD").pk),
    }
    d = demands[str(food_line.pk)]
    assert (d.site, d.item, d.quantity, d.priority.value) == (
        "F:F-T-SCH",
        "T-FOOD",
        120.0,
        "life_saving",
    )
    assert d.needed_by_min == 24 * 60 + 18 * 60  # the end of tomorrow's working day
    entry = built.index["demands"][str(food_line.pk)]
    assert entry["request"] == "T-REQ-1" and entry["site"] == "F:F-T-SCH"
    # Items: class, kg, litres, divisible.
    items = {i.id: i for i in p.items}
    assert (items["T-DSL"].item_class, items["T-DSL"].l, items["T-DSL"].divisible) == (
        "fuel",
        1.0,
        True,
    )
    assert (items["T-FOOD"].kg, items["T-FOOD"].divisible) == (15.0, False)
    # Stock: the expired lot is left out; lot ids are warehouse/lot pk.
    lots = {lot.id: lot for lot in p.lots}
    assert sorted(lot.quantity for lot in lots.values()) == [300.0, 8000.0]
    for lot_id, entry in built.index["lots"].items():
        assert lot_id == f"F-T-WH/{entry['lot']}" and entry["lot_code"] != "OLD"
    # Vehicles: available and based at a warehouse; item classes of their kind.
    vehicles = {v.id: v for v in p.vehicles}
    assert set(vehicles) == {"T-TRUCK", "T-TANK"}
    assert vehicles["T-TANK"].item_classes == {"fuel"} and vehicles["T-TANK"].capacity_l == 10000
    assert any("T-NOBASE" in n for n in built.notes)
    assert built.index["vehicles"]["T-TRUCK"]["depot"] == "F-T-WH"
    json.dumps(built.index)  # PlanRun.index is JSON
    # Short runs (a round trip well under a third of the 10 h shift): several trips a day.
    assert vehicles["T-TRUCK"].reload and vehicles["T-TANK"].reload


def test_awaited_minus_convoys_and_dispatched(world: dict[str, Any]) -> None:
    from tests.logistics.factories import (
        ConsignmentLineFactory,
        ConvoyFactory,
        ConvoyStopFactory,
        ConvoyVehicleFactory,
    )

    line = _line(world["r1"], "T-FOOD")
    line.quantity_dispatched = Decimal("20")
    line.save()
    convoy = ConvoyFactory(origin=world["warehouse"], status="planned")
    carrier = ConvoyVehicleFactory(convoy=convoy, vehicle=world["truck"])
    stop = ConvoyStopFactory(convoy=convoy, facility=world["r1"].facility)
    ConsignmentLineFactory(
        carrier=carrier, stop=stop, request_line=line, item=world["food"], quantity=30
    )
    built = problem_build(actor=world["actor"], day=DAY)
    demands = {d.id: d for d in built.problem.demands}
    assert demands[str(line.pk)].quantity == 120 - 20 - 30
    assert "T-TRUCK" not in {v.id for v in built.problem.vehicles}  # in an active convoy


def test_teams_shift_skills_and_visits_due(world: dict[str, Any]) -> None:
    built = problem_build(actor=world["actor"], day=DAY)
    p = built.problem
    teams = {t.id: t for t in p.teams}
    assert set(teams) == {"T-MMT"}  # T-OFF is on leave
    t = teams["T-MMT"]
    assert (t.base, t.shift_start_min, t.shift_min) == ("F:F-T-CLN", 9 * 60, 6 * 60)
    assert t.skills == {"nurse", "driver"} and t.languages == {"hy", "az", "ru"}
    assert any("T-OFF" in n for n in built.notes)
    visits = {v.id: v for v in p.visits}
    assert set(visits) == {"T-P1", "T-P2"}  # T-P3 was visited today
    assert (visits["T-P1"].site, visits["T-P1"].skill, visits["T-P1"].language) == (
        "P:T-VIL",
        "nurse",
        "hy",
    )
    assert visits["T-P2"].skill is None and visits["T-P2"].language is None
    assert built.index["visits"]["T-P1"]["rule"] == "T-ALONE"


def test_area_filter(world: dict[str, Any]) -> None:
    built = problem_build(actor=world["actor"], day=DAY, area=world["north"])
    sites = {d.site for d in built.problem.demands}
    assert sites == {"F:F-T-SCH"}
    assert {v.id for v in built.problem.visits} == {"T-P1", "T-P2"}


def test_hash_is_stable_and_follows_stock_and_roads(world: dict[str, Any]) -> None:
    actor = world["actor"]
    first = problem_build(actor=actor, day=DAY)
    assert problem_build(actor=actor, day=DAY).input_hash == first.input_hash
    assert input_hash_current(actor=actor, day=DAY) == first.input_hash
    balance = StockBalance.objects.get(item=world["food"], lot__code="A")
    balance.quantity = Decimal("299")
    balance.save()
    after_stock = problem_build(actor=actor, day=DAY)
    assert after_stock.input_hash != first.input_hash
    # Closing the only road to the town makes it unreachable: another matrix, another hash.
    p = after_stock.problem
    before = p.travel_min("F:F-T-WH", "F:F-T-SCH")
    assert before < 120
    world["main"].status = "closed"
    world["main"].save()
    closed = problem_build(actor=actor, day=DAY)
    assert closed.problem.travel_min("F:F-T-WH", "F:F-T-SCH") == UNREACHABLE_MIN
    assert closed.input_hash != after_stock.input_hash


def test_store_load_round_trip(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from reliefops.dayplans.problem import store

    built = problem_build(actor=world["actor"], day=DAY)
    for limit in (1500, 1):  # with the matrix, and rebuilt from the index's places
        monkeypatch.setattr(store, "MATRIX_STORED_MAX_SITES", limit)
        data = problem_store(built)
        loaded = problem_load(data, built.index)
        assert problem_to_json(loaded, include_matrix=False) == problem_to_json(
            built.problem, include_matrix=False
        )
        assert np.array_equal(loaded.distance_km, built.problem.distance_km)
        assert np.array_equal(loaded.duration_min, built.problem.duration_min)
        assert store.input_hash(loaded) == built.input_hash


def test_solved_plan_checks(world: dict[str, Any]) -> None:
    built = problem_build(actor=world["actor"], day=DAY)
    plan = solve(built.problem, StopRule(max_iterations=200), seed=1)
    assert check(built.problem, plan) == []
    delivered = {
        d.demand for r in plan.routes for trip in r.trips for s in trip.stops for d in s.deliveries
    }
    assert str(_line(world["r1"], "T-DSL").pk) in delivered
    assert {s.visit for r in plan.rounds for s in r.stops} >= {"T-P1"}


def test_replan_keeps_departed_and_releases_planned(world: dict[str, Any]) -> None:
    from reliefops.dayplans.models import PlanRun
    from tests.logistics.factories import (
        ConsignmentLineFactory,
        ConvoyFactory,
        ConvoyStopFactory,
        ConvoyVehicleFactory,
    )

    line = _line(world["r1"], "T-FOOD")
    balance = StockBalance.objects.get(item=world["food"], lot__code="A")
    balance.reserved = Decimal("30")  # what the planned convoy holds
    balance.save()
    planned = ConvoyFactory(code="CV-T-PLANNED", origin=world["warehouse"], status="planned")
    carrier = ConvoyVehicleFactory(convoy=planned, vehicle=world["truck"])
    stop = ConvoyStopFactory(convoy=planned, facility=world["r1"].facility)
    ConsignmentLineFactory(
        carrier=carrier,
        stop=stop,
        request_line=line,
        item=world["food"],
        lot=balance.lot,
        quantity=30,
    )
    departed = ConvoyFactory(code="CV-T-GONE", origin=world["warehouse"], status="departed")
    tanker = VehicleFactory(registration="T-TANK")
    ConvoyVehicleFactory(convoy=departed, vehicle=tanker)
    fuel_line = _line(world["r1"], "T-DSL")
    fuel_line.quantity_dispatched = Decimal("2000")  # the departed convoy took it
    fuel_line.save()
    run = PlanRun.objects.create(
        reference="PLAN-T-1",
        date=DAY,
        status="committed",
        commitment={"convoys": ["CV-T-PLANNED", "CV-T-GONE"], "rounds": []},
    )
    plain = problem_build(actor=world["actor"], day=DAY)
    assert {d.id: d.quantity for d in plain.problem.demands}[str(line.pk)] == 90
    assert {v.id for v in plain.problem.vehicles} == set()
    assert sum(lot.quantity for lot in plain.problem.lots if lot.item == "T-FOOD") == 270

    again = problem_build(actor=world["actor"], day=DAY, replan_of=run)
    p = again.problem
    assert {d.id: d.quantity for d in p.demands}[str(line.pk)] == 120
    assert str(fuel_line.pk) not in {d.id for d in p.demands}
    assert {v.id for v in p.vehicles} == {"T-TRUCK"}
    assert sum(lot.quantity for lot in p.lots if lot.item == "T-FOOD") == 300
    fixed = again.index["fixed"]
    assert fixed["released_convoys"] == ["CV-T-PLANNED"]
    assert [c["convoy"] for c in fixed["convoys"]] == ["CV-T-GONE"]
    assert fixed["visits_made"] == ["T-P3"]


def test_opening_hours_texts() -> None:
    from reliefops.dayplans.problem.hours import hours_window

    assert hours_window("24 h") == (0.0, 1440.0)
    assert hours_window("08:00-11:00") == (480.0, 660.0)
    assert hours_window("9:30 – 17:15") == (570.0, 1035.0)
    assert hours_window("22:00-06:00") == (1320.0, 1440.0)
    assert hours_window("on weekdays") is None and hours_window("") is None

"""Editing a draft whose problem comes from the database (``dayplans.problem``), end to end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.problem import problem_build, problem_store
from reliefops.dayplans.services.edits import plan_edit
from reliefops.dayplans.services.runs import plan_kpis
from reliefops.needs.models import Request, RequestLine
from reliefops.places.models import RoadNode, RoadSegment
from reliefops.planning import StopRule, check, plan_to_json, solve
from reliefops.stock.models import Warehouse
from reliefops.stock.services.movements import stock_receive
from tests.accounts.factories import OrganisationFactory, make_user
from tests.logistics.factories import VehicleFactory
from tests.places.factories import AdminAreaFactory, FacilityFactory, PlaceFactory
from tests.stock.factories import ItemFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 3)


def _node(place: Any) -> RoadNode:
    return RoadNode.objects.create(
        code=f"N-{place.code}",
        kind="place",
        place=place,
        latitude=place.latitude,
        longitude=place.longitude,
    )


@pytest.fixture
def draft(settings: Any) -> tuple[PlanRun, Any]:
    """A draft from the database: food for a school by truck; a fuel tanker stays free."""
    settings.RELIEFOPS_PLAN_PROBLEM = "reliefops.dayplans.problem"
    area = AdminAreaFactory(code="E-NO")
    depot_place = PlaceFactory(code="E-DEP", latitude=40.0, longitude=46.0, admin1=area)
    town = PlaceFactory(code="E-TWN", latitude=40.0, longitude=46.3, admin1=area)
    RoadSegment.objects.create(
        code="E-R1",
        from_node=_node(depot_place),
        to_node=_node(town),
        length_km=30,
        speed_truck_kmh=50,
    )
    wh_facility = FacilityFactory(code="F-E-WH", kind="warehouse", place=depot_place)
    school = FacilityFactory(code="F-E-SCH", kind="school", place=town)
    org = OrganisationFactory(acronym="EORG")
    warehouse = Warehouse.objects.create(facility=wh_facility, organisation=org)
    food = ItemFactory(code="E-FOOD", category="food", unit="parcel", weight_kg=Decimal("15"))
    stock_receive(
        actor=make_user("admin"),
        warehouse=warehouse,
        item=food,
        quantity=Decimal("200"),
        lot_code="A",
    )
    VehicleFactory(registration="E-TRUCK", organisation=org, base=wh_facility)
    VehicleFactory(
        registration="E-TANK",
        kind="fuel_tanker",
        organisation=org,
        base=wh_facility,
        capacity_kg=Decimal("9000"),
        capacity_litres=Decimal("10000"),
    )
    request = Request.objects.create(
        reference="E-REQ-1",
        requester_kind="facility",
        facility=school,
        place=town,
        area=area,
        organisation=org,
        priority="life_saving",
        needed_from=DAY - dt.timedelta(days=2),
        needed_by=DAY + dt.timedelta(days=1),
        status="approved",
    )
    RequestLine.objects.create(request=request, item=food, quantity=60, unit="parcel")
    coordinator = make_user("coordinator")
    built = problem_build(actor=coordinator, day=DAY)
    plan = solve(built.problem, StopRule(max_iterations=200), seed=1)
    violations = check(built.problem, plan)
    assert violations == []
    assert [r.vehicle for r in plan.routes] == ["E-TRUCK"]
    run = PlanRun.objects.create(
        reference="PL-20261203-1",
        date=DAY,
        status=PlanStatus.DRAFT,
        input_hash=built.input_hash,
        problem=problem_store(built),
        index=built.index,
        plan=plan_to_json(plan, violations),
        violations=[],
        kpis=plan_kpis(plan),
        created_by=coordinator,
    )
    return run, coordinator


def test_a_swap_onto_the_tanker_is_reported_and_a_swap_back_repairs_it(
    draft: tuple[PlanRun, Any],
) -> None:
    run, coordinator = draft
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={"kind": "swap", "vehicle": "E-TRUCK", "to_vehicle": "E-TANK"},
    )
    assert run.plan is not None and [r["vehicle"] for r in run.plan["routes"]] == ["E-TANK"]
    assert "class_not_allowed" in {v["kind"] for v in run.violations}
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={"kind": "swap", "vehicle": "E-TANK", "to_vehicle": "E-TRUCK"},
    )
    assert run.violations == []
    [stop] = run.plan["routes"][0]["trips"][0]["stops"]
    assert stop["site"] == "F:F-E-SCH"
    demand = stop["deliveries"][0]["demand"]
    assert run.index["demands"][demand]["request"]  # the index still names the request line


def test_a_drop_of_the_only_stop_leaves_the_request_unmet(draft: tuple[PlanRun, Any]) -> None:
    run, coordinator = draft
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={"kind": "drop", "vehicle": "E-TRUCK", "trip": 1, "position": 1},
    )
    assert run.plan is not None and run.plan["routes"] == []
    assert [u["reason"] for u in run.plan["unmet"]] == ["dropped"]
    assert run.kpis["life_saving_served_percent"] == 0.0
    assert run.violations == []

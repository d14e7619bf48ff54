"""A small convoy world for the logistics tests (built through the real services).

Origin warehouse in area A, a crossing point on the way, a kindergarten in area B; a road
of two segments through the crossing point; a fuel tanker and a truck of the MES; two
approved requests of the NGO for the kindergarten and one of another organisation.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reliefops.logistics import services
from reliefops.logistics.models import Driver, Vehicle
from reliefops.needs.models import Request, RequestLine
from reliefops.places.models import RoadNode, RoadSegment, Route, RouteSegment
from reliefops.stock.services import stock_receive
from tests.accounts.factories import OrganisationFactory, make_user
from tests.places.factories import AdminAreaFactory, FacilityFactory, PlaceFactory
from tests.stock.factories import ItemFactory, WarehouseFactory

DAY = dt.date.today()


@dataclass
class Scene:
    mes: Any
    ngo: Any
    other: Any
    origin: Any
    crossing: Any
    kindergarten: Any
    school: Any
    segments: list[Any]
    diesel: Any
    bread: Any
    tanker: Any
    truck: Any
    officer: Any
    partner: Any
    stranger: Any
    requests: list[Any]


def _request(ref: str, org: Any, facility: Any, lines: list[tuple[Any, str]]) -> Request:
    request = Request.objects.create(
        reference=ref,
        requester_kind="facility",
        facility=facility,
        place=facility.place,
        area=facility.place.admin1,
        organisation=org,
        needed_from=DAY,
        needed_by=DAY + dt.timedelta(days=20),
        status="approved",
    )
    for item, quantity in lines:
        RequestLine.objects.create(
            request=request, item=item, quantity=Decimal(quantity), unit=item.unit
        )
    return request


def build() -> Scene:
    area_a, area_b = AdminAreaFactory(code="AZ-AA"), AdminAreaFactory(code="AZ-BB")
    mes = OrganisationFactory(acronym="MES")
    ngo = OrganisationFactory(acronym="KGNGO")
    other = OrganisationFactory(acronym="OTHERORG")
    p0 = PlaceFactory(code="AZ-P0", admin1=area_a, latitude=40.4, longitude=47.1)
    px = PlaceFactory(code="AZ-PX", admin1=area_b, latitude=40.0, longitude=46.9)
    p1 = PlaceFactory(
        code="AZ-P1", admin1=area_b, latitude=39.8, longitude=46.75, names={"en": "Kendi"}
    )
    origin = WarehouseFactory(
        facility=FacilityFactory(code="F-WH", kind="warehouse", place=p0), organisation=mes
    )
    crossing = FacilityFactory(
        code="F-CP", kind="crossing_point", place=px, notice_hours=24, notice_to="Liaison"
    )
    kindergarten = FacilityFactory(code="F-KG", kind="kindergarten", place=p1)
    school = FacilityFactory(code="F-SC", kind="school", place=p1)
    nodes = [
        RoadNode.objects.create(
            code=f"N{i}", kind="place", place=p, latitude=p.latitude, longitude=p.longitude
        )
        for i, p in enumerate([p0, px, p1])
    ]
    segments = [
        RoadSegment.objects.create(
            code=f"S{i}", name=f"Test road part {i}", from_node=a, to_node=b, length_km=30 + i
        )
        for i, (a, b) in enumerate(itertools.pairwise(nodes))
    ]
    route = Route.objects.create(code="R1", names={"en": "Origin–Kendi road"})
    for i, s in enumerate(segments):
        RouteSegment.objects.create(route=route, segment=s, sequence=i)
    diesel = ItemFactory(
        code="DSL",
        category="fuel",
        unit="litre",
        weight_kg=Decimal("0.84"),
        volume_m3=Decimal("0.001"),
    )
    bread = ItemFactory(
        code="BRD", category="bread", unit="kg", weight_kg=Decimal("1"), volume_m3=Decimal("0.004")
    )
    officer = make_user("logistics", areas=[area_a, area_b], organisation=mes, username="lo")
    partner = make_user("partner", areas=[area_b], organisation=ngo, username="ngo")
    stranger = make_user("partner", areas=[area_b], organisation=other, username="other")
    for item, lot, expiry, qty in [
        (diesel, "D-EARLY", DAY + dt.timedelta(days=100), "600"),
        (diesel, "D-LATE", DAY + dt.timedelta(days=400), "5000"),
        (bread, "B-1", DAY + dt.timedelta(days=3), "800"),
    ]:
        stock_receive(
            actor=officer,
            warehouse=origin,
            item=item,
            quantity=Decimal(qty),
            lot_code=lot,
            expiry_date=expiry,
        )
    driver = Driver.objects.create(organisation=mes, name="Driver One", phone="+994 50 000 00 00")
    tanker = Vehicle.objects.create(
        registration="10-MES-01",
        kind="fuel_tanker",
        organisation=mes,
        capacity_kg=Decimal("12000"),
        capacity_litres=Decimal("10000"),
        driver=driver,
    )
    truck = Vehicle.objects.create(
        registration="10-MES-02",
        kind="truck",
        organisation=mes,
        capacity_kg=Decimal("10000"),
        capacity_m3=Decimal("40"),
    )
    requests = [
        _request("RQ-KG-1", ngo, kindergarten, [(diesel, "1000"), (bread, "300")]),
        _request("RQ-SC-1", other, school, [(bread, "200")]),
    ]
    return Scene(
        mes,
        ngo,
        other,
        origin,
        crossing,
        kindergarten,
        school,
        segments,
        diesel,
        bread,
        tanker,
        truck,
        officer,
        partner,
        stranger,
        requests,
    )


def plan(scene: Scene, **kwargs: Any) -> Any:
    """The convoy of both requests, planned from them by the service."""
    return services.convoy_from_requests(
        actor=scene.officer,
        requests=scene.requests,
        origin=scene.origin,
        organisation=scene.mes,
        departure_date=DAY,
        carriers=[services.CarrierInput(scene.tanker), services.CarrierInput(scene.truck)],
        **kwargs,
    )

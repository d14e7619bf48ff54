"""A small world for the dashboard and the situation report: two areas of the teams scene
(people due: 2 in TA-A, 6 in TA-B), a kindergarten with fuel for weeks and a school with
fuel for a day in TA-A, open requests in both areas, a crossing point with counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from reliefops.needs import services as needs
from reliefops.needs.demo import climate_stations_load
from reliefops.stock import services as stock
from tests.accounts.factories import OrganisationFactory, make_user
from tests.crossings.scene import crossings_scene
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory
from tests.teams.scene import build_scene, person

KHANKENDI = {"latitude": 39.8177, "longitude": 46.7528}


@dataclass
class World:
    day: dt.date
    admin: Any
    coordinator: Any
    field_a: Any
    field_b: Any
    kindergarten: Any
    school: Any
    requests: dict[str, Any]


def _facility(code: str, kind: str, place: Any, operator: Any) -> Any:
    return FacilityFactory(
        code=code,
        kind=kind,
        place=place,
        names={"en": code.title(), "hy": "Ստեփանակերտ", "ru": "Степанакерт"},
        heated_area_m2=600,
        heating_fuel="diesel",
        boiler_efficiency=0.82,
        status="operating",
        operator=operator,
        **KHANKENDI,
    )


def _request(admin: Any, org: Any, facility: Any, item: Any, priority: str) -> Any:
    today = timezone.localdate()
    return needs.request_submit(
        actor=admin,
        data=needs.RequestInput(
            requester_kind="facility",
            organisation=org,
            facility=facility,
            priority=priority,
            lines=[needs.LineInput(quantity=Decimal(100), item=item)],
            needed_from=today,
            needed_by=today + dt.timedelta(days=20),
        ),
        confirm_duplicate=True,
        confirm_fuel=True,
    )


def report_world() -> World:
    climate_stations_load()
    teams = build_scene()
    for _ in range(4):
        person(teams.places["B"], year_of_birth=1938)
    crossings = crossings_scene()
    day = timezone.localdate()
    for ago, persons in ((0, 120), (2, 80), (10, 40)):
        crossings.count(day=day - dt.timedelta(days=ago), persons=persons, actor=crossings.admin)
    admin = teams.admin
    util = OrganisationFactory(acronym="UTIL")
    place_a = PlaceFactory(code="TV-A-TOWN", admin1=teams.areas["A"], **KHANKENDI)
    kindergarten = _facility("KG-1", "kindergarten", place_a, util)
    school = _facility("SCH-1", "school", place_a, util)
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    flour = ItemFactory(code="FLR", unit="kg", category="food")
    stock.stock_receive(
        actor=admin,
        warehouse=WarehouseFactory(facility=kindergarten),
        item=diesel,
        quantity=Decimal(5000),
    )
    stock.stock_receive(
        actor=admin, warehouse=WarehouseFactory(facility=school), item=diesel, quantity=Decimal(20)
    )
    place_b = PlaceFactory(code="TV-B-TOWN", admin1=teams.areas["B"])
    bakery_b = FacilityFactory(code="BAK-B", kind="bakery", place=place_b, operator=util)
    requests = {
        "fuel_a": _request(admin, util, school, diesel, "life_saving"),
        "food_a": _request(admin, util, kindergarten, flour, "urgent"),
        "food_b": _request(admin, util, bakery_b, flour, "routine"),
    }
    return World(
        day=day,
        admin=admin,
        coordinator=make_user("coordinator", organisation=OrganisationFactory(acronym="CHQ")),
        field_a=make_user("field", areas=[teams.areas["A"]], organisation=teams.orgs["HLTH"]),
        field_b=make_user("field", areas=[teams.areas["B"]], organisation=teams.orgs["HLTH"]),
        kindergarten=kindergarten,
        school=school,
        requests=requests,
    )

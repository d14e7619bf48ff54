"""Shared makers of the notices tests: an overdue request in an area, users around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reliefops.needs import services as needs
from tests.accounts.factories import OrganisationFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory

DAY = dt.date(2023, 10, 10)


@dataclass
class Scene:
    area: Any
    org: Any
    facility: Any
    partner: Any
    coordinator: Any
    field: Any
    field_elsewhere: Any
    outsider: Any
    item: Any


def scene() -> Scene:
    org = OrganisationFactory(acronym="KGNGO")
    facility = FacilityFactory(
        kind="kindergarten", heated_area_m2=600, names={"en": "Kindergarten 3", "az": "3 saylı"}
    )
    area = facility.place.admin1
    other = FacilityFactory(kind="school").place.admin1
    return Scene(
        area=area,
        org=org,
        facility=facility,
        partner=make_user("partner", areas=[area], organisation=org, username="kg-partner"),
        coordinator=make_user("coordinator", username="hq-coord"),
        field=make_user("field", areas=[area], username="field-here"),
        field_elsewhere=make_user("field", areas=[other], username="field-there"),
        outsider=make_user("partner", areas=[area], username="other-partner"),
        item=ItemFactory(code="DSL", unit="litre", category="fuel"),
    )


def request_submit(s: Scene, needed_by: dt.date = dt.date(2023, 10, 5)) -> Any:
    data = needs.RequestInput(
        requester_kind="facility",
        organisation=s.org,
        facility=s.facility,
        lines=[needs.LineInput(quantity=Decimal(100), item=s.item)],
        needed_from=dt.date(2023, 10, 1),
        needed_by=needed_by,
        priority="urgent",
        justification="boiler heating",
    )
    return needs.request_submit(actor=s.partner, data=data, confirm_duplicate=True)

"""A small coordination world for the meeting tests: two areas, two organisations, users
of each role, a headquarters with a heating group, a meeting in each area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.coordination import services
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory


@dataclass
class Scene:
    north: Any
    south: Any
    own: Any
    other: Any
    admin: Any
    coordinator: Any
    partner: Any
    field: Any
    viewer: Any
    north_place: Any
    south_place: Any
    school: Any
    diesel: Any
    hq: Any
    heating: Any
    meeting: Any
    south_meeting: Any

    def user(self, role: str, *, area: Any = None, organisation: Any = None) -> Any:
        return make_user(role, areas=[area or self.north], organisation=organisation or self.own)


def starts(day: int = 25, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2023, 9, day, hour, 0))


def scene_build() -> Scene:
    country = AdminAreaFactory(code="MM", level=0, names={"en": "Country"})
    north = AdminAreaFactory(code="MM-N", level=1, parent=country, names={"en": "North"})
    south = AdminAreaFactory(code="MM-S", level=1, parent=country, names={"en": "South"})
    own = OrganisationFactory(acronym="OWN")
    other = OrganisationFactory(acronym="OTHER")
    admin = UserFactory(is_superuser=True)
    north_place = PlaceFactory(code="MM-P-N", admin1=north, names={"en": "Northville"})
    south_place = PlaceFactory(code="MM-P-S", admin1=south, names={"en": "Southville"})
    school = FacilityFactory(code="MM-F-SCH", kind="school", place=north_place, operator=own)
    diesel = ItemFactory(code="MM-DSL", unit="litre", category="fuel")
    hq = services.working_group_create(
        actor=admin,
        code="HQ",
        name="Coordination headquarters",
        kind="headquarters",
        lead_organisation=own,
    )
    heating = services.working_group_create(
        actor=admin,
        code="WG-HEAT",
        name="Utilities and heating",
        sector="energy",
        parent=hq,
        lead_organisation=own,
        co_lead_organisation=other,
        areas=[north],
    )
    meeting = services.meeting_create(
        actor=admin,
        title="Heating fuel",
        kind="working_group",
        organisation=own,
        starts_at=starts(),
        place=north_place,
        working_group=heating,
        organisations=[other],
        agenda=["Fuel for schools", "Food"],
    )
    south_meeting = services.meeting_create(
        actor=admin,
        title="South meeting",
        kind="bilateral",
        organisation=other,
        starts_at=starts(26),
        place=south_place,
        agenda=["Roads"],
    )
    return Scene(
        north=north, south=south, own=own, other=other, admin=admin,
        coordinator=make_user(Role.COORDINATOR, organisation=own),
        partner=make_user(Role.PARTNER, areas=[north], organisation=own),
        field=make_user(Role.FIELD, areas=[north], organisation=own),
        viewer=make_user(Role.VIEWER, areas=[north], organisation=own),
        north_place=north_place, south_place=south_place, school=school, diesel=diesel,
        hq=hq, heating=heating, meeting=meeting, south_meeting=south_meeting,
    )  # fmt: skip

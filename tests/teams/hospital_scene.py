"""A small scene for the referral and hospital tests: two areas, a field hospital in
each, a person (with consent) in each, the hospital staff of area A and a field worker
of area B."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.teams import services
from tests.accounts.factories import UserFactory, make_user
from tests.people.factories import PersonFactory, consent_all
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, PlaceFactory


@dataclass
class Scene:
    admin: Any
    area: dict[str, Any]
    hospital: dict[str, Any]
    person: dict[str, Any]
    staff: Any  # field role in area A (the hospital's staff)
    worker_b: Any  # field role in area B only


def hospital_scene() -> Scene:
    admin = UserFactory(is_superuser=True)
    area, hospital, person = {}, {}, {}
    for tag in ("A", "B"):
        area[tag] = AdminAreaFactory(code=f"ZH-{tag}", names={"en": f"Area {tag}"})
        place = PlaceFactory(code=f"ZH-P{tag}", admin1=area[tag], names={"en": f"Village {tag}"})
        hospital[tag] = FacilityFactory(
            code=f"ZH-FH{tag}", kind="field_hospital", place=place, capacity_beds=50
        )
        person[tag] = PersonFactory(place=place)
        consent_all(person[tag])
    return Scene(
        admin=admin,
        area=area,
        hospital=hospital,
        person=person,
        staff=make_user(Role.FIELD, areas=[area["A"]]),
        worker_b=make_user(Role.FIELD, areas=[area["B"]]),
    )


def refer(scene: Scene, tag: str = "A", to: str = "A", **kwargs: Any) -> Any:
    return services.referral_create(
        actor=scene.admin,
        person=scene.person[tag],
        facility=scene.hospital[to],
        reason=kwargs.pop("reason", "surgery"),
        urgency=kwargs.pop("urgency", "urgent"),
        transport=kwargs.pop("transport", "team_vehicle"),
        referred_at=kwargs.pop("referred_at", timezone.now() - dt.timedelta(hours=2)),
        **kwargs,
    )

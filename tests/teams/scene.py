"""A small teams world for the tests: two areas, a joint team in each, field users, a
coverage rule set and people (with consent to visits) in each area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.teams import services
from reliefops.teams.models import CoverageRule
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.people.factories import PersonFactory, consent_all
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import PlaceFactory


@dataclass
class Scene:
    admin: Any
    areas: dict[str, Any]
    orgs: dict[str, Any]
    teams: dict[str, Any]
    field: dict[str, Any]
    places: dict[str, Any]
    people: dict[str, list[Any]] = field(default_factory=dict)


def rules_load() -> list[CoverageRule]:
    rows = [
        ("ALONE70", "Lives alone and 70+", "", True, 70, 7),
        ("MEDS", "Needs regular medication", "chronic_medication", None, None, 14),
        ("SURGERY", "Needs surgery", "needs_surgery", None, None, 7),
        ("PREGNANT", "Pregnant or lactating", "pregnant_lactating", None, None, 14),
    ]
    return [
        CoverageRule.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "vulnerability": vuln,
                "lives_alone": alone,
                "min_age": age,
                "interval_days": days,
            },
        )[0]
        for code, name, vuln, alone, age, days in rows
    ]


def person(place: Any, *, consent: bool = True, **kwargs: Any) -> Any:
    p = PersonFactory(place=place, **kwargs)
    if consent:
        consent_all(p)
    return p


def build_scene() -> Scene:
    admin = UserFactory(is_superuser=True)
    areas = {k: AdminAreaFactory(code=f"TA-{k}") for k in ("A", "B")}
    orgs = {k: OrganisationFactory(acronym=k) for k in ("HLTH", "RCX")}
    places = {k: PlaceFactory(code=f"TV-{k}", admin1=areas[k]) for k in areas}
    teams = {}
    fields = {}
    for k, area in areas.items():
        team = services.team_create(
            actor=admin,
            code=f"MMT-{k}",
            name=f"Mobile medical {k}",
            kind="mobile_medical",
            organisation=orgs["HLTH"],
            partner_organisations=[orgs["RCX"]],
            area=area,
        )
        teams[k] = team
        fields[k] = make_user(Role.FIELD, areas=[area], organisation=orgs["HLTH"])
    rules_load()
    scene = Scene(admin, areas, orgs, teams, fields, places)
    for k in areas:
        scene.people[k] = [person(places[k], year_of_birth=1940) for _ in range(2)]
    return scene


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)

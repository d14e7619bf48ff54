"""A small world for the KoboToolbox/ODK tests: an area with a team, a field user, people
(with consent) named by the payload fixtures, a planned round, and the two example forms
configured from their shipped mapping files (``forms/``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliefops.accounts.choices import Role
from reliefops.intake.kobo.services import form_link_load
from reliefops.teams import services as teams
from reliefops.teams.models import Round
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.people.factories import PersonFactory, consent_all
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, PlaceFactory

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
PAYLOADS = Path(__file__).resolve().parent / "kobo_payloads"
#: The KoboToolbox project (asset) ids the Kobo fixtures carry as ``_xform_id_string``.
KOBO_ASSET = "aTq7wJd3Pn8sVkYe2LmRcX"
KOBO_CROSSING_ASSET = "aRb4nHc8WmQ2sYtLx6VeKp"
PEOPLE = ("P-KOBO1", "P-ODK1", "P-XML1")


def payload(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return result


def payload_bytes(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


@dataclass
class KoboWorld:
    admin: Any
    area: Any
    org: Any
    team: Any
    field: Any
    round: Any
    crossing_point: Any = None
    people: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)


def build_world() -> KoboWorld:
    admin = UserFactory(is_superuser=True)
    area = AdminAreaFactory(code="KB-A", names={"en": "Kobo area"})
    org = OrganisationFactory(acronym="KHLT")
    place = PlaceFactory(code="KB-V1", admin1=area)
    team = teams.team_create(
        actor=admin,
        code="MMT-KB",
        name="Mobile medical Kobo",
        kind="mobile_medical",
        organisation=org,
        area=area,
    )
    field_user = make_user(Role.FIELD, areas=[area], organisation=org, username="kobo-field")
    people = {}
    for reference in PEOPLE:
        person = PersonFactory(reference=reference, place=place, area=area, year_of_birth=1941)
        consent_all(person)
        people[reference] = person
    rnd = teams.round_create(
        actor=field_user,
        team=team,
        date=dt.date(2023, 9, 28),
        stops=[teams.StopInput(people["P-ODK1"])],
    )
    rnd = teams.round_transition(actor=field_user, round=rnd, step="plan")
    Round.objects.filter(pk=rnd.pk).update(reference="RD-KOBO-1")
    rnd.refresh_from_db()
    world = KoboWorld(admin, area, org, team, field_user, rnd, people=people)
    link, secret = form_link_load(
        actor=admin,
        path=FORMS / "home_visit.mapping.json",
        user=field_user,
        form_ids=f"reliefops_home_visit {KOBO_ASSET}",
    )
    world.links[link.key], world.secrets[link.key] = link, secret or ""
    world.crossing_point = FacilityFactory(
        code="F-LAC-CP", kind="crossing_point", place=PlaceFactory(code="KB-CP", admin1=area)
    )
    link, secret = form_link_load(
        actor=admin,
        path=FORMS / "crossing_count.mapping.json",
        user=field_user,
        form_ids=f"reliefops_crossing_count {KOBO_CROSSING_ASSET}",
    )
    world.links[link.key], world.secrets[link.key] = link, secret or ""
    return world

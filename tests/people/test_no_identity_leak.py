"""No name, phone number or address from the registry leaves it except through the
logged reveal: a test plants distinctive identity values (in Latin, Cyrillic and
Armenian script), drives the registry, the teams' visits and referrals and the error
paths through the services, then scans every export kind (every format), every API list
and every argument-free page, the audit log, the history tables and the captured logs
(with SQL logging on) for them."""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from reliefops.core.errors import ApplicationError
from reliefops.core.exchange.exporting import export_write
from reliefops.core.exchange.registry import registry_kinds
from reliefops.core.models import AuditEvent
from tests.accounts.factories import UserFactory, make_user
from tests.stock.factories import FacilityFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PLANTED = [
    {"full_name": "Zərifə Qwzyxova", "phone": "+994 55 918 27 36", "address": "Planted Lane 4817"},
    {
        "full_name": "Кларисса Щвзыхова",
        "phone": "+374 91 736 45 28",
        "address": "ул. Засеянная 5923",
    },
    {
        "full_name": "Արմինե Քվզիխյան",
        "phone": "+994 70 264 81 59",
        "address": "Սերմնային փողոց 6031",
    },
]
#: What must never be found: whole values and their distinctive parts (words of the names
#: and addresses, the phone with and without spaces; no bare digit runs, which hashes of
#: static files and tokens may hold by chance).
TOKENS = [
    token
    for values in PLANTED
    for token in (
        values["full_name"],
        values["full_name"].split()[-1],
        values["phone"],
        values["phone"].replace(" ", ""),
        " ".join(values["phone"].split()[-3:]),
        values["address"],
        max(values["address"].split(), key=len),
    )
]


def _scan(where: str, text: str) -> None:
    lowered = text.casefold()
    found = [token for token in TOKENS if token.casefold() in lowered]
    assert not found, f"{where} contains {found}"


def _person_input(values: dict[str, str], village: Any, org: Any, today: dt.date) -> Any:
    from reliefops.people import services as people
    from reliefops.people.choices import ConsentPurpose

    return people.PersonInput(
        **values,
        place=village,
        organisation=org,
        year_of_birth=1948,
        sex="female",
        lives_alone=True,
        languages=["az", "ru"],
        vulnerabilities=["diabetes", "chronic_medication"],
        registered_on=today,
        consents=[people.ConsentInput(p.value, True, today) for p in ConsentPurpose],
    )


def _errors(world: dict[str, Any]) -> list[ApplicationError]:
    """Refusals on the way: each error's message and details are scanned."""
    from reliefops.people import services as people
    from reliefops.teams import services as teams

    person, field, outsider = world["persons"][0], world["field"], world["outsider"]
    errors: list[ApplicationError] = []
    attempts = [
        lambda: people.person_register(  # unknown language, no consent
            actor=field,
            data=people.PersonInput(
                **PLANTED[0],
                place=world["village"],
                organisation=world["org"],
                languages=["xx"],
            ),
        ),
        lambda: people.person_register(  # no consent to registration
            actor=field,
            data=people.PersonInput(
                **PLANTED[1], place=world["village"], organisation=world["org"]
            ),
        ),
        lambda: people.identity_reveal(  # out of the outsider's areas
            actor=outsider, person=person, fields=["full_name"], purpose="visit"
        ),
        lambda: people.person_update(actor=field, person=person, changes={"phone": "x" * 500}),
        lambda: teams.visit_record(  # consent to visits withdrawn below
            actor=field, person=world["persons"][2], team=world["team"], services=["consultation"]
        ),
    ]
    people.consent_withdraw(
        actor=field, person=world["persons"][2], purpose="visits", on=world["today"]
    )
    for attempt in attempts:
        try:
            attempt()
        except ApplicationError as exc:
            errors.append(exc)
    assert len(errors) == len(attempts), [str(e) for e in errors]
    return errors


def test_no_identity_value_leaves_the_registry_unlogged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from reliefops.people import services as people
    from reliefops.people.models import IdentityAccess
    from reliefops.teams import services as teams
    from tests.accounts.factories import OrganisationFactory
    from tests.core.test_page_contract import page_patterns

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    sql_log = logging.getLogger("django.db.backends")
    was_disabled, sql_log.disabled = sql_log.disabled, False
    connection.force_debug_cursor = True  # SQL and its parameters are logged too
    try:
        org = OrganisationFactory(acronym="LEAK")
        village = PlaceFactory(code="LK-V1", names={"en": "Leak village"})
        hospital = FacilityFactory(code="LK-FH", kind="field_hospital", place=village, operator=org)
        admin = UserFactory(is_superuser=True)
        field = make_user("field", areas=[village.admin1], organisation=org)
        outsider = make_user("field", areas=[PlaceFactory(code="LK-V2").admin1], organisation=org)
        today = timezone.localdate()
        persons = [
            people.person_register(actor=field, data=_person_input(v, village, org, today))
            for v in PLANTED
        ]
        team = teams.team_create(
            actor=admin,
            code="LK-T1",
            name="Leak team",
            kind="mobile_medical",
            organisation=org,
            area=village.admin1,
        )
        teams.member_add(
            actor=admin,
            team=team,
            name="Staff member",
            organisation=org,
            skills=["nurse"],
            languages=["az", "hy", "ru"],
            user=field,
        )
        world = {
            "persons": persons,
            "field": field,
            "outsider": outsider,
            "team": team,
            "village": village,
            "org": org,
            "today": today,
        }
        # a change of identity, a reveal (logged), a round, a visit, a referral
        people.person_update(
            actor=field, person=persons[0], changes={"address": PLANTED[0]["address"] + " B"}
        )
        shown = people.identity_reveal(
            actor=field, person=persons[1], fields=["full_name", "phone"], purpose="visit"
        )
        assert shown["full_name"] == PLANTED[1]["full_name"]
        rnd = teams.round_create(
            actor=admin,
            team=team,
            date=today,
            stops=[teams.StopInput(person=p) for p in persons[:2]],
        )
        rnd = teams.round_transition(actor=admin, round=rnd, step="plan")
        visit = teams.visit_record(
            actor=field,
            person=persons[0],
            team=team,
            stop=rnd.stops.first(),
            services=["consultation", "referral"],
        )
        teams.referral_create(
            actor=field,
            person=persons[0],
            facility=hospital,
            reason="surgery",
            urgency="urgent",
            transport="team_vehicle",
            visit=visit,
            team=team,
        )
        errors = _errors(world)
        for exc in errors:
            _scan(f"error {exc.code}", f"{exc.message} {exc.as_dict()}")

        # every export kind, every format that writes text, as the national administrator
        for entry in registry_kinds():
            if entry.exporter is None or not entry.exporter.__module__.startswith("reliefops."):
                continue  # (a test elsewhere may register a stand-in kind)
            for fmt in ("csv", "hxl"):
                stream = io.BytesIO()
                export_write(kind=entry.kind, stream=stream, actor=admin, fmt=fmt)
                _scan(f"export {entry.kind} ({fmt})", stream.getvalue().decode("utf-8"))

        # every API list and every argument-free page, as the administrator and the field worker
        api = APIClient()
        web = Client()
        schema = api.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/json")
        operations = schema.json()["paths"] if schema.status_code == 200 else {}
        for user in (admin, field):
            api.force_authenticate(user)
            web.force_login(user)
            for path, ops in operations.items():
                if "get" in ops and "{" not in path:
                    _scan(f"GET {path}", api.get(path).content.decode("utf-8", "replace"))
            for pattern in page_patterns():
                if pattern.kwargs or pattern.route.startswith(("logout", "language")):
                    continue
                response = web.get("/" + pattern.route)
                _scan(f"page /{pattern.route}", response.content.decode("utf-8", "replace"))
            for person in persons:  # the person pages before any reveal on them
                response = web.get(f"/people/{person.reference}/")
                _scan(f"person page {person.reference}", response.content.decode())
    finally:
        connection.force_debug_cursor = False
        sql_log.disabled = was_disabled

    # the audit trail, the history tables and the identity-access log
    for event in AuditEvent.objects.all():
        _scan(f"audit {event.action}", f"{event.object_repr} {event.before} {event.after}")
    for model in apps.get_models():
        if model._meta.app_label in {"people", "teams"} and model.__name__.startswith("Historical"):
            for row in model.objects.values():
                _scan(f"history {model.__name__}", str(row))
    assert IdentityAccess.objects.filter(person=persons[1], user=field).exists()
    for access in IdentityAccess.objects.values():
        _scan("identity access log", str(access))
    # and everything logged meanwhile, SQL included (identity values go in encrypted)
    assert any("people_person" in r.getMessage() for r in caplog.records), "SQL was not logged"
    _scan("captured logs", "\n".join(r.getMessage() for r in caplog.records))

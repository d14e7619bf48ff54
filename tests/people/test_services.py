"""The registry's services against the real database: encryption at rest, the logged
reveal, consent, merge and undo, erasure, subject access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.people import services
from reliefops.people.models import Consent, IdentityAccess, Person, PersonMerge
from reliefops.people.selectors import identity_access_log, person_history, person_record_ids
from reliefops.people.services import (
    ConsentInput,
    ConsentMissing,
    PersonInput,
    SubjectData,
    subject_data_register,
)
from tests.accounts.factories import OrganisationFactory, make_user
from tests.people.factories import PersonFactory, consent_all
from tests.stock.factories import PlaceFactory

pytestmark = pytest.mark.django_db

NAME = "Zzyzx Qwertyova"
PHONE = "+994 50 999 1234"
ADDRESS = "Sunflower lane 7, house 13"
DAY = dt.date(2023, 9, 20)


def _register(actor: Any, place: Any, org: Any, **extra: Any) -> Person:
    data = PersonInput(
        place=place,
        organisation=org,
        consents=[
            ConsentInput("registration", True, DAY),
            ConsentInput("visits", True, DAY),
        ],
        full_name=NAME,
        phone=PHONE,
        address=ADDRESS,
        year_of_birth=1949,
        sex="female",
        lives_alone=True,
        languages=["ru", "az"],
        vulnerabilities=["diabetes", "needs_surgery"],
        **extra,
    )
    return services.person_register(actor=actor, data=data)


@pytest.fixture
def world() -> dict[str, Any]:
    place = PlaceFactory()
    org = OrganisationFactory()
    field = make_user("field", areas=[place.admin1], organisation=org)
    return {"place": place, "org": org, "field": field, "area": place.admin1}


def test_registration_encrypts_identity_at_rest_and_keeps_it_out_of_history_and_audit(
    world: dict[str, Any],
) -> None:
    person = _register(world["field"], world["place"], world["org"])
    assert person.reference.startswith("P-") and len(person.reference) == 9
    assert person.area == world["area"] and person.age_band == "70_plus"
    assert person.languages == ["az", "ru"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, phone, address FROM people_person WHERE id = %s",
            [person.pk.hex if connection.vendor == "sqlite" else person.pk],
        )
        raw = cursor.fetchone()
        cursor.execute("SELECT * FROM people_historicalperson")
        history = cursor.fetchall()
        cursor.execute("SELECT before, after, object_repr FROM core_auditevent")
        audit = cursor.fetchall()
    assert raw is not None and all(raw)
    dump = repr((raw, history, audit))
    for secret in (NAME, PHONE, ADDRESS, "Qwertyova", "999 1234", "Sunflower"):
        assert secret not in dump
    assert Person.objects.get(pk=person.pk).full_name == NAME  # decrypts with the key
    assert str(person) == person.reference


def test_registration_is_refused_without_consent_and_validates_codes(
    world: dict[str, Any],
) -> None:
    data = PersonInput(place=world["place"], organisation=world["org"], full_name=NAME)
    with pytest.raises(ConsentMissing):
        services.person_register(actor=world["field"], data=data)
    data.consents = [ConsentInput("registration", False, DAY)]
    with pytest.raises(ConsentMissing):
        services.person_register(actor=world["field"], data=data)
    data.consents = [ConsentInput("registration", True, DAY)]
    data.vulnerabilities = ["flu"]
    with pytest.raises(InvalidInput) as bad:
        services.person_register(actor=world["field"], data=data)
    assert bad.value.details["field"] == "vulnerabilities"
    data.vulnerabilities = []
    data.languages = ["xx"]
    with pytest.raises(InvalidInput) as bad:
        services.person_register(actor=world["field"], data=data)
    assert bad.value.details["field"] == "languages"
    assert not Person.objects.exists()
    elsewhere = PlaceFactory()
    data.languages, data.place = [], elsewhere
    with pytest.raises(Forbidden):
        services.person_register(actor=world["field"], data=data)


def test_update_audits_identity_changes_by_name_only(world: dict[str, Any]) -> None:
    person = _register(world["field"], world["place"], world["org"])
    services.person_update(
        actor=world["field"],
        person=person,
        changes={"phone": "+994 55 000 7777", "mobility": "wheelchair"},
    )
    event = AuditEvent.objects.get(action="person.update")
    assert event.after == {"mobility": "wheelchair", "identity_fields": ["phone"]}
    assert "7777" not in repr(event.before) + repr(event.after)
    with pytest.raises(InvalidInput):
        services.person_update(actor=world["field"], person=person, changes={"notes": "x"})
    other = PlaceFactory()
    with pytest.raises(Forbidden):  # moving the person out of the worker's areas
        services.person_update(actor=world["field"], person=person, changes={"place": other})
    history = person_history(world["field"], person)
    assert [row["type"] for row in history] == ["created", "changed"]
    assert history[1]["changes"] == {"mobility": ("independent", "wheelchair")}
    services.person_deactivate(actor=world["field"], person=person, reason="moved")
    assert Person.objects.get(pk=person.pk).status == "inactive"


def test_reveal_is_logged_and_refused_without_the_action_area_or_consent(
    world: dict[str, Any],
) -> None:
    person = _register(world["field"], world["place"], world["org"])
    shown = services.identity_reveal(
        actor=world["field"],
        person=person,
        fields=["full_name", "address"],
        purpose="visit",
        reason="finding the house",
    )
    assert shown == {"full_name": NAME, "address": ADDRESS}
    access = IdentityAccess.objects.get()
    assert (access.user, access.person, access.fields, access.purpose) == (
        world["field"],
        person,
        ["full_name", "address"],
        "visit",
    )
    assert access.reason == "finding the house" and access.at is not None
    event = AuditEvent.objects.get(action="person.reveal_identity")
    assert event.after["fields"] == ["full_name", "address"] and NAME not in repr(event.after)
    with pytest.raises(ValueError):
        access.save()  # append-only

    for refused in (
        make_user("viewer", areas=[world["area"]]),  # no person.reveal_identity
        make_user("logistics", areas=[world["area"]]),
        make_user("field", areas=[PlaceFactory().admin1]),  # another area
    ):
        with pytest.raises(Forbidden):
            services.identity_reveal(
                actor=refused, person=person, fields=["phone"], purpose="visit"
            )
    with pytest.raises(ConsentMissing):  # no consent to be referred
        services.identity_reveal(
            actor=world["field"], person=person, fields=["phone"], purpose="referral"
        )
    with pytest.raises(InvalidInput):
        services.identity_reveal(
            actor=world["field"], person=person, fields=["year_of_birth"], purpose="visit"
        )
    assert IdentityAccess.objects.count() == 1

    dpo = make_user("dpo")
    log = list(identity_access_log(dpo, person=person))
    assert [(a.user, a.fields) for a in log] == [(world["field"], ["full_name", "address"])]
    assert list(identity_access_log(dpo, user=world["field"], since=dt.date.today()))
    assert not list(identity_access_log(dpo, until=dt.date(2000, 1, 1)))
    with pytest.raises(Forbidden):
        identity_access_log(world["field"])


def test_consent_withdrawal_stops_processing(world: dict[str, Any]) -> None:
    person = _register(world["field"], world["place"], world["org"])
    services.identity_reveal(actor=world["field"], person=person, fields=["phone"], purpose="visit")
    withdrawn = services.consent_withdraw(
        actor=world["field"], person=person, purpose="visits", on=DAY
    )
    assert withdrawn.withdrawn_on == DAY and withdrawn.withdrawn_by == world["field"]
    with pytest.raises(ConsentMissing) as refused:
        services.identity_reveal(
            actor=world["field"], person=person, fields=["phone"], purpose="visit"
        )
    assert refused.value.details["person"] == person.reference
    assert NAME not in str(refused.value.as_dict())
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=world["field"], person=person, purpose="visits", on=DAY)
    services.consent_record(
        actor=world["field"], person=person, purpose="visits", given=True, given_on=DAY
    )
    assert services.consent_in_force(person)["visits"] is True
    services.consent_record(
        actor=world["field"], person=person, purpose="registration", given=False, given_on=DAY
    )
    with pytest.raises(ConsentMissing):
        services.person_update(actor=world["field"], person=person, changes={"sex": "male"})


def test_merge_and_undo_by_the_dpo_keep_both_records_and_histories(
    world: dict[str, Any],
) -> None:
    coordinator = make_user("coordinator")
    survivor = _register(world["field"], world["place"], world["org"])
    duplicate = _register(world["field"], world["place"], world["org"])
    services.person_update(actor=world["field"], person=duplicate, changes={"lives_alone": False})
    histories = {p.pk: p.history.count() for p in (survivor, duplicate)}
    with pytest.raises(Forbidden):  # field workers do not merge
        services.person_merge(
            actor=world["field"], survivor=survivor, duplicate=duplicate, evidence={}
        )
    merge = services.person_merge(
        actor=coordinator, survivor=survivor, duplicate=duplicate, evidence={"score": 97}
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", survivor)
    assert person_record_ids(survivor) == [survivor.pk, duplicate.pk]
    with pytest.raises(Conflict):
        services.person_merge(
            actor=coordinator, survivor=survivor, duplicate=duplicate, evidence={}
        )
    for refused in (coordinator, world["field"]):
        with pytest.raises(Forbidden):
            services.merge_undo(actor=refused, merge=merge)
    dpo = make_user("dpo")
    services.merge_undo(actor=dpo, merge=merge)
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("active", None)
    assert merge.undone_by == dpo and merge.undone_at is not None
    assert person_record_ids(survivor) == [survivor.pk]
    assert Person.objects.filter(pk__in=[survivor.pk, duplicate.pk]).count() == 2
    assert survivor.history.count() == histories[survivor.pk]
    assert duplicate.history.count() == histories[duplicate.pk] + 2  # merged, restored
    assert Consent.objects.filter(person=duplicate).count() == 2
    assert PersonMerge.objects.filter(pk=merge.pk).exists()
    with pytest.raises(Conflict):
        services.merge_undo(actor=dpo, merge=merge)


def test_erase_removes_identity_and_history_details(world: dict[str, Any]) -> None:
    person = _register(world["field"], world["place"], world["org"])
    services.person_update(actor=world["field"], person=person, changes={"year_of_birth": 1950})
    erased_by_others: list[str] = []
    subject_data_register(
        "test-erase",
        SubjectData(
            label="test",
            rows=lambda p: [{"person": p.reference}],
            erase=lambda p: erased_by_others.append(p.reference) or 1,
        ),
    )
    try:
        with pytest.raises(Forbidden):
            services.person_erase(actor=world["field"], person=person, reason="request")
        dpo = make_user("dpo")
        services.person_erase(actor=dpo, person=person, reason="subject request")
    finally:
        from reliefops.people.services import subject

        subject._SUBJECT_DATA.pop("test-erase", None)
    stored = Person.objects.get(pk=person.pk)
    assert (stored.full_name, stored.phone, stored.address) == (None, None, None)
    assert (stored.year_of_birth, stored.household, stored.status) == (None, None, "erased")
    assert stored.erased_at is not None and erased_by_others == [person.reference]
    years = list(Person.history.filter(id=person.pk).values_list("year_of_birth", flat=True))
    assert years == [None]
    event = AuditEvent.objects.get(action="person.erase")
    assert event.after["history_rows_deleted"] == 2
    with pytest.raises(Conflict):
        services.identity_reveal(actor=dpo, person=stored, fields=["phone"], purpose="visit")


def test_subject_access_export_holds_everything_and_is_logged(world: dict[str, Any]) -> None:
    person = _register(world["field"], world["place"], world["org"])
    services.identity_reveal(actor=world["field"], person=person, fields=["phone"], purpose="visit")
    subject_data_register(
        "test-visits",
        SubjectData(label="visits", rows=lambda p: [{"person": p.reference, "visit": 1}]),
    )
    try:
        with pytest.raises(Forbidden):
            services.subject_access_export(actor=world["field"], person=person)
        dpo = make_user("dpo")
        export = services.subject_access_export(actor=dpo, person=person)
    finally:
        from reliefops.people.services import subject

        subject._SUBJECT_DATA.pop("test-visits", None)
    record = export["person"]
    assert (record["full_name"], record["phone"], record["address"]) == (NAME, PHONE, ADDRESS)
    assert record["reference"] == person.reference and record["year_of_birth"] == 1949
    assert {c["purpose"] for c in export["consents"]} == {"registration", "visits"}
    assert export["consent_in_force"]["visits"] is True
    assert [a["purpose"] for a in export["identity_access"]] == ["visit", "subject_access"]
    assert export["other_records"]["test-visits"] == [{"person": person.reference, "visit": 1}]
    assert export["merges"] == []
    logged = IdentityAccess.objects.filter(person=person, purpose="subject_access").get()
    assert logged.user == dpo and logged.fields == ["full_name", "phone", "address"]


def test_factory_people_and_consent_all_still_work() -> None:
    person = PersonFactory()
    consent_all(person)
    assert all(services.consent_in_force(person).values())

"""The registry's pages through the test client, as each role: the pseudonymous list and
person page, the logged reveal, consent, registering and editing, the duplicates review
with its merge and dismissal, and the data-protection officer's tools."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from reliefops.accounts.choices import Role
from reliefops.people.models import (
    Consent,
    DuplicateDismissal,
    IdentityAccess,
    Person,
    PersonMerge,
)
from tests.accounts.factories import OrganisationFactory, make_user
from tests.people.factories import PersonFactory, consent_all
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import PlaceFactory

pytestmark = pytest.mark.django_db

NAME = "Zhenya Distinctova"
PHONE = "+374 99 123 456"
ADDRESS = "Behind the blue well, third gate"


@dataclass
class Scene:
    area: Any
    other: Any
    place: Any
    org: Any
    alice: Person  # in the area, identity known
    twin: Person  # a duplicate of alice in another script
    outsider: Person  # in the other area
    users: dict[str, Any]


def build() -> Scene:
    area = AdminAreaFactory(code="PA-1", names={"en": "Area one"})
    other = AdminAreaFactory(code="PA-2", names={"en": "Area two"})
    place = PlaceFactory(code="PP-1", admin1=area, names={"en": "Hilltop", "ru": "Холм"})
    far = PlaceFactory(code="PP-2", admin1=other, names={"en": "Far valley"})
    org = OrganisationFactory(acronym="MMT")
    alice = PersonFactory(
        reference="P-ALICE",
        full_name=NAME,
        phone=PHONE,
        address=ADDRESS,
        place=place,
        organisation=org,
        year_of_birth=1948,
        vulnerabilities=["diabetes", "cardiac"],
        languages=["ru", "hy"],
    )
    twin = PersonFactory(
        reference="P-TWIN",
        full_name="Женя Дистинктова",
        place=place,
        organisation=org,
        year_of_birth=1949,
    )
    outsider = PersonFactory(reference="P-FAR", full_name="Far Person", place=far, organisation=org)
    for person in (alice, twin, outsider):
        consent_all(person)
    users = {
        role: make_user(role, areas=[area], organisation=org)
        for role in (Role.FIELD, Role.COORDINATOR, Role.LOGISTICS, Role.PARTNER, Role.VIEWER)
    }
    users[Role.DPO] = make_user(Role.DPO, organisation=org)
    return Scene(area, other, place, org, alice, twin, outsider, users)


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_list_is_pseudonymous_scoped_and_filtered() -> None:
    scene = build()
    field = client_for(scene.users[Role.FIELD])
    page = field.get("/people/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "P-ALICE" in body and "P-TWIN" in body and "P-FAR" not in body
    assert NAME not in body and "Женя" not in body and PHONE not in body
    assert "Synthetic" in body and "Hilltop" in body
    assert "Chronic condition: diabetes" in body
    only = field.get("/people/?vulnerability=cardiac").content.decode()
    assert "P-ALICE" in only and "P-TWIN" not in only
    assert "P-TWIN" in field.get("/people/?q=p-tw").content.decode()
    assert "P-ALICE" not in field.get("/people/?lives_alone=false").content.decode()
    htmx = field.get("/people/?o=-reference", HTTP_HX_REQUEST="true").content.decode()
    assert htmx.index("P-TWIN") < htmx.index("P-ALICE") and "<html" not in htmx
    assert field.get("/people/?age_band=nope").status_code == 400
    # Russian: the village in the user's language.
    field.post("/language/", {"language": "ru", "next": "/people/"})
    assert "Холм" in field.get("/people/").content.decode()


@pytest.mark.parametrize("role", [Role.LOGISTICS, Role.PARTNER, Role.VIEWER])
def test_roles_without_the_registry_get_a_403_page(role: str) -> None:
    scene = build()
    client = client_for(scene.users[role])
    for url in ("/people/", "/people/P-ALICE/", "/people/new/", "/people/duplicates/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "P-ALICE" not in response.content.decode().replace("/people/P-ALICE/", "")
    assert client.post("/people/P-ALICE/reveal/", {"show": "full_name"}).status_code == 403
    assert not IdentityAccess.objects.exists()


def test_person_page_hides_identity_until_a_logged_reveal() -> None:
    scene = build()
    user = scene.users[Role.FIELD]
    field = client_for(user)
    page = field.get("/people/P-ALICE/")
    assert page.status_code == 200
    body = page.content.decode()
    for secret in (NAME, PHONE, ADDRESS):
        assert secret not in body
    assert 'id="reveal"' in body and 'data-consent="yes"' in body
    # A field worker out of area: a 404, and nothing about the person.
    far = field.get("/people/P-FAR/")
    assert far.status_code == 404 and "Far valley" not in far.content.decode()
    assert field.post("/people/P-FAR/reveal/", {"show": "full_name"}).status_code == 404
    # A reveal without a purpose: refused next to the field, nothing logged.
    refused = field.post("/people/P-ALICE/reveal/", {"reveal-show": ["full_name"]})
    assert refused.status_code == 400 and NAME not in refused.content.decode()
    assert not IdentityAccess.objects.exists()
    shown = field.post(
        "/people/P-ALICE/reveal/",
        {
            "reveal-show": ["full_name", "phone"],
            "reveal-purpose": "visit",
            "reveal-reason": "round",
        },
    )
    assert shown.status_code == 200
    text = shown.content.decode()
    assert NAME in text and PHONE in text and ADDRESS not in text
    assert "no-store" in shown["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert (access.user, access.person, access.fields, access.purpose, access.reason) == (
        user,
        scene.alice,
        ["full_name", "phone"],
        "visit",
        "round",
    )
    # The reveal is on that response only: the page shows nothing again.
    assert NAME not in field.get("/people/P-ALICE/").content.decode()
    assert field.get("/people/P-ALICE/reveal/").status_code == 405


def test_consent_record_and_withdraw() -> None:
    scene = build()
    field = client_for(scene.users[Role.FIELD])
    url = "/people/P-ALICE/"
    refused = field.post(url + "consent/withdraw/", {"withdraw-purpose": "nope"})
    assert refused.status_code == 400 and 'id="consent-withdraw" open' in refused.content.decode()
    done = field.post(
        url + "consent/withdraw/", {"withdraw-purpose": "contact", "withdraw-on": "2023-10-01"}
    )
    assert done.status_code == 302
    page = field.get(url).content.decode()
    assert 'data-purpose="contact"' in page
    row = page.split('data-purpose="contact"')[1].split("</tr>")[0]
    assert 'data-consent="no"' in row
    again = field.post(
        url + "consent/",
        {
            "consent-purpose": "contact",
            "consent-given": "yes",
            "consent-given_on": "2023-10-02",
            "consent-given_by": "caregiver",
        },
    )
    assert again.status_code == 302
    # the withdrawn consent keeps its record; the new decision is a second one
    assert Consent.objects.filter(person=scene.alice, purpose="contact").count() == 2
    future = field.post(
        url + "consent/",
        {
            "consent-purpose": "visits",
            "consent-given": "no",
            "consent-given_on": "2999-01-01",
            "consent-given_by": "self",
        },
    )
    assert future.status_code == 400


def test_register_and_edit_through_guided_forms() -> None:
    scene = build()
    field = client_for(scene.users[Role.FIELD])
    form = field.get("/people/new/")
    assert form.status_code == 200
    body = form.content.decode()
    assert 'type="checkbox" name="languages"' in body and 'name="vulnerabilities"' in body
    assert "Categories only" in body and "PP-2" not in body
    data = {
        "full_name": "Registered Newperson",
        "phone": "+994 50 555 55 55",
        "place": "PP-1",
        "year_of_birth": "1940",
        "sex": "male",
        "mobility": "limited",
        "lives_alone": "on",
        "languages": ["az", "ru"],
        "vulnerabilities": ["hypertension"],
        "organisation": "MMT",
        "consent_given_by": "self",
        "consents": ["registration", "visits"],
    }
    refused = field.post("/people/new/", {**data, "consents": ["visits"]})
    assert refused.status_code == 409 and "consent" in refused.content.decode().lower()
    out = field.post("/people/new/", {**data, "place": "PP-2"})
    assert out.status_code == 400 and 'id="id_place_error"' in out.content.decode()
    done = field.post("/people/new/", data)
    assert done.status_code == 302, done.content.decode()[:2000]
    person = Person.objects.exclude(reference__in=["P-ALICE", "P-TWIN", "P-FAR"]).get()
    assert done["Location"] == f"/people/{person.reference}/"
    assert "Registered Newperson" not in done["Location"]
    assert person.languages == ["az", "ru"] and person.lives_alone
    edit = field.get(f"/people/{person.reference}/edit/")
    assert edit.status_code == 200 and "Registered Newperson" not in edit.content.decode()
    saved = field.post(
        f"/people/{person.reference}/edit/",
        {**data, "full_name": "", "phone": "", "vulnerabilities": ["renal"], "languages": ["hy"]},
    )
    assert saved.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Registered Newperson" and person.vulnerabilities == ["renal"]
    history = field.get(f"/people/{person.reference}/").content.decode()
    assert "vulnerability categories" in history and "Registered Newperson" not in history


def test_duplicates_review_shows_evidence_reveals_on_demand_and_merges() -> None:
    scene = build()
    user = scene.users[Role.COORDINATOR]
    coordinator = client_for(user)
    assert client_for(scene.users[Role.FIELD]).get("/people/duplicates/").status_code == 403
    page = coordinator.get("/people/duplicates/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-pair="P-ALICE|P-TWIN"' in body
    assert "Cyrillic" in body and "Latin" in body and "1 year apart" in body
    assert "same village" in body and NAME not in body and "Женя" not in body
    shown = coordinator.post("/people/duplicates/reveal/", {"first": "P-ALICE", "second": "P-TWIN"})
    assert shown.status_code == 200 and NAME in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert set(IdentityAccess.objects.values_list("purpose", flat=True)) == {"duplicate_review"}
    assert IdentityAccess.objects.count() == 2
    unconfirmed = coordinator.post(
        "/people/duplicates/merge/", {"first": "P-ALICE", "second": "P-TWIN", "keep": "first"}
    )
    assert unconfirmed.status_code == 400 and not PersonMerge.objects.exists()
    merged = coordinator.post(
        "/people/duplicates/merge/",
        {"first": "P-ALICE", "second": "P-TWIN", "keep": "first", "confirm": "on"},
    )
    assert merged.status_code == 302
    merge = PersonMerge.objects.get()
    assert (merge.survivor, merge.duplicate) == (scene.alice, scene.twin)
    assert merge.evidence["year_difference"] == 1
    scene.twin.refresh_from_db()
    assert scene.twin.merged_into == scene.alice and scene.twin.status == "merged"
    assert (
        'data-pair="P-ALICE|P-TWIN"' not in coordinator.get("/people/duplicates/").content.decode()
    )
    twin_page = coordinator.get("/people/P-TWIN/").content.decode()
    assert 'id="merged-note"' in twin_page and "P-ALICE" in twin_page
    # A coordinator may not undo: the button is not offered, the POST is refused.
    merges = coordinator.get("/people/merges/").content.decode()
    assert 'data-action="undo"' not in merges
    assert (
        coordinator.post(f"/people/merges/{merge.pk}/undo/", {"confirm": "on"}).status_code == 403
    )


def test_dismissing_a_pair_removes_it() -> None:
    scene = build()
    coordinator = client_for(scene.users[Role.COORDINATOR])
    done = coordinator.post("/people/duplicates/dismiss/", {"first": "P-TWIN", "second": "P-ALICE"})
    assert done.status_code == 302
    assert DuplicateDismissal.objects.count() == 1
    assert "P-ALICE|P-TWIN" not in coordinator.get("/people/duplicates/").content.decode()
    assert (
        coordinator.post("/people/duplicates/dismiss/", {"first": "P-ALICE", "second": "P-FAR"})
    ).status_code == 404


def test_data_protection_officer_log_undo_subject_access_and_erase() -> None:
    scene = build()
    field_user = scene.users[Role.FIELD]
    client_for(field_user).post(
        "/people/P-ALICE/reveal/", {"reveal-show": ["address"], "reveal-purpose": "visit"}
    )
    dpo = client_for(scene.users[Role.DPO])
    assert client_for(field_user).get("/people/access-log/").status_code == 403
    log = dpo.get("/people/access-log/?person=P-ALICE")
    assert log.status_code == 200
    text = log.content.decode()
    assert field_user.username in text and "To find or visit the person" in text
    assert ADDRESS not in text
    assert (
        "P-ALICE"
        not in dpo.get("/people/access-log/?person=P-TWIN").content.decode().split("<tbody")[1]
    )
    csv_text = dpo.get("/people/access-log/?format=csv&person=P-ALICE").content.decode()
    assert csv_text.splitlines()[0] == "at,user,person,fields,purpose,reason"
    assert f"{field_user.username},P-ALICE,address,visit" in csv_text and ADDRESS not in csv_text
    # Undo a merge.
    coordinator = client_for(scene.users[Role.COORDINATOR])
    coordinator.post(
        "/people/duplicates/merge/",
        {"first": "P-ALICE", "second": "P-TWIN", "keep": "first", "confirm": "on"},
    )
    merge = PersonMerge.objects.get()
    merges = dpo.get("/people/merges/").content.decode()
    assert 'data-action="undo"' in merges
    assert dpo.post(f"/people/merges/{merge.pk}/undo/").status_code == 302  # not confirmed
    merge.refresh_from_db()
    assert merge.undone_at is None
    assert dpo.post(f"/people/merges/{merge.pk}/undo/", {"confirm": "on"}).status_code == 302
    merge.refresh_from_db()
    scene.twin.refresh_from_db()
    assert merge.undone_at is not None and scene.twin.merged_into is None
    assert scene.twin.status == "active"
    # Subject access: a JSON download, logged.
    page = dpo.get("/people/P-ALICE/").content.decode()
    assert 'id="subject-access"' in page and 'id="erase"' in page and NAME not in page
    download = dpo.post("/people/P-ALICE/subject-access/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["person"]["full_name"] == NAME
    assert IdentityAccess.objects.filter(purpose="subject_access").exists()
    # Erase, after typing the reference.
    wrong = dpo.post(
        "/people/P-ALICE/erase/", {"erase-confirm_reference": "P-X", "erase-reason": "asked"}
    )
    assert wrong.status_code == 400 and 'id="erase" open' in wrong.content.decode()
    assert (
        client_for(field_user)
        .post("/people/P-ALICE/erase/", {"erase-confirm_reference": "P-ALICE", "erase-reason": "x"})
        .status_code
        == 403
    )
    done = dpo.post(
        "/people/P-ALICE/erase/", {"erase-confirm_reference": "P-ALICE", "erase-reason": "asked"}
    )
    assert done.status_code == 302
    scene.alice.refresh_from_db()
    assert scene.alice.status == "erased" and scene.alice.full_name in (None, "")
    assert 'id="reveal"' not in dpo.get("/people/P-ALICE/").content.decode()


def test_dates_are_not_in_the_future_and_year_bounds() -> None:
    scene = build()
    field = client_for(scene.users[Role.FIELD])
    response = field.post(
        "/people/new/",
        {
            "full_name": "X",
            "place": "PP-1",
            "year_of_birth": str(dt.date.today().year + 1),
            "sex": "male",
            "mobility": "limited",
            "organisation": "MMT",
            "consent_given_by": "self",
            "consents": ["registration"],
        },
    )
    assert (
        response.status_code == 400 and 'id="id_year_of_birth_error"' in response.content.decode()
    )

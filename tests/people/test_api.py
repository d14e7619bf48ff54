"""The registry's API as each role: pseudonymous fields per role, scope, the logged
reveal (no-store), registering and correcting, consent, duplicates, merges and their
undo, the access log."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.people.models import Consent, IdentityAccess, Person, PersonMerge
from tests.people.test_pages import ADDRESS, NAME, PHONE, build

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_and_detail_are_pseudonymous_and_scoped() -> None:
    scene = build()
    field = api_for(scene.users[Role.FIELD])
    response = field.get("/api/v1/people/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["reference"] for r in rows} == {"P-ALICE", "P-TWIN"}
    text = response.content.decode()
    for secret in (NAME, PHONE, ADDRESS, "Женя"):
        assert secret not in text
    assert "full_name" not in rows[0] and "year_of_birth" not in rows[0]
    alice = field.get("/api/v1/people/P-ALICE/").json()
    assert alice["vulnerabilities"] == ["diabetes", "cardiac"] and alice["place"] == "PP-1"
    assert field.get("/api/v1/people/P-FAR/").status_code == 404
    assert field.get("/api/v1/people/?vulnerability=cardiac").json()["count"] == 1
    assert field.get("/api/v1/people/?vulnerability=nope").status_code == 400
    # The data-protection officer (national) sees more fields and every area.
    dpo = api_for(scene.users[Role.DPO]).get("/api/v1/people/?o=reference").json()
    assert [r["reference"] for r in dpo["results"]] == ["P-ALICE", "P-FAR", "P-TWIN"]
    assert dpo["results"][0]["year_of_birth"] == 1948


@pytest.mark.parametrize("role", [Role.LOGISTICS, Role.PARTNER, Role.VIEWER])
def test_roles_without_the_registry_are_refused(role: str) -> None:
    scene = build()
    client = api_for(scene.users[role])
    assert client.get("/api/v1/people/").status_code == 403
    assert client.get("/api/v1/people/P-ALICE/").status_code == 403
    response = client.post(
        "/api/v1/people/P-ALICE/reveal/",
        {"fields": ["full_name"], "purpose": "visit"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not IdentityAccess.objects.exists()


def test_reveal_returns_identity_logged_and_not_cached() -> None:
    scene = build()
    user = scene.users[Role.FIELD]
    field = api_for(user)
    bad = field.post("/api/v1/people/P-ALICE/reveal/", {"fields": []}, format="json")
    assert bad.status_code == 400 and {"fields", "purpose"} <= set(bad.json()["error"]["details"])
    response = field.post(
        "/api/v1/people/P-ALICE/reveal/",
        {"fields": ["full_name", "address"], "purpose": "referral", "reason": "hospital"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "reference": "P-ALICE",
        "identity": {"full_name": NAME, "address": ADDRESS},
    }
    assert "no-store" in response["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert (access.user, access.person.reference, access.fields, access.purpose) == (
        user,
        "P-ALICE",
        ["full_name", "address"],
        "referral",
    )
    out = field.post(
        "/api/v1/people/P-FAR/reveal/", {"fields": ["phone"], "purpose": "visit"}, format="json"
    )
    assert out.status_code == 404 and IdentityAccess.objects.count() == 1


def test_register_update_and_consent() -> None:
    scene = build()
    field = api_for(scene.users[Role.FIELD])
    body = {
        "full_name": "Api Person",
        "phone": "+1 555",
        "place": "PP-1",
        "year_of_birth": 1939,
        "sex": "female",
        "lives_alone": True,
        "languages": ["az"],
        "vulnerabilities": ["renal"],
        "organisation": "MMT",
        "consents": [{"purpose": "registration", "given": True, "given_on": "2023-09-20"}],
    }
    far = field.post("/api/v1/people/", {**body, "place": "PP-2"}, format="json")
    assert far.status_code == 400 and "place" in far.json()["error"]["details"]
    no_consent = field.post("/api/v1/people/", {**body, "consents": []}, format="json")
    assert no_consent.status_code == 409
    created = field.post("/api/v1/people/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert "Api Person" not in created.content.decode() and data["lives_alone"] is True
    person = Person.objects.get(reference=data["reference"])
    assert person.full_name == "Api Person" and person.area == scene.area
    changed = field.patch(
        f"/api/v1/people/{person.reference}/",
        {"mobility": "wheelchair", "phone": "+1 556"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["mobility"] == "wheelchair"
    assert "+1 556" not in changed.content.decode()
    person.refresh_from_db()
    assert person.phone == "+1 556"
    assert field.patch(f"/api/v1/people/{person.reference}/", {}, format="json").status_code == 400
    moved = field.patch(f"/api/v1/people/{person.reference}/", {"place": "PP-2"}, format="json")
    assert moved.status_code == 400
    consent = field.post(
        f"/api/v1/people/{person.reference}/consent/",
        {"purpose": "visits", "given": True, "given_on": "2023-09-21"},
        format="json",
    )
    assert consent.status_code == 200 and consent.json()["consents"]["visits"] is True
    withdrawn = field.post(
        f"/api/v1/people/{person.reference}/withdraw-consent/", {"purpose": "visits"}, format="json"
    )
    assert withdrawn.json()["consents"]["visits"] is False
    # the consent in force is marked withdrawn (its record is kept)
    (visits,) = Consent.objects.filter(person=person, purpose="visits")
    assert visits.given and visits.withdrawn_on is not None


def test_duplicates_merge_undo_and_access_log() -> None:
    scene = build()
    coordinator = api_for(scene.users[Role.COORDINATOR])
    assert api_for(scene.users[Role.FIELD]).get("/api/v1/people/duplicates/").status_code == 403
    pairs = coordinator.get("/api/v1/people/duplicates/")
    assert pairs.status_code == 200
    pair = next(p for p in pairs.json() if {p["first"], p["second"]} == {"P-ALICE", "P-TWIN"})
    assert pair["evidence"]["year_difference"] == 1 and pair["evidence"]["same_place"] is True
    assert "cyrillic" in pair["evidence"]["scripts"] and NAME not in pairs.content.decode()
    merged = coordinator.post(
        "/api/v1/people/merges/", {"survivor": "P-ALICE", "duplicate": "P-TWIN"}, format="json"
    )
    assert merged.status_code == 201
    merge_id = merged.json()["id"]
    assert coordinator.post(f"/api/v1/people/merges/{merge_id}/undo/").status_code == 403
    dpo = api_for(scene.users[Role.DPO])
    undone = dpo.post(f"/api/v1/people/merges/{merge_id}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert dpo.post(f"/api/v1/people/merges/{merge_id}/undo/").status_code == 409
    assert PersonMerge.objects.get().undone_at is not None
    dismissed = coordinator.post(
        "/api/v1/people/duplicates/dismiss/",
        {"first": "P-ALICE", "second": "P-TWIN"},
        format="json",
    )
    assert dismissed.status_code == 204
    assert all(
        {p["first"], p["second"]} != {"P-ALICE", "P-TWIN"}
        for p in coordinator.get("/api/v1/people/duplicates/").json()
    )
    # The access log: the data-protection officer's.
    api_for(scene.users[Role.FIELD]).post(
        "/api/v1/people/P-ALICE/reveal/", {"fields": ["phone"], "purpose": "contact"}, format="json"
    )
    assert coordinator.get("/api/v1/people/access-log/").status_code == 403
    log = dpo.get("/api/v1/people/access-log/?person=P-ALICE").json()
    assert log["count"] == 1
    entry = log["results"][0]
    assert (entry["person"], entry["fields"], entry["purpose"]) == ("P-ALICE", ["phone"], "contact")
    assert entry["user"] == scene.users[Role.FIELD].username
    assert dpo.get("/api/v1/people/access-log/?person=P-TWIN").json()["count"] == 0

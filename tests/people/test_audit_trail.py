"""The data-protection officer's audit trail: who may read it, its filters (person, user,
action prefix, period), its CSV of exactly the filtered rows, and its navigation link."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.core.audit import audit_record
from reliefops.core.models import AuditEvent
from reliefops.people import services
from tests.accounts.factories import make_user
from tests.people.factories import PersonFactory, consent_all

pytestmark = pytest.mark.django_db

URL = "/people/audit-trail/"


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def trail() -> dict[str, Any]:
    dpo = make_user(Role.DPO, username="officer")
    field = make_user(Role.FIELD, username="fielder")
    alice = PersonFactory(reference="P-AUD01")
    other = PersonFactory(reference="P-AUD011")  # its reference starts with alice's
    consent_all(alice)
    services.identity_reveal(
        actor=dpo, person=alice, fields=["phone"], purpose="contact", reason="call back"
    )
    audit_record(actor=field, action="visit.record", after={"person": "P-AUD01", "n": 1})
    audit_record(actor=field, action="visit.record", after={"person": "P-AUD011"})
    old = audit_record(actor=None, action="retention.purge", after={"kind": "persons"})
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    return {"dpo": dpo, "field": field, "alice": alice, "other": other}


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_only_the_officer_and_administrators_read_it(trail: dict[str, Any]) -> None:
    assert client_for(trail["field"]).get(URL).status_code == 403
    assert client_for(make_user(Role.COORDINATOR)).get(URL).status_code == 403
    assert client_for(make_user(Role.COORDINATOR)).get(URL + "?format=csv").status_code == 403
    page = client_for(trail["dpo"]).get(URL)
    assert page.status_code == 200
    assert b"retention.purge" in page.content and b"visit.record" in page.content
    assert client_for(make_user(Role.ADMIN)).get(URL).status_code == 200
    # the navigation links it for the officer, not for a field worker
    assert b'href="/people/audit-trail/"' in page.content
    assert b'href="/people/audit-trail/"' not in client_for(trail["field"]).get("/").content


def test_filters_by_person_user_action_and_period(trail: dict[str, Any]) -> None:
    client = client_for(trail["dpo"])
    rows = _csv(client.get(URL, {"person": "P-AUD01", "format": "csv"}))
    # the reveal (object: alice) and the event that mentions her, not P-AUD011's
    assert sorted(r["action"] for r in rows) == ["person.reveal_identity", "visit.record"]
    assert all("P-AUD011" not in r["after"] for r in rows)
    page = client.get(URL, {"person": "P-AUD01"})
    assert b"Who saw the identity of P-AUD01" in page.content and b"call back" in page.content
    assert [r["action"] for r in _csv(client.get(URL, {"user": "fielder", "format": "csv"}))] == [
        "visit.record",
        "visit.record",
    ]
    assert {r["action"] for r in _csv(client.get(URL, {"action": "person.", "format": "csv"}))} == {
        "person.reveal_identity"
    }
    since = (timezone.now() - dt.timedelta(days=5)).date().isoformat()
    recent = _csv(client.get(URL, {"since": since, "format": "csv"}))
    assert "retention.purge" not in {r["action"] for r in recent}
    until = (timezone.now() - dt.timedelta(days=30)).date().isoformat()
    assert [r["action"] for r in _csv(client.get(URL, {"until": until, "format": "csv"}))] == [
        "retention.purge"
    ]
    # the CSV holds exactly the rows the page lists, beyond its first page too
    for n in range(30):
        audit_record(actor=trail["field"], action="bulk.test", after={"n": n})
    page = client.get(URL, {"action": "bulk.", "page_size": "25"})
    assert page.content.count(b"<code>bulk.test</code>") == 25  # the first page
    rows = _csv(client.get(URL, {"action": "bulk.", "format": "csv"}))
    assert sorted(int(r["after"].split(": ")[1].rstrip("}")) for r in rows) == list(range(30))
    assert len(_csv(client.get(URL, {"format": "csv"}))) == AuditEvent.objects.count()


def test_bad_filters_are_a_clear_400(trail: dict[str, Any]) -> None:
    client = client_for(trail["dpo"])
    for query in ({"since": "yesterday"}, {"person": "P" * 40}, {"o": "nonsense"}):
        response = client.get(URL, query)
        assert response.status_code == 400, query
        assert client.get(URL, {**query, "format": "csv"}).status_code == 400


def test_the_api_filters_the_same_way(trail: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(trail["dpo"])
    body = api.get("/api/v1/people/audit-trail/", {"person": "P-AUD01"}).json()
    assert sorted(r["action"] for r in body["results"]) == [
        "person.reveal_identity",
        "visit.record",
    ]
    mention = next(r for r in body["results"] if r["action"] == "visit.record")
    assert mention["after"] == {"person": "P-AUD01", "n": 1} and mention["user"] == "fielder"
    assert api.get("/api/v1/people/audit-trail/", {"since": "soon"}).status_code == 400
    field = APIClient()
    field.force_authenticate(trail["field"])
    assert field.get("/api/v1/people/audit-trail/").status_code == 403

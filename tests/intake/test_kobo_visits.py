"""The home-visit form through the webhook: real-shaped KoboToolbox and ODK Central
submissions create a visit, their edits update the same visit, replays change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from reliefops.core.models import AuditEvent
from reliefops.intake.models import FormInstance
from reliefops.teams.models import Visit
from tests.intake.kobo_world import KoboWorld, build_world, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> KoboWorld:
    return build_world()


def send(world: KoboWorld, body: Any, key: str = "home-visit", **headers: Any) -> Any:
    headers.setdefault("HTTP_AUTHORIZATION", f"Token {world.secrets[key]}")
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return Client().post(
        f"/api/v1/kobo/{key}/", data=data, content_type="application/json", **headers
    )


def counts() -> tuple[int, int, int]:
    return Visit.objects.count(), FormInstance.objects.count(), AuditEvent.objects.count()


def test_kobo_submission_creates_a_visit_and_its_edit_updates_it(world: KoboWorld) -> None:
    first = send(world, payload("kobo_home_visit"))
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["status"], body["outcome"], body["kind"]) == ("applied", "created", "visits")
    visit = Visit.objects.get(person=world.people["P-KOBO1"])
    assert visit.services == ["consultation", "medication_refill"]
    assert visit.follow_up_due.isoformat() == "2023-10-04"
    assert visit.outcome == "visited"
    assert str(visit.client_id) == str(FormInstance.objects.get().record_id)

    edit = send(world, payload("kobo_home_visit_edit"))
    assert edit.status_code == 201, edit.content
    assert (edit.json()["outcome"], edit.json()["root_id"]) == ("updated", body["instance_id"])
    assert Visit.objects.filter(person=world.people["P-KOBO1"]).count() == 1
    visit.refresh_from_db()
    assert visit.services == ["consultation", "medication_refill", "food_parcel"]
    assert visit.follow_up_due.isoformat() == "2023-10-02"

    before = counts()
    again = send(world, payload("kobo_home_visit"))
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == body
    assert send(world, payload("kobo_home_visit_edit")).status_code == 200
    assert counts() == before
    visit.refresh_from_db()
    assert visit.services == ["consultation", "medication_refill", "food_parcel"]


def test_odk_central_submission_and_its_edit(world: KoboWorld) -> None:
    first = send(world, payload("odk_home_visit"))
    assert first.status_code == 201, first.content
    visit = Visit.objects.get(person=world.people["P-ODK1"])
    assert (visit.outcome, visit.services) == ("not_at_home", [])
    assert visit.stop is not None and visit.stop.round_id == world.round.pk
    instance = FormInstance.objects.get()
    assert (instance.shape, instance.submitted_by) == ("odk", "mmt-health-2")
    assert (round(instance.latitude, 4), round(instance.longitude, 4)) == (39.8203, 46.7561)

    edit = send(world, payload("odk_home_visit_edit"))
    assert edit.status_code == 201, edit.content
    assert edit.json()["outcome"] == "updated"
    assert Visit.objects.filter(person=world.people["P-ODK1"]).count() == 1
    visit.refresh_from_db()
    assert (visit.outcome, visit.services) == ("visited", ["consultation", "water"])
    before = counts()
    assert send(world, payload("odk_home_visit_edit")).status_code == 200
    assert counts() == before

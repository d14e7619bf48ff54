"""The crossing-point count form through the webhook: KoboToolbox and ODK Central
submissions create a flow count, their edits correct the same count (history kept),
replays change nothing, refusals create nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from reliefops.core.models import AuditEvent
from reliefops.crossings.models import CrossingCount
from reliefops.intake.models import FormInstance, Submission
from tests.intake.kobo_world import KoboWorld, build_world, payload

pytestmark = pytest.mark.django_db
KEY = "crossing-count"


@pytest.fixture
def world() -> KoboWorld:
    return build_world()


def send(world: KoboWorld, body: Any) -> Any:
    return Client().post(
        f"/api/v1/kobo/{KEY}/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {world.secrets[KEY]}",
    )


def rows() -> tuple[int, int, int, int]:
    return (
        CrossingCount.objects.count(),
        Submission.objects.count(),
        FormInstance.objects.count(),
        AuditEvent.objects.count(),
    )


def test_kobo_count_then_its_edit_corrects_the_same_count(world: KoboWorld) -> None:
    first = send(world, payload("kobo_crossing_count"))
    assert first.status_code == 201, first.content
    assert (first.json()["kind"], first.json()["outcome"]) == ("crossing-counts", "created")
    count = CrossingCount.objects.get()
    assert (count.crossing_point_id, str(count.date), count.hour) == (
        world.crossing_point.pk,
        "2023-09-26",
        14,
    )
    assert (count.direction, count.method, count.male_18_59, count.vehicles) == (
        "outbound",
        "count",
        231,
        212,
    )
    assert count.persons == 967  # the sum of the ten cells
    assert count.organisation_id == world.org.pk

    edit = send(world, payload("kobo_crossing_count_edit"))
    assert edit.status_code == 201, edit.content
    assert edit.json()["outcome"] == "updated"
    assert CrossingCount.objects.count() == 1
    count.refresh_from_db()
    assert (count.male_18_59, count.vehicles, count.persons) == (243, 219, 979)
    assert count.history.count() >= 2  # the correction keeps the count's history

    before = rows()
    assert send(world, payload("kobo_crossing_count")).status_code == 200
    assert send(world, payload("kobo_crossing_count_edit")).status_code == 200
    assert rows() == before


def test_odk_whole_day_estimate_and_its_edit(world: KoboWorld) -> None:
    first = send(world, payload("odk_crossing_count"))
    assert first.status_code == 201, first.content
    count = CrossingCount.objects.get()
    assert (count.hour, count.method, count.persons, count.vehicles) == (
        None,
        "estimate",
        18400,
        2950,
    )
    assert count.female_0_4 is None  # not broken down
    edit = send(world, payload("odk_crossing_count_edit"))
    assert edit.status_code == 201 and edit.json()["outcome"] == "updated", edit.content
    count.refresh_from_db()
    assert (CrossingCount.objects.count(), count.persons, count.vehicles) == (1, 19150, 3020)
    instance = FormInstance.objects.get(
        instance_id=payload("odk_crossing_count_edit")["meta"]["instanceID"]
    )
    assert instance.root_id == payload("odk_crossing_count")["__id"]


def test_an_edit_arriving_before_its_original(world: KoboWorld) -> None:
    """Out of order: the edit makes the count; the original, arriving later, is recorded
    as superseded and changes nothing."""
    assert send(world, payload("kobo_crossing_count_edit")).status_code == 201
    before = CrossingCount.objects.get()
    late = send(world, payload("kobo_crossing_count"))
    assert late.status_code == 200, late.content
    assert late.json()["status"] == "superseded"
    assert late.json()["superseded_by"] == payload("kobo_crossing_count_edit")["meta/instanceID"]
    after = CrossingCount.objects.get()
    assert (after.pk, after.male_18_59, after.vehicles) == (before.pk, 243, 219)


@pytest.mark.parametrize(
    ("edits", "code", "source"),
    [
        ({"count/direction": "sideways"}, "answer_invalid", "count/direction"),
        ({"count/date": "26 September"}, "answer_invalid", "count/date"),
        ({"persons/female_0_4": "-3"}, "", "persons/female_0_4"),
        ({"count/crossing_point": "F-NOWHERE"}, "", "count/crossing_point"),
        ({"count/hour": "25"}, "", "count/hour"),
        ({"count/crossing_point": None}, "answer_invalid", "count/crossing_point"),
    ],
)
def test_a_bad_count_is_refused_naming_the_question(
    world: KoboWorld, edits: dict[str, Any], code: str, source: str
) -> None:
    body = payload("kobo_crossing_count")
    for path, value in edits.items():
        if value is None:
            body.pop(path)
        else:
            body[path] = value
    before = rows()
    response = send(world, body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    if code:
        assert error["code"] == code
    assert source in json.dumps(error["details"].get("sources", {})) + json.dumps(
        error["details"].get("errors", [])
    ), error
    assert rows() == before


def test_the_count_form_takes_no_attachments(world: KoboWorld) -> None:
    body = payload("kobo_crossing_count")
    body["_attachments"] = payload("kobo_home_visit")["_attachments"]
    before = rows()
    response = send(world, body)
    assert (
        response.status_code == 400 and response.json()["error"]["code"] == "attachments_too_many"
    )
    assert rows() == before

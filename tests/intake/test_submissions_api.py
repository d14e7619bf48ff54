"""``POST /api/v1/submissions/`` and ``/batch/`` with the real ``visits`` importer:
applied, replayed, reused ids, refusals that create nothing, waiting records applied once
their reference arrives, the list page and API, and the ``Idempotency-Key`` header."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.core.models import AuditEvent
from reliefops.intake.models import Submission
from reliefops.intake.submissions import submissions_retry
from reliefops.teams import services as team_services
from reliefops.teams.models import Visit
from tests.accounts.factories import make_user
from tests.teams.scene import Scene, build_scene

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/"
BATCH = "/api/v1/submissions/batch/"


@pytest.fixture
def scene() -> Scene:
    return build_scene()


def client_for(user: Any) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_login(user)
    return client


#: When the test visits were made (fixed, so the same call makes the same record).
MADE = timezone.now() - dt.timedelta(hours=2)


def visit(scene: Scene, k: str = "A", n: int = 0, **extra: Any) -> dict[str, Any]:
    moment = MADE - dt.timedelta(minutes=n)
    return {
        "person": scene.people[k][0].reference,
        "team": scene.teams[k].code,
        "visited_at": timezone.localtime(moment).isoformat(timespec="seconds"),
        "outcome": "visited",
        "services": ["consultation", "medication_refill"],
        **extra,
    }


def send(client: APIClient, data: dict[str, Any], uid: str | None = None, **kw: Any) -> Any:
    body = {"id": uid or str(uuid.uuid4()), "kind": "visits", "data": data}
    return client.post(URL, body, format="json", **kw)


def error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


def test_applied_then_replayed_with_the_original_answer(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    uid = str(uuid.uuid4())
    data = visit(scene)
    first = send(client, data, uid)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["id"] == uid and body["kind"] == "visits" and body["status"] == "applied"
    assert body["outcome"] == "created" and body["record"] == uid
    assert body["received_at"] and body["applied_at"]
    stored = Visit.objects.get()
    assert str(stored.client_id) == uid
    again = send(client, dict(reversed(list(data.items()))), uid)  # key order does not matter
    assert again.status_code == 200
    assert again.json() == body and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Visit.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.status == "applied" and submission.attempts == 1
    assert submission.area == scene.areas["A"]
    assert submission.data == data  # kept (encrypted at rest)
    receipts = AuditEvent.objects.filter(action="submission.receive")
    assert receipts.count() == 1
    assert scene.people["A"][0].reference not in json.dumps(receipts.get().after)


def test_the_stored_record_is_encrypted_at_rest(scene: Scene) -> None:
    from django.db import connection

    send(client_for(scene.field["A"]), visit(scene))
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM intake_submission")
        (raw,) = cursor.fetchone()
    assert scene.people["A"][0].reference not in str(raw)


def test_the_same_id_with_another_body_is_a_409_naming_the_id(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    uid = str(uuid.uuid4())
    assert send(client, visit(scene), uid).status_code == 201
    other = send(client, visit(scene, outcome="not_at_home"), uid)
    assert other.status_code == 409
    assert error(other)["code"] == "submission_id_reused"
    assert error(other)["details"]["id"] == uid
    # Another user with the same id meets the same refusal, and learns nothing else.
    stranger = send(client_for(scene.field["B"]), visit(scene, "B"), uid)
    assert stranger.status_code == 409 and error(stranger)["details"]["id"] == uid
    assert Visit.objects.count() == 1


def test_a_refused_record_creates_nothing_and_may_be_sent_again(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    uid = str(uuid.uuid4())
    bad = send(client, visit(scene, person="P-NOSUCH"), uid)
    assert bad.status_code == 400
    assert error(bad)["details"]["field"] == "person"
    assert error(bad)["details"]["id"] == uid
    assert not Visit.objects.exists()
    stored = Submission.objects.get()
    assert stored.status == "refused" and stored.reason
    assert "P-NOSUCH" not in json.dumps(stored.error)  # refused values are not kept
    fixed = send(client, visit(scene), uid)
    assert fixed.status_code == 201 and fixed.json()["outcome"] == "created"
    assert Visit.objects.count() == 1
    unparsable = send(client, visit(scene, visited_at="yesterday-ish"))
    assert unparsable.status_code == 400
    assert error(unparsable)["details"]["field"] == "visited_at"
    unknown = send(client, visit(scene, colour="blue"))
    assert unknown.status_code == 400 and error(unknown)["details"]["field"] == "colour"


def test_envelope_kind_and_permission_refusals_store_nothing(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    cases = [
        ({"id": "not-a-uuid", "kind": "visits", "data": visit(scene)}, 400, "id"),
        ({"id": str(uuid.uuid4()), "kind": "visits", "data": ["x"]}, 400, "data"),
        ({"id": str(uuid.uuid4()), "data": visit(scene)}, 400, "kind"),
    ]
    for body, status, field in cases:
        response = client.post(URL, body, format="json")
        assert response.status_code == status, body
        assert field in error(response)["details"], error(response)
    unknown = client.post(
        URL, {"id": str(uuid.uuid4()), "kind": "nonsense", "data": {}}, format="json"
    )
    assert unknown.status_code == 404 and error(unknown)["details"]["kind"] == "nonsense"
    closed = client.post(URL, {"id": str(uuid.uuid4()), "kind": "items", "data": {}}, format="json")
    assert closed.status_code == 400
    assert error(closed)["code"] == "kind_not_submittable"
    assert error(closed)["details"]["kind"] == "items"
    viewer = make_user(Role.VIEWER, areas=[scene.areas["A"]], organisation=scene.orgs["HLTH"])
    assert send(client_for(viewer), visit(scene)).status_code == 403
    anonymous = APIClient().post(
        URL, {"id": str(uuid.uuid4()), "kind": "visits", "data": visit(scene)}, format="json"
    )
    assert anonymous.status_code in (401, 403)
    assert not Submission.objects.exists() and not Visit.objects.exists()


def test_a_record_outside_the_senders_area_is_refused(scene: Scene) -> None:
    response = send(client_for(scene.field["A"]), visit(scene, "B"))
    assert response.status_code in (400, 403, 404)
    assert not Visit.objects.exists()
    assert Submission.objects.get().status == "refused"


def test_a_visit_before_its_round_waits_and_is_applied_when_the_round_arrives(
    scene: Scene,
) -> None:
    client = client_for(scene.field["A"])
    today = timezone.localdate()
    reference = f"RD-{scene.teams['A'].code}-{today:%Y%m%d}"
    uid = str(uuid.uuid4())
    data = visit(scene, round=reference, sequence=1)
    early = send(client, data, uid)
    assert early.status_code == 202, early.content
    body = early.json()
    assert body["status"] == "waiting" and body["field"] == "round" and body["reason"]
    assert body["expires_at"] > body["received_at"]
    assert not Visit.objects.exists()
    again = send(client, data, uid)  # the device retries: still waiting, tried again
    assert again.status_code == 202
    assert Submission.objects.get(client_id=uid).attempts == 2
    assert client.get(f"{URL}{uid}/").json()["status"] == "waiting"
    rnd = team_services.round_create(
        actor=scene.field["A"],
        team=scene.teams["A"],
        date=today,
        stops=[team_services.StopInput(scene.people["A"][0])],
    )
    team_services.round_transition(actor=scene.field["A"], round=rnd, step="plan")
    assert rnd.reference == reference
    # The next record that creates something retries the waiting ones of the organisation.
    other = send(client, visit(scene, n=5, person=scene.people["A"][1].reference))
    assert other.status_code == 201
    applied = Submission.objects.get(client_id=uid)
    assert applied.status == "applied" and applied.outcome == "created"
    made = Visit.objects.get(client_id=uid)
    assert made.stop is not None and made.stop.round == rnd
    replay = send(client, data, uid)
    assert replay.status_code == 200 and replay.json()["status"] == "applied"
    assert Visit.objects.count() == 2
    assert AuditEvent.objects.filter(action="submission.retry").exists()


def test_the_retry_command_applies_and_expires_waiting_submissions(
    scene: Scene, settings: Any
) -> None:
    client = client_for(scene.field["A"])
    waits = send(client, visit(scene, round="RD-NOT-YET", sequence=1))
    assert waits.status_code == 202
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(
        waiting_since=timezone.now() - settings.SUBMISSION_WAIT_LIFETIME - dt.timedelta(hours=1)
    )
    call_command("submissions_retry", "--json")
    submission.refresh_from_db()
    assert submission.status == "refused"
    assert submission.error["error"]["code"] == "submission_expired"
    assert not Visit.objects.exists()
    # Refused, so the same id and body try again (and wait again, for a fresh lifetime).
    uid = str(submission.client_id)
    retry = send(client, submission.data, uid)
    assert retry.status_code == 202
    assert submissions_retry(limit=0).waiting == 1


def test_batch_answers_each_record_in_order(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    ids = [str(uuid.uuid4()) for _ in range(4)]
    sent = visit(scene, n=9)
    assert send(client, sent, ids[2]).status_code == 201
    items = [
        {"id": ids[0], "kind": "visits", "data": visit(scene, n=1)},
        {"id": ids[1], "kind": "visits", "data": visit(scene, person="P-NOSUCH")},
        {"id": ids[2], "kind": "visits", "data": sent},  # a replay
        {"id": ids[3], "kind": "visits", "data": visit(scene, round="RD-LATER", sequence=1)},
        "not an object",
        {"id": "nope", "kind": "visits", "data": {}},
    ]
    response = client.post(BATCH, {"submissions": items}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["http_status"] for r in results] == [201, 400, 200, 202, 400, 400]
    assert [r.get("id") for r in results[:4]] == ids
    assert results[1]["error"]["details"]["field"] == "person"
    assert results[2]["replayed"] is True
    assert results[4]["error"]["details"]["index"] == 4
    assert Visit.objects.count() == 2
    too_many = client.post(BATCH, {"submissions": items * 100}, format="json")
    assert too_many.status_code == 400 and error(too_many)["code"] == "batch_too_large"
    assert client.post(BATCH, {"submissions": []}, format="json").status_code == 400
    assert client.post(BATCH, [1, 2], format="json").status_code == 400


def test_with_an_idempotency_key_both_mechanisms_agree(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    uid = str(uuid.uuid4())
    first = send(client, visit(scene), uid, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    by_header = send(client, visit(scene), uid, HTTP_IDEMPOTENCY_KEY="k-1")
    by_id = send(client, visit(scene), uid, HTTP_IDEMPOTENCY_KEY="k-2")
    assert by_header.status_code == 201 and by_header["Idempotent-Replayed"] == "true"
    assert by_id.status_code == 200 and by_id.json() == first.json()
    assert Visit.objects.count() == 1


def test_list_page_and_api_are_scoped(scene: Scene) -> None:
    a, b = client_for(scene.field["A"]), client_for(scene.field["B"])
    send(a, visit(scene))
    send(a, visit(scene, round="RD-LATER", sequence=1))
    send(b, visit(scene, "B"))
    assert a.get(URL).json()["count"] == 3  # B's sender acts for the same organisation
    waiting = a.get(URL, {"status": "waiting"}).json()["results"]
    assert [s["status"] for s in waiting] == ["waiting"] and waiting[0]["reason"]
    assert "data" not in waiting[0]
    national = make_user(Role.COORDINATOR, organisation=scene.orgs["RCX"])
    assert client_for(national).get(URL).json()["count"] == 3
    regional = make_user(Role.COORDINATOR, areas=[scene.areas["B"]], organisation=scene.orgs["RCX"])
    seen = client_for(regional).get(URL).json()["results"]
    assert [s["area"] for s in seen] == ["TA-B"]
    other = make_user(Role.FIELD, areas=[scene.areas["A"]])  # another organisation
    assert client_for(other).get(URL).json()["count"] == 0
    assert client_for(other).get(f"{URL}{waiting[0]['id']}/").status_code == 404
    page = a.get("/intake/submissions/")
    assert page.status_code == 200
    assert page.content.count(b"<tr>") >= 3
    assert b"Waiting" in page.content
    filtered = a.get("/intake/submissions/", {"status": "waiting"}, HTTP_HX_REQUEST="true")
    assert filtered.status_code == 200
    assert b"badge warn" in filtered.content and b"badge ok" not in filtered.content


def test_the_offline_source_is_kept_and_is_not_part_of_the_record(scene: Scene) -> None:
    client = client_for(scene.field["A"])
    uid = str(uuid.uuid4())
    body = {"id": uid, "kind": "visits", "data": visit(scene), "source": "offline"}
    assert client.post(URL, body, format="json").status_code == 201
    assert Submission.objects.get().source == "offline"
    plain = {k: v for k, v in body.items() if k != "source"}
    assert client.post(URL, plain, format="json").status_code == 200
    batch = client.post(
        BATCH,
        {"submissions": [{**body, "id": str(uuid.uuid4()), "data": visit(scene, n=3)}]},
        format="json",
    )
    assert batch.json()["results"][0]["http_status"] == 201
    assert sorted(Submission.objects.values_list("source", flat=True)) == ["offline", "offline"]


def _referral_world() -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """A hospital scene with a team; a visit record and the referral made on it."""
    from tests.teams.hospital_scene import hospital_scene

    world = hospital_scene()
    team = team_services.team_create(
        actor=world.admin,
        code="MMT-H",
        name="Team",
        kind="mobile_medical",
        organisation=world.staff.memberships.get().organisation,
        area=world.area["A"],
    )
    visit_id, referral_id = str(uuid.uuid4()), str(uuid.uuid4())
    who = world.person["A"].reference
    visit_record = {
        "id": visit_id,
        "kind": "visits",
        "data": {"id": visit_id, "person": who, "team": team.code, "outcome": "visited"},
    }
    referral_record = {
        "id": referral_id,
        "kind": "referrals",
        "data": {
            "person": who,
            "facility": world.hospital["A"].code,
            "reason": "chronic_condition",
            "transport": "team_vehicle",
            "visit": visit_id,
        },
    }
    return world, visit_record, referral_record


def test_a_referral_before_its_visit_waits_and_is_applied_when_the_visit_arrives() -> None:
    from reliefops.teams.models import Referral

    world, visit_record, referral_record = _referral_world()
    client = client_for(world.staff)
    early = client.post(URL, referral_record, format="json")
    assert early.status_code == 202 and early.json()["field"] == "visit"
    assert not Referral.objects.exists()
    assert client.post(URL, visit_record, format="json").status_code == 201
    status = client.get(f"{URL}{referral_record['id']}/").json()
    assert status["status"] == "applied" and status["outcome"] == "created"
    made = Referral.objects.get()
    assert str(made.client_id) == referral_record["id"] and status["record"] == made.reference
    assert str(made.visit.client_id) == visit_record["id"]
    replay = client.post(URL, referral_record, format="json")
    assert replay.status_code == 200 and replay.json()["record"] == made.reference


def test_a_batch_in_the_wrong_order_is_applied_whole() -> None:
    from reliefops.teams.models import Referral

    world, visit_record, referral_record = _referral_world()
    client = client_for(world.staff)
    response = client.post(BATCH, {"submissions": [referral_record, visit_record]}, format="json")
    results = response.json()["results"]
    assert [r["http_status"] for r in results] == [201, 201], results
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert Referral.objects.get().visit.client_id == uuid.UUID(visit_record["id"])

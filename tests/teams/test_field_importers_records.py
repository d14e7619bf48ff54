"""The teams' field kinds one record at a time (``record_apply``, what a field submission
runs) and through the submissions service: client ids, replays, pending references and
records arriving out of order (a visit before its round, a referral before its visit)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from reliefops.core import exchange as ex
from reliefops.core.errors import ApplicationError
from reliefops.intake.submissions import submission_receive
from reliefops.teams import services
from reliefops.teams.models import Referral, Round, Visit
from tests.teams.hospital_scene import hospital_scene
from tests.teams.scene import build_scene

pytestmark = pytest.mark.django_db


def iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def planned(scene: Any, k: str = "A") -> Round:
    rnd = services.round_create(
        actor=scene.field[k],
        team=scene.teams[k],
        date=timezone.localdate(),
        stops=[services.StopInput(p) for p in scene.people[k]],
    )
    return services.round_transition(actor=scene.field[k], round=rnd, step="plan")


def visit_data(scene: Any, rnd: Any, n: int, made: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {
        "person": scene.people["A"][n - 1].reference,
        "team": "MMT-A",
        "round": rnd if isinstance(rnd, str) else rnd.reference,
        "sequence": n,
        "visited_at": iso(made),
        "outcome": "visited",
        "services": ["consultation", "food_parcel"],
        "follow_up_due": None,
        **extra,
    }


def test_a_visit_record_takes_the_submissions_id_and_a_replay_is_unchanged() -> None:
    scene = build_scene()
    rnd = planned(scene)
    uid = str(uuid.uuid4())
    data = visit_data(scene, rnd, 1, timezone.now() - dt.timedelta(minutes=20))
    first = ex.record_apply("visits", actor=scene.field["A"], data=data, client_id=uid)
    assert (first.outcome, first.key, first.written) == ("created", uid, 1)
    assert first.area == scene.areas["A"]
    visit = Visit.objects.get()
    assert str(visit.client_id) == uid and visit.services == ["consultation", "food_parcel"]
    again = ex.record_apply("visits", actor=scene.field["A"], data=data, client_id=uid)
    assert (again.outcome, again.written) == ("unchanged", 0)
    # An edit of the record (a KoboToolbox edit names the first one's id) corrects it.
    edit = ex.record_apply(
        "visits",
        actor=scene.field["A"],
        data={**data, "id": uid, "outcome": "not_at_home", "services": []},
        client_id=str(uuid.uuid4()),
    )
    assert edit.outcome == "updated"
    visit.refresh_from_db()
    assert (visit.outcome, visit.services, Visit.objects.count()) == ("not_at_home", [], 1)


def test_a_visit_before_its_round_is_pending_then_applied() -> None:
    scene = build_scene()
    reference = f"RD-MMT-A-{timezone.localdate():%Y%m%d}"
    data = visit_data(scene, reference, 1, timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(ex.RecordPending) as waiting:
        ex.record_apply("visits", actor=scene.field["A"], data=data, client_id=str(uuid.uuid4()))
    assert waiting.value.details["field"] == "round"
    rnd = planned(scene)
    assert rnd.reference == reference
    done = ex.record_apply("visits", actor=scene.field["A"], data=data)
    assert done.outcome == "created" and Visit.objects.get().stop.round == rnd


def test_the_rounds_completion_first_then_its_visits_and_its_start() -> None:
    scene = build_scene()
    rnd = planned(scene)
    field = scene.field["A"]
    made = timezone.now() - dt.timedelta(minutes=40)
    done = ex.record_apply(
        "rounds", actor=field, data={"round": rnd.reference, "status": "completed"}
    )
    assert (done.outcome, done.written, done.area) == ("updated", 2, scene.areas["A"])
    visit = ex.record_apply("visits", actor=field, data=visit_data(scene, rnd, 1, made))
    assert visit.outcome == "created"
    assert rnd.stops.get(sequence=1).visits.count() == 1  # the stop is closed
    start = ex.record_apply(
        "rounds", actor=field, data={"round": rnd.reference, "status": "in_progress"}
    )
    assert start.outcome == "unchanged"
    with pytest.raises(ApplicationError) as late:  # a visit made after the completion
        ex.record_apply(
            "visits",
            actor=field,
            data=visit_data(scene, rnd, 2, timezone.now() + dt.timedelta(seconds=5)),
        )
    assert late.value.details["field"] == "round"
    assert "completed before this visit" in str(late.value.message)
    assert Visit.objects.count() == 1


def test_a_referral_record_answers_its_new_reference_and_waits_for_its_visit() -> None:
    scene = hospital_scene()
    who = scene.person["A"]
    team = services.team_create(
        actor=scene.admin,
        code="MMT-H",
        name="Team",
        kind="mobile_medical",
        organisation=scene.staff.memberships.get().organisation,
        area=scene.area["A"],
    )
    visit_id = str(uuid.uuid4())
    referral_id = str(uuid.uuid4())
    referral = {
        "person": who.reference,
        "facility": "ZH-FHA",
        "reason": "chronic_condition",
        "urgency": "urgent",
        "transport": "team_vehicle",
        "visit": visit_id,
    }
    # The referral made on the visit reaches the server before the visit: it waits.
    first = submission_receive(
        actor=scene.staff, client_id=referral_id, kind="referrals", data=referral
    )
    assert first.status_code == 202 and first.body["status"] == "waiting"
    assert not Referral.objects.exists()
    visit = {"id": visit_id, "person": who.reference, "team": team.code, "outcome": "visited"}
    applied = submission_receive(actor=scene.staff, client_id=visit_id, kind="visits", data=visit)
    assert applied.status_code == 201, applied.body
    made = Referral.objects.get()  # the waiting referral was retried and applied
    assert str(made.client_id) == referral_id and str(made.visit.client_id) == visit_id
    replay = submission_receive(
        actor=scene.staff, client_id=referral_id, kind="referrals", data=referral
    )
    assert replay.status_code == 200 and replay.body["record"] == made.reference
    # The same record applied again (a new request, the same id) finds its referral.
    again = ex.record_apply("referrals", actor=scene.staff, data=referral, client_id=referral_id)
    assert (again.outcome, again.key) == ("unchanged", made.reference)
    # The facility's staff admit the person with a record naming the reference.
    admit = ex.record_apply(
        "referrals", actor=scene.staff, data={"reference": made.reference, "status": "admitted"}
    )
    assert admit.outcome == "updated" and admit.key == made.reference
    made.refresh_from_db()
    assert made.status == "admitted" and Referral.objects.count() == 1

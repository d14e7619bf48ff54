"""The lower apps' services notify in their own transaction: a request awaiting a step,
a convoy turned back at a crossing point, a day plan ready for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from reliefops.dayplans.services.runs import plan_run_start
from reliefops.logistics import services as logistics
from reliefops.needs import services as needs
from reliefops.notices.choices import NoticeKind
from reliefops.notices.messages import notice_text
from reliefops.notices.models import Notice
from tests.accounts.factories import make_user
from tests.dayplans import fake_problem
from tests.logistics import scene as world
from tests.notices import helpers

pytestmark = pytest.mark.django_db
AWAITING = NoticeKind.REQUEST_AWAITING_STEP


def _told(kind: str, reference: str) -> dict[str, str]:
    """username → the step named in the notice."""
    return {
        n.recipient.username: n.params.get("step_name", "")
        for n in Notice.objects.filter(kind=kind, reference=reference).select_related("recipient")
    }


def test_request_steps_tell_whoever_takes_the_next_one() -> None:
    s = helpers.scene()
    request = helpers.request_submit(s)
    # Submitted: the field worker of the area and the coordinator may verify; not the
    # partner who submitted, nor a field worker elsewhere.
    assert _told(AWAITING, request.reference) == {"field-here": "verify", "hq-coord": "verify"}
    notice = Notice.objects.get(recipient=s.field, reference=request.reference)
    assert notice.link == f"/needs/requests/{request.pk}/"
    assert notice_text(notice, "en") == (
        f"Request {request.reference} (Kindergarten 3) is Submitted and awaits your step: Verify."
    )
    assert "3 saylı" in notice_text(notice, "az")
    Notice.objects.all().delete()
    needs.request_verify(actor=s.field, request=request)
    assert _told(AWAITING, request.reference) == {"hq-coord": "approve"}
    Notice.objects.all().delete()
    needs.request_approve(actor=s.coordinator, request=request)  # the actor is not told
    assert _told(AWAITING, request.reference) == {}
    needs.request_reject(actor=s.coordinator, request=request, reason="duplicate")
    assert _told(AWAITING, request.reference) == {}  # rejected: no step waits


def test_a_refused_step_tells_nobody() -> None:
    s = helpers.scene()
    request = helpers.request_submit(s)
    Notice.objects.all().delete()
    with pytest.raises(Exception):
        needs.request_approve(actor=s.coordinator, request=request)  # not verified yet
    assert not Notice.objects.exists()


@pytest.mark.postgres
def test_convoy_turned_back_tells_its_planner_and_the_areas_logistics() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    logistics.convoy_load(actor=scene.officer, convoy=convoy)
    logistics.convoy_depart(actor=scene.officer, convoy=convoy)
    colleague = make_user(
        "logistics", areas=[convoy.area], organisation=scene.mes, username="lo-colleague"
    )
    elsewhere = make_user("logistics", organisation=scene.mes, username="lo-nowhere")
    coordinator = make_user("coordinator", username="hq")
    areas = list(scene.officer.memberships.get().areas.all())  # origin and destination
    recorder = make_user("logistics", areas=areas, organisation=scene.mes, username="gate")
    truck = convoy.vehicles.get(vehicle=scene.truck)
    at = timezone.make_aware(dt.datetime.combine(world.DAY, dt.time(9)))
    logistics.passage_record(
        actor=recorder,
        convoy=convoy,
        data=logistics.PassageInput(
            crossing_point=scene.crossing, outcome="turned_back", time_in=at, carrier=truck
        ),
    )
    told = set(_told(NoticeKind.CONVOY_TURNED_BACK, convoy.code))
    assert {scene.officer.username, colleague.username, coordinator.username} <= told
    assert recorder.username not in told and elsewhere.username not in told
    notice = Notice.objects.filter(kind=NoticeKind.CONVOY_TURNED_BACK).first()
    assert notice is not None and notice.link == f"/logistics/convoys/{convoy.code}/"
    assert notice_text(notice, "en").startswith(f"Convoy {convoy.code} was turned back at ")
    # A passage that passes tells nobody.
    assert not Notice.objects.filter(kind=NoticeKind.CONVOY_TURNED_BACK).exclude(
        reference=convoy.code
    )


def test_a_finished_plan_run_tells_its_creator(
    settings: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = "tests.dayplans.fake_problem"
    fake_problem.FAIL_WITH = None
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_start(
            actor=coordinator, day=dt.date(2026, 3, 2), seconds=5, seed=3, iterations=100
        )
    run.refresh_from_db()
    notice = Notice.objects.get(kind=NoticeKind.PLAN_READY)
    assert notice.recipient == coordinator and notice.reference == run.reference
    assert notice.link == f"/dayplans/{run.reference}/"
    assert f"The day plan {run.reference} for 2026-03-02 is ready for review" in notice_text(
        notice, "en"
    )

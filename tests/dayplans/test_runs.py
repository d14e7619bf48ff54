"""Plan runs inline (no broker): start → draft, progress, parameters, scope, cancel, failure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.dayplans.blobs import BlobTampered, blob_pack, blob_unpack
from reliefops.dayplans.choices import PartStatus, PlanStatus
from reliefops.dayplans.models import PlanPart, PlanRun
from reliefops.dayplans.services.runs import (
    plan_part_solve,
    plan_run_cancel,
    plan_run_execute,
    plan_run_start,
)
from tests.accounts.factories import make_user
from tests.dayplans import fake_problem
from tests.dayplans.test_problem import DAY as PROBLEM_DAY
from tests.dayplans.test_problem import world  # noqa: F401 - the problem tests' fixture
from tests.places.factories import AdminAreaFactory

DAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fake_problem(settings: Any) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = "tests.dayplans.fake_problem"
    fake_problem.FAIL_WITH = None


def _start(actor: Any, capture: Any, **kwargs: Any) -> PlanRun:
    kwargs.setdefault("iterations", 150)
    with capture(execute=True):
        run = plan_run_start(actor=actor, day=DAY, seconds=5, seed=3, **kwargs)
    run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_inline_run_ends_as_a_checked_draft(
    coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run = _start(coordinator, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.DRAFT, run.error
    assert run.reference == "PL-20260302-1"
    assert run.violations == []
    assert run.plan is not None and run.plan["violations"] == []
    assert run.plan["routes"], "a generated day has deliveries"
    assert run.progress == 1.0 and run.percent == 100
    assert run.parts_total == 4 and run.parts_done == 4
    assert set(PlanPart.objects.filter(run=run).values_list("status", flat=True)) == {
        PartStatus.DONE
    }
    for key in (
        "served_percent",
        "life_saving_served_percent",
        "distance_km",
        "vehicle_hours",
        "visits_made",
    ):
        assert key in run.kpis
    assert run.kpis["vehicle_hours"] > 0
    for phase in ("build", "prepare", "solve", "merge", "check", "save"):
        assert run.timings[phase] >= 0
    assert "dispatched_at" not in run.timings
    assert run.input_hash and run.problem and run.index["notes"] == ["fake: a generated day"]
    assert run.parameters == {"seconds": 5, "seed": 3, "iterations": 150, "workers": 1}
    actions = set(AuditEvent.objects.filter(object_id=str(run.pk)).values_list("action", flat=True))
    assert {"plan.run_start", "plan.run_finish"} <= actions
    second = _start(coordinator, django_capture_on_commit_callbacks)
    assert second.reference == "PL-20260302-2"
    # Same seed and iteration limit: the same plan.
    assert (
        second.plan["routes"] == run.plan["routes"] and second.plan["rounds"] == run.plan["rounds"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("seconds", {"seconds": 0}),
        ("seconds", {"seconds": 3601}),
        ("iterations", {"iterations": 0}),
        ("workers", {"workers": 0}),
        ("workers", {"workers": 65}),
        ("seed", {"seed": "x"}),
    ],
)
def test_invalid_parameters_name_the_field(
    coordinator: Any, field: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_run_start(actor=coordinator, day=DAY, **kwargs)
    assert caught.value.details["field"] == field
    assert not PlanRun.objects.exists()


@pytest.mark.django_db
def test_out_of_scope_actors_are_refused() -> None:
    area, other = AdminAreaFactory(), AdminAreaFactory()
    local = make_user("coordinator", areas=[area])
    with pytest.raises(Forbidden):
        plan_run_start(actor=local, day=DAY, area=other)
    with pytest.raises(Forbidden):
        plan_run_start(actor=local, day=DAY)  # every area takes a national membership
    with pytest.raises(Forbidden):
        plan_run_start(actor=make_user("viewer"), day=DAY)
    assert not PlanRun.objects.exists()
    run = plan_run_start(actor=local, day=DAY, area=area)
    assert run.status == PlanStatus.QUEUED and run.area == area


@pytest.mark.django_db
def test_a_failing_build_fails_the_run_with_its_reason(
    coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    fake_problem.FAIL_WITH = "the road network has no node near Lachin"
    run = _start(coordinator, django_capture_on_commit_callbacks)
    assert run.status == PlanStatus.FAILED
    assert "the road network has no node near Lachin" in run.error
    assert "Traceback" not in run.error
    assert run.plan is None
    assert AuditEvent.objects.filter(object_id=str(run.pk), action="plan.run_fail").exists()


@pytest.mark.django_db
def test_cancel_skips_parts_and_saves_no_plan(coordinator: Any) -> None:
    run = plan_run_start(actor=coordinator, day=DAY, seconds=5, iterations=100)  # not enqueued
    with pytest.raises(Forbidden):
        plan_run_cancel(actor=make_user("viewer"), run=run)
    plan_run_cancel(actor=coordinator, run=run)
    assert run.status == PlanStatus.CANCELLED
    assert plan_run_execute(run).status == PlanStatus.CANCELLED  # the queued job does nothing
    assert not PlanPart.objects.filter(run=run).exists()
    assert AuditEvent.objects.filter(object_id=str(run.pk), action="plan.run_cancel").exists()


@pytest.mark.django_db
def test_cancel_while_running_skips_the_parts_not_started(
    coordinator: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reliefops.dayplans.services import runs

    dispatched: list[Any] = []
    monkeypatch.setattr(runs, "_dispatch", lambda run, parts: dispatched.append(parts))
    run = plan_run_start(actor=coordinator, day=DAY, seconds=5, iterations=100)
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_execute(run)
    assert run.status == PlanStatus.RUNNING and run.parts_total == 4
    parts = dispatched[0]
    assert plan_part_solve(parts[0].pk) == PartStatus.DONE
    assert plan_part_solve(parts[0].pk) == PartStatus.DONE  # delivered twice: not redone
    plan_run_cancel(actor=coordinator, run=run)
    assert plan_part_solve(parts[1].pk) == PartStatus.QUEUED  # skipped
    assert runs.plan_run_merge(run.pk).status == PlanStatus.CANCELLED
    run.refresh_from_db()
    assert run.plan is None and run.parts_done == 1


@pytest.mark.django_db
def test_a_part_solved_twice_keeps_its_first_result(
    coordinator: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reliefops.dayplans.services import runs

    dispatched: list[Any] = []
    monkeypatch.setattr(runs, "_dispatch", lambda run, parts: dispatched.append(parts))
    run = plan_run_start(actor=coordinator, day=DAY, seconds=5, iterations=100)
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_execute(run)
    part = dispatched[0][0]
    plan_part_solve(part.pk, worker="a@host")
    PlanPart.objects.filter(pk=part.pk).update(status=PartStatus.RUNNING)  # re-delivered mid-way
    plan_part_solve(part.pk, worker="b@host")
    part.refresh_from_db()
    assert part.status == PartStatus.DONE
    run.refresh_from_db()
    assert run.parts_done == 1


def test_blobs_refuse_what_they_did_not_sign() -> None:
    blob = blob_pack({"a": 1})
    assert blob_unpack(blob) == {"a": 1}
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(BlobTampered):
        blob_unpack(tampered)


@pytest.mark.django_db
def test_inline_run_from_the_database(
    world: dict[str, Any],  # noqa: F811 - the fixture imported above
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = "reliefops.dayplans.problem"
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_start(actor=world["actor"], day=PROBLEM_DAY, seconds=5, iterations=150)
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT, run.error
    assert run.violations == [] and run.progress == 1.0
    assert run.index["depots"] and run.input_hash
    delivered = {
        d["demand"]
        for r in run.plan["routes"]
        for trip in r["trips"]
        for s in trip["stops"]
        for d in s["deliveries"]
    }
    assert delivered <= set(run.index["demands"]) and delivered


@pytest.mark.django_db
def test_a_job_delivered_again_after_its_builder_died_fails(coordinator: Any) -> None:
    run = plan_run_start(actor=coordinator, day=DAY, seconds=5, iterations=100)
    PlanRun.objects.filter(pk=run.pk).update(status=PlanStatus.RUNNING, phase="build")
    run.refresh_from_db()
    run = plan_run_execute(run)
    assert run.status == PlanStatus.FAILED
    assert "start the run again" in run.error

"""Fault (issue 16): a Celery worker killed (SIGKILL) in the middle of a plan run.

A real worker on Redis solves the run's sub-problems; while one of them is being solved the
worker and its children are killed with SIGKILL. Nothing of the run is committed but what
the parts already finished; a second worker, started afterwards, gets the killed part again
(``acks_late``; the broker's redelivery delay is shortened for the test) and the run ends
as one draft, merged once (CI: Redis + PostgreSQL).
"""

from __future__ import annotations

import signal
import time
from datetime import date
from typing import Any

import psutil
import pytest

from reliefops.core.models import AuditEvent
from reliefops.dayplans.choices import PartStatus, PlanStatus
from reliefops.dayplans.models import PlanPart, PlanRun
from reliefops.dayplans.services.runs import plan_run_start
from tests.celery_workers import celery_workers, wait_for

DAY = date(2026, 3, 3)
FAKE = "tests.dayplans.fake_problem"
REDELIVER = 3  # seconds an unacknowledged task waits before a worker takes it again


def _kill(worker: Any) -> None:
    """SIGKILL the worker and every process it started (as a machine that dies would)."""
    process = psutil.Process(worker.pid)
    for child in process.children(recursive=True):
        child.send_signal(signal.SIGKILL)
    process.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_worker_run_finishes_once_on_the_next(coordinator: Any, settings: Any) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = FAKE
    queue = settings.CELERY_TASK_ROUTES["reliefops.dayplans.*"]["queue"]
    env = {"RELIEFOPS_PLAN_PROBLEM": FAKE, "RELIEFOPS_TASK_REDELIVER_SECONDS": str(REDELIVER)}
    with celery_workers(queue, count=1, env=env) as (first,):
        run = plan_run_start(actor=coordinator, day=DAY, seconds=12, seed=3, workers=1)

        def solving() -> bool:
            return PlanPart.objects.filter(run=run, status=PartStatus.RUNNING).exists()

        wait_for(solving, first, seconds=120)
        time.sleep(1.0)  # well inside the part's search
        _kill(first)
    killed_at = time.monotonic()

    # What the dead worker left: a running run, no plan, no draft, no finish event.
    run.refresh_from_db()
    assert run.status == PlanStatus.RUNNING and run.plan in (None, {})
    parts = PlanPart.objects.filter(run=run)
    assert parts.count() == run.parts_total > 1
    assert parts.filter(status=PartStatus.RUNNING).count() == 1
    assert parts.filter(status=PartStatus.DONE).count() == run.parts_done < run.parts_total
    assert not AuditEvent.objects.filter(action="plan.run_finish", object_id=str(run.pk)).exists()
    assert PlanRun.objects.filter(status=PlanStatus.DRAFT).count() == 0

    time.sleep(max(0.0, REDELIVER + 1 - (time.monotonic() - killed_at)))
    with celery_workers(queue, count=1, env=env) as second:
        wait_for(lambda: PlanRun.objects.get(pk=run.pk).finished, second, seconds=240)
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT, run.error
    assert run.progress == 1.0 and run.plan
    parts = PlanPart.objects.filter(run=run)
    assert parts.count() == run.parts_total == run.parts_done
    assert {p.status for p in parts} == {PartStatus.DONE}
    assert any(p.worker.startswith("w0-") for p in parts)
    # Merged exactly once: one finish event, one draft for the day, no second run.
    finished = AuditEvent.objects.filter(action="plan.run_finish", object_id=str(run.pk))
    assert finished.count() == 1
    assert PlanRun.objects.filter(date=DAY).count() == 1
    print(
        f"[reliefops] killed worker: {run.reference} finished once on the next worker, "
        f"{run.parts_total} parts"
    )


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_killed_while_building_the_run_fails_with_its_reason(
    coordinator: Any, settings: Any
) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = FAKE
    queue = settings.CELERY_TASK_ROUTES["reliefops.dayplans.*"]["queue"]
    env = {
        "RELIEFOPS_PLAN_PROBLEM": FAKE,
        "RELIEFOPS_TASK_REDELIVER_SECONDS": str(REDELIVER),
        "RELIEFOPS_FAKE_BUILD_SECONDS": "30",
    }
    with celery_workers(queue, count=1, env=env) as (first,):
        run = plan_run_start(actor=coordinator, day=DAY, seconds=5, seed=3, workers=1)
        wait_for(
            lambda: PlanRun.objects.filter(pk=run.pk, phase="build", status="running").exists(),
            first,
            seconds=120,
        )
        time.sleep(1.0)
        _kill(first)
    killed_at = time.monotonic()
    time.sleep(max(0.0, REDELIVER + 1 - (time.monotonic() - killed_at)))
    with celery_workers(queue, count=1, env=env) as second:
        wait_for(lambda: PlanRun.objects.get(pk=run.pk).finished, second, seconds=120)
    run.refresh_from_db()
    assert run.status == PlanStatus.FAILED
    assert "stopped" in run.error and "start the run again" in run.error
    assert not PlanPart.objects.filter(run=run).exists() and run.plan is None
    assert AuditEvent.objects.filter(action="plan.run_fail", object_id=str(run.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="plan.run_finish").exists()

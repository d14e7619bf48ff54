"""A real Celery worker runs a real job against the test database (CI: Redis + PostgreSQL)."""

from __future__ import annotations

import os

import pytest

from reliefops.core.models import AuditEvent
from reliefops.core.tasks import system_probe
from tests.celery_workers import celery_worker, wait_for


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_a_job_through_the_broker() -> None:
    queue = f"test-{os.getpid()}"
    with celery_worker(queue) as worker:
        result = system_probe.apply_async(args=["ci"], queue=queue)
        wait_for(result.ready, worker)
        payload = result.get(timeout=5)
    assert payload["pid"] != os.getpid(), "the job ran in the test process, not in the worker"
    assert payload["pid"] == worker.pid
    assert payload["database"] == "postgresql"
    event = AuditEvent.objects.get(id=payload["event_id"])
    assert event.action == "system.probe"
    assert event.after == {"label": "ci"}
    print(f"[reliefops] Celery worker pid {worker.pid} ran job system_probe on PostgreSQL")

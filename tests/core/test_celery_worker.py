"""A real Celery worker runs a real job against the test database (CI: Redis + PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from reliefops.core.models import AuditEvent
from reliefops.core.tasks import system_probe


def _worker_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_a_job_through_the_broker() -> None:
    if not settings.CELERY_BROKER_URL:
        if os.environ.get("RELIEFOPS_REQUIRE_CELERY"):
            pytest.fail("RELIEFOPS_REQUIRE_CELERY is set but no broker is configured")
        pytest.skip("no Celery broker configured (set CELERY_BROKER_URL)")
    from reliefops.celery import app

    env = {**os.environ, "DATABASE_URL": _worker_database_url()}
    env.pop("RELIEFOPS_TEST_RUN", None)
    queue = f"test-{os.getpid()}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reliefops.celery",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        result = system_probe.apply_async(args=["ci"], queue=queue)
        deadline = time.monotonic() + 90
        while not result.ready() and time.monotonic() < deadline:
            if worker.poll() is not None:
                pytest.fail(
                    f"worker exited early:\n{worker.stdout.read() if worker.stdout else ''}"
                )
            time.sleep(0.2)
        payload = result.get(timeout=5)
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert payload["pid"] != os.getpid(), "the job ran in the test process, not in the worker"
    assert payload["pid"] == worker.pid
    assert payload["database"] == "postgresql"
    event = AuditEvent.objects.get(id=payload["event_id"])
    assert event.action == "system.probe"
    assert event.after == {"label": "ci"}
    print(f"[reliefops] Celery worker pid {worker.pid} ran job system_probe on PostgreSQL")

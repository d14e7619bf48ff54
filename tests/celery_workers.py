"""A real Celery worker for the tests that need one (CI: Redis + PostgreSQL).

:func:`celery_worker` skips the test when no broker is configured (fails it when
``RELIEFOPS_REQUIRE_CELERY`` is set, as in CI), starts one solo worker on its own queue
against the test database, switches the app out of eager mode, and stops both afterwards.
:func:`wait_for` polls a condition while watching that the worker is still alive.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection


def worker_database_url() -> str:
    """The test database as a URL the worker process can open."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@contextmanager
def celery_worker(queue: str) -> Iterator[subprocess.Popen[str]]:
    """One real worker consuming ``queue`` for the duration of the block."""
    if not settings.CELERY_BROKER_URL:
        if os.environ.get("RELIEFOPS_REQUIRE_CELERY"):
            pytest.fail("RELIEFOPS_REQUIRE_CELERY is set but no broker is configured")
        pytest.skip("no Celery broker configured (set CELERY_BROKER_URL)")
    from reliefops.celery import app

    env = {**os.environ, "DATABASE_URL": worker_database_url()}
    env.pop("RELIEFOPS_TEST_RUN", None)
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
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(
    done: Callable[[], bool], worker: subprocess.Popen[str], *, seconds: float = 90
) -> None:
    """Poll ``done`` until it holds or ``seconds`` pass; fail if the worker exits first."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"worker exited early:\n{worker.stdout.read() if worker.stdout else ''}")
        time.sleep(0.2)

"""A real Celery worker for the tests that need one (CI: Redis + PostgreSQL).

:func:`celery_worker` skips the test when no broker is configured (fails it when
``RELIEFOPS_REQUIRE_CELERY`` is set, as in CI), starts one solo worker on its own queue
(:func:`celery_workers`: several, each with its own name)
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
def celery_workers(
    queue: str, count: int = 1, *, env: dict[str, str] | None = None
) -> Iterator[list[subprocess.Popen[str]]]:
    """``count`` real solo workers consuming ``queue`` (each named ``w<k>-<pid>@<host>``,
    so the jobs they ran can be told apart) for the duration of the block; ``env`` adds
    environment variables for the workers."""
    if not settings.CELERY_BROKER_URL:
        if os.environ.get("RELIEFOPS_REQUIRE_CELERY"):
            pytest.fail("RELIEFOPS_REQUIRE_CELERY is set but no broker is configured")
        pytest.skip("no Celery broker configured (set CELERY_BROKER_URL)")
    from reliefops.celery import app

    worker_env = {**os.environ, "DATABASE_URL": worker_database_url(), **(env or {})}
    worker_env.pop("RELIEFOPS_TEST_RUN", None)
    workers = [
        subprocess.Popen(
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
                "-n",
                f"w{k}-{os.getpid()}@%h",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            env=worker_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for k in range(count)
    ]
    app.conf.task_always_eager = False
    try:
        yield workers
    finally:
        app.conf.task_always_eager = True
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


@contextmanager
def celery_worker(queue: str) -> Iterator[subprocess.Popen[str]]:
    """One real worker consuming ``queue`` for the duration of the block."""
    with celery_workers(queue, 1) as workers:
        yield workers[0]


def wait_for(
    done: Callable[[], bool],
    worker: subprocess.Popen[str] | list[subprocess.Popen[str]],
    *,
    seconds: float = 90,
) -> None:
    """Poll ``done`` until it holds or ``seconds`` pass; fail if a worker exits first."""
    workers = worker if isinstance(worker, list) else [worker]
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        for w in workers:
            if w.poll() is not None:
                pytest.fail(f"worker exited early:\n{w.stdout.read() if w.stdout else ''}")
        time.sleep(0.2)

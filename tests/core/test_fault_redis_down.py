"""Fault (issue 16): Redis down — the broker the web server is configured with is stopped.

A real gunicorn serves the test database with ``CELERY_BROKER_URL`` on a Redis of its own
(port 6390), which is then shut down. Pages keep answering 200, ``/healthz`` answers 503
naming the broker, and jobs that would go to the workers (a plan run, a background
import) do not hang or 500: they are recorded failed at once with the reason, and nothing
of them is applied (real PostgreSQL, real Redis stopped).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.intake.choices import RunStatus
from reliefops.intake.models import ImportRun
from reliefops.stock.models import Item
from tests.accounts.factories import UserFactory
from tests.web_server import PASSWORD, server_password, web_server

PORT = 6390
NO_DISK = ["--save", "", "--appendonly", "no"]
TIMEOUT = 60  # a guard against a hang, not a speed assert


@pytest.fixture
def spare_redis() -> Iterator[str]:
    """A Redis of the test's own on port 6390 (never the main one), stopped afterwards."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    subprocess.run(
        ["redis-server", "--port", str(PORT), "--daemonize", "yes", *NO_DISK],
        check=True,
        capture_output=True,
    )
    deadline = time.monotonic() + 20
    while subprocess.run(["redis-cli", "-p", str(PORT), "ping"], capture_output=True).stdout != (
        b"PONG\n"
    ):
        assert time.monotonic() < deadline, "the spare Redis did not start"
        time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{PORT}/0"
    finally:
        redis_stop()


def redis_stop() -> None:
    subprocess.run(["redis-cli", "-p", str(PORT), "shutdown", "nosave"], capture_output=True)


def signed_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    answer = session.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_pages_work_and_jobs_fail_with_their_reason(
    spare_redis: str, tmp_path: Path
) -> None:
    server_password(UserFactory(username="chief", is_superuser=True))
    env = {"CELERY_BROKER_URL": spare_redis, "RELIEFOPS_IMPORT_BACKGROUND_ROWS": "1"}
    with web_server(tmp_path, **env) as server:
        base = server.url
        up = requests.get(f"{base}/healthz", timeout=TIMEOUT)
        assert up.status_code == 200 and up.json()["checks"]["broker"]["ok"] is True
        page = signed_in(base, "chief")
        token = requests.post(
            f"{base}/api/v1/auth/token/",
            json={"username": "chief", "password": PASSWORD},
            timeout=TIMEOUT,
        ).json()["token"]
        api = {"Authorization": f"Token {token}"}

        redis_stop()  # Redis goes down under the running server

        health = requests.get(f"{base}/healthz", timeout=TIMEOUT)
        assert health.status_code == 503
        broker = health.json()["checks"]["broker"]
        assert broker["ok"] is False and broker["mode"] == "celery" and broker["error"]
        assert "cannot be reached" in broker["message"]
        assert health.json()["checks"]["database"]["ok"] is True

        for path in ("/", "/needs/requests/", "/intake/history/", "/dayplans/"):
            answer = page.get(f"{base}{path}", timeout=TIMEOUT)
            assert answer.status_code == 200, (path, answer.status_code)

        # A background import: refused by the broker, recorded failed with the reason.
        upload = requests.post(
            f"{base}/api/v1/imports/items/",
            headers=api,
            files={"file": ("items.csv", b"code,category,unit,name_en\nRD1,food,kg,Rice\n")},
            timeout=TIMEOUT,
        )
        assert upload.status_code == 400, upload.text[:500]
        refusal = upload.json()["error"]
        assert "job queue cannot be reached" in refusal["message"]
        run = ImportRun.objects.get(pk=refusal["details"]["run"])
        assert run.background and run.status == RunStatus.FAILED
        assert "job queue cannot be reached" in run.error_summary
        assert not Item.objects.filter(code="RD1").exists()
        assert not Path(run.spool_path).exists()  # the spooled upload is not left behind

        # A plan run: refused at once, failed with the reason (never left queued).
        started = requests.post(
            f"{base}/api/v1/plans/",
            headers=api,
            json={"date": "2026-03-03", "seconds": 5},
            timeout=TIMEOUT,
        )
        assert started.status_code == 201, started.text[:500]
        plan = PlanRun.objects.get(reference=started.json()["reference"])
        assert plan.status == PlanStatus.FAILED and "job queue cannot be reached" in plan.error
        assert started.json()["status"] == PlanStatus.FAILED
        assert plan.plan is None
        print(f"[reliefops] Redis down: healthz 503 {broker}; plan run: {plan.error}")

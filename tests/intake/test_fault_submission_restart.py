"""Fault (issue 16): a field submission sent again after the server restarted.

A real gunicorn serves the test database; a field worker's phone POSTs a visit to
``/api/v1/submissions/`` with an ``Idempotency-Key``; the server is killed (SIGKILL, no
graceful shutdown) and started again, and the phone sends the very same request again
(it never saw the answer). The second answer is the first one, byte for byte, marked
replayed, and the visit is applied once (real PostgreSQL, real server processes).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from reliefops.core.models import AuditEvent
from reliefops.intake.models import Submission
from reliefops.teams.models import Visit
from tests.intake.test_submissions_api import visit
from tests.teams.scene import build_scene
from tests.web_server import server_password, web_server

TIMEOUT = 60  # a guard against a hang, not a speed assert


def _post(base: str, token: str, body: dict[str, Any], key: str) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/submissions/",
        json=body,
        headers={"Authorization": f"Token {token}", "Idempotency-Key": key},
        timeout=TIMEOUT,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_submission_retried_after_a_restart_is_applied_once(tmp_path: Path) -> None:
    scene = build_scene()
    worker = scene.field["A"]
    password = server_password(worker)
    body = {"id": str(uuid.uuid4()), "kind": "visits", "data": visit(scene)}
    key = str(uuid.uuid4())
    with web_server(tmp_path) as server:
        token = requests.post(
            f"{server.url}/api/v1/auth/token/",
            json={"username": worker.username, "password": password},
            timeout=TIMEOUT,
        ).json()["token"]
        first = _post(server.url, token, body, key)
        assert first.status_code == 201, first.text[:500]
        pid = server.process.pid if server.process else None
        server.restart()  # SIGKILL, then a new server process
        assert server.process is not None and server.process.pid != pid
        again = _post(server.url, token, body, key)
    assert again.status_code == first.status_code
    assert again.content == first.content
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["status"] == "applied" and first.json()["outcome"] == "created"
    assert Visit.objects.count() == 1
    assert str(Visit.objects.get().client_id) == body["id"]
    submission = Submission.objects.get()
    assert submission.status == "applied" and submission.attempts == 1
    assert AuditEvent.objects.filter(action="submission.receive").count() == 1
    print(f"[reliefops] restart: replayed {again.status_code}, {Visit.objects.count()} visit")

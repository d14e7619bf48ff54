"""The day-plan API: the list (scoped, filtered), a run with its figures, plan, violations
and unmet demands and unmade visits with their reasons, starting a run, the steps, and the
shared error body (never a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from reliefops.dayplans.choices import PlanStatus
from tests.accounts.factories import make_user
from tests.dayplans.plans import DAY, plan_run
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


def _client(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_is_scoped_and_filtered() -> None:
    north, south = AdminAreaFactory(code="XA-N"), AdminAreaFactory(code="XA-S")
    mine = plan_run(area=north)
    plan_run(area=south)
    running = plan_run(area=north, status=PlanStatus.RUNNING)
    client = _client(make_user("coordinator", areas=[north]))
    body = client.get("/api/v1/plans/").json()
    assert {r["reference"] for r in body["results"]} == {mine.reference, running.reference}
    body = client.get("/api/v1/plans/", {"status": "running"}).json()
    assert [r["reference"] for r in body["results"]] == [running.reference]
    assert body["results"][0]["percent"] == 40 and body["results"][0]["area"] == "XA-N"
    bad = client.get("/api/v1/plans/", {"status": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_detail_has_figures_plan_and_reasons() -> None:
    run = plan_run()
    client = _client(make_user("coordinator"))
    body = client.get(f"/api/v1/plans/{run.reference}/").json()
    assert body["status"] == "draft" and body["percent"] == 100
    assert body["kpis"]["served_percent"] == 81.5
    assert body["plan"]["routes"][0]["vehicle"] == "10-AA-001"
    assert body["violations"] == []
    assert body["unmet"][0]["reason"] == "no_stock"
    assert body["unmet"][0]["reason_label"] == "No stock"
    assert body["unmet"][0]["request"] == "REQ-3"
    assert body["unvisited"][0]["reason"] == "no_eligible_team"
    missing = client.get("/api/v1/plans/PL-NOPE/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_out_of_scope_run_is_a_404_and_a_viewer_is_refused() -> None:
    north, south = AdminAreaFactory(code="XB-N"), AdminAreaFactory(code="XB-S")
    other = plan_run(area=south)
    client = _client(make_user("coordinator", areas=[north]))
    assert client.get(f"/api/v1/plans/{other.reference}/").status_code == 404
    assert client.post(f"/api/v1/plans/{other.reference}/discard/").status_code == 404
    viewer = _client(make_user("viewer", areas=[north]))
    assert viewer.get("/api/v1/plans/").json()["count"] == 0
    assert viewer.post("/api/v1/plans/", {"date": DAY.isoformat()}).status_code == 403


def test_start_validates_and_queues_a_run(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = "tests.dayplans.fake_problem"
    client = _client(make_user("coordinator"))
    bad = client.post("/api/v1/plans/", {"date": "nope", "seconds": 0}, format="json")
    assert bad.status_code == 400
    assert {"date", "seconds"} <= set(bad.json()["error"]["details"])
    unknown = client.post("/api/v1/plans/", {"date": DAY.isoformat(), "area": "ZZ"})
    assert unknown.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            "/api/v1/plans/", {"date": DAY.isoformat(), "seconds": 1, "seed": 3}, format="json"
        )
    assert made.status_code == 201, made.json()
    reference = made.json()["reference"]
    body = client.get(f"/api/v1/plans/{reference}/").json()
    assert body["status"] in ("queued", "running", "draft"), body["error"]
    assert body["parameters"]["seed"] == 3


def test_steps_follow_the_workflow() -> None:
    run = plan_run()
    client = _client(make_user("coordinator"))
    refused = client.post(f"/api/v1/plans/{run.reference}/cancel/")
    assert refused.status_code == 409
    bad_edit = client.post(f"/api/v1/plans/{run.reference}/edit/", {"kind": "teleport"})
    assert bad_edit.status_code == 400
    done = client.post(f"/api/v1/plans/{run.reference}/discard/")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/plans/{run.reference}/discard/")
    assert again.status_code == 409

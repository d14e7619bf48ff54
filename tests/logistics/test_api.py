"""The convoy API: planning from requests, the steps, and what a requester sees."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import make_user
from tests.logistics import scene as world

pytestmark = [pytest.mark.django_db]


def _client(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_plan_steps_and_tracking_through_the_api() -> None:
    scene = world.build()
    officer = _client(scene.officer)
    response = officer.post(
        "/api/v1/convoys/",
        {
            "origin": "F-WH",
            "organisation": "MES",
            "departure_date": world.DAY.isoformat(),
            "vehicles": ["10-MES-01", "10-MES-02"],
            "requests": ["RQ-KG-1", "RQ-SC-1"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    assert response.json()["route"]["roads"] == ["Origin–Kendi road"]
    for step in ("load", "depart"):
        assert officer.post(f"/api/v1/convoys/{code}/{step}/", {}, format="json").status_code == 200
    now = dt.datetime.now(dt.UTC).isoformat()
    passed = officer.post(
        f"/api/v1/convoys/{code}/passage/",
        {"crossing_point": "F-CP", "outcome": "passed", "time_in": now, "inspected": True},
        format="json",
    )
    assert passed.status_code == 200, passed.json()
    assert passed.json()["status"] == "at_crossing"
    assert passed.json()["last_passage"]["crossing_point"] == "F-CP"
    refused = officer.post(
        f"/api/v1/convoys/{code}/deliver/",
        {"stop": 1, "receiver_name": "", "received_at": now},
        format="json",
    )
    assert refused.status_code == 400 and "receiver_name" in refused.json()["error"]["details"]

    # The kindergarten's NGO sees its own lines and the convoy's position, not the other
    # organisation's cargo nor the drivers; the stranger sees only its own.
    partner, stranger = _client(scene.partner), _client(scene.stranger)
    mine = partner.get("/api/v1/consignments/").json()["results"]
    assert {row["request"] for row in mine} == {"RQ-KG-1"}
    assert all(row["convoy_status"] == "at_crossing" for row in mine)
    # The lists take the FilterSets of the pages and exports.
    only = officer.get("/api/v1/consignments/", {"request": "RQ-SC-1"}).json()["results"]
    assert {row["request"] for row in only} == {"RQ-SC-1"}
    on_road = officer.get("/api/v1/convoys/", {"status": "at_crossing"}).json()["results"]
    assert [row["code"] for row in on_road] == [code]
    assert officer.get("/api/v1/convoys/", {"status": "completed"}).json()["results"] == []
    theirs = stranger.get("/api/v1/consignments/").json()["results"]
    assert {row["request"] for row in theirs} == {"RQ-SC-1"}
    seen = partner.get(f"/api/v1/convoys/{code}/").json()
    assert all(v["registration"] is None for v in seen["vehicles"])
    assert partner.get(f"/api/v1/convoys/{code}/reconcile/").status_code == 403
    assert officer.get(f"/api/v1/convoys/{code}/reconcile/").status_code == 200
    nobody = make_user("partner", areas=[], organisation=scene.ngo, username="none")
    assert _client(nobody).get(f"/api/v1/convoys/{code}/").status_code == 404

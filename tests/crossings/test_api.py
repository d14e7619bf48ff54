"""The crossings API: counts (create, correct, scope), crossing points as GeoJSON,
populations."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from reliefops.crossings.models import CrossingCount
from tests.crossings.scene import crossings_scene

pytestmark = pytest.mark.django_db

DAY = "2023-09-26"


def api_for(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_count_is_created_then_corrected_by_its_key() -> None:
    scene = crossings_scene()
    api = api_for(scene.recorder)
    body = {
        "crossing_point": scene.point.code,
        "date": DAY,
        "direction": "outbound",
        "female_18_59": 30,
        "male_0_4": 4,
    }
    created = api.post("/api/v1/crossing-counts/", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["persons"] == 34 and data["organisation"] == "ORG-F"  # the caller's own
    assert data["area"] == "ZC-CP" and data["female_0_4"] is None
    assert api.post("/api/v1/crossing-counts/", body, format="json").status_code == 200
    changed = {**body, "female_18_59": 31}
    refused = api.post("/api/v1/crossing-counts/", changed, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["details"]["field"] == "reason"
    fixed = api.post("/api/v1/crossing-counts/", {**changed, "reason": "recount"}, format="json")
    assert fixed.status_code == 200 and fixed.json()["persons"] == 35
    assert CrossingCount.objects.count() == 1
    pk = data["id"]
    patched = api.patch(
        f"/api/v1/crossing-counts/{pk}/", {"male_0_4": 10, "reason": "recount"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["persons"] == 41
    put = api.put(
        f"/api/v1/crossing-counts/{pk}/",
        {
            "crossing_point": scene.point.code,
            "date": DAY,
            "direction": "outbound",
            "persons": 50,
            "reason": "total only",
        },
        format="json",
    )
    assert put.status_code == 200
    assert put.json()["persons"] == 50 and put.json()["female_18_59"] is None
    listed = api.get("/api/v1/crossing-counts/?crossing_point=ZC-CP1&direction=outbound").json()
    assert listed["count"] == 1


def test_counts_are_refused_outside_the_callers_area_and_organisation() -> None:
    scene = crossings_scene()
    body = {"crossing_point": scene.point.code, "date": DAY, "direction": "inbound", "persons": 9}
    assert api_for(scene.outsider).post("/api/v1/crossing-counts/", body).status_code == 403
    other = {**body, "organisation": "ORG-X"}
    assert api_for(scene.recorder).post("/api/v1/crossing-counts/", other).status_code == 403
    unknown = {**body, "crossing_point": "ZC-PA1"}
    answer = api_for(scene.recorder).post("/api/v1/crossing-counts/", unknown)
    assert answer.status_code == 400 and "crossing_point" in answer.json()["error"]["details"]
    assert not CrossingCount.objects.exists()


def test_crossing_points_as_geojson_and_populations() -> None:
    scene = crossings_scene()
    scene.count(day=dt.date(2023, 9, 25), persons=400)
    scene.count(day=dt.date(2023, 9, 26), persons=20, direction="inbound")
    api = api_for(scene.viewer)
    points = api.get("/api/v1/crossing-points/?days=7&end=2023-09-30").json()
    assert points["type"] == "FeatureCollection"
    bridge = next(f for f in points["features"] if f["id"] == "ZC-CP1")
    assert bridge["geometry"]["type"] == "Point"
    assert (bridge["properties"]["outbound"], bridge["properties"]["inbound"]) == (400, 20)
    assert bridge["properties"]["outbound_label"] == "towards the river"
    detail = api.get("/api/v1/crossing-points/ZC-CP1/?days=7&end=2023-09-30").json()
    assert detail["catchment"] == ["ZC-A"] and len(detail["daily"]) == 7
    assert detail["daily"][-1]["outbound_cumulative"] == 400
    assert api.get("/api/v1/crossing-points/ZC-NOPE/").status_code == 404
    # a span that would begin before the first day a date can name is the caller's error
    early = api.get("/api/v1/crossing-points/?days=14&end=0001-01-01")
    assert early.status_code == 400 and "end" in early.json()["error"]["details"]
    assert api.get("/api/v1/crossing-points/ZC-CP1/?days=2&end=0001-01-01").status_code == 400
    assert api.get("/api/v1/crossing-points/ZC-CP1/?days=1&end=0001-01-01").status_code == 200
    # ``on`` is a field of the answer, not of the places: it is no sort order (was a 500)
    assert api.get("/api/v1/populations/?ordering=on").status_code == 200
    assert api.get("/api/v1/populations/?ordering=-code").status_code == 200
    rows = {r["place"]: r for r in api.get("/api/v1/populations/?area=ZC-A").json()["results"]}
    assert set(rows) == {"ZC-PA1", "ZC-PA2"}
    assert rows["ZC-PA1"]["baseline"] == 1000 and rows["ZC-PA1"]["net_flow"] == -95
    assert rows["ZC-PA1"]["estimate"] == 905 and rows["ZC-PA1"]["crossing_points"] == ["ZC-CP1"]
    assert rows["ZC-PA1"]["estimate_low"] < 905 < rows["ZC-PA1"]["estimate_high"]

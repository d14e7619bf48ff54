"""The crossings pages: overview, a crossing point, recording and correcting a count
(errors next to the fields they name), the counts list, populations."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from reliefops.crossings.models import CrossingCount, CrossingPointSetting
from reliefops.places.models import PopulationEstimate
from tests.crossings.scene import Scene, crossings_scene

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 9, 26)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _json_script(html: str, element_id: str) -> object:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert found, element_id
    return json.loads(found.group(1))


def _form(scene: Scene, **extra: object) -> dict[str, object]:
    return {
        "crossing_point": str(scene.point.pk),
        "date": DAY.isoformat(),
        "direction": "outbound",
        "method": "count",
        "organisation": str(scene.org.pk),
        **extra,
    }


def test_the_overview_maps_and_charts_the_last_14_days() -> None:
    scene = crossings_scene()
    today = dt.date.today()
    scene.count(day=today - dt.timedelta(days=2), persons=500)
    scene.count(day=today - dt.timedelta(days=1), persons=300)
    scene.count(day=today - dt.timedelta(days=30), persons=9999)  # outside the span
    html = client_for(scene.viewer).get("/crossings/").content.decode()
    geojson = _json_script(html, "crossings-geojson")
    features = {f["properties"]["code"]: f["properties"] for f in geojson["features"]}  # type: ignore[index]
    assert features["ZC-CP1"]["outbound"] == 800 and features["ZC-CP1"]["total"] == 800
    assert features["ZC-CP2"]["total"] == 0
    charts = _json_script(html, "crossings-charts")
    assert [c["id"] for c in charts] == ["ZC-CP1-outbound"]  # type: ignore[index,union-attr]
    assert charts[0]["title"] == "towards the river"  # type: ignore[index]
    assert charts[0]["cumulative"][-1] == 800 and len(charts[0]["daily"]) == 14  # type: ignore[index]
    assert 'id="table-ZC-CP1"' in html  # the chart's figures as a table
    assert "Record a count" not in html  # a viewer records nothing


def test_recording_a_count_on_the_page_and_its_guided_errors() -> None:
    scene = crossings_scene()
    page = client_for(scene.recorder)
    form = page.get(f"/crossings/counts/new/?point={scene.point.code}").content.decode()
    assert "towards the river (outbound)" in form and 'name="female_0_4"' in form
    mismatch = page.post(
        "/crossings/counts/new/", _form(scene, female_18_59="40", male_18_59="2", persons="45")
    )
    assert mismatch.status_code == 400
    html = mismatch.content.decode()
    assert "does not match the cells, which add up to 42" in html
    assert re.search(r'class="field[^"]*has-error[^"]*"[^>]*>\s*<label for="id_persons"', html)
    done = page.post("/crossings/counts/new/", _form(scene, female_18_59="40", male_18_59="2"))
    assert done.status_code == 302
    count = CrossingCount.objects.get()
    assert count.persons == 42 and done["Location"] == f"/crossings/counts/{count.pk}/"
    again = page.post("/crossings/counts/new/", _form(scene, persons="50"))
    assert again.status_code == 400
    assert re.search(
        r'class="field[^"]*has-error[^"]*"[^>]*>\s*<label for="id_reason"', again.content.decode()
    )
    assert CrossingCount.objects.get().persons == 42
    # Someone who records elsewhere is refused on the page too.
    refused = client_for(scene.outsider).post("/crossings/counts/new/", _form(scene, persons="5"))
    assert refused.status_code == 400  # the crossing point is not among the form's choices
    assert CrossingCount.objects.count() == 1


def test_correcting_a_count_on_its_page_keeps_the_history() -> None:
    scene = crossings_scene()
    count = scene.count(day=DAY, persons=100).count
    page = client_for(scene.recorder)
    html = page.get(f"/crossings/counts/{count.pk}/").content.decode()
    assert 'id="correct"' in html and 'value="100"' in html
    no_reason = page.post(f"/crossings/counts/{count.pk}/", _form(scene, persons="120"))
    assert no_reason.status_code == 400
    done = page.post(
        f"/crossings/counts/{count.pk}/", _form(scene, persons="120", reason="late tally sheet")
    )
    assert done.status_code == 302
    html = page.get(f"/crossings/counts/{count.pk}/").content.decode()
    assert "late tally sheet" in html and "100 → 120" in html
    viewer = client_for(scene.viewer)
    assert 'id="correct"' not in viewer.get(f"/crossings/counts/{count.pk}/").content.decode()
    assert viewer.post(f"/crossings/counts/{count.pk}/", _form(scene)).status_code == 403


def test_the_crossing_points_page_and_its_setting() -> None:
    scene = crossings_scene()
    scene.count(day=DAY, persons=400)
    html = client_for(scene.recorder).get(f"/crossings/points/{scene.point.code}/").content
    text = html.decode()
    # The last counts are older than 14 days: the page shows the span up to them.
    assert "Flows, 14 days to 2023-09-26" in text and 'id="setting"' not in text
    assert "Village A2" in text and "2,700" in text  # 3,000 − 3/4 of 400
    early = client_for(scene.recorder).get(f"/crossings/points/{scene.point.code}/?end=0001-01-01")
    assert early.status_code == 400 and "Choose a later date." in early.content.decode()
    coordinator = client_for(scene.coordinator)
    assert (
        'id="setting"' in coordinator.get(f"/crossings/points/{scene.point.code}/").content.decode()
    )
    saved = coordinator.post(
        f"/crossings/points/{scene.point.code}/",
        {
            "form": "setting",
            "catchment": [str(scene.area["A"].pk), str(scene.area["B"].pk)],
            "outbound_en": "towards Goris",
        },
    )
    assert saved.status_code == 302
    setting = CrossingPointSetting.objects.get(crossing_point=scene.point)
    assert {a.code for a in setting.catchment.all()} == {"ZC-A", "ZC-B"}
    assert setting.outbound_labels == {"en": "towards Goris"}
    assert coordinator.post(f"/crossings/points/{scene.point.code}/", {}).status_code == 400
    refused = client_for(scene.recorder).post(
        f"/crossings/points/{scene.point.code}/", {"form": "setting"}
    )
    assert refused.status_code == 403


def test_the_counts_list_filters_and_exports_what_it_shows() -> None:
    scene = crossings_scene()
    scene.count(day=DAY, persons=400)
    scene.count(day=DAY, persons=40, direction="inbound")
    page = client_for(scene.viewer)
    html = page.get("/crossings/counts/?direction=inbound").content.decode()
    assert html.count('<tr data-id="') == 1 and "crossing-counts" in html
    assert "direction=inbound" in html  # the export links carry the filter
    bad = page.get("/crossings/counts/?direction=sideways")
    assert bad.status_code == 400


def test_the_populations_page_shows_baselines_estimates_and_adds_a_baseline() -> None:
    scene = crossings_scene()
    scene.count(day=DAY, persons=400)
    html = client_for(scene.viewer).get("/crossings/populations/?area=ZC-A").content.decode()
    assert html.count('<tr data-place="') == 2
    assert "2,700" in html and "census" in html and 'id="baseline"' not in html
    coordinator = client_for(scene.coordinator)
    missing = coordinator.post(
        "/crossings/populations/", {"place": "ZC-NOPE", "population": "5", "source": "x"}
    )
    assert missing.status_code == 400 and "No place with this P-code" in missing.content.decode()
    done = coordinator.post(
        "/crossings/populations/",
        {"place": "ZC-PB1", "population": "650", "as_of": "2023-09-01", "source": "survey"},
    )
    assert done.status_code == 302
    assert PopulationEstimate.objects.get(place__code="ZC-PB1", source="survey").value == 650

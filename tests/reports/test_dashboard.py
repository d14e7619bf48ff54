"""The dashboard: every section scoped by the user's access, for a chosen day; counts of
people suppressed below 5; heating-fuel cover red below 7 days; the page, its map layers
and its JSON API show the same figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.reports.selectors import dashboard_report, report_figures
from tests.reports.scene import report_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Any:
    return report_world()


def _figures(actor: Any, day: Any) -> dict[str, Any]:
    return report_figures(dashboard_report(actor=actor, day=day))


def test_figures_are_scoped_by_the_users_areas(world: Any) -> None:
    national = _figures(world.coordinator, world.day)
    in_a = _figures(world.field_a, world.day)
    in_b = _figures(world.field_b, world.day)
    assert national["requests.open"] == 3 and national["requests.life_saving"] == 1
    assert in_a["requests.open"] == 2 and in_b["requests.open"] == 1
    assert national["heating.facilities"] == 2 and national["heating.low"] == 1
    assert in_a["heating.low"] == 1
    assert in_b["heating.facilities"] == 0 and in_b["heating.low"] == 0
    # Crossing counts are aggregate figures every signed-in user reads.
    assert national["crossings.outbound"] == in_b["crossings.outbound"] == 240


def test_counts_of_people_are_suppressed_below_five(world: Any) -> None:
    assert _figures(world.field_a, world.day)["health.due"] is None  # 2 people
    assert _figures(world.field_b, world.day)["health.due"] == 6
    client = Client()
    client.force_login(world.field_a)
    html = client.get("/reports/dashboard/").content.decode()
    assert 'data-figure="health.due"><span class="num">&lt;5</span>' in html
    api = APIClient()
    api.force_authenticate(world.field_a)
    body = api.get("/api/v1/reports/dashboard/").json()
    health = next(s for s in body["sections"] if s["key"] == "health")
    due = next(f for f in health["figures"] if f["key"] == "health.due")
    assert due["value"] is None and due["text"] == "<5"


def test_page_and_api_show_the_figures_of_the_chosen_day(world: Any) -> None:
    day = world.day.isoformat()
    client = Client()
    client.force_login(world.coordinator)
    response = client.get(f"/reports/dashboard/?date={day}")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("requests", "heating", "logistics", "crossings", "health", "decisions"):
        assert f'data-section="{key}"' in html
    assert 'class="alert-row"' in html  # the school below 7 days of fuel
    assert 'id="dashboard-charts"' in html and "vendor/chartjs/chart.umd.js" in html
    api = APIClient()
    api.force_authenticate(world.coordinator)
    body = api.get(f"/api/v1/reports/dashboard/?date={day}").json()
    from_api = {f["key"]: f["value"] for s in body["sections"] for f in s["figures"]}
    assert from_api == _figures(world.coordinator, world.day)
    assert client.get("/reports/dashboard/?date=not-a-day").status_code == 400


def test_heating_layer_marks_facilities_below_seven_days(world: Any) -> None:
    client = Client()
    client.force_login(world.coordinator)
    data = client.get("/reports/dashboard/heating.geojson").json()
    low = {f["properties"]["code"]: f["properties"]["low"] for f in data["features"]}
    assert low == {"KG-1": False, "SCH-1": True}
    client.force_login(world.field_b)
    assert client.get("/reports/dashboard/heating.geojson").json()["features"] == []

"""The map page in a real browser: layers, search by any spelling, closing a road.

Must hold (issue 4): search "Stepanakert" on the map page, get Khankendi with all its
names listed; a logistics officer closes a road from the map and sees travel times change.
Screenshots: test-artifacts/places-map-*.png.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.e2e.conftest import login


@pytest.fixture
def places_demo(demo_data: None) -> None:
    from reliefops.places import demo

    demo.load(stdout=io.StringIO())


def _minutes(page: Any) -> int:
    page.wait_for_selector("#travel-result .travel-minutes")
    return int(page.get_attribute("#travel-result .travel-minutes", "data-minutes") or 0)


def test_search_stepanakert_and_close_a_road(page: Any, places_demo: None, screenshot: Any) -> None:
    login(page, "logistics")
    page.goto(page.base_url + "/reports/map/")
    page.wait_for_selector("#map[data-layers-loaded]")
    page.wait_for_selector("#map-search-q")
    assert int(page.get_attribute("#map", "data-facilities") or 0) >= 60
    assert int(page.get_attribute("#map", "data-roads") or 0) >= 50
    screenshot(page, "places-map-overview")

    page.fill("#map-search-q", "Stepanakert")
    page.click("#map-search button[type=submit]")
    page.wait_for_selector("#map-info .place-detail[data-code='AZ-G146970']")
    heading = page.locator("#map-info .place-detail h2").inner_text()
    assert heading == "Khankendi"
    names = page.locator("#map-info .names-table").inner_text()
    for spelling in (
        "Khankendi",
        "Xankəndi",
        "Stepanakert",
        "Степанакерт",
        "Ханкенди",
        "Ստեփանակերտ",
    ):
        assert spelling in names, spelling
    page.wait_for_timeout(800)  # let the map fly to the place
    screenshot(page, "places-map-search-stepanakert")

    # Travel time Barda → Khankendi by truck, then close Aghdam–Asgaran from the map.
    page.click("#travel-form button[type=submit]")
    before = _minutes(page)
    page.evaluate("() => window.reliefopsMap.setView([39.965, 46.88], 12, {animate: false})")
    page.wait_for_timeout(300)
    point = page.evaluate(
        "() => { const p = window.reliefopsMap.latLngToContainerPoint([39.9650, 46.8797]);"
        " const r = document.getElementById('map').getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector("#road-detail[data-code='SR-AGM-ASG']")
    page.select_option("#road-status", "closed")
    page.fill("#road-reason", "Bridge damaged")
    page.click("#road-detail button[type=submit]")
    page.wait_for_selector("#road-detail[data-status='closed']")
    page.wait_for_function(
        "(before) => { const m = document.querySelector('#travel-result .travel-minutes');"
        " return m && Number(m.dataset.minutes) !== before; }",
        arg=before,
    )
    after = _minutes(page)
    assert after > before
    page.wait_for_selector("#map[data-roads-closed='1']")
    page.evaluate("() => window.reliefopsMap.setView([39.98, 46.9], 10, {animate: false})")
    page.wait_for_timeout(500)
    screenshot(page, "places-map-road-closed")

    page.select_option("#road-status", "open")
    page.click("#road-detail button[type=submit]")
    page.wait_for_selector("#road-detail[data-status='open']")
    page.wait_for_function(
        "(before) => { const m = document.querySelector('#travel-result .travel-minutes');"
        " return m && Number(m.dataset.minutes) === before; }",
        arg=before,
    )


def test_place_names_in_the_users_language(page: Any, places_demo: None) -> None:
    login(page, "viewer")
    page.goto(page.base_url + "/places/AZ-G147625/")
    assert page.locator(".place-detail h2").inner_text() == "Lachin"
    page.click("button[value=hy]")
    assert page.locator(".place-detail h2").inner_text() == "Բերձոր"
    page.click("button[value=az]")
    assert page.locator(".place-detail h2").inner_text() == "Laçın"
    page.click("button[value=en]")

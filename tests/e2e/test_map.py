"""The map on a phone (390 × 844) and on a laptop: drawer, requests layer, clusters,
labels that do not overlap, the travel route drawn. Builds on test_places_map's data.

Screenshots: test-artifacts/map-*.png.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_places_map import places_demo  # noqa: F401  (fixture)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 800}

#: Right edge of the widest element of the page content (the header is the shell's; the
#: map's own panes are clipped by its container).
CONTENT_RIGHT = (
    "() => Math.max(...Array.from(document.querySelectorAll('main, main *'))"
    ".filter(e => !e.closest('.leaflet-container') || e.classList.contains('leaflet-container'))"
    ".map(e => e.getBoundingClientRect().right))"
)
#: Pairs of visible permanent labels whose boxes overlap.
OVERLAPS = """() => {
  const boxes = Array.from(document.querySelectorAll(
      '.leaflet-tooltip.place-label, .leaflet-tooltip.area-label, .leaflet-tooltip.facility-label'))
    .filter(e => !e.classList.contains('label-hidden')).map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0);
  let n = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
  }
  return [boxes.length, n];
}"""


@pytest.fixture
def open_requests(places_demo: None) -> list[str]:  # noqa: F811
    from reliefops.needs import services
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import Facility
    from tests.accounts.factories import make_user
    from tests.stock.factories import ItemFactory

    coordinator = make_user("coordinator", organisation=Organisation.objects.get(acronym="CHQ"))
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel", names={"en": "Diesel"})
    facilities = Facility.objects.filter(
        kind__in=["kindergarten", "school", "hospital"], place__admin1__code__startswith="AZ-"
    ).order_by("code")[:3]
    references = []
    for facility, priority in zip(facilities, ["life_saving", "urgent", "routine"], strict=True):
        request = services.request_submit(
            actor=coordinator,
            data=services.RequestInput(
                requester_kind="facility",
                organisation=coordinator.memberships.get().organisation,
                facility=facility,
                priority=priority,
                lines=[services.LineInput(quantity=Decimal(1500), item=diesel)],
                needed_from=dt.date(2023, 10, 1),
                needed_by=dt.date(2023, 10, 31),
            ),
            confirm_fuel=True,  # the map shows requests, whatever fuel they name
        )
        references.append(request.reference)
    return references


def _drawer_top(page: Any) -> float:
    return float(
        page.evaluate("() => document.getElementById('map-panel').getBoundingClientRect().top")
    )


def _view(page: Any, lat: float, lon: float, zoom: int) -> None:
    page.evaluate(f"() => window.reliefopsMap.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    page.wait_for_timeout(600)  # marker clusters regroup, then the labels are decluttered


def test_the_map_on_a_phone(page: Any, open_requests: list[str], screenshot: Any) -> None:
    login(page, "coordinator")
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/reports/map/")
    page.wait_for_selector("#map[data-layers-loaded]")
    page.wait_for_timeout(500)

    # Nothing is wider than the screen; the map fills it and the panel is a closed drawer.
    assert page.evaluate(CONTENT_RIGHT) <= PHONE["width"] + 0.5
    assert page.evaluate("() => document.querySelector('main').scrollWidth") <= PHONE["width"]
    box = page.locator("#map").bounding_box()
    assert box["width"] == pytest.approx(PHONE["width"], abs=1) and box["height"] > 400
    toggle = page.locator(".drawer-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert _drawer_top(page) > PHONE["height"] - 60
    assert not page.locator("#map-search-q").is_visible()
    screenshot(page, "map-phone-closed")

    # The drawer opens over the lower part of the map and closes again.
    layout = page.locator(".map-layout").bounding_box()
    toggle.click()
    page.wait_for_function(
        "(y) => document.getElementById('map-panel').getBoundingClientRect().top < y",
        arg=layout["y"] + layout["height"] * 0.5,
    )
    page.wait_for_timeout(300)  # the slide
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#map-search-q").is_visible()
    assert _drawer_top(page) > layout["y"] + 120  # the map stays visible above the drawer
    screenshot(page, "map-phone-open")

    # The requests layer: one pin per requesting facility, toggled in the legend.
    assert int(page.get_attribute("#map", "data-requests") or 0) == len(open_requests)
    assert page.locator(".request-icon").count() == len(open_requests)
    page.uncheck("#layer-requests")
    assert page.locator(".request-icon").count() == 0
    page.check("#layer-requests")
    page.uncheck("input[name=request_priority][value=routine]")
    assert page.locator(".request-icon").count() == len(open_requests) - 1
    page.check("input[name=request_priority][value=routine]")
    assert page.locator(".request-icon").count() == len(open_requests)

    # The travel route is drawn with its label; the drawer closes to show it.
    page.click("#travel-form button[type=submit]")
    page.wait_for_selector("#map[data-route-points]")
    assert int(page.get_attribute("#map", "data-route-points") or 0) > 2
    assert page.locator(".leaflet-tooltip.route-label").is_visible()
    assert "min" in page.locator(".leaflet-tooltip.route-label").inner_text()
    page.wait_for_function(
        "() => document.getElementById('map-panel').getBoundingClientRect().top > 780"
    )
    toggle.click()
    page.wait_for_function("() => document.getElementById('map-panel').classList.contains('open')")
    toggle.click()
    page.wait_for_function(
        "() => document.getElementById('map-panel').getBoundingClientRect().top > 780"
    )
    assert toggle.get_attribute("aria-expanded") == "false"
    screenshot(page, "map-phone-route")
    assert page.evaluate(CONTENT_RIGHT) <= PHONE["width"] + 0.5


def test_clusters_and_labels(page: Any, open_requests: list[str], screenshot: Any) -> None:
    login(page, "coordinator")
    page.set_viewport_size(LAPTOP)
    page.goto(page.base_url + "/reports/map/")
    page.wait_for_selector("#map[data-layers-loaded]")
    assert not page.locator(".drawer-toggle").is_visible()
    panel, map_box = page.locator("#map-panel").bounding_box(), page.locator("#map").bounding_box()
    assert panel["x"] + panel["width"] <= map_box["x"] + 1  # the side panel stays on a laptop

    # Low zoom: facilities are clustered and no facility is labelled.
    _view(page, 40.0, 46.8, 8)
    clusters = page.locator(".marker-cluster")
    assert clusters.count() > 0
    assert sum(int(t) for t in clusters.all_inner_texts()) > 30
    assert page.locator(".leaflet-tooltip.facility-label").count() == 0
    shown, overlapping = page.evaluate(OVERLAPS)
    assert shown > 3 and overlapping == 0
    screenshot(page, "map-laptop-clusters")

    # Zooming in labels more areas (they fit) and never lets two labels overlap.
    _view(page, 39.9, 46.8, 10)
    shown10, overlapping = page.evaluate(OVERLAPS)
    assert overlapping == 0 and shown10 > 0
    # High zoom over Khankendi: single facilities with their names, decluttered.
    _view(page, 39.8155, 46.752, 15)
    assert page.locator(".marker-cluster").count() == 0
    labelled = page.locator(".leaflet-tooltip.facility-label:not(.label-hidden)").count()
    assert labelled > 2
    shown, overlapping = page.evaluate(OVERLAPS)
    assert overlapping == 0
    hidden = page.locator(".leaflet-tooltip.label-hidden").count()
    assert hidden > 0  # some labels were in the way of others
    screenshot(page, "map-laptop-labels")

    # A request pin opens its popup with the reference, place, item and a link.
    _view(page, 40.0, 46.8, 9)
    page.locator(".request-icon").first.click(force=True)
    popup = page.locator(".request-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert any(ref in text for ref in open_requests) and "Diesel" in text and "Needed by" in text
    assert popup.locator("a[href^='/needs/requests/']").count() >= 1

"""Browser journey of the offline road page (docs/offline.md).

A logistics officer opens a departed convoy's road page on a phone while online; the
service worker keeps it. Offline (no request reaches the server), the page is reloaded
from the worker's cache, a passage at the crossing point and the school's delivery (a
shortfall with its reason) are recorded and wait on the phone; back online they are sent,
the delivered stop leaves the page, and the database holds the passage and the delivery
exactly once each, with the quantities typed.

The waiting panel is saved at 390 px and 1366 px in English and Russian
(``test-artifacts/offline-road-*``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import login
from tests.e2e.test_offline_round import DESKTOP, PHONE, _context, _fits, requests_seen

PASSWORD = "offline-road-Pass-1"


@pytest.fixture
def road_world(transactional_db: None) -> Any:
    from reliefops.logistics import services
    from tests.logistics import scene as world

    scene = world.build()
    scene.officer.set_password(PASSWORD)
    scene.officer.save()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    scene.convoy = convoy  # type: ignore[attr-defined]
    scene.school_stop = convoy.stops.get(facility=scene.school)  # type: ignore[attr-defined]
    return scene


def _offline_road(context: Any, page: Any, url: str) -> None:
    login(page, "lo", PASSWORD)
    page.goto(url)
    page.wait_for_selector("html[data-offline-ready]")
    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("html[data-offline-queue]")


def _record_passage(page: Any) -> None:
    page.check("#passage-form input[name='passage-outcome'][value=passed]")
    page.fill("#id_passage-delay_minutes", "20")
    page.check("#id_passage-inspected")
    page.click("#passage-form button[data-step=passage]")
    page.locator("#passage .offline-mark").wait_for()


def _record_school_delivery(page: Any, scene: Any) -> None:
    from reliefops.logistics.models import ConsignmentLine

    stop = scene.school_stop
    line = ConsignmentLine.objects.get(stop=stop)
    prefix = f"#id_stop{stop.sequence}"
    page.fill(f"{prefix}-receiver_name", "Head of school")
    page.fill(f"{prefix}-line_{line.pk}_delivered", "190")
    page.fill(f"{prefix}-line_{line.pk}_short", "10")
    page.select_option(f"{prefix}-line_{line.pk}_short_reason", "missing")
    page.click(f"#delivery-{stop.sequence} button[data-step=deliver]")
    page.locator(f"#delivery-{stop.sequence}").wait_for(state="hidden")


def test_a_passage_and_a_delivery_recorded_offline_are_applied_once_each(
    browser: Any, live_server: Any, road_world: Any, screenshot: Any
) -> None:
    from reliefops.logistics.models import ConsignmentLine, Delivery, Passage

    scene = road_world
    convoy, stop = scene.convoy, scene.school_stop
    url = f"{live_server.url}/logistics/convoys/{convoy.code}/road/"
    context, page = _context(browser, live_server, PHONE)
    try:
        with requests_seen() as seen:
            _offline_road(context, page, url)
            seen.paths.clear()  # the login and the first visit were online
            page.reload()
            page.wait_for_selector("html[data-offline-queue]")
            _record_passage(page)
            _record_school_delivery(page, scene)
            assert page.locator("#offline-count").inner_text() == "2"
            assert page.locator(f"section#deliver-{stop.sequence}, section#deliver").count() >= 1
            _fits(page)
            page.evaluate("() => window.scrollTo(0, 0)")
            screenshot(page, "offline-road-phone-waiting")
        assert seen.paths == [], seen.paths
        assert not Passage.objects.filter(convoy=convoy).exists()
        assert not Delivery.objects.filter(stop=stop).exists()

        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.locator("#offline-count[data-count='0']").wait_for(state="attached")
        page.wait_for_selector(".messages li.success")
        assert f"Delivery at stop {stop.sequence} confirmed." in page.inner_text(".messages")
        assert "Passage recorded." in page.inner_text(".messages")
        assert page.locator(f"#delivery-{stop.sequence}").count() == 0
        screenshot(page, "offline-road-phone-sent")

        passage = Passage.objects.get(convoy=convoy)
        assert passage.crossing_point == scene.crossing
        assert passage.outcome == "passed" and passage.delay_minutes == 20 and passage.inspected
        delivery = Delivery.objects.get(stop=stop)
        assert delivery.receiver_name == "Head of school"
        line = ConsignmentLine.objects.get(stop=stop)
        assert line.delivered == Decimal("190") and line.short == Decimal("10")
        assert line.short_reason == "missing"

        page.reload()
        page.evaluate("async () => await window.ReliefOpsOffline.send()")
        assert Passage.objects.filter(convoy=convoy).count() == 1
        assert Delivery.objects.filter(stop=stop).count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_road_page_waiting_panel_at_phone_and_desktop_width(
    browser: Any, live_server: Any, road_world: Any, screenshot: Any, lang: str
) -> None:
    scene = road_world
    url = f"{live_server.url}/logistics/convoys/{scene.convoy.code}/road/"
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context, page = _context(browser, live_server, viewport, lang)
        try:
            _offline_road(context, page, url)
            page.click("#passage-form button[data-step=passage]")
            page.locator("#passage .offline-mark").wait_for()
            stop = scene.school_stop
            page.fill(f"#id_stop{stop.sequence}-receiver_name", "Head of school")
            page.click(f"#delivery-{stop.sequence} button[data-step=deliver]")
            page.locator("#offline-count[data-count='2']").wait_for()
            _fits(page)
            page.evaluate("() => window.scrollTo(0, 0)")
            screenshot(page, f"offline-road-{name}-{lang}")
        finally:
            context.close()

"""Browser journey: a logistics officer plans a convoy from approved requests, loads it
and records its departure on the convoy page, records a passage (goods held) and a
delivery (shortfall, damage) on the road page at 390 × 844, and sees the reconcile table
balanced; the request page shows where its goods are.

With ``CONVOY_SHOTS=<dir>`` the test also saves the four pages at 1366 px and 390 px in
English and Russian there (for looking at them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "convoy-e2e-Pass-1"
WIDTHS = """() => ({
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    viewport: window.innerWidth,
})"""


@pytest.fixture
def convoy_world(transactional_db: None) -> Any:
    from tests.logistics import scene as world

    scene = world.build()
    scene.officer.set_password(PASSWORD)
    scene.officer.save()
    return scene


def _context(browser: Any, live_server: Any, viewport: dict[str, int], lang: str = "en") -> Any:
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return context, page


def _assert_fits(page: Any) -> None:
    widths = page.evaluate(WIDTHS)
    assert widths["viewport"] == PHONE["width"], widths
    assert widths["doc"] <= widths["viewport"], widths
    assert widths["body"] <= widths["viewport"], widths


def test_officer_plans_moves_and_reconciles_a_convoy(
    browser: Any, live_server: Any, convoy_world: Any, screenshot: Any
) -> None:
    from reliefops.logistics.models import ConsignmentLine, Convoy

    scene = convoy_world
    shots = Path(os.environ["CONVOY_SHOTS"]) if os.environ.get("CONVOY_SHOTS") else None
    if shots:
        _screenshots(browser, live_server, {"new": "/logistics/convoys/new/"}, shots)
    context, page = _context(browser, live_server, DESKTOP)
    try:
        login(page, "lo", PASSWORD)
        page.goto(page.base_url + "/logistics/convoys/new/")
        page.check(f"input[name=vehicles][value='{scene.tanker.pk}']")
        page.check(f"input[name=vehicles][value='{scene.truck.pk}']")
        for request in scene.requests:
            page.check(f"input[name=requests][value='{request.pk}']")
        page.fill("#id_leader", "Leader One")
        page.click("#plan-submit")
        page.wait_for_selector("#convoy-status")
        assert page.inner_text("#convoy-status") == "Planned"
        convoy = Convoy.objects.get()
        assert convoy.leader == "Leader One" and convoy.stops.count() == 2
        assert "Liaison" in page.inner_text("#route-crossings")

        page.click("button[data-step=load]")
        page.wait_for_selector("#convoy-status:has-text('Loading')")
        page.click("#step-depart > summary")
        page.check("#id_depart_confirm")
        page.click("#step-depart button[data-step=depart]")
        page.wait_for_selector("#convoy-status:has-text('Departed')")
        screenshot(page, "convoys-1-departed")
    finally:
        context.close()
    if shots:
        road_url = f"/logistics/convoys/{convoy.code}/road/"
        _screenshots(browser, live_server, {"road-departed": road_url}, shots)

    phone, road = _context(browser, live_server, PHONE)
    try:
        login(road, "lo", PASSWORD)
        road.goto(road.base_url + f"/logistics/convoys/{convoy.code}/road/")
        _assert_fits(road)
        # The buttons are large enough to hit with a thumb and span the screen.
        box = road.locator("button[data-step=passage]").bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300, box
        # A partial passage: 50 kg of the school's bread held at the crossing point.
        school_bread = ConsignmentLine.objects.get(
            carrier__convoy=convoy, stop__facility=scene.school
        )
        road.check("#passage-form input[name='passage-outcome'][value=partial]")
        road.fill(f"#id_passage-held_{school_bread.pk}", "50")
        road.fill("#id_passage-delay_minutes", "45")
        road.check("#id_passage-inspected")
        road.click("#passage-form button[data-step=passage]")
        road.wait_for_selector(".messages li.success")
        assert "Passage recorded." in road.inner_text(".messages")
        _assert_fits(road)

        # The kindergarten's delivery: 40 l of diesel short (leaked), 20 kg of bread damaged.
        stop = convoy.stops.get(facility=scene.kindergarten)
        form = f"#delivery-{stop.sequence}"
        prefix = f"stop{stop.sequence}"
        road.fill(f"#id_{prefix}-receiver_name", "Head teacher")
        road.fill(f"#id_{prefix}-receiver_role", "Director")
        for line in ConsignmentLine.objects.filter(stop=stop).select_related("lot"):
            key = f"#id_{prefix}-line_{line.pk}"
            if line.item_id == scene.bread.pk:
                road.fill(f"{key}_delivered", "280")
                road.fill(f"{key}_damaged", "20")
                road.select_option(f"{key}_damage_reason", "damaged_in_transit")
            elif line.lot.code == "D-LATE":
                road.fill(f"{key}_delivered", "360")
                road.fill(f"{key}_short", "40")
                road.select_option(f"{key}_short_reason", "leaked")
        road.click(f"{form} button[data-step=deliver]")
        road.wait_for_selector(".messages li.success")
        assert "Delivery at stop" in road.inner_text(".messages")
        assert road.locator(form).count() == 0  # confirmed: its form is gone
        _assert_fits(road)
        screenshot(road, "convoys-2-road")

        road.click("text=Convoy page")
        road.wait_for_selector("#reconcile-table")
        marks = road.eval_on_selector_all(
            "#reconcile-table [data-balanced]", "els => els.map(e => e.dataset.balanced)"
        )
        assert marks and set(marks) == {"yes"}, marks
        assert "Head teacher" in road.inner_text("#deliveries")
        _assert_fits(road)

        for url in ("/logistics/convoys/", "/logistics/convoys/new/"):
            road.goto(road.base_url + url)
            _assert_fits(road)
        road.goto(road.base_url + f"/needs/requests/{scene.requests[0].pk}/")
        tracking = road.inner_text("#request-tracking")
        assert convoy.code in tracking and "Partially passed" in tracking
        _assert_fits(road)
    finally:
        phone.close()

    if shots:
        pages = {
            "list": "/logistics/convoys/",
            "convoy": f"/logistics/convoys/{convoy.code}/",
            "road": f"/logistics/convoys/{convoy.code}/road/",
            "request": f"/needs/requests/{scene.requests[0].pk}/",
        }
        _screenshots(browser, live_server, pages, shots)


def _screenshots(browser: Any, live_server: Any, pages: dict[str, str], folder: Path) -> None:
    """Each page at 1366 px and 390 px, in English and Russian, whole length."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ru"):
        for label, viewport in (("1366", DESKTOP), ("390", PHONE)):
            context, page = _context(browser, live_server, viewport, lang)
            try:
                login(page, "lo", PASSWORD)
                for name, url in pages.items():
                    page.goto(page.base_url + url)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(folder / f"{name}-{label}-{lang}.png"), full_page=True)
            finally:
                context.close()

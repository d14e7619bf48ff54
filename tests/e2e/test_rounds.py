"""Browser journey of a mobile team at 390 × 844: a person is due, the team records the
visit on the phone round page (a few taps, HTMX), the person leaves the due list, the
team refers them to the field hospital, and the referral appears on the hospital's page.
The due list with its map and the hospital's caseload chart are saved at 1366 px in
English and Russian (``test-artifacts/``) for looking at them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.conftest import login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "rounds-e2e-Pass-1"


@pytest.fixture
def team_world(transactional_db: None) -> Any:
    from reliefops.teams import services
    from tests.stock.factories import FacilityFactory
    from tests.teams.scene import build_scene

    scene = build_scene()
    worker = scene.field["A"]
    worker.set_password(PASSWORD)
    worker.save()
    hospital = FacilityFactory(
        code="ZE-FH", kind="field_hospital", place=scene.places["A"], capacity_beds=50
    )
    today = timezone.localdate()
    cells = services.caseload_cells()
    for ago in range(6):
        counts = {cell: (3 + ago + i) % 9 for i, cell in enumerate(cells)}
        services.caseload_report(
            actor=scene.admin, facility=hospital, date=today - dt.timedelta(days=ago), counts=counts
        )
    services.hospital_status_report(
        actor=scene.admin,
        facility=hospital,
        date=today,
        beds_total=50,
        beds_available=12,
        services=["surgery", "inpatient"],
    )
    who = scene.people["A"][0]
    rnd = services.round_create(
        actor=scene.admin,
        team=scene.teams["A"],
        date=today,
        stops=[services.StopInput(person=p) for p in scene.people["A"]],
    )
    services.round_transition(actor=scene.admin, round=rnd, step="plan")
    scene.who, scene.round, scene.hospital = who, rnd, hospital  # type: ignore[attr-defined]
    return scene


def _page(browser: Any, live_server: Any, viewport: dict[str, int], lang: str = "en") -> Any:
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return context, page


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_visit_on_the_phone_takes_the_person_off_the_due_list_and_refers_them(
    browser: Any, live_server: Any, team_world: Any, screenshot: Any
) -> None:
    from reliefops.teams.models import Referral, Visit

    scene = team_world
    who = scene.who
    context, page = _page(browser, live_server, PHONE)
    try:
        login(page, scene.field["A"].username, PASSWORD)
        page.goto(f"{live_server.url}/teams/due/")
        assert page.locator("table", has_text=who.reference).count() >= 1
        _fits(page)

        page.goto(f"{live_server.url}/teams/rounds/{scene.round.reference}/")
        stop = page.locator("li.stop", has_text=who.reference)
        _fits(page)
        stop.locator("label.tap", has_text="Visited").click()
        stop.locator("label.tap", has_text="Referral").click()
        stop.locator("label.tap", has_text="7 days").click()
        stop.get_by_role("button", name="Record the visit").click()
        done = page.locator("li.stop.done", has_text=who.reference)
        done.wait_for()
        assert done.locator(".stop-state").inner_text().strip() == "Visited"
        screenshot(page, "round-phone-visited")
        visit = Visit.objects.get(person=who)
        assert visit.outcome == "visited" and "referral" in visit.services
        assert visit.follow_up_due == timezone.localdate() + dt.timedelta(days=7)

        page.goto(f"{live_server.url}/teams/due/")
        assert page.locator("table", has_text=who.reference).count() == 0
        assert page.locator("table", has_text=scene.people["A"][1].reference).count() >= 1

        page.goto(f"{live_server.url}/teams/rounds/{scene.round.reference}/")
        page.locator("li.stop", has_text=who.reference).locator("a.refer-link").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("input[name=person]").input_value() == who.reference
        page.select_option(
            "select[name=facility]",
            label=page.locator("select[name=facility] option", has_text="ZE-FH").first.inner_text(),
        )
        page.select_option("select[name=reason]", "surgery")
        page.select_option("select[name=transport]", "team_vehicle")
        _fits(page)
        page.get_by_role("button", name="Send the referral").click()
        page.wait_for_load_state("networkidle")
        referral = Referral.objects.get(person=who)
        assert referral.visit == visit and referral.facility == scene.hospital
        assert referral.reference in page.content()

        page.goto(f"{live_server.url}/teams/hospitals/ZE-FH/")
        incoming = page.locator("section", has_text=referral.reference)
        assert incoming.count() >= 1
        _fits(page)
        screenshot(page, "hospital-phone")
    finally:
        context.close()

    for lang in ("en", "ru"):
        context, page = _page(browser, live_server, DESKTOP, lang)
        try:
            login(page, scene.field["A"].username, PASSWORD)
            page.goto(f"{live_server.url}/teams/due/")
            page.locator(".leaflet-container").wait_for()
            screenshot(page, f"due-map-{lang}")
            page.goto(f"{live_server.url}/teams/hospitals/ZE-FH/")
            page.locator("canvas").first.wait_for()
            page.locator("canvas").first.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            screenshot(page, f"caseload-chart-{lang}")
        finally:
            context.close()

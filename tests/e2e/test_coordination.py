"""MUST HOLD 1 of issue 15, in a browser: a coordinator records a meeting, records a
decision, turns it into a request and an action item owned by the Red Crescent; the
request is on the dashboard and in the gap analysis; the owner (the partner) sees the
notice under the bell and opens it. The dashboard and the meeting page are saved in
English and Russian, at 1366 and 390 px (``test-artifacts/coordination-*.png``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.e2e.conftest import login


def _scene() -> dict[str, Any]:
    from reliefops.places.models import AdminArea, PlaceName
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

    khankendi = AdminArea.objects.get(code="AZ-XA")
    place = PlaceFactory(
        code="AZ-E2E-KH",
        kind="city",
        admin1=khankendi,
        names={"en": "Khankendi", "az": "Xankəndi", "ru": "Ханкенди"},
        latitude=39.8177,
        longitude=46.7528,
    )
    for language, name in place.names.items():  # the gazetteer's names, as the resolver reads
        PlaceName.objects.create(place=place, name=name, language=language, is_preferred=True)
    kindergarten = FacilityFactory(
        code="F-E2E-KG7",
        kind="kindergarten",
        place=place,
        names={"en": "Kindergarten No. 7", "ru": "Детский сад № 7"},
        heated_area_m2=600,
        heating_fuel="diesel",
        boiler_efficiency=0.82,
        latitude=39.8177,
        longitude=46.7528,
    )
    diesel = ItemFactory(
        code="DSL", category="fuel", unit="litre", names={"en": "Diesel fuel", "ru": "Дизель"}
    )
    return {"place": place, "kindergarten": kindergarten, "diesel": diesel}


def _after_submit(page: Any, selector: str) -> None:
    """Wait for ``selector`` after a form was sent; a form that came back names its errors."""
    page.wait_for_selector(f"{selector}, .errorlist, .field-error, .form-errors")
    errors = page.locator(".errorlist, .field-error, .form-errors")
    assert page.locator(selector).count() or not errors.count(), errors.all_inner_texts()


def _shoot(page: Any, screenshot: Any, url: str, name: str) -> None:
    """``url`` in English and Russian, at 1366 and 390 px; no page wider than the screen."""
    for language in ("en", "ru"):
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": page.base_url}]
        )
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(page.base_url + url)
            page.wait_for_load_state("networkidle")
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, (url, language, width, wide)
            screenshot(page, f"coordination-{name}-{language}-{width}")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base_url}])
    page.set_viewport_size({"width": 1280, "height": 800})


def test_meeting_decision_request_action_item_dashboard_gap_and_notice(
    page: Any, demo_data: None, screenshot: Any
) -> None:
    from reliefops.coordination.models import ActionItem, Decision, Meeting
    from reliefops.notices.models import Notice
    from reliefops.organisations.models import Organisation

    s = _scene()
    today = timezone.localdate()
    chq = Organisation.objects.get(acronym="CHQ")
    rcs = Organisation.objects.get(acronym="RCS")

    # 1. The coordinator records the meeting; the place is found by its name.
    login(page, "coordinator")
    page.goto(page.base_url + "/coordination/meetings/new/")
    page.fill("#id_title", "Utilities and heating, Khankendi")
    page.select_option("#id_kind", "working_group")
    page.select_option("#id_organisation", str(chq.pk))
    page.fill("#id_starts_at", f"{today:%Y-%m-%d}T10:00")
    page.fill("#id_place", "Xankəndi")
    page.check(f"input[name=organisations][value='{rcs.pk}']")
    page.fill("#id_agenda", "Fuel for kindergartens and schools\nFood")
    page.click("form.guided button.primary")
    _after_submit(page, "#agenda")
    meeting = Meeting.objects.get(title="Utilities and heating, Khankendi")
    assert meeting.place == s["place"] and meeting.area.code == "AZ-XA"

    # 2. The decision on the first agenda item.
    page.click("summary:has-text('Record a decision')")
    fuel = meeting.agenda.get(position=1)
    page.select_option("#id_decision_agenda_item", str(fuel.pk))
    page.fill(
        "#id_decision_text", "Supply heating fuel for the kindergartens and schools of Khankendi"
    )
    page.click("#agenda form[action$='/decisions/'] button.primary")
    _after_submit(page, ".decision")
    decision = Decision.objects.get(agenda_item__meeting=meeting)

    # 3. The decision becomes a request in one step.
    page.click(f"a[data-request-for='{decision.reference}']")
    page.wait_for_selector("#request-form")
    page.select_option("#id_request_organisation", str(chq.pk))
    page.select_option("#id_request_facility", str(s["kindergarten"].pk))
    page.select_option("#id_request_item", str(s["diesel"].pk))
    page.fill("#id_request_quantity", "1458")
    page.fill("#id_request_needed_from", f"{today:%Y-%m-%d}")
    page.fill("#id_request_needed_by", f"{today + dt.timedelta(days=10):%Y-%m-%d}")
    page.select_option("#id_request_priority", "urgent")
    page.click("#request-form button.primary")
    _after_submit(page, f"#decision-{decision.reference} a[href*='/needs/requests/']")
    request = decision.requests.get()
    assert request.source == "working_group" and decision.reference in request.decision_reference
    assert page.locator(".messages, .message", has_text=request.reference).count() >= 1

    # 4. ... and an action item owned by the Red Crescent, following the decision.
    page.click("summary:has-text('Add an action item')")
    page.fill("#id_action_title", "Deliver the diesel to Kindergarten No. 7")
    page.select_option("#id_action_decision", str(decision.pk))
    page.select_option("#id_action_owner_organisation", str(rcs.pk))
    page.fill("#id_action_due_date", f"{today + dt.timedelta(days=3):%Y-%m-%d}")
    page.click("#action-items form button.primary")
    _after_submit(page, "#action-items tbody a[href*='/action-items/']")
    item = ActionItem.objects.get(meeting=meeting)
    assert (item.decision, item.owner_organisation, item.status) == (decision, rcs, "open")
    _shoot(page, screenshot, f"/coordination/meetings/{meeting.reference}/", "meeting")

    # 5. The dashboard counts the open request and lists the decision with its request.
    page.goto(page.base_url + "/reports/dashboard/")
    opened = page.inner_text("[data-figure='requests.open'] .num")
    assert opened == "1"
    decisions = page.inner_text("#section-decisions")
    assert decision.reference in decisions and request.reference in decisions
    _shoot(page, screenshot, "/reports/dashboard/", "dashboard")

    # 6. The gap analysis has the request's diesel for Khankendi.
    page.goto(page.base_url + "/needs/gap/?days=30")
    row = page.locator("#gap-table tbody tr", has_text="DSL")
    assert row.count() == 1 and "1458" in row.inner_text().replace(",", "").replace(" ", "")

    # 7. The owner sees the notice under the bell and opens the action item from it.
    partner_notices = Notice.objects.filter(recipient__username="partner", reference=item.reference)
    assert partner_notices.count() == 1
    page.context.clear_cookies()
    login(page, "partner")
    page.wait_for_selector("#notice-bell .bell-count")
    assert page.inner_text("#notice-bell .bell-count") == "1"
    page.click("#notice-bell")
    page.wait_for_selector(f".notice[data-reference='{item.reference}']")
    screenshot(page, "coordination-notices-partner")
    page.click(f".notice[data-reference='{item.reference}'] a")
    page.wait_for_load_state("networkidle")
    assert f"/coordination/action-items/{item.reference}/" in page.url
    assert not partner_notices.filter(read_at=None).exists()

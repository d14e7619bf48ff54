"""Browser journey: a partner submits a fuel request for a kindergarten, a coordinator
verifies and approves it, and the gap page shows it (table, chart, map)."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import login


def test_partner_fuel_request_approved_and_shown_on_gap_page(
    page: Any, demo_data: None, screenshot: Any
) -> None:
    from reliefops.needs.models import Request
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

    khankendi = AdminArea.objects.get(code="AZ-XA")
    place = PlaceFactory(
        code="AZ-E2E-1",
        kind="city",
        admin1=khankendi,
        names={"en": "Khankendi", "az": "Xankəndi"},
        latitude=39.8177,
        longitude=46.7528,
    )
    kindergarten = FacilityFactory(
        code="F-E2E-KG",
        kind="kindergarten",
        place=place,
        names={"en": "Kindergarten No. 7"},
        heated_area_m2=600,
        heating_fuel="diesel",
        boiler_efficiency=0.82,
        latitude=39.8177,
        longitude=46.7528,
    )
    ItemFactory(code="DSL", category="fuel", unit="litre", names={"en": "Diesel fuel"})

    # The partner (Red Crescent, Khankendi area) submits the request.
    login(page, "partner")
    page.goto(page.base_url + f"/needs/requests/new/?facility={kindergarten.code}")
    page.select_option("#id_requester_kind", "facility")
    page.select_option("#id_priority", "urgent")
    page.fill("#id_needed_from", "2023-10-01")
    page.fill("#id_needed_by", "2023-10-31")
    page.fill("#id_justification", "Boiler heating for 120 children, 600 m², η 0.82")
    page.select_option("#id_line0_item", label="DSL Diesel fuel")
    page.fill("#id_line0_quantity", "1458")
    screenshot(page, "requests-1-partner-form")
    page.click("text=Submit request")
    page.wait_for_selector("#request-status")
    assert page.inner_text("#request-status") == "Submitted"
    request = Request.objects.get()
    assert request.organisation == Organisation.objects.get(acronym="RCS")
    assert request.area == khankendi
    # A partner cannot verify or approve.
    assert page.locator("button[data-step=approve]").count() == 0
    screenshot(page, "requests-2-submitted")

    # The coordinator verifies and approves it.
    page.context.clear_cookies()
    login(page, "coordinator")
    page.goto(page.base_url + f"/needs/requests/{request.pk}/")
    page.click("button[data-step=verify]")
    page.wait_for_selector("button[data-step=approve]")
    page.click("button[data-step=approve]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#request-status") == "Approved"
    screenshot(page, "requests-3-approved")

    # The gap page shows it: a row, the chart and the area shaded on the map.
    page.goto(page.base_url + "/needs/gap/")
    row = page.locator("#gap-table tbody tr", has_text="DSL")
    assert row.count() == 1
    text = row.inner_text()
    assert "AZ-XA" in text and "1458" in text.replace(",", "")  # locale-grouped digits
    page.wait_for_selector("#gap-chart[data-ready='1']")
    page.wait_for_selector("#gap-map[data-areas='1']")
    assert page.locator("#gap-map path.leaflet-interactive").count() == 1
    screenshot(page, "requests-4-gap")

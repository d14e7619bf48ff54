"""Browser: the request form guides — the requester kind decides which field is shown, the
item's unit stands next to the quantity, lines are added and removed in place, and one
bad submission shows every problem at once, each next to its field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.browser


def visible(page: Any, selector: str) -> bool:
    return bool(page.locator(selector).is_visible())


def error_of(page: Any, field_id: str) -> str:
    """The error shown inside the field's own wrapper (next to it, not atop the form)."""
    wrapper = page.locator(f".field:has(#{field_id})")
    assert wrapper.count() == 1, field_id
    return str(wrapper.locator(".field-error").inner_text())


def test_the_request_form_shows_every_error_at_once_and_edits_lines_in_place(
    page: Any, demo_data: None, screenshot: Any
) -> None:
    from reliefops.needs.models import Request
    from reliefops.places.models import AdminArea
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

    place = PlaceFactory(
        code="AZ-E2E-2",
        kind="city",
        admin1=AdminArea.objects.get(code="AZ-XA"),
        names={"en": "Khankendi"},
    )
    kindergarten = FacilityFactory(
        code="F-E2E-KG2", kind="kindergarten", place=place, names={"en": "Kindergarten No. 3"}
    )
    ItemFactory(code="DSL", category="fuel", unit="litre", names={"en": "Diesel fuel"})
    ItemFactory(code="FLR", category="food", unit="kg", names={"en": "Wheat flour"})

    login(page, "partner")
    page.goto(page.base_url + "/needs/requests/new/")

    # The requester kind decides which field is shown.
    page.select_option("#id_requester_kind", "facility")
    assert visible(page, "#id_facility") and not visible(page, "#id_place")
    page.select_option("#id_requester_kind", "place")
    assert visible(page, "#id_place") and not visible(page, "#id_facility")
    page.select_option("#id_requester_kind", "facility")
    assert visible(page, "#id_facility")

    # The partner is not offered the estimator's source.
    sources = page.locator("#id_source option").evaluate_all("os => os.map(o => o.value)")
    assert "estimator" not in sources and "partner" in sources

    # Lines are added and removed in place (no page load), the unit follows the item.
    assert page.locator(".line-row").count() == 1
    page.click("#add-line")
    page.click("#add-line")
    assert page.locator("#line-rows .line-row").count() == 3
    page.locator("#line-rows .line-row").nth(1).locator("[data-remove-line]").click()
    rows = page.locator("#line-rows .line-row")
    assert rows.count() == 2
    page.select_option("#id_line0_item", label="DSL Diesel fuel")
    assert page.locator(".line-row").first.locator(".suffix").inner_text().strip() == "litre"
    page.select_option("#id_line0_item", label="FLR Wheat flour")
    assert page.locator(".line-row").first.locator(".suffix").inner_text().strip() == "kg"
    second = rows.nth(1).get_attribute("data-line")
    assert second == "2"  # the removed row's index is gone; the third row kept its own

    # One bad submission: no facility, needed_by before needed_from, a negative quantity,
    # a line without an item.
    page.fill("#id_needed_from", "2023-10-20")
    page.fill("#id_needed_by", "2023-10-01")
    page.fill("#id_line0_quantity", "-5")
    page.fill(f"#id_line{second}_quantity", "10")
    page.click("text=Submit request")
    page.wait_for_selector(".form-errors")
    assert "before" in error_of(page, "id_needed_by")
    assert error_of(page, "id_facility")
    assert "greater than zero" in error_of(page, "id_line0_quantity")
    assert "item or a service" in error_of(page, f"id_line{second}_item")
    assert "4 fields need attention" in page.inner_text(".form-errors")
    assert page.input_value("#id_line0_quantity") == "-5"  # what was typed is kept
    assert page.locator(".line-row").count() == 2
    screenshot(page, "request-form-errors")
    assert not Request.objects.exists()

    # A missing needed_by is named next to its field too.
    page.fill("#id_needed_by", "")
    page.click("text=Submit request")
    page.wait_for_selector(".form-errors")
    assert error_of(page, "id_needed_by")

    # Corrected, it is submitted and the request's page says what happens next.
    page.select_option("#id_facility", str(kindergarten.pk))
    page.fill("#id_needed_by", "2023-10-31")
    page.fill("#id_line0_quantity", "300")
    page.locator(f"#line-rows .line-row[data-line='{second}'] [data-remove-line]").click()
    page.click("text=Submit request")
    page.wait_for_selector("#request-status")
    assert page.inner_text("#request-status") == "Submitted"
    assert "verifies" in page.inner_text("#what-next")
    request = Request.objects.get()
    assert [(line.item.code, int(line.quantity)) for line in request.lines.all()] == [("FLR", 300)]

"""Browser: a coordinator edits an estimator parameter and a climate table cell, saves,
reloads and sees the new values."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import login


def test_coordinator_edits_a_parameter_and_a_climate_cell(
    page: Any, demo_data: None, screenshot: Any
) -> None:
    from reliefops.needs.demo import climate_stations_load
    from reliefops.needs.models import ClimateStation
    from reliefops.needs.selectors import estimator_parameters

    climate_stations_load()
    station = ClimateStation.objects.order_by("code").first()
    assert station is not None
    login(page, "coordinator")
    page.goto(page.base_url + "/needs/estimators/")
    field = page.locator("#id_sphere-water_litres_per_person_day")
    assert float(field.input_value()) == 15
    field.fill("20")
    page.locator("#parameters-sphere button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.reload()
    assert float(page.locator("#id_sphere-water_litres_per_person_day").input_value()) == 20
    assert estimator_parameters("sphere")["water_litres_per_person_day"] == 20

    # One cell of the climate table, saved with its row in place (HTMX, no reload).
    cell = page.locator(f"#id_climate-{station.code}-m1")
    cell.fill("-7.5")
    page.locator(f"#climate-form-{station.code} button").click()
    page.wait_for_selector(f"#climate-{station.code} .saved")
    screenshot(page, "estimators-1-saved")
    page.reload()
    assert float(page.locator(f"#id_climate-{station.code}-m1").input_value()) == -7.5
    station.refresh_from_db()
    assert station.monthly_mean_c[0] == -7.5

"""The estimators reproduce the worked examples of docs/estimators.md to within 1 %."""

from __future__ import annotations

import math

import pytest

from reliefops.needs.estimators import (
    HEATING_DEFAULTS,
    SPHERE_DEFAULTS,
    EstimatorError,
    HeatedBuilding,
    heating_fuel_estimate,
    heating_season_months,
    parameters_merge,
    sphere_estimate,
)

# January mean 0.5 °C (the other months do not matter for a January estimate).
CLIMATE = [0.5, 1.4, 5.0, 10.6, 15.4, 19.5, 22.5, 22.1, 17.7, 11.8, 6.0, 1.9]


def close(value: float, expected: float) -> bool:
    return math.isclose(value, expected, rel_tol=0.01)


def test_worked_example_1_kindergarten_heated_area() -> None:
    building = HeatedBuilding(
        kind="kindergarten", fuel="diesel", heated_area_m2=600, efficiency=0.82
    )
    estimate = heating_fuel_estimate(building, CLIMATE, [(2024, 1)], HEATING_DEFAULTS)
    [january] = estimate.months
    assert estimate.method == "area"
    assert close(january.degree_days, 542.5)
    assert close(january.heat_kwh, 11952.4)
    assert close(january.fuel_quantity, 1457.6)
    assert close(january.fuel_per_day, 47.0)
    assert january.unit == "litre"
    assert close(estimate.days_of_cover(800), 17.0)


def test_worked_example_2_fire_station_boiler_rating() -> None:
    building = HeatedBuilding(kind="fire_station", fuel="diesel", boiler_kw=60, efficiency=0.85)
    [january] = heating_fuel_estimate(building, CLIMATE, [(2024, 1)]).months
    assert close(january.heat_kwh, 30046)
    assert close(january.fuel_quantity, 3534.8)
    assert close(january.fuel_per_day, 114.0)


def test_worked_example_3_sphere_village() -> None:
    lines = {line.item_code: line for line in sphere_estimate(1000, 30, SPHERE_DEFAULTS)}
    assert close(lines["FLR"].quantity, 9519.2)
    assert close(lines["VOIL"].quantity, 925.4)
    assert close(lines["BRD"].quantity, 10500)
    assert close(lines["WTR"].quantity, 450000)
    assert lines["HYG"].quantity == 223
    kcal = sum(
        lines[c].quantity * SPHERE_DEFAULTS["food_basket"][c]["kcal_per_kg"]
        for c in SPHERE_DEFAULTS["food_basket"]
    )
    assert close(kcal, 1000 * 30 * 2100)


def test_season_months_and_warm_months_need_nothing() -> None:
    months = heating_season_months(CLIMATE, (2023, 10), threshold_c=12.0)
    assert months == [
        (2023, 10),
        (2023, 11),
        (2023, 12),
        (2024, 1),
        (2024, 2),
        (2024, 3),
        (2024, 4),
    ]
    building = HeatedBuilding(kind="school", fuel="diesel", heated_area_m2=1000)
    july = heating_fuel_estimate(building, [25.0] * 12, [(2024, 7)]).months[0]
    assert july.fuel_quantity == 0


def test_coordinator_overrides_change_the_result() -> None:
    building = HeatedBuilding(
        kind="kindergarten", fuel="diesel", heated_area_m2=600, efficiency=0.82
    )
    params = parameters_merge(
        HEATING_DEFAULTS, {"specific_heat_loss_w_m2k": 0.9, "occupancy": {"kindergarten": 1.0}}
    )
    assert params["occupancy"]["school"] == 0.6  # untouched defaults kept
    base = heating_fuel_estimate(building, CLIMATE, [(2024, 1)]).total
    lowered = heating_fuel_estimate(building, CLIMATE, [(2024, 1)], params).total
    assert close(lowered, base * 0.5 / 0.85)


def test_missing_inputs_are_explained() -> None:
    with pytest.raises(EstimatorError, match="Heated area or boiler"):
        heating_fuel_estimate(HeatedBuilding(kind="school", fuel="diesel"), CLIMATE, [(2024, 1)])
    with pytest.raises(EstimatorError, match="Unknown fuel"):
        heating_fuel_estimate(
            HeatedBuilding(kind="school", fuel="peat", heated_area_m2=1), CLIMATE, [(2024, 1)]
        )

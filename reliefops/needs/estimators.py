"""Need estimators: pure functions, no database. Worked examples: ``docs/estimators.md``.

Heating fuel (per heated facility, per month of a season)::

    HDD_m      = days_m × max(0, T_base − T_mean,m)                      [K·day]
    area:      Q_m = A × H × HDD_m × 24 / 1000 × occupancy               [kWh]
               A heated floor area (m²), H specific heat loss (W/(m²·K)),
               occupancy = share of the day the building is heated at set point
    boiler:    Q_m = P × duty_hours × days_m × HDD_m / (days_m × (T_base − T_design))
               P boiler rating (kW): the boiler runs at full load only on a design day
    fuel_m     = Q_m / (NCV × η)                                         [litre, m³ or kg]
               NCV net calorific value (kWh per litre/m³/kg), η boiler efficiency
    per day    = fuel_m / days_m;   days of cover = stock / per day (current month)

Sphere minimums (per place, for ``days``): food energy 2,100 kcal/person/day split over a
configurable basket (share of energy × kcal per kg → kg), bread kg/person/day, water
15 L/person/day, hygiene kits per household per month.

Parameters come from :data:`HEATING_DEFAULTS` / :data:`SPHERE_DEFAULTS`, overridden by what
a coordinator saved (``EstimatorSetting``); the functions take them explicitly. Each
estimator declares its editable parameters (name, type, unit, range, default, help) at the
end of this module (:data:`ESTIMATORS`, schema in :mod:`reliefops.needs.parameters`).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.needs.parameters import (
    Estimator,
    Parameter,
    _nested_get,
)
from reliefops.needs.parameters import ParameterError as ParameterError  # re-exported
from reliefops.needs.parameters import parameters_merge as parameters_merge  # re-exported
from reliefops.places.choices import FacilityKind, HeatingFuel

#: Net calorific value (kWh per unit) and unit per fuel. Sources: IPCC 2006 Guidelines
#: vol. 2 table 1.2 (NCV) with standard densities (diesel/gas oil 0.84 kg/L → 43.0 MJ/kg ×
#: 0.84 = 36.1 MJ/L = 10.0 kWh/L; LPG 0.54 kg/L, 47.3 MJ/kg → 7.1 kWh/L; natural gas
#: 34 MJ/m³ → 9.4 kWh/m³; coal (other bituminous) 25.8 MJ/kg → 7.2 kWh/kg; air-dried wood
#: 15.6 MJ/kg → 4.3 kWh/kg).
FUEL_PROPERTIES: dict[str, dict[str, Any]] = {
    "diesel": {"ncv_kwh": 10.0, "unit": "litre", "item": "DSL"},
    "heating_oil": {"ncv_kwh": 10.0, "unit": "litre", "item": "HOIL"},
    "lpg": {"ncv_kwh": 7.1, "unit": "litre", "item": "LPG"},
    "natural_gas": {"ncv_kwh": 9.4, "unit": "m3", "item": ""},
    "coal": {"ncv_kwh": 7.2, "unit": "kg", "item": "COAL"},
    "wood": {"ncv_kwh": 4.3, "unit": "kg", "item": "WOOD"},
    "electricity": {"ncv_kwh": 1.0, "unit": "kWh", "item": ""},
}

HEATING_DEFAULTS: dict[str, Any] = {
    # Base temperature of the degree-days (°C) and outdoor design temperature (°C).
    "base_temperature_c": 18.0,
    "design_temperature_c": -8.0,
    # Specific heat loss per m² of heated floor (W/(m²·K)): uninsulated masonry public
    # buildings of the 1960s-80s, single-glazed (order of magnitude of SNiP-era values).
    "specific_heat_loss_w_m2k": 1.8,
    "default_efficiency": 0.80,
    # Share of the day heated at set point, and boiler duty hours, per facility kind.
    "occupancy": {
        "kindergarten": 0.85,
        "school": 0.60,
        "hospital": 1.0,
        "field_hospital": 1.0,
        "health_post": 0.60,
        "ambulance_station": 1.0,
        "fire_station": 1.0,
        "collective_shelter": 1.0,
        "bakery": 0.7,
        "boiler_house": 1.0,
    },
    "duty_hours": {
        "kindergarten": 12,
        "school": 9,
        "hospital": 24,
        "field_hospital": 24,
        "health_post": 10,
        "ambulance_station": 24,
        "fire_station": 24,
        "collective_shelter": 24,
        "bakery": 16,
        "boiler_house": 24,
    },
    "fuels": FUEL_PROPERTIES,
    # Heating season: months with a mean temperature below this are heated.
    "season_threshold_c": 12.0,
}

SPHERE_DEFAULTS: dict[str, Any] = {
    "kcal_per_person_day": 2100,
    # Food basket: share of the energy, and energy density (kcal/kg), per item code.
    # Energy densities from the WFP food composition table (NutVal).
    "food_basket": {
        "FLR": {"energy_share": 0.55, "kcal_per_kg": 3640},
        "RICE": {"energy_share": 0.15, "kcal_per_kg": 3600},
        "PULS": {"energy_share": 0.12, "kcal_per_kg": 3350},
        "VOIL": {"energy_share": 0.13, "kcal_per_kg": 8850},
        "SUGR": {"energy_share": 0.05, "kcal_per_kg": 4000},
    },
    "bread_kg_per_person_day": 0.35,
    "bread_item": "BRD",
    "water_litres_per_person_day": 15,
    "water_item": "WTR",
    "hygiene_kits_per_household_month": 1,
    "hygiene_item": "HYG",
    "household_size": 4.5,
}


#: What pages call the estimators, their methods and their parameters. The keys stay as
#: they are in the parameters' JSON (and the API); only what people read is translated.
ESTIMATOR_LABELS: dict[str, Any] = {
    "heating_fuel": gettext_lazy("Heating fuel"),
    "sphere": gettext_lazy("Sphere minimum needs"),
}
METHOD_LABELS: dict[str, Any] = {
    "area": gettext_lazy("heated area"),
    "boiler": gettext_lazy("boiler rating"),
}
PARAMETER_LABELS: dict[str, Any] = {
    "base_temperature_c": gettext_lazy("base temperature of the degree-days, °C"),
    "design_temperature_c": gettext_lazy("outdoor design temperature, °C"),
    "specific_heat_loss_w_m2k": gettext_lazy("specific heat loss of the building, W/(m²·K)"),
    "default_efficiency": gettext_lazy("boiler efficiency when the facility gives none"),
    "occupancy": gettext_lazy("share of the day heated at set point, per facility kind"),
    "duty_hours": gettext_lazy("boiler hours per day, per facility kind"),
    "fuels": gettext_lazy("net calorific value (kWh per unit), unit and item, per fuel"),
    "season_threshold_c": gettext_lazy("months with a mean below this (°C) are heated"),
    "kcal_per_person_day": gettext_lazy("food energy per person per day, kcal"),
    "food_basket": gettext_lazy("food basket: share of the energy and kcal per kg, per item"),
    "bread_kg_per_person_day": gettext_lazy("bread per person per day, kg"),
    "bread_item": gettext_lazy("item code of bread"),
    "water_litres_per_person_day": gettext_lazy("water per person per day, litres"),
    "water_item": gettext_lazy("item code of water"),
    "hygiene_kits_per_household_month": gettext_lazy("hygiene kits per household per month"),
    "hygiene_item": gettext_lazy("item code of the hygiene kit"),
    "household_size": gettext_lazy("people per household"),
}


# --------------------------------------------------------------------------- heating fuel


def heating_degree_days(mean_c: float, days: int, base_c: float) -> float:
    """Degree-days (K·day) of a month with mean temperature ``mean_c`` (monthly-mean method)."""
    return days * max(0.0, base_c - mean_c)


@dataclass(frozen=True)
class HeatedBuilding:
    """What the estimator needs about one facility. Area in m², boiler in kW."""

    kind: str
    fuel: str
    heated_area_m2: float | None = None
    boiler_kw: float | None = None
    efficiency: float | None = None


@dataclass(frozen=True)
class FuelMonth:
    year: int
    month: int
    days: int
    mean_c: float
    degree_days: float
    heat_kwh: float
    fuel_quantity: float
    fuel_per_day: float
    unit: str


@dataclass(frozen=True)
class FuelEstimate:
    method: str  # "area" or "boiler"
    fuel: str
    unit: str
    efficiency: float
    months: list[FuelMonth] = field(default_factory=list)

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS.get(self.method, self.method))

    @property
    def total(self) -> float:
        return sum(m.fuel_quantity for m in self.months)

    def days_of_cover(self, stock: float, month_index: int = 0) -> float | None:
        """Days the ``stock`` lasts at the consumption of ``months[month_index]``."""
        if not self.months:
            return None
        per_day = self.months[month_index].fuel_per_day
        return math.inf if per_day <= 0 else stock / per_day


class EstimatorError(ValueError):
    """The inputs cannot give an estimate (message says which is missing)."""


def heating_fuel_estimate(
    building: HeatedBuilding,
    monthly_mean_c: Sequence[float],
    months: Sequence[tuple[int, int]],
    parameters: Mapping[str, Any] = HEATING_DEFAULTS,
) -> FuelEstimate:
    """Fuel for ``building`` over ``months`` ((year, month) pairs) of a climate table.

    Uses the heated-area method when an area is known, else the boiler-rating method.
    """
    if len(monthly_mean_c) != 12:
        raise EstimatorError(_("The climate table needs 12 monthly mean temperatures."))
    fuels = parameters["fuels"]
    if building.fuel not in fuels:
        raise EstimatorError(_("Unknown fuel “%(fuel)s”.") % {"fuel": building.fuel})
    ncv = float(fuels[building.fuel]["ncv_kwh"])
    unit = str(fuels[building.fuel]["unit"])
    efficiency = building.efficiency or float(parameters["default_efficiency"])
    if not 0 < efficiency <= 1:
        raise EstimatorError(_("Boiler efficiency must be in (0, 1]."))
    base = float(parameters["base_temperature_c"])
    if building.heated_area_m2:
        method = "area"
    elif building.boiler_kw:
        method = "boiler"
    else:
        raise EstimatorError(_("Heated area or boiler rating is needed."))
    occupancy = float(parameters["occupancy"].get(building.kind, 1.0))
    duty_hours = float(parameters["duty_hours"].get(building.kind, 24))
    design = float(parameters["design_temperature_c"])
    specific_loss = float(parameters["specific_heat_loss_w_m2k"])
    result: list[FuelMonth] = []
    for year, month in months:
        days = calendar.monthrange(year, month)[1]
        mean_c = float(monthly_mean_c[month - 1])
        hdd = heating_degree_days(mean_c, days, base)
        if method == "area":
            assert building.heated_area_m2 is not None
            heat = building.heated_area_m2 * specific_loss * hdd * 24 / 1000 * occupancy
        else:
            assert building.boiler_kw is not None
            load = hdd / (days * (base - design))
            heat = building.boiler_kw * duty_hours * days * load
        fuel = heat / (ncv * efficiency)
        result.append(FuelMonth(year, month, days, mean_c, hdd, heat, fuel, fuel / days, unit))
    return FuelEstimate(method, building.fuel, unit, efficiency, result)


def heating_season_months(
    monthly_mean_c: Sequence[float], season_start: tuple[int, int], threshold_c: float
) -> list[tuple[int, int]]:
    """The heated months (mean below ``threshold_c``) of the 12 months from ``season_start``."""
    year, month = season_start
    result = []
    for _month in range(12):
        if monthly_mean_c[month - 1] < threshold_c:
            result.append((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return result


# --------------------------------------------------------------------------- Sphere


@dataclass(frozen=True)
class NeedLine:
    """An estimated quantity of an item (in its unit) and how it was computed."""

    item_code: str
    quantity: float
    unit: str
    basis: str


def sphere_estimate(
    population: int,
    days: int,
    parameters: Mapping[str, Any] = SPHERE_DEFAULTS,
    *,
    include: Sequence[str] = ("food", "bread", "water", "hygiene"),
) -> list[NeedLine]:
    """Minimum needs of ``population`` people for ``days`` days (Sphere Handbook 2018).

    Food: the basket covers ``kcal_per_person_day`` (energy shares should sum to 1; they
    are normalised if not). Bread is counted separately (a bread distribution supplements
    the basket; leave it out of ``include`` when bread is part of the basket's flour).
    """
    if population < 0 or days < 0:
        raise EstimatorError(_("Population and days must not be negative."))
    lines: list[NeedLine] = []
    person_days = population * days
    if "food" in include:
        basket = parameters["food_basket"]
        shares = sum(float(v["energy_share"]) for v in basket.values()) or 1.0
        kcal = float(parameters["kcal_per_person_day"])
        for code, spec in basket.items():
            kg = (
                person_days
                * kcal
                * float(spec["energy_share"])
                / shares
                / float(spec["kcal_per_kg"])
            )
            basis = _("%(kcal)s kcal/person/day") % {"kcal": f"{kcal:.0f}"}
            lines.append(NeedLine(code, kg, "kg", basis))
    if "bread" in include:
        per = float(parameters["bread_kg_per_person_day"])
        lines.append(
            NeedLine(
                parameters["bread_item"],
                person_days * per,
                "kg",
                _("%(kg)s kg bread/person/day") % {"kg": f"{per:g}"},
            )
        )
    if "water" in include:
        per = float(parameters["water_litres_per_person_day"])
        lines.append(
            NeedLine(
                parameters["water_item"],
                person_days * per,
                "litre",
                _("%(litres)s L/person/day") % {"litres": f"{per:.0f}"},
            )
        )
    if "hygiene" in include:
        households = population / float(parameters["household_size"])
        per = float(parameters["hygiene_kits_per_household_month"])
        lines.append(
            NeedLine(
                parameters["hygiene_item"],
                math.ceil(households * per * days / 30),
                "kit",
                _("%(kits)s kit/household/month") % {"kits": f"{per:g}"},
            )
        )
    return lines


# --------------------------------------------------------------------------- the estimators


#: The group of an estimator's single-valued parameters on the settings form.
GENERAL = gettext_lazy("General")


def _p(defaults: Mapping[str, Any], name: str, kind: str, key: str, **extra: Any) -> Parameter:
    """A parameter whose default is read from ``defaults`` at ``name``. Its label is
    ``PARAMETER_LABELS[key]``; a family (``occupancy.school``) is grouped under that label,
    a single value under :data:`GENERAL`."""
    extra.setdefault("label", PARAMETER_LABELS[key])
    return Parameter(
        name=name,
        kind=kind,
        default=_nested_get(defaults, name),
        group=PARAMETER_LABELS[key] if "." in name else GENERAL,
        **extra,
    )


def _heating_parameters() -> tuple[Parameter, ...]:
    d = HEATING_DEFAULTS
    kinds = dict(FacilityKind.choices)
    fuels = dict(HeatingFuel.choices)
    result = [
        _p(
            d,
            "base_temperature_c",
            "float",
            "base_temperature_c",
            unit="°C",
            minimum=10,
            maximum=25,
            help=gettext_lazy("Indoor balance point: a day below it needs heating."),
        ),
        _p(
            d,
            "design_temperature_c",
            "float",
            "design_temperature_c",
            unit="°C",
            minimum=-40,
            maximum=10,
            help=gettext_lazy("The coldest day a boiler is sized for (boiler-rating method)."),
        ),
        _p(
            d,
            "specific_heat_loss_w_m2k",
            "float",
            "specific_heat_loss_w_m2k",
            unit="W/(m²·K)",
            minimum=0.1,
            maximum=5,
            help=gettext_lazy("1.8 for uninsulated masonry of the 1960s-80s, single-glazed."),
        ),
        _p(
            d,
            "default_efficiency",
            "float",
            "default_efficiency",
            minimum=0.05,
            maximum=1,
            help=gettext_lazy("Share of the fuel's energy the boiler delivers."),
        ),
        _p(
            d, "season_threshold_c", "float", "season_threshold_c", unit="°C", minimum=0, maximum=25
        ),
    ]
    for kind in d["occupancy"]:
        result.append(
            _p(
                d,
                f"occupancy.{kind}",
                "float",
                "occupancy",
                label=kinds.get(kind, kind),
                minimum=0,
                maximum=1,
                help=gettext_lazy("Share of the day (heated-area method)."),
            )
        )
    for kind in d["duty_hours"]:
        result.append(
            _p(
                d,
                f"duty_hours.{kind}",
                "float",
                "duty_hours",
                label=kinds.get(kind, kind),
                unit=gettext_lazy("h"),
                minimum=0,
                maximum=24,
                help=gettext_lazy("Hours per day (boiler-rating method)."),
            ),
        )
    for fuel in d["fuels"]:
        label = fuels.get(fuel, fuel)
        result += [
            _p(
                d,
                f"fuels.{fuel}.ncv_kwh",
                "float",
                "fuels",
                label=label,
                column=gettext_lazy("kWh per unit"),
                minimum=0.1,
                maximum=50,
            ),
            _p(
                d,
                f"fuels.{fuel}.unit",
                "str",
                "fuels",
                label=label,
                choices=("litre", "m3", "kg", "kWh"),
                column=gettext_lazy("unit"),
            ),
            _p(
                d,
                f"fuels.{fuel}.item",
                "str",
                "fuels",
                label=label,
                blank=True,
                column=gettext_lazy("item code"),
                help=gettext_lazy(
                    "Net calorific value per unit of the fuel (IPCC 2006 with standard densities), and the catalogue item it is requested as (empty: none)."
                ),
            ),
        ]
    return tuple(result)


def _sphere_parameters() -> tuple[Parameter, ...]:
    d = SPHERE_DEFAULTS
    result = [
        _p(
            d,
            "kcal_per_person_day",
            "int",
            "kcal_per_person_day",
            unit="kcal",
            minimum=1000,
            maximum=4000,
            help=gettext_lazy("Sphere Handbook 2018: 2,100 kcal per person per day."),
        ),
    ]
    result += [
        _p(
            d,
            "bread_kg_per_person_day",
            "float",
            "bread_kg_per_person_day",
            unit="kg",
            minimum=0,
            maximum=2,
        ),
        _p(d, "bread_item", "str", "bread_item"),
        _p(
            d,
            "water_litres_per_person_day",
            "float",
            "water_litres_per_person_day",
            unit="L",
            minimum=1,
            maximum=100,
            help=gettext_lazy("Sphere minimum: 15 L per person per day."),
        ),
        _p(d, "water_item", "str", "water_item"),
        _p(
            d,
            "hygiene_kits_per_household_month",
            "float",
            "hygiene_kits_per_household_month",
            minimum=0,
            maximum=10,
        ),
        _p(d, "hygiene_item", "str", "hygiene_item"),
        _p(d, "household_size", "float", "household_size", minimum=1, maximum=20),
    ]
    for code in d["food_basket"]:
        result += [
            _p(
                d,
                f"food_basket.{code}.energy_share",
                "float",
                "food_basket",
                label=code,
                minimum=0,
                maximum=1,
                column=gettext_lazy("share of the energy"),
            ),
            _p(
                d,
                f"food_basket.{code}.kcal_per_kg",
                "float",
                "food_basket",
                label=code,
                column=gettext_lazy("kcal per kg"),
                minimum=1,
                maximum=10000,
                help=gettext_lazy(
                    "Shares of the energy (normalised to sum to 1) and energy densities (WFP NutVal) of the basket's items."
                ),
            ),
        ]
    return tuple(result)


def _heating_check(values: dict[str, Any]) -> dict[str, list[str]]:
    """The boiler method divides by (base − design): the design day must be colder."""
    base, design = values["base_temperature_c"], values["design_temperature_c"]
    if design >= base:
        return {
            "design_temperature_c": [
                _("Must be below the base temperature (%(base)s °C).") % {"base": f"{base:g}"}
            ]
        }
    return {}


HEATING_FUEL = Estimator(
    "heating_fuel",
    ESTIMATOR_LABELS["heating_fuel"],
    HEATING_DEFAULTS,
    _heating_parameters(),
    check=_heating_check,
)
SPHERE = Estimator("sphere", ESTIMATOR_LABELS["sphere"], SPHERE_DEFAULTS, _sphere_parameters())
#: The estimators by key (the settings page, the service and the selectors use these).
ESTIMATORS: dict[str, Estimator] = {e.key: e for e in (HEATING_FUEL, SPHERE)}

"""Reads of the estimators: parameters, climate tables, heating fuel, Sphere minimums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.permissions import Actor, scope_queryset
from reliefops.crossings.selectors import population_current
from reliefops.needs.estimators import (
    ESTIMATORS,
    FuelEstimate,
    HeatedBuilding,
    heating_fuel_estimate,
    heating_season_months,
    sphere_estimate,
)
from reliefops.needs.models import ClimateStation, EstimatorSetting
from reliefops.places.choices import HEATED_FACILITY_KINDS
from reliefops.places.selectors import facility_list, nearest_to_point, place_list
from reliefops.stock.selectors import items_by_code, stock_at_facilities, stock_at_facility


def estimator_overrides(key: str) -> dict[str, Any]:
    """What a coordinator saved for estimator ``key`` (values over the defaults, nested)."""
    setting = EstimatorSetting.objects.filter(key=key).first()
    overrides = setting.parameters if setting else {}
    return overrides if isinstance(overrides, dict) else {}


def estimator_parameters(key: str) -> dict[str, Any]:
    """The parameters estimator ``key`` computes with (nested): defaults and saved values."""
    return ESTIMATORS[key].effective(estimator_overrides(key))


def estimator_values(key: str) -> dict[str, Any]:
    """Every parameter of estimator ``key`` by dotted name, as the settings form shows it."""
    return ESTIMATORS[key].values(estimator_overrides(key))


def climate_station_list() -> QuerySet[ClimateStation]:
    """The climate tables (reference data: every signed-in user reads them)."""
    return ClimateStation.objects.order_by("code")


def climate_station_by_code(code: str) -> ClimateStation | None:
    return ClimateStation.objects.filter(code=code).first()


def climate_station_nearest(
    latitude: float, longitude: float, stations: Iterable[ClimateStation] | None = None
) -> ClimateStation | None:
    """The climate table nearest the point (of ``stations`` when given: read once)."""
    station: ClimateStation | None = nearest_to_point(
        latitude, longitude, ClimateStation.objects.all() if stations is None else stations
    )
    return station


class HeatingReads:
    """What the heating-fuel estimates of many facilities share, read once: the climate
    tables, the fuel items and (given the facilities) the fuel each of them holds, in one
    query — not three queries per facility."""

    def __init__(self, parameters: dict[str, Any], facilities: Iterable[Any] | None = None):
        self.stations = list(ClimateStation.objects.all())
        codes = {f.get("item") for f in parameters["fuels"].values() if f.get("item")}
        self.items = items_by_code(sorted(codes))
        self.held = (
            stock_at_facilities(facility_ids=[f.pk for f in facilities], items=self.items.values())
            if facilities is not None
            else None
        )

    def stock(self, facility: Any, fuel_item: Any) -> float:
        if fuel_item is None:
            return 0.0
        if self.held is None:
            return facility_fuel_stock(facility=facility, fuel_item=fuel_item)
        return float(self.held.get((facility.pk, fuel_item.pk), 0))


@dataclass(frozen=True)
class FuelAssessment:
    facility: Any
    estimate: FuelEstimate
    stock: float
    station_name: str
    days_of_cover: float | None


def facility_fuel_stock(*, facility: Any, fuel_item: Any) -> float:
    """Fuel held at the facility: the balance of its stock point (a Warehouse on it)."""
    if fuel_item is None:
        return 0.0
    return float(stock_at_facility(facility=facility, item=fuel_item))


def heating_fuel_for_facility(
    *,
    facility: Any,
    season_start: tuple[int, int],
    actor: Actor | None = None,
    parameters: dict[str, Any] | None = None,
    day: dt.date | None = None,
    reads: HeatingReads | None = None,
) -> FuelAssessment:
    """The heating-fuel estimate of one facility for the season from ``season_start``;
    days of cover at the consumption of ``day``'s month (default today). ``reads``: the
    tables and stock read once for a list of facilities (:class:`HeatingReads`)."""
    from reliefops.needs.estimators import EstimatorError

    parameters = parameters or estimator_parameters("heating_fuel")
    if reads is None:
        station = climate_station_nearest(facility.latitude, facility.longitude)
    else:
        station = climate_station_nearest(facility.latitude, facility.longitude, reads.stations)
    if station is None:
        raise EstimatorError(gettext("No climate table is loaded."))
    fuel = facility.heating_fuel or "diesel"
    building = HeatedBuilding(
        kind=facility.kind,
        fuel=fuel,
        heated_area_m2=facility.heated_area_m2,
        boiler_kw=facility.boiler_kw,
        efficiency=facility.boiler_efficiency,
    )
    months = heating_season_months(
        station.monthly_mean_c, season_start, float(parameters["season_threshold_c"])
    )
    estimate = heating_fuel_estimate(building, station.monthly_mean_c, months, parameters)
    item_code = parameters["fuels"].get(fuel, {}).get("item", "")
    if reads is None:
        fuel_item = items_by_code([item_code]).get(item_code) if item_code else None
        stock = facility_fuel_stock(facility=facility, fuel_item=fuel_item)
    else:
        fuel_item = reads.items.get(item_code) if item_code else None
        stock = reads.stock(facility, fuel_item)
    today = day or timezone.localdate()
    index = next(
        (
            i
            for i, m in enumerate(estimate.months)
            if (m.year, m.month) >= (today.year, today.month)
        ),
        0,
    )
    cover = estimate.days_of_cover(stock, index) if estimate.months else None
    return FuelAssessment(facility, estimate, stock, station.name, cover)


def facility_heating_assessment(
    *, actor: Actor, code: str, season_start: tuple[int, int]
) -> FuelAssessment:
    """:func:`heating_fuel_for_facility` of the facility ``code`` in ``actor``'s areas;
    ``NotFound`` outside them, ``InvalidInput`` (``estimate_impossible``) without data."""
    from reliefops.needs.estimators import EstimatorError

    facility = facility_list(actor=actor, in_scope=True).filter(code=code).first()
    if facility is None:
        raise NotFound()
    try:
        return heating_fuel_for_facility(facility=facility, season_start=season_start)
    except EstimatorError as exc:
        raise InvalidInput(str(exc), code="estimate_impossible") from exc


def _heated_facilities(*, actor: Actor, operating_only: bool = False) -> QuerySet[Any]:
    qs = facility_list(
        actor=actor,
        kind=",".join(sorted(HEATED_FACILITY_KINDS)),
        status="operating" if operating_only else None,
    )
    return qs.select_related("place__admin1")


def heated_facility_list(*, actor: Actor) -> QuerySet[Any]:
    """Facilities of the kinds heated in winter (schools, clinics …) in ``actor``'s areas."""
    return scope_queryset(actor, _heated_facilities(actor=actor), area_field="place__admin1")


def heating_draft_facilities(*, actor: Actor) -> QuerySet[Any]:
    """The operating heated facilities ``actor`` may draft fuel requests for
    (``request.submit`` in their area)."""
    return scope_queryset(
        actor,
        _heated_facilities(actor=actor, operating_only=True),
        area_field="place__admin1",
        action=Action.REQUEST_SUBMIT,
    )


def heating_fuel_items() -> dict[str, Any]:
    """Per fuel of the heating estimator, the catalogue item it is requested as (or None)."""
    fuels = estimator_parameters("heating_fuel")["fuels"]
    items = items_by_code({spec.get("item", "") for spec in fuels.values()} - {""})
    return {fuel: items.get(spec.get("item", "")) for fuel, spec in fuels.items()}


@dataclass(frozen=True)
class SphereAssessment:
    place: Any
    population: int
    days: int
    lines: list[Any]


def sphere_for_place(*, actor: Actor, code: str, days: int) -> SphereAssessment:
    """Sphere minimum needs of the place ``code`` (in ``actor``'s areas) for ``days``, from
    its estimated current population (its latest baseline moved by the flows counted at
    the crossing points of its catchment: ``crossings.selectors.population_current``);
    ``InvalidInput`` (``no_population``) without a baseline."""
    place = place_list(actor=actor, in_scope=True).filter(code=code).first()
    if place is None:
        raise NotFound()
    estimate = population_current([place.pk]).get(place.pk)
    if estimate is None:
        raise InvalidInput(
            gettext_lazy("No population estimate for this place."), code="no_population"
        )
    lines = sphere_estimate(estimate.value, days, estimator_parameters("sphere"))
    return SphereAssessment(place, estimate.value, days, list(lines))


#: Below this many days of heating fuel a facility is shown in red (dashboard, sitrep).
LOW_COVER_DAYS = 7


@dataclass(frozen=True)
class HeatingCover:
    """Days of heating-fuel cover of one facility on a day (None: no estimate possible,
    ``reason`` says why; ``math.inf``: no consumption that month)."""

    facility: Any
    days_of_cover: float | None
    stock: float
    fuel_per_day: float | None
    reason: str = ""

    @property
    def low(self) -> bool:
        return self.days_of_cover is not None and self.days_of_cover < LOW_COVER_DAYS


def heating_season_of(day: dt.date) -> tuple[int, int]:
    """The heating season under way or next on ``day``: from October of its year or the last."""
    return (day.year if day.month >= 7 else day.year - 1, 10)


def heating_cover_list(*, actor: Actor, day: dt.date, kinds: Any) -> list[HeatingCover]:
    """Days of heating-fuel cover on ``day`` of the operating facilities of ``kinds`` in
    ``actor``'s areas (fuel held at the facility ÷ the estimator's litres per day for
    ``day``'s month), fewest days first, facilities without an estimate last."""
    from reliefops.needs.estimators import EstimatorError

    parameters = estimator_parameters("heating_fuel")
    facilities = scope_queryset(
        actor,
        facility_list(actor=actor, kind=",".join(sorted(kinds)), status="operating"),
        area_field="place__admin1",
    ).select_related("place__admin1")
    # (the area's outline is not needed: 600 GeoJSON outlines cost more than the rest)
    listed = list(facilities.defer("place__admin1__geometry").order_by("code"))
    reads = HeatingReads(parameters, listed)
    rows = []
    for facility in listed:
        try:
            found = heating_fuel_for_facility(
                facility=facility,
                season_start=heating_season_of(day),
                parameters=parameters,
                day=day,
                reads=reads,
            )
        except EstimatorError as exc:
            rows.append(HeatingCover(facility, None, 0.0, None, str(exc)))
            continue
        index = next(
            (
                i
                for i, m in enumerate(found.estimate.months)
                if (m.year, m.month) >= (day.year, day.month)
            ),
            0,
        )
        per_day = found.estimate.months[index].fuel_per_day if found.estimate.months else None
        rows.append(HeatingCover(facility, found.days_of_cover, found.stock, per_day))
    rows.sort(key=lambda r: (r.days_of_cover is None, r.days_of_cover or 0, r.facility.code))
    return rows

"""Every read of the needs domain, scoped by the caller's organisation and areas.

Gap analysis (:func:`gap_analysis`), per admin-1 area × item, over a horizon of ``days``:

    estimated  Sphere minimums for the area's places (latest population) for ``days``, in
               the areas of operation (areas with at least one open request)
    requested  remaining quantity (asked − delivered) of open requests in the area
    need       max(estimated, requested): requests usually restate the estimate, so the
               larger of the two is taken rather than their sum (no double counting)
    available  stock on hand in warehouses of the area
    pipeline   pledges pledged or in transit to warehouses of the area, expected by the end
               of the horizon
    planned    quantity planned or dispatched on open request lines, not yet delivered
    gap        max(0, need − available − pipeline − planned)
    coverage   min(100 %, (available + pipeline + planned) / need)
    days of cover  available ÷ (need / days)

Item totals add up the areas (with national stock, including warehouses outside the
areas with needs, in ``available``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids, scope_queryset
from reliefops.needs.choices import OPEN_STATUSES
from reliefops.needs.estimators import (
    HEATING_DEFAULTS,
    SPHERE_DEFAULTS,
    FuelEstimate,
    HeatedBuilding,
    heating_fuel_estimate,
    heating_season_months,
    parameters_merge,
    sphere_estimate,
)
from reliefops.needs.models import ClimateStation, EstimatorSetting, Request, RequestLine


def request_list(
    *,
    actor: Actor,
    status: Iterable[str] | None = None,
    area: Any = None,
    item: Any = None,
    priority: str | None = None,
    search: str = "",
) -> QuerySet[Request]:
    qs = scope_queryset(
        actor,
        Request.objects.select_related("place", "facility", "area", "organisation"),
        area_field="area",
    )
    if status:
        qs = qs.filter(status__in=list(status))
    if area is not None:
        qs = qs.filter(area=area)
    if item is not None:
        qs = qs.filter(lines__item=item).distinct()
    if priority:
        qs = qs.filter(priority=priority)
    if search:
        qs = qs.filter(reference__icontains=search)
    return qs.prefetch_related(
        Prefetch("lines", queryset=RequestLine.objects.select_related("item"))
    ).order_by("-created_at")


def request_get(*, actor: Actor, pk: Any) -> Request:
    from reliefops.core.errors import NotFound

    request = request_list(actor=actor).prefetch_related("comments__author").filter(pk=pk).first()
    if request is None:
        raise NotFound()
    return request


def request_history(*, request: Request) -> list[Any]:
    """The request's recorded versions (django-simple-history), newest first."""
    return list(request.history.select_related("history_user").order_by("-history_date")[:50])


# --------------------------------------------------------------------------- estimators


def estimator_parameters(key: str) -> dict[str, Any]:
    defaults = {"heating_fuel": HEATING_DEFAULTS, "sphere": SPHERE_DEFAULTS}[key]
    setting = EstimatorSetting.objects.filter(key=key).first()
    return parameters_merge(defaults, setting.parameters if setting else None)


def climate_station_nearest(latitude: float, longitude: float) -> ClimateStation | None:
    from reliefops.places.matching import distance_km

    stations = list(ClimateStation.objects.all())
    if not stations:
        return None
    return min(stations, key=lambda s: distance_km(latitude, longitude, s.latitude, s.longitude))


@dataclass(frozen=True)
class FuelAssessment:
    facility: Any
    estimate: FuelEstimate
    stock: float
    station_name: str
    days_of_cover: float | None


def facility_fuel_stock(*, facility: Any, fuel_item: Any) -> float:
    """Fuel held at the facility: the balance of its stock point (a Warehouse on it)."""
    from reliefops.stock.models import StockBalance

    if fuel_item is None:
        return 0.0
    total = StockBalance.objects.filter(warehouse__facility=facility, item=fuel_item).aggregate(
        t=Sum("quantity")
    )["t"]
    return float(total or 0)


def heating_fuel_for_facility(
    *,
    facility: Any,
    season_start: tuple[int, int],
    actor: Actor | None = None,
    parameters: dict[str, Any] | None = None,
) -> FuelAssessment:
    """The heating-fuel estimate of one facility for the season from ``season_start``."""
    from reliefops.needs.estimators import EstimatorError
    from reliefops.stock.models import Item

    parameters = parameters or estimator_parameters("heating_fuel")
    station = climate_station_nearest(facility.latitude, facility.longitude)
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
    fuel_item = Item.objects.filter(code=item_code).first() if item_code else None
    stock = facility_fuel_stock(facility=facility, fuel_item=fuel_item)
    today = timezone.localdate()
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


# --------------------------------------------------------------------------- gap analysis


@dataclass
class GapRow:
    area_id: Any
    area_code: str
    area_name: str
    item_code: str
    item_name: str
    unit: str
    estimated: float = 0.0
    requested: float = 0.0
    available: float = 0.0
    pipeline: float = 0.0
    planned: float = 0.0

    @property
    def need(self) -> float:
        return max(self.estimated, self.requested)

    @property
    def gap(self) -> float:
        return max(0.0, self.need - self.available - self.pipeline - self.planned)

    @property
    def coverage(self) -> float | None:
        """Share of the need covered (0-1), None when there is no need."""
        if self.need <= 0:
            return None
        return min(1.0, (self.available + self.pipeline + self.planned) / self.need)

    def days_of_cover(self, days: int) -> float | None:
        if self.need <= 0:
            return None
        daily = self.need / days
        return self.available / daily if daily else math.inf

    def as_dict(self, days: int) -> dict[str, Any]:
        cover = self.days_of_cover(days)
        return {
            "area": self.area_code,
            "area_name": self.area_name,
            "item": self.item_code,
            "item_name": self.item_name,
            "unit": self.unit,
            "estimated": round(self.estimated, 3),
            "requested": round(self.requested, 3),
            "need": round(self.need, 3),
            "available": round(self.available, 3),
            "pipeline": round(self.pipeline, 3),
            "planned": round(self.planned, 3),
            "gap": round(self.gap, 3),
            "coverage_pct": None if self.coverage is None else round(self.coverage * 100, 1),
            "days_of_cover": None if cover is None else round(cover, 1),
        }


@dataclass
class GapReport:
    days: int
    rows: list[GapRow] = field(default_factory=list)
    totals: list[GapRow] = field(default_factory=list)

    def area_coverage(self) -> dict[str, float | None]:
        """Mean coverage over the items with a need, per area code (for the map)."""
        values: dict[str, list[float]] = defaultdict(list)
        for row in self.rows:
            if row.coverage is not None:
                values[row.area_code].append(row.coverage)
        return {code: sum(v) / len(v) for code, v in values.items()}


def _latest_populations(place_ids: Iterable[Any] | None = None) -> dict[Any, int]:
    from reliefops.places.models import PopulationEstimate

    qs = PopulationEstimate.objects.all()
    if place_ids is not None:
        qs = qs.filter(place_id__in=list(place_ids))
    latest: dict[Any, tuple[dt.date, int]] = {}
    for place_id, value, as_of in qs.values_list("place_id", "value", "as_of"):
        day = as_of or dt.date.min
        if place_id not in latest or day >= latest[place_id][0]:
            latest[place_id] = (day, value)
    return {k: v for k, (_, v) in latest.items()}


def gap_analysis(
    *,
    actor: Actor,
    days: int = 30,
    include_estimates: bool = True,
    item_codes: Iterable[str] | None = None,
) -> GapReport:
    """Need vs stock vs pipeline vs planned per area × item (see the module docstring)."""
    from reliefops.places.models import AdminArea, Place
    from reliefops.stock.choices import PIPELINE_STATUSES
    from reliefops.stock.models import Item, Pledge, StockBalance

    scope = allowed_area_ids(actor)
    horizon_end = timezone.localdate() + dt.timedelta(days=days)
    rows: dict[tuple[Any, str], GapRow] = {}
    areas = {a.pk: a for a in AdminArea.objects.filter(level=1)}
    items = {i.code: i for i in Item.objects.all()}
    wanted = set(item_codes) if item_codes else None

    def row(area_id: Any, item_code: str) -> GapRow | None:
        if area_id is None or area_id not in areas:
            return None
        if (scope is not None and area_id not in scope) or (wanted and item_code not in wanted):
            return None
        key = (area_id, item_code)
        if key not in rows:
            area, item = areas[area_id], items.get(item_code)
            rows[key] = GapRow(
                area_id,
                area.code,
                localized(area.names) or area.code,
                item_code,
                item.name if item else item_code,
                item.unit if item else "",
            )
        return rows[key]

    # Requested and planned: remaining on open requests.
    lines = (
        RequestLine.objects.filter(request__status__in=OPEN_STATUSES, item__isnull=False)
        .values("request__area_id", "item__code")
        .annotate(
            asked=Sum("quantity"),
            delivered=Sum("quantity_delivered"),
            planned=Sum("quantity_planned"),
            dispatched=Sum("quantity_dispatched"),
        )
    )
    for line in lines:
        target = row(line["request__area_id"], line["item__code"])
        if target is None:
            continue
        target.requested += float(line["asked"] - line["delivered"])
        target.planned += float(max(line["planned"], line["dispatched"]) - line["delivered"])

    # Estimated: Sphere minimums of the populations of the places with needs.
    if include_estimates:
        parameters = estimator_parameters("sphere")
        populations = _latest_populations()
        by_area: dict[Any, int] = defaultdict(int)
        # Only the areas of operation (with open requests) get an estimate: the gap is
        # about the response, not the whole country's consumption.
        operation_areas = {area_id for area_id, _ in rows}
        for place_id, area_id in Place.objects.filter(
            pk__in=list(populations), admin1_id__in=operation_areas
        ).values_list("pk", "admin1_id"):
            by_area[area_id] += populations[place_id]
        for area_id, population in by_area.items():
            for need in sphere_estimate(population, days, parameters):
                if need.item_code not in items:
                    continue
                target = row(area_id, need.item_code)
                if target is not None:
                    target.estimated += need.quantity

    # Available stock and pipeline per area (warehouses' place admin1).
    stock_by_item: dict[str, float] = defaultdict(float)
    for balance in (
        StockBalance.objects.filter(quantity__gt=0)
        .values("warehouse__facility__place__admin1_id", "item__code")
        .annotate(total=Sum("quantity"))
    ):
        area_id = balance["warehouse__facility__place__admin1_id"]
        if scope is None or area_id in scope:
            stock_by_item[balance["item__code"]] += float(balance["total"])
        key = (area_id, balance["item__code"])
        if key in rows:
            rows[key].available += float(balance["total"])
    pipeline_by_item: dict[str, float] = defaultdict(float)
    for pledge in (
        Pledge.objects.filter(status__in=PIPELINE_STATUSES, expected_date__lte=horizon_end)
        .values("warehouse__facility__place__admin1_id", "item__code")
        .annotate(total=Sum("quantity"))
    ):
        pipeline_by_item[pledge["item__code"]] += float(pledge["total"])
        key = (pledge["warehouse__facility__place__admin1_id"], pledge["item__code"])
        if key in rows:
            rows[key].pipeline += float(pledge["total"])

    ordered = sorted(rows.values(), key=lambda r: (r.area_code, r.item_code))
    totals: dict[str, GapRow] = {}
    for r in ordered:
        if r.need <= 0:
            continue
        total = totals.setdefault(
            r.item_code, GapRow(None, "", "", r.item_code, r.item_name, r.unit)
        )
        total.estimated += r.estimated
        total.requested += r.requested
        total.planned += r.planned
    for code, total in totals.items():
        total.available = stock_by_item.get(code, 0.0)
        total.pipeline = pipeline_by_item.get(code, 0.0)
    return GapReport(
        days, [r for r in ordered if r.need > 0], sorted(totals.values(), key=lambda r: r.item_code)
    )


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def gap_geojson(*, actor: Actor, report: GapReport) -> dict[str, Any]:
    """Admin-1 areas with a need, as GeoJSON with their coverage (0-1) for the map."""
    from reliefops.places.models import AdminArea

    coverage = report.area_coverage()
    features = []
    for area in AdminArea.objects.filter(code__in=list(coverage)).exclude(geometry=None):
        features.append(
            {
                "type": "Feature",
                "id": str(area.pk),
                "geometry": area.geometry,
                "properties": {
                    "code": area.code,
                    "name": localized(area.names) or area.code,
                    "coverage": _rounded(coverage[area.code]),
                    "items": [
                        r.as_dict(report.days) for r in report.rows if r.area_code == area.code
                    ],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def request_line_totals(*, actor: Actor) -> dict[str, Decimal]:
    """Open remaining quantity per item code (the dashboard's headline)."""
    qs = scope_queryset(
        actor,
        RequestLine.objects.filter(request__status__in=OPEN_STATUSES, item__isnull=False),
        area_field="request__area",
    )
    return {
        row["item__code"]: row["remaining"]
        for row in qs.values("item__code").annotate(
            remaining=Sum(F("quantity") - F("quantity_delivered"))
        )
    }

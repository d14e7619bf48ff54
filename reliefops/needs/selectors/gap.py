"""Gap analysis (:func:`gap_analysis`), per admin-1 area × item, over a horizon of ``days``:

    estimated  Sphere minimums for the area's places for ``days``, in the areas of
               operation (areas with at least one open request), from their estimated
               current population: the latest baseline moved by the flows counted at the
               crossing points whose catchment holds them
               (``crossings.selectors.population_current_by_admin1``; docs/population.md)
    requested  the share of the remaining quantity (asked − delivered) of open requests in
               the area that falls due within the horizon [today, today + days − 1]
               (:func:`horizon_share`): what is left of a request is spread evenly over the
               days left of its needed window [max(needed_from, today), needed_by]; the
               days of that window inside the horizon count. So a 60-day request starting
               today counts 7/60 at days=7 and 30/60 at days=30; an overdue request (needed
               by before today) counts in full (it is due now); a request that starts
               after the horizon does not count
    need       max(estimated, requested): requests usually restate the estimate, so the
               larger of the two is taken rather than their sum (no double counting)
    available  available stock in warehouses of the area: on hand less the lots expired
               before today (``stock_by_area_item``)
    pipeline   pledges pledged or in transit to warehouses of the area, expected by the end
               of the horizon
    planned    quantity planned or dispatched on open request lines, not yet delivered, of
               the requests that count in the horizon (in full: goods committed to them)
    gap        max(0, need − available − pipeline − planned)
    coverage   min(100 %, (available + pipeline + planned) / need)
    days of cover  available ÷ (need / days)

Item totals add up the areas (with national stock, including warehouses outside the
areas with needs, in ``available``). The map shows one item at a time
(:func:`gap_geojson` ``item``): each area coloured by the coverage of that item.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids
from reliefops.crossings.selectors import population_current_by_admin1
from reliefops.needs.choices import OPEN_STATUSES
from reliefops.needs.estimators import sphere_estimate
from reliefops.needs.models import RequestLine
from reliefops.needs.selectors.estimators import estimator_parameters
from reliefops.places.selectors import admin_area_list
from reliefops.stock.selectors import items_by_code, pipeline_by_area_item, stock_by_area_item


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

    def area_coverage(self, item_code: str | None = None) -> dict[str, float | None]:
        """Per area code, the coverage of ``item_code`` (for the map); without an item, the
        mean over the items with a need (a summary only: units differ)."""
        values: dict[str, list[float]] = defaultdict(list)
        for row in self.rows:
            if item_code and row.item_code != item_code:
                continue
            if row.coverage is not None:
                values[row.area_code].append(row.coverage)
        return {code: sum(v) / len(v) for code, v in values.items()}

    def item_codes(self) -> list[str]:
        """The items with a need, by code (the map's item picker)."""
        return [t.item_code for t in self.totals]


def horizon_share(needed_from: dt.date, needed_by: dt.date, today: dt.date, days: int) -> float:
    """Share (0-1) of a request's remaining quantity due within [today, today + days − 1].

    The remainder is spread evenly over the days left of the needed window
    [max(needed_from, today), needed_by] (both ends counted); overdue requests count in full.
    """
    if needed_by < today:
        return 1.0
    start = max(needed_from, today)
    horizon_last = today + dt.timedelta(days=days - 1)
    if start > horizon_last:
        return 0.0
    window_days = (needed_by - start).days + 1
    inside = (min(needed_by, horizon_last) - start).days + 1
    return max(0.0, min(1.0, inside / window_days))


def gap_analysis(
    *,
    actor: Actor,
    days: int = 30,
    include_estimates: bool = True,
    item_codes: Iterable[str] | None = None,
) -> GapReport:
    """Need vs stock vs pipeline vs planned per area × item (see the module docstring)."""
    scope = allowed_area_ids(actor)
    today = timezone.localdate()
    horizon_end = today + dt.timedelta(days=days)
    rows: dict[tuple[Any, str], GapRow] = {}
    areas = {a.pk: a for a in admin_area_list(actor=actor).filter(level=1)}
    items = items_by_code()
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

    # Requested and planned: remaining on open requests, the share due in the horizon.
    # Summed in SQL per area, item and needed window (each line's remainder clipped at 0
    # first); a window that starts after the horizon has no share and is left out there.
    horizon_last = today + dt.timedelta(days=days - 1)
    zero = Value(Decimal(0))
    lines = (
        RequestLine.objects.filter(request__status__in=OPEN_STATUSES, item__isnull=False)
        .exclude(request__needed_by__gte=today, request__needed_from__gt=horizon_last)
        .values("request__area_id", "item__code", "request__needed_from", "request__needed_by")
        .annotate(
            left=Sum(Greatest(F("quantity") - F("quantity_delivered"), zero)),
            committed=Sum(
                Greatest(
                    Greatest(F("quantity_planned"), F("quantity_dispatched"))
                    - F("quantity_delivered"),
                    zero,
                )
            ),
        )
        .order_by()
        .values_list(
            "request__area_id",
            "item__code",
            "request__needed_from",
            "request__needed_by",
            "left",
            "committed",
        )
    )
    shares: dict[tuple[dt.date, dt.date], float] = {}
    for area_id, item_code, needed_from, needed_by, remaining, committed in lines:
        window = (needed_from, needed_by)
        share = shares.get(window)
        if share is None:
            share = shares[window] = horizon_share(needed_from, needed_by, today, days)
        if share <= 0:
            continue
        target = row(area_id, item_code)
        if target is None:
            continue
        target.requested += float(remaining or 0) * share
        target.planned += float(committed or 0)

    # Estimated: Sphere minimums of the populations of the places with needs.
    if include_estimates:
        parameters = estimator_parameters("sphere")
        # Only the areas of operation (with open requests) get an estimate: the gap is
        # about the response, not the whole country's consumption.
        operation_areas = {area_id for area_id, _ in rows}
        populations = population_current_by_admin1(operation_areas, on=today)
        for area_id, population in populations.items():
            for need in sphere_estimate(population.value, days, parameters):
                if need.item_code not in items:
                    continue
                target = row(area_id, need.item_code)
                if target is not None:
                    target.estimated += need.quantity

    # Available stock and pipeline per area (warehouses' place admin1).
    stock_by_item: dict[str, float] = defaultdict(float)
    for stock_area, item_code, quantity in stock_by_area_item(today):
        if scope is None or stock_area in scope:
            stock_by_item[item_code] += float(quantity)
        if (stock_area, item_code) in rows:
            rows[(stock_area, item_code)].available += float(quantity)
    pipeline_by_item: dict[str, float] = defaultdict(float)
    for pledge_area, item_code, quantity in pipeline_by_area_item(expected_by=horizon_end):
        pipeline_by_item[item_code] += float(quantity)
        if (pledge_area, item_code) in rows:
            rows[(pledge_area, item_code)].pipeline += float(quantity)

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


def gap_geojson(*, actor: Actor, report: GapReport, item: str | None = None) -> dict[str, Any]:
    """Admin-1 areas with a need (of ``item`` when given), as GeoJSON with their coverage
    (0-1) of that item for the map; ``items`` lists every item's row of the area."""
    coverage = report.area_coverage(item)
    features = []
    areas = admin_area_list(actor=actor).filter(code__in=list(coverage)).exclude(geometry=None)
    for area in areas:
        features.append(
            {
                "type": "Feature",
                "id": str(area.pk),
                "geometry": area.geometry,
                "properties": {
                    "code": area.code,
                    "name": localized(area.names) or area.code,
                    "item": item or "",
                    "coverage": _rounded(coverage[area.code]),
                    "items": [
                        r.as_dict(report.days) for r in report.rows if r.area_code == area.code
                    ],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

"""Flows by day: a crossing point's daily and cumulative persons per direction (the charts
and their tables), each crossing point's totals over the last days (the map, the API and
the ``crossing-points`` export) and the map's GeoJSON."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Sum
from django.utils import timezone

from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor
from reliefops.crossings.choices import Direction
from reliefops.crossings.models import CrossingCount, CrossingPointSetting
from reliefops.crossings.selectors.counts import crossing_point_settings, crossing_points

#: The span of the overview's map and charts (days, ending today).
OVERVIEW_DAYS = 14
DIRECTIONS = (Direction.OUTBOUND.value, Direction.INBOUND.value)


def direction_label(setting: CrossingPointSetting | None, direction: str) -> str:
    """How a direction reads at a crossing point (its own words, else the generic label)."""
    if setting is not None:
        return setting.direction_label(direction)
    return str(Direction(direction).label)


@dataclass
class FlowSeries:
    """Persons per day and direction at one crossing point over ``days``."""

    point: Any
    setting: CrossingPointSetting | None
    days: list[dt.date]
    daily: dict[str, list[int]] = field(default_factory=dict)
    counted_days: set[dt.date] = field(default_factory=set)

    @property
    def cumulative(self) -> dict[str, list[int]]:
        result = {}
        for direction, values in self.daily.items():
            running, total = [], 0
            for value in values:
                total += value
                running.append(total)
            result[direction] = running
        return result

    @property
    def totals(self) -> dict[str, int]:
        return {d: sum(v) for d, v in self.daily.items()}

    @property
    def net(self) -> int:
        return self.totals.get(Direction.INBOUND, 0) - self.totals.get(Direction.OUTBOUND, 0)

    def labels(self) -> dict[str, str]:
        return {d: direction_label(self.setting, d) for d in DIRECTIONS}

    def charts(self) -> list[dict[str, Any]]:
        """Chart.js data, one chart per direction with a count in the span: the daily
        persons (bars) and the running total (a line on its own axis)."""
        labels = self.labels()
        cumulative = self.cumulative
        return [
            {
                "id": f"{self.point.code}-{d}",
                "direction": d,
                "title": labels[d],
                "labels": [day.isoformat() for day in self.days],
                "daily": self.daily[d],
                "cumulative": cumulative[d],
            }
            for d in DIRECTIONS
            if any(self.daily[d])
        ]

    def table(self) -> list[dict[str, Any]]:
        """One row per day: daily and cumulative persons per direction (the chart's figures)."""
        cumulative = self.cumulative
        return [
            {
                "day": day,
                "counted": day in self.counted_days,
                "cells": [(self.daily[d][i], cumulative[d][i]) for d in DIRECTIONS],
            }
            for i, day in enumerate(self.days)
        ]


def _span(end: dt.date | None, days: int) -> list[dt.date]:
    end = end or timezone.localdate()
    return [end - dt.timedelta(days=days - 1 - i) for i in range(days)]


def flow_series(
    points: list[Any], *, days: int = OVERVIEW_DAYS, end: dt.date | None = None
) -> list[FlowSeries]:
    """The flows of each crossing point over the ``days`` ending ``end`` (default today)."""
    span = _span(end, days)
    settings = crossing_point_settings([p.pk for p in points])
    index = {d: i for i, d in enumerate(span)}
    series = {
        p.pk: FlowSeries(p, settings.get(p.pk), span, {d: [0] * len(span) for d in DIRECTIONS})
        for p in points
    }
    rows = (
        CrossingCount.objects.filter(
            crossing_point_id__in=list(series), date__gte=span[0], date__lte=span[-1]
        )
        .values("crossing_point_id", "date", "direction")
        .annotate(persons=Sum("persons"))
    )
    for row in rows:
        target = series[row["crossing_point_id"]]
        target.daily[row["direction"]][index[row["date"]]] += row["persons"] or 0
        target.counted_days.add(row["date"])
    return [series[p.pk] for p in points]


def flow_span(point: Any) -> tuple[dt.date, dt.date] | None:
    """The first and last day with a count at ``point`` (None: never counted)."""
    qs = CrossingCount.objects.filter(crossing_point=point)
    first = qs.order_by("date").values_list("date", flat=True).first()
    last = qs.order_by("-date").values_list("date", flat=True).first()
    return (first, last) if first and last else None


@dataclass
class PointRow:
    """A crossing point with its persons per direction over ``days`` days to ``end``."""

    point: Any
    setting: CrossingPointSetting | None
    days: int
    end: dt.date
    outbound: int = 0
    inbound: int = 0
    last_count: dt.date | None = None

    @property
    def total(self) -> int:
        return self.outbound + self.inbound

    @property
    def catchment_codes(self) -> list[str]:
        return sorted(a.code for a in self.setting.catchment.all()) if self.setting else []


def crossing_point_rows(
    *, actor: Actor, days: int = OVERVIEW_DAYS, end: dt.date | None = None
) -> list[PointRow]:
    """Every crossing point with its flows over the last ``days`` days (to ``end``)."""
    span = _span(end, days)
    points = list(crossing_points(actor=actor))
    settings = crossing_point_settings([p.pk for p in points])
    rows = {p.pk: PointRow(p, settings.get(p.pk), days, span[-1]) for p in points}
    totals: dict[tuple[Any, str], int] = defaultdict(int)
    for found in (
        CrossingCount.objects.filter(
            crossing_point_id__in=list(rows), date__gte=span[0], date__lte=span[-1]
        )
        .values("crossing_point_id", "direction")
        .annotate(persons=Sum("persons"))
    ):
        totals[(found["crossing_point_id"], found["direction"])] = found["persons"] or 0
    last = dict(
        CrossingCount.objects.filter(crossing_point_id__in=list(rows))
        .values("crossing_point_id")
        .annotate(last=Max("date"))
        .values_list("crossing_point_id", "last")
    )
    for pk, row in rows.items():
        row.outbound = totals[(pk, Direction.OUTBOUND)]
        row.inbound = totals[(pk, Direction.INBOUND)]
        row.last_count = last.get(pk)
    return list(rows.values())


def crossing_points_geojson(rows: list[PointRow], lang: str | None = None) -> dict[str, Any]:
    """The map's crossing points: a point each, with the persons per direction."""
    features = []
    for row in rows:
        p = row.point
        features.append(
            {
                "type": "Feature",
                "id": p.code,
                "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
                "properties": {
                    "code": p.code,
                    "name": localized(p.names, lang) or p.code,
                    "status": p.status,
                    "outbound": row.outbound,
                    "inbound": row.inbound,
                    "total": row.total,
                    "outbound_label": direction_label(row.setting, Direction.OUTBOUND),
                    "inbound_label": direction_label(row.setting, Direction.INBOUND),
                    "days": row.days,
                    "last_count": row.last_count.isoformat() if row.last_count else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

"""Estimated current population of places: baselines moved by the flows counted at the
crossing points whose catchment holds them (method: :mod:`reliefops.crossings.estimates`
and docs/population.md).

:func:`population_current` ``(place_ids=None, on=None) -> {place_id: Estimate}`` — every
place with a baseline (or those asked for), on ``on`` (default today): the latest baseline
dated on or before that day, plus the place's share of each catchment's net flows counted
after the baseline's date up to and including ``on``, never below 0, with its low–high
range. :func:`population_current_by_admin1` adds them up per level-1 area.

Population figures are reference data (every signed-in user reads them, as the places
themselves): these selectors take no actor; callers scope what they show by area.
"""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from reliefops.core.permissions import Actor
from reliefops.crossings.estimates import (
    AreaEstimate,
    Estimate,
    Flows,
    Share,
    Uncertainty,
    flows_of,
    place_estimate,
)
from reliefops.crossings.models import CrossingCount, CrossingPointSetting
from reliefops.places.selectors import (
    place_list,
    population_baselines,
    population_estimate_find,
)


def population_uncertainty() -> Uncertainty:
    """The uncertainties in force: the defaults, or ``RELIEFOPS_POPULATION_UNCERTAINTY``."""
    return Uncertainty.from_settings(getattr(settings, "RELIEFOPS_POPULATION_UNCERTAINTY", None))


@dataclass
class _Series:
    """One crossing point's flows by day, with running totals (for "after day d")."""

    days: list[dt.date]
    running: list[Flows]

    def after(self, day: dt.date | None) -> Flows:
        """The flows counted on days after ``day`` (every day when None)."""
        total = self.running[-1] if self.running else Flows()
        if day is None:
            return total
        index = bisect.bisect_right(self.days, day)
        return total - self.running[index - 1] if index else total


def _series(point_ids: Iterable[Any], on: dt.date) -> dict[Any, _Series]:
    per_day: dict[Any, dict[dt.date, Flows]] = defaultdict(lambda: defaultdict(Flows))
    rows = (
        CrossingCount.objects.filter(crossing_point_id__in=list(point_ids), date__lte=on)
        .values("crossing_point_id", "date", "direction", "method")
        .annotate(persons=Sum("persons"))
    )
    for row in rows:
        point_days = per_day[row["crossing_point_id"]]
        point_days[row["date"]] = point_days[row["date"]] + flows_of(
            row["direction"], row["method"], row["persons"] or 0
        )
    result: dict[Any, _Series] = {}
    for point_id, days in per_day.items():
        ordered = sorted(days)
        running: list[Flows] = []
        total = Flows()
        for day in ordered:
            total = total + days[day]
            running.append(total)
        result[point_id] = _Series(ordered, running)
    return result


def _catchments() -> list[tuple[Any, str, set[Any]]]:
    """(crossing point id, code, catchment area ids) of every configured crossing point."""
    found = []
    for setting in CrossingPointSetting.objects.select_related("crossing_point").prefetch_related(
        "catchment"
    ):
        areas = {a.pk for a in setting.catchment.all()}
        if areas:
            found.append((setting.crossing_point_id, setting.crossing_point.code, areas))
    return found


def _estimates(on: dt.date) -> tuple[dict[uuid.UUID, Estimate], dict[uuid.UUID, Any]]:
    """Every place's estimate on ``on``, and each place's admin1 id."""
    baselines = population_baselines(on=on)
    catchments = _catchments()
    series = _series([point_id for point_id, _code, _areas in catchments], on)
    shares: dict[uuid.UUID, list[Share]] = defaultdict(list)
    for point_id, code, areas in catchments:
        members = [
            e
            for e in baselines.values()
            if {e.place.admin0_id, e.place.admin1_id, e.place.admin2_id} & areas
        ]
        total = sum(e.value for e in members)
        flows = series.get(point_id)
        if not total or flows is None:
            continue
        for e in members:
            shares[e.place_id].append(Share(code, e.value / total, flows.after(e.as_of)))
    uncertainty = population_uncertainty()
    estimates = {
        place_id: place_estimate(
            baseline=e.value,
            as_of=e.as_of,
            source=e.source,
            shares=shares.get(place_id, ()),
            on=on,
            uncertainty=uncertainty,
        )
        for place_id, e in baselines.items()
    }
    return estimates, {place_id: e.place.admin1_id for place_id, e in baselines.items()}


def population_current(
    place_ids: Iterable[uuid.UUID] | None = None, on: dt.date | None = None
) -> dict[uuid.UUID, Estimate]:
    """Each place's estimated population on ``on`` (default today): see the module
    docstring. Places without a baseline have no estimate."""
    estimates, _areas = _estimates(on or timezone.localdate())
    if place_ids is None:
        return estimates
    wanted = set(place_ids)
    return {k: v for k, v in estimates.items() if k in wanted}


def population_current_by_admin1(
    area_ids: Iterable[uuid.UUID], on: dt.date | None = None
) -> dict[uuid.UUID, AreaEstimate]:
    """The estimates of the places of each level-1 area, added up per area (areas with
    no place with a baseline are left out)."""
    wanted = set(area_ids)
    estimates, areas = _estimates(on or timezone.localdate())
    totals: dict[uuid.UUID, AreaEstimate] = {}
    for place_id, estimate in estimates.items():
        area_id = areas.get(place_id)
        if area_id in wanted:
            totals[area_id] = totals.get(area_id, AreaEstimate()).add(estimate)
    return totals


def population_place_list(*, actor: Actor) -> QuerySet[Any]:
    """The places with a population baseline (the populations page and export list them;
    reference data: every signed-in user reads them), by code."""
    return (
        place_list(actor=actor)
        .filter(population_estimates__isnull=False)
        .distinct()
        .select_related("admin1")
        .order_by("code")
    )


__all__ = [
    "population_baselines",
    "population_current",
    "population_current_by_admin1",
    "population_estimate_find",
    "population_place_list",
    "population_uncertainty",
]

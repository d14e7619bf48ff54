"""Write paths of the crossings domain for the write-scope property test (the world's
crossing points, settings and counts are in tests/crossings/writescope_world.py).

Counts are scoped by the crossing point's area and the recording organisation
(``crossing_count.record``; a correction at both ends); settings by the crossing point's
area and every catchment area they add or remove, baselines by the place's area
(``population.edit``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.crossings import services
from reliefops.crossings.models import CrossingCount
from tests.core.writescope import Attempt, api, import_kind, not_a_write, page, service

C = "reliefops.crossings.services.counts"
P = "reliefops.crossings.services.points"
not_a_write(f"{C}.crossing_count_check", "validation of a count (no write)")
not_a_write(f"{C}.crossing_point_area", "read: a crossing point's area")
for _name in ("crossings:overview", "crossings:count_list"):
    not_a_write(_name, "a read-only page")


def count(t: Attempt) -> CrossingCount:
    """The world's count at the target area's crossing point of the target organisation
    (read afresh: a probe that changed it was rolled back in the database only)."""
    return CrossingCount.objects.select_related(
        "crossing_point__place", "organisation", "area"
    ).get(pk=t.world.crossing_count[(t.area, t.org)].pk)


def _day(t: Attempt) -> dt.date:
    """A new day (a new count) or the world's counts' day (a correction)."""
    from tests.crossings.writescope_world import COUNT_AGE

    return timezone.localdate() - dt.timedelta(days=t.draw([1, COUNT_AGE]))


def _area(t: Attempt, key: str) -> Any:
    return t.world.area(key) or t.world.areas["AZ"]


@service(f"{C}.crossing_count_record")
def _record(t: Attempt) -> None:
    services.crossing_count_record(
        actor=t.actor,
        data=services.CountInput(
            crossing_point=t.world.crossing[t.area],
            date=_day(t),
            direction="outbound",
            persons=321,
            organisation=t.world.org[t.org],
        ),
        reason="probe",
    )


@service(f"{C}.crossing_count_correct")
def _correct(t: Attempt) -> None:
    target = count(t)
    services.crossing_count_correct(
        actor=t.actor,
        count=target,
        data=services.CountInput(
            crossing_point=t.world.crossing[t.to],
            date=target.date,
            direction=target.direction,
            persons=777,
            organisation=t.world.org[t.draw([t.org, "OWN", "OTHER"])],
        ),
        reason="probe",
    )


@service(f"{P}.crossing_point_setting_set")
def _setting(t: Attempt) -> None:
    services.crossing_point_setting_set(
        actor=t.actor,
        crossing_point=t.world.crossing[t.area],
        catchment=[_area(t, t.to)],
        outbound_labels={"en": "probe"},
    )


@service(f"{P}.population_baseline_record")
def _baseline(t: Attempt) -> None:
    services.population_baseline_record(
        actor=t.actor, place=t.world.place[t.area], value=123, as_of=None, source="probe"
    )


def _body(t: Attempt, **extra: Any) -> dict[str, Any]:
    return {
        "crossing_point": t.world.crossing[t.area].code,
        "date": _day(t).isoformat(),
        "direction": "outbound",
        "female_18_59": 12,
        "male_18_59": 9,
        "organisation": t.org,
        "reason": "probe",
        **extra,
    }


@api("POST /api/v1/crossing-counts/")
def _api_create(t: Attempt) -> None:
    t.api.post("/api/v1/crossing-counts/", _body(t), format="json")


@api("PUT /api/v1/crossing-counts/{id}/")
def _api_put(t: Attempt) -> None:
    target = count(t)
    body = _body(t, crossing_point=t.world.crossing[t.to].code, date=target.date.isoformat())
    body["direction"] = target.direction
    t.api.put(f"/api/v1/crossing-counts/{target.pk}/", body, format="json")


@api("PATCH /api/v1/crossing-counts/{id}/")
def _api_patch(t: Attempt) -> None:
    target = count(t)
    body = {"persons": 555, "reason": "probe", "crossing_point": t.world.crossing[t.to].code}
    t.api.patch(f"/api/v1/crossing-counts/{target.pk}/", body, format="json")


def _form(t: Attempt, point: Any, day: dt.date, direction: str = "outbound") -> dict[str, Any]:
    return {
        "crossing_point": str(point.pk),
        "date": day.isoformat(),
        "direction": direction,
        "persons": "444",
        "method": "count",
        "organisation": str(t.world.org[t.org].pk),
        "reason": "probe",
    }


@page("crossings:count_create")
def _page_create(t: Attempt) -> None:
    t.page.post("/crossings/counts/new/", _form(t, t.world.crossing[t.area], _day(t)))


@page("crossings:count_detail")
def _page_correct(t: Attempt) -> None:
    target = count(t)
    t.page.post(
        f"/crossings/counts/{target.pk}/",
        _form(t, t.world.crossing[t.to], target.date, target.direction),
    )


@page("crossings:point_detail")
def _page_setting(t: Attempt) -> None:
    point = t.world.crossing[t.area]
    t.page.post(
        f"/crossings/points/{point.code}/",
        {"form": "setting", "catchment": [str(_area(t, t.to).pk)], "outbound_en": "probe"},
    )


@page("crossings:population_list")
def _page_baseline(t: Attempt) -> None:
    t.page.post(
        "/crossings/populations/",
        {"place": t.world.place[t.area].code, "population": "321", "source": "probe"},
    )


@import_kind("crossing-counts")
def _import_counts(t: Attempt) -> str:
    return (
        "crossing_point,date,direction,persons,organisation,reason\n"
        f"{t.world.crossing[t.area].code},{_day(t).isoformat()},outbound,888,{t.org},probe\n"
    )


@import_kind("populations")
def _import_populations(t: Attempt) -> str:
    return f"place,population,source\n{t.world.place[t.area].code},4321,probe\n"

"""Recording and correcting flow counts at crossing points.

:func:`crossing_count_record` writes the count a key names (crossing point, date, hour,
direction): a new key creates a record; a key that exists is a **correction** of that
record (an update with a reason, kept in its history), and the same figures again change
nothing. :func:`crossing_count_correct` corrects a record chosen by id (the correction
page), its key included. Both check ``crossing_count.record`` at the crossing point's
area for the recording organisation (a correction: for the record's organisation and the
new one), validate everything first (:func:`crossing_count_check`, all problems at once,
each naming its field), then write in one transaction with one audit event.

Concurrency: writers of the same crossing point, day and direction queue on an advisory
lock (PostgreSQL), so two devices sending the same count make one record and a daily
count and hourly counts of the same day never both exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.locks import advisory_lock
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.crossings.choices import CELL_FIELDS, CountMethod, Direction
from reliefops.crossings.models import CrossingCount
from reliefops.places.choices import FacilityKind

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
#: The largest count one record may hold (a typo guard, not a physical limit).
MAX_COUNT = 1_000_000
REASON_CHARS = 300
HISTORY_REASON_CHARS = 100  # django-simple-history's column


@dataclass
class CountInput:
    """What a count says. ``cells`` maps cell field names (``female_0_4`` …) to counts,
    None for a cell not counted; ``persons`` is the total (derived from the cells when
    they are given; required when they are not)."""

    crossing_point: Any
    date: dt.date
    direction: str
    hour: int | None = None
    cells: Mapping[str, int | None] = field(default_factory=dict)
    persons: int | None = None
    vehicles: int | None = None
    organisation: Any = None
    source: str = ""
    method: str = CountMethod.COUNT
    notes: str = ""


@dataclass(frozen=True)
class CountResult:
    count: CrossingCount
    outcome: str  # CREATED, UPDATED or UNCHANGED


class ReasonRequired(InvalidInput):
    code = "reason_required"
    default_message = _(
        "A count for this crossing point, day, hour and direction exists: say why it is corrected."
    )


def crossing_point_area(crossing_point: Any) -> Any:
    """The area a crossing point's counts are recorded in (its place's admin1)."""
    return crossing_point.place.admin1


def _number(problems: dict[str, list[Any]], name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems[name] = [_("Give a whole number.")]
        return None
    if value < 0:
        problems[name] = [_("A count is 0 or more.")]
    elif value > MAX_COUNT:
        problems[name] = [_("A count is at most 1,000,000.")]
    return value


def crossing_count_check(data: CountInput) -> dict[str, Any]:
    """The record's values for ``data`` (persons derived from the cells), or
    ``InvalidInput`` naming every field at fault (``details["fields"]``)."""
    problems: dict[str, list[Any]] = {}
    if getattr(data.crossing_point, "kind", None) != FacilityKind.CROSSING_POINT:
        problems["crossing_point"] = [_("Choose a crossing point.")]
    if not isinstance(data.date, dt.date) or data.date > timezone.localdate():
        problems["date"] = [_("A count is for today or an earlier day.")]
    if data.hour is not None and (
        isinstance(data.hour, bool) or not isinstance(data.hour, int) or not 0 <= data.hour <= 23
    ):
        problems["hour"] = [_("An hour is 0–23 (the hour the count began).")]
    if data.direction not in Direction.values:
        problems["direction"] = [_("Choose a direction.")]
    if data.method not in CountMethod.values:
        problems["method"] = [_("Choose a method: count or estimate.")]
    if data.organisation is None:
        problems["organisation"] = [_("Say which organisation counted.")]
    unknown = sorted(set(data.cells) - set(CELL_FIELDS))
    if unknown:
        problems["cells"] = [_("Unknown cells: %(cells)s.") % {"cells": ", ".join(unknown)}]
    cells = {name: _number(problems, name, data.cells.get(name)) for name in CELL_FIELDS}
    persons = _number(problems, "persons", data.persons)
    vehicles = _number(problems, "vehicles", data.vehicles)
    given = [v for v in cells.values() if v is not None]
    if given:
        total = sum(given)
        if persons is not None and persons != total and "persons" not in problems:
            problems["persons"] = [
                _("%(persons)s persons does not match the cells, which add up to %(total)s.")
                % {"persons": persons, "total": total}
            ]
        persons = total
    elif persons is None and "persons" not in problems:
        problems["persons"] = [_("Give the number of persons (or the cells by sex and age).")]
    source, notes = (data.source or "").strip(), (data.notes or "").strip()
    if len(source) > 200:
        problems["source"] = [_("At most 200 characters.")]
    if len(notes) > 4000:
        problems["notes"] = [_("At most 4,000 characters.")]
    if problems:
        error = InvalidInput(
            _("The count has errors in %(fields)s: nothing was saved.")
            % {"fields": ", ".join(sorted(problems))}
        )
        error.details = {"fields": problems}
        raise error
    return {
        **cells,
        "persons": persons,
        "vehicles": vehicles,
        "organisation": data.organisation,
        "source": source,
        "method": data.method,
        "notes": notes,
    }


def _key(data: CountInput) -> dict[str, Any]:
    return {
        "crossing_point": data.crossing_point,
        "date": data.date,
        "hour": data.hour,
        "direction": data.direction,
    }


def _locked(key: Mapping[str, Any]) -> CrossingCount | None:
    """The record of ``key`` (locked), after taking the key's advisory lock."""
    advisory_lock("crossings.count", key["crossing_point"], key["date"], key["direction"])
    qs = CrossingCount.objects.select_for_update().filter(
        crossing_point=key["crossing_point"], date=key["date"], direction=key["direction"]
    )
    hour = key["hour"]
    return (qs.filter(hour__isnull=True) if hour is None else qs.filter(hour=hour)).first()


def _day_or_hours(key: Mapping[str, Any], *, exclude: Any = None) -> None:
    """A day is counted as one daily record or hour by hour, never both."""
    qs = CrossingCount.objects.filter(
        crossing_point=key["crossing_point"], date=key["date"], direction=key["direction"]
    ).exclude(pk=exclude)
    if key["hour"] is None and qs.filter(hour__isnull=False).exists():
        raise Conflict(
            _("This day is counted hour by hour: give the hour, or correct the hourly counts."),
            code="hourly_counts_exist",
            field="hour",
        )
    if key["hour"] is not None and qs.filter(hour__isnull=True).exists():
        raise Conflict(
            _("This day has a count for the whole day: correct it instead of adding hours."),
            code="daily_count_exists",
            field="hour",
        )


def _snapshot(count: CrossingCount) -> dict[str, Any]:
    values: dict[str, Any] = {
        "crossing_point": count.crossing_point.code,
        "date": count.date,
        "hour": count.hour,
        "direction": count.direction,
        "organisation": count.organisation.acronym,
    }
    for name in (*CELL_FIELDS, "persons", "vehicles", "source", "method", "notes"):
        values[name] = getattr(count, name)
    return values


def _require(actor: Actor, crossing_point: Any, organisation: Any, **moved: Any) -> None:
    require_write(
        actor,
        Action.CROSSING_COUNT_RECORD,
        area=crossing_point_area(crossing_point),
        organisation=organisation,
        **moved,
    )


def crossing_count_record(*, actor: Actor, data: CountInput, reason: str = "") -> CountResult:
    """Record the count of ``data``'s key: create it, correct the existing record (then
    ``reason`` is required) or leave it unchanged when it already says the same."""
    values = crossing_count_check(data)
    _require(actor, data.crossing_point, data.organisation)
    key = _key(data)
    with transaction.atomic():
        existing = _locked(key)
        if existing is not None:
            return _apply(actor, existing, key, values, reason)
        _day_or_hours(key)
        count = CrossingCount(
            **key,
            **values,
            area=crossing_point_area(data.crossing_point),
            recorded_by=actor_user(actor),
            created_by=actor_user(actor),
            updated_by=actor_user(actor),
        )
        count.save()
        audit_record(actor=actor, action="crossing_count.record", obj=count, after=_snapshot(count))
    return CountResult(count, CREATED)


def crossing_count_correct(
    *, actor: Actor, count: CrossingCount, data: CountInput, reason: str
) -> CountResult:
    """Correct ``count`` to say ``data`` (its key too: a count entered on the wrong day
    moves there, unless that key is taken). ``reason`` is required."""
    values = crossing_count_check(data)
    _require(actor, count.crossing_point, count.organisation)
    key = _key(data)
    with transaction.atomic():
        current = CrossingCount.objects.select_for_update().get(pk=count.pk)
        moved = any(getattr(current, k) != v for k, v in key.items())
        if moved:
            taken = _locked(key)
            if taken is not None and taken.pk != current.pk:
                raise Conflict(
                    _("Another count has this crossing point, day, hour and direction."),
                    code="count_key_taken",
                    field="date",
                )
        return _apply(actor, current, key, values, reason)


def _apply(
    actor: Actor,
    count: CrossingCount,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    reason: str,
) -> CountResult:
    """Write ``key`` and ``values`` over ``count`` (locked) as a correction."""
    changed = {
        name: value for name, value in {**key, **values}.items() if getattr(count, name) != value
    }
    if not changed:
        return CountResult(count, UNCHANGED)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    if len(reason) > REASON_CHARS:
        raise InvalidInput(_("A reason has at most 300 characters."), field="reason")
    new_point = key["crossing_point"]
    _require(
        actor,
        count.crossing_point,
        count.organisation,
        new_area=crossing_point_area(new_point),
        new_organisation=values["organisation"],
    )
    if any(name in changed for name in key):
        _day_or_hours(key, exclude=count.pk)
    before = _snapshot(count)
    for name, value in changed.items():
        setattr(count, name, value)
    count.area = crossing_point_area(new_point)
    count.updated_by = actor_user(actor)
    count._change_reason = reason[:HISTORY_REASON_CHARS]  # type: ignore[attr-defined]
    count.save()
    after = _snapshot(count)
    audit_record(
        actor=actor,
        action="crossing_count.correct",
        obj=count,
        before={k: v for k, v in before.items() if k in changed},
        after={**{k: v for k, v in after.items() if k in changed}, "reason": reason},
    )
    return CountResult(count, UPDATED)

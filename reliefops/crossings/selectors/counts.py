"""Reads of flow counts and crossing points: lists, one record and its history, what the
forms, the API and the importer look up by code.

Flow counts are aggregate figures (no person in them): every signed-in user with ``view``
reads them everywhere, like the crossing points themselves (``places``); writing is
scoped by the crossing point's area (``crossings.services``). The choices of the record
form are the crossing points and organisations the actor may record for.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import (
    Actor,
    allowed_area_ids,
    grants_for,
    user_can,
    user_organisation_ids,
)
from reliefops.crossings.models import CrossingCount, CrossingPointSetting
from reliefops.organisations.selectors import organisation_list, organisations_by_acronym
from reliefops.places.selectors import (
    admin_area_list,
    crossing_point_list,
    facilities_by_code,
    places_by_code,
)


def crossing_count_list(*, actor: Actor) -> QuerySet[CrossingCount]:
    """Every flow count (aggregate figures: read by every signed-in user)."""
    if not user_can(actor, Action.VIEW):
        return CrossingCount.objects.none()
    return CrossingCount.objects.select_related(
        "crossing_point__place", "organisation", "recorded_by", "area"
    ).order_by("-date", "crossing_point__code", "direction", "hour")


def crossing_count_get(*, actor: Actor, pk: Any) -> CrossingCount:
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound(pk=str(pk)[:40]) from None
    count = crossing_count_list(actor=actor).filter(pk=key).first()
    if count is None:
        raise NotFound(pk=str(key))
    return count


def crossing_count_by_key(
    *, crossing_point: Any, date: dt.date, hour: int | None, direction: str
) -> CrossingCount | None:
    """The record a natural key names (what an import or a submission updates)."""
    qs = CrossingCount.objects.select_related("crossing_point__place", "organisation").filter(
        crossing_point=crossing_point, date=date, direction=direction
    )
    return (qs.filter(hour__isnull=True) if hour is None else qs.filter(hour=hour)).first()


def crossing_count_history(count: CrossingCount) -> list[dict[str, Any]]:
    """The record's versions, oldest first: when, who, why, and what each one changed
    (field label, old value, new value)."""
    labels = {f.name: str(f.verbose_name) for f in CrossingCount._meta.fields}
    versions = list(count.history.select_related("history_user").order_by("history_date"))
    rows: list[dict[str, Any]] = []
    previous = None
    for version in versions:
        changes: list[tuple[str, Any, Any]] = []
        if previous is not None:
            delta = version.diff_against(previous)
            for change in delta.changes:
                name = change.field
                if name in {"updated_at", "updated_by", "area"}:
                    continue
                changes.append((labels.get(name, name), change.old, change.new))
        rows.append(
            {
                "at": version.history_date,
                "user": version.history_user,
                "type": version.history_type,
                "reason": version.history_change_reason or "",
                "changes": changes,
                "persons": version.persons,
            }
        )
        previous = version
    return rows


# --------------------------------------------------------------------------- crossing points


def crossing_points(*, actor: Actor) -> QuerySet[Any]:
    """Every crossing point (facilities of that kind), by code."""
    return crossing_point_list(actor=actor).select_related("place__admin1").order_by("code")


def crossing_point_get(*, actor: Actor, code: str) -> Any:
    point = crossing_points(actor=actor).filter(code=code).first()
    if point is None:
        raise NotFound(code=code[:40])
    return point


def crossing_point_settings(point_ids: Any = None) -> dict[Any, CrossingPointSetting]:
    """Settings by crossing point id (with their catchment areas)."""
    qs = CrossingPointSetting.objects.prefetch_related("catchment")
    if point_ids is not None:
        qs = qs.filter(crossing_point_id__in=list(point_ids))
    return {s.crossing_point_id: s for s in qs}


def crossing_point_setting(point: Any) -> CrossingPointSetting | None:
    return crossing_point_settings([point.pk]).get(point.pk)


def recording_points(*, actor: Actor) -> QuerySet[Any]:
    """The crossing points ``actor`` may record counts at (``crossing_count.record`` in
    their area)."""
    qs = crossing_points(actor=actor)
    scope = allowed_area_ids(actor, Action.CROSSING_COUNT_RECORD)
    return qs if scope is None else qs.filter(place__admin1__in=list(scope))


def recording_organisations(*, actor: Actor) -> QuerySet[Any]:
    """The organisations ``actor`` may record counts for."""
    qs = organisation_list(actor=actor)
    scope = user_organisation_ids(actor, Action.CROSSING_COUNT_RECORD)
    return qs if scope is None else qs.filter(pk__in=scope)


def recording_organisation_default(*, actor: Actor) -> Any | None:
    """The organisation a count is recorded for when none is named: the actor's own (the
    organisation of their first membership allowing it), None when they have none."""
    own = sorted(
        {str(g.organisation_id) for g in grants_for(actor, Action.CROSSING_COUNT_RECORD)} - {"None"}
    )
    if not own:
        return None
    return organisation_list(actor=actor).filter(pk__in=own).order_by("acronym").first()


def can_record(actor: Actor, point: Any | None = None) -> bool:
    if point is None:
        return user_can(actor, Action.CROSSING_COUNT_RECORD)
    return user_can(actor, Action.CROSSING_COUNT_RECORD, area=point.place.admin1)


def can_edit_populations(actor: Actor, area: Any = None) -> bool:
    if area is None:
        return user_can(actor, Action.POPULATION_EDIT)
    return user_can(actor, Action.POPULATION_EDIT, area=area)


def catchment_choices(*, actor: Actor) -> QuerySet[Any]:
    """Admin areas a catchment may hold (countries, level-1 and level-2 areas)."""
    return admin_area_list(actor=actor)


# --------------------------------------------------------------------------- lookups by code
# Reference data, not scoped: the services check where the actor may write.


def lookup_crossing_point(code: str) -> Any | None:
    found = facilities_by_code([code]).get(code)
    return found if found is not None and found.kind == "crossing_point" else None


def lookup_organisation(acronym: str) -> Any | None:
    return organisations_by_acronym([acronym]).get(acronym)


def lookup_place(code: str) -> Any | None:
    return places_by_code([code]).get(code)


def lookup_area(actor: Actor, code: str) -> Any | None:
    return admin_area_list(actor=actor).filter(code=code).first()

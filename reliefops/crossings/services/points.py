"""A crossing point's setting (its catchment, the names of its directions) and the
population baselines the estimates start from.

Both change the estimated population of places (``population.edit``): the setting at the
crossing point's area and at every catchment area it adds or removes; a baseline at the
place's area. Baselines are ``places.PopulationEstimate`` rows, written through the places
service (one upsert per place, date and source).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.api import LANGUAGE_KEY
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.crossings.models import CrossingPointSetting
from reliefops.crossings.services.counts import crossing_point_area
from reliefops.places.choices import FacilityKind
from reliefops.places.services import population_estimate_add

LABEL_CHARS = 100


def _labels(name: str, labels: Mapping[str, str] | None) -> dict[str, str]:
    clean: dict[str, str] = {}
    for lang, text in (labels or {}).items():
        text = str(text or "").strip()
        if not text:
            continue
        if not isinstance(lang, str) or not LANGUAGE_KEY.match(lang):
            raise InvalidInput(_("“%(lang)s” is not a language code.") % {"lang": lang}, field=name)
        if len(text) > LABEL_CHARS:
            raise InvalidInput(_("A direction’s name has at most 100 characters."), field=name)
        clean[lang] = text
    return clean


def crossing_point_setting_set(
    *,
    actor: Actor,
    crossing_point: Any,
    catchment: Iterable[Any],
    outbound_labels: Mapping[str, str] | None = None,
    inbound_labels: Mapping[str, str] | None = None,
) -> CrossingPointSetting:
    """Create or replace the crossing point's setting. ``catchment``: the admin areas
    (any level) whose places the flows come from and go to."""
    if getattr(crossing_point, "kind", None) != FacilityKind.CROSSING_POINT:
        raise InvalidInput(_("Choose a crossing point."), field="crossing_point")
    areas = {a.pk: a for a in catchment}
    outbound = _labels("outbound_labels", outbound_labels)
    inbound = _labels("inbound_labels", inbound_labels)
    require_write(
        actor,
        Action.POPULATION_EDIT,
        area=crossing_point_area(crossing_point),
        organisation=UNSCOPED,
    )
    with transaction.atomic():
        setting = (
            CrossingPointSetting.objects.select_for_update()
            .filter(crossing_point=crossing_point)
            .first()
        )
        before_ids = set(setting.catchment.values_list("pk", flat=True)) if setting else set()
        if (
            setting is not None
            and before_ids == set(areas)
            and (setting.outbound_labels, setting.inbound_labels) == (outbound, inbound)
        ):
            return setting  # nothing changes
        for area in [a for pk, a in areas.items() if pk not in before_ids] + list(
            setting.catchment.exclude(pk__in=list(areas)) if setting else []
        ):
            require_write(actor, Action.POPULATION_EDIT, area=area, organisation=UNSCOPED)
        before = (
            {
                "catchment": sorted(a.code for a in setting.catchment.all()),
                "outbound_labels": setting.outbound_labels,
                "inbound_labels": setting.inbound_labels,
            }
            if setting
            else None
        )
        if setting is None:
            setting = CrossingPointSetting(
                crossing_point=crossing_point, created_by=actor_user(actor)
            )
        setting.outbound_labels, setting.inbound_labels = outbound, inbound
        setting.updated_by = actor_user(actor)
        setting.save()
        setting.catchment.set(list(areas.values()))
        audit_record(
            actor=actor,
            action="crossing_point.setting",
            obj=setting,
            before=before,
            after={
                "crossing_point": crossing_point.code,
                "catchment": sorted(a.code for a in areas.values()),
                "outbound_labels": outbound,
                "inbound_labels": inbound,
            },
        )
    return setting


def population_baseline_record(
    *,
    actor: Actor,
    place: Any,
    value: int,
    as_of: dt.date | None,
    source: str,
    notes: str | None = None,
) -> Any:
    """Write a place's population baseline (``population.edit`` in the place's area);
    the same place, date and source again replaces the figure."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("Give a whole number."), field="population")
    if value > 50_000_000:
        raise InvalidInput(_("A population is at most 50,000,000."), field="population")
    if len(source or "") > 200:
        raise InvalidInput(_("At most 200 characters."), field="source")
    return population_estimate_add(
        actor=actor, place=place, value=value, as_of=as_of, source=source, notes=notes
    )

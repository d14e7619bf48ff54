"""Reads of the coordination domain, scoped by the caller's access."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reliefops.coordination.models import Presence
from reliefops.core.permissions import Actor, scope_queryset


def presence_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Presence]:
    qs = Presence.objects.select_related("organisation", "area", "area__parent")
    qs = scope_queryset(actor, qs, area_field="area")
    for key, value in (filters or {}).items():
        if value:
            qs = qs.filter(**{key: value})
    return qs.order_by("area__code", "sector", "organisation__acronym")

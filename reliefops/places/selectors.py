"""Reads of the places domain, scoped by the caller's access."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reliefops.core.permissions import allowed_area_ids, user_can
from reliefops.places.models import AdminArea


def admin_area_list(*, actor: Any, in_scope: bool = False) -> QuerySet[AdminArea]:
    """Admin areas are reference data every user may read; ``in_scope`` keeps the user's."""
    if not user_can(actor, "view"):
        return AdminArea.objects.none()
    qs = AdminArea.objects.select_related("parent").order_by("level", "code")
    if in_scope:
        scope = allowed_area_ids(actor)
        if scope is not None:
            qs = qs.filter(id__in=scope)
    return qs

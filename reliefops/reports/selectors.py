"""Reads for the dashboard and the map, scoped by the caller's access."""

from __future__ import annotations

from typing import Any

from reliefops.core.i18n import localized
from reliefops.core.permissions import allowed_area_ids, scope_queryset
from reliefops.places.models import AdminArea


def dashboard_summary(*, actor: Any) -> dict[str, Any]:
    from reliefops.accounts.models import Organisation
    from reliefops.coordination.models import Presence

    areas = allowed_area_ids(actor)
    presences = scope_queryset(actor, Presence.objects.all(), area_field="area")
    return {
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "areas": AdminArea.objects.count() if areas is None else len(areas),
        "national_scope": areas is None,
        "presences": presences.count(),
    }


def admin_area_geojson(*, actor: Any, level: int | None = None) -> dict[str, Any]:
    """Admin areas as a GeoJSON FeatureCollection; ``in_scope`` marks the user's areas."""
    qs = AdminArea.objects.exclude(geometry=None).select_related("parent")
    if level is not None:
        qs = qs.filter(level=level)
    scope = allowed_area_ids(actor)
    features = []
    for area in qs:
        features.append(
            {
                "type": "Feature",
                "id": str(area.id),
                "geometry": area.geometry,
                "properties": {
                    "code": area.code,
                    "name": localized(area.names) or area.code,
                    "names": area.names,
                    "level": area.level,
                    "kind": area.kind,
                    "parent": area.parent.code if area.parent else None,
                    "in_scope": scope is None or area.id in scope,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

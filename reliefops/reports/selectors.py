"""Reads for the dashboard and the map, scoped by the caller's access."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from reliefops.coordination.selectors import presence_list
from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids
from reliefops.needs.choices import OPEN_STATUSES, Priority, RequestStatus
from reliefops.needs.selectors import request_list
from reliefops.organisations.selectors import organisation_list
from reliefops.places.choices import RoadStatus
from reliefops.places.selectors import admin_area_list, road_segment_list
from reliefops.stock.selectors import warehouse_list


def dashboard_summary(*, actor: Actor) -> dict[str, Any]:
    """The overview: what is open, what is urgent, what is blocked — in the user's scope."""
    areas = allowed_area_ids(actor)
    presences = presence_list(actor=actor)
    open_requests = request_list(actor=actor, status=OPEN_STATUSES)
    by_priority = dict(open_requests.order_by().values_list("priority").annotate(n=Count("id")))
    by_status = dict(open_requests.order_by().values_list("status").annotate(n=Count("id")))
    blocked_roads = road_segment_list(actor=actor).exclude(status=RoadStatus.OPEN)
    return {
        "organisations": organisation_list(actor=actor).count(),
        "areas": admin_area_list(actor=actor, in_scope=True).count(),
        "national_scope": areas is None,
        "presences": presences.count(),
        "open_requests": sum(by_priority.values()),
        "priorities": [
            {"value": p.value, "label": p.label, "count": by_priority.get(p.value, 0)}
            for p in Priority
        ],
        "statuses": [
            {"value": st.value, "label": st.label, "count": by_status[st.value]}
            for st in RequestStatus
            if by_status.get(st.value)
        ],
        "latest_requests": list(open_requests[:6]),
        "warehouses": warehouse_list(actor=actor).count(),
        "blocked_roads": list(blocked_roads[:8]),
    }


def admin_area_geojson(*, actor: Actor, level: int | None = None) -> dict[str, Any]:
    """Admin areas as a GeoJSON FeatureCollection; ``in_scope`` marks the user's areas."""
    qs = admin_area_list(actor=actor).exclude(geometry=None).select_related("parent")
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

"""The map layers as GeoJSON, scoped by the caller's access: admin areas, open requests
by priority, facilities watched for heating fuel (pages, the dashboard, the sitrep map)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids
from reliefops.needs.choices import OPEN_STATUSES, Priority
from reliefops.needs.selectors import heating_cover_list, request_is_overdue, request_list
from reliefops.places.selectors import admin_area_list
from reliefops.reports.report_sections import COVER_KINDS, cover_text, open_requests_on
from reliefops.stock.choices import OTHER_UNITS, Unit


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


# --- added for map: the open-requests layer

#: Marker colour per request priority (the map's legend and markers share it).
PRIORITY_COLOURS: dict[str, str] = {
    Priority.LIFE_SAVING: "#c53030",
    Priority.URGENT: "#dd6b20",
    Priority.ROUTINE: "#2b6cb0",
}


def request_priority_legend() -> list[tuple[str, str, str]]:
    """(value, label, colour) per priority, most urgent first."""
    return [(p.value, str(p.label), PRIORITY_COLOURS[p]) for p in Priority]


def _quantity_text(quantity: Decimal, unit: str) -> str:
    """A line's quantity in the active locale, grouped, with its unit's label."""
    whole = quantity == quantity.to_integral_value()
    number = formats.number_format(quantity, decimal_pos=0 if whole else 2, force_grouping=True)
    label = Unit(unit).label if unit in Unit.values else OTHER_UNITS.get(unit, unit)
    return f"{number} {label}"


def open_request_geojson(
    *, actor: Actor, lang: str | None = None, day: dt.date | None = None
) -> dict[str, Any]:
    """Open requests in the caller's scope as points: at the requesting facility, else at
    the place. Properties: reference, priority (value, label), status, the facility or
    place name in ``lang``, the item lines (name, quantity with unit), needed-by date and
    ``overdue`` (needed by before today). Scoped exactly like the request list; with
    ``day``, only those made on or before it (the report's rule, :func:`open_requests_on`)."""
    today = timezone.localdate()
    features = []
    requests = (
        open_requests_on(actor, day) if day else request_list(actor=actor, status=OPEN_STATUSES)
    )
    for req in requests:
        where = req.facility or req.place
        if where is None or where.latitude is None or where.longitude is None:
            continue
        lines = [
            {
                "name": (localized(line.item.names, lang) or line.item.code)
                if line.item
                else str(line.get_service_type_display()),
                "quantity": _quantity_text(line.quantity, line.unit),
            }
            for line in req.lines.all()
        ]
        features.append(
            {
                "type": "Feature",
                "id": str(req.pk),
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(where.longitude, 6), round(where.latitude, 6)],
                },
                "properties": {
                    "id": str(req.pk),
                    "reference": req.reference,
                    "priority": req.priority,
                    "priority_label": str(Priority(req.priority).label),
                    "colour": PRIORITY_COLOURS.get(req.priority, "#718096"),
                    "status": req.status,
                    "status_label": str(req.get_status_display()),
                    "where": localized(where.names, lang) or where.code,
                    "where_kind": "facility" if req.facility else "place",
                    "lines": lines,
                    "needed_by": req.needed_by.isoformat(),
                    "needed_by_label": formats.date_format(req.needed_by, "SHORT_DATE_FORMAT"),
                    "overdue": request_is_overdue(req, today),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


# --- added for dashboard: the heating-fuel layer and the dashboard's report


def heating_cover_geojson(*, actor: Actor, day: dt.date) -> dict[str, Any]:
    """The facilities watched for heating fuel as points, ``low`` below 7 days of cover
    (the same figures as the dashboard's heating section)."""
    features = []
    for row in heating_cover_list(actor=actor, day=day, kinds=COVER_KINDS):
        f = row.facility
        if f.latitude is None or f.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": f.code,
                "geometry": {"type": "Point", "coordinates": [f.longitude, f.latitude]},
                "properties": {
                    "code": f.code,
                    "name": localized(f.names) or f.code,
                    "kind": f.kind,
                    "days_of_cover": None
                    if row.days_of_cover is None or row.days_of_cover == float("inf")
                    else round(row.days_of_cover, 1),
                    "cover_label": str(_("Days of cover"))
                    + ": "
                    + (
                        cover_text(row.days_of_cover)
                        if row.days_of_cover is not None
                        else row.reason
                    ),
                    "low": row.low,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}

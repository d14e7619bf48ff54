"""Reads for the dashboard and the map, scoped by the caller's access."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import ActivityStatus
from reliefops.coordination.selectors import activities_for
from reliefops.core.actions import Action
from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids, user_can, user_roles
from reliefops.intake.selectors import import_run_failed_list
from reliefops.needs.choices import OPEN_STATUSES, Priority, RequestStatus
from reliefops.needs.selectors import (
    request_actionable_list,
    request_is_overdue,
    request_list,
    request_overdue_list,
)
from reliefops.needs.services import TRANSITIONS
from reliefops.organisations.selectors import organisation_list
from reliefops.places.choices import RoadStatus
from reliefops.places.selectors import admin_area_list, road_segment_blocked_list, road_segment_list
from reliefops.stock.choices import OTHER_UNITS, Unit
from reliefops.stock.selectors import warehouse_list


def dashboard_summary(*, actor: Actor) -> dict[str, Any]:
    """The overview: what is open, what is urgent, what is blocked — in the user's scope."""
    areas = allowed_area_ids(actor)
    activities = activities_for(actor=actor, status=[ActivityStatus.ONGOING])
    open_requests = request_list(actor=actor, status=OPEN_STATUSES)
    by_priority = dict(open_requests.order_by().values_list("priority").annotate(n=Count("id")))
    by_status = dict(open_requests.order_by().values_list("status").annotate(n=Count("id")))
    blocked_roads = road_segment_list(actor=actor).exclude(status=RoadStatus.OPEN)
    return {
        "organisations": organisation_list(actor=actor).count(),
        "areas": admin_area_list(actor=actor, in_scope=True).count(),
        "national_scope": areas is None,
        "activities": activities.count(),
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


def open_request_geojson(*, actor: Actor, lang: str | None = None) -> dict[str, Any]:
    """Open requests in the caller's scope as points: at the requesting facility, else at
    the place. Properties: reference, priority (value, label), status, the facility or
    place name in ``lang``, the item lines (name, quantity with unit), needed-by date and
    ``overdue`` (needed by before today). Scoped exactly like the request list."""
    today = timezone.localdate()
    features = []
    for req in request_list(actor=actor, status=OPEN_STATUSES):
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


# --- added for shell: the home page's "awaiting my action"


#: The request steps the home page lists as work waiting, in the order of the workflow:
#: step → (statuses where the request waits for it, what the list is called). The action
#: and the organisation rule come from the workflow's own table (``needs.services``).
AWAITING_REQUEST_STEPS: dict[str, tuple[frozenset[str], Any]] = {
    "submit": (frozenset({RequestStatus.DRAFT}), _("Drafts to submit")),
    "verify": (frozenset({RequestStatus.SUBMITTED}), _("Submitted requests to verify")),
    "approve": (frozenset({RequestStatus.VERIFIED}), _("Verified requests to approve")),
    "plan": (frozenset({RequestStatus.APPROVED}), _("Approved requests to plan")),
    "dispatch": (
        frozenset({RequestStatus.APPROVED, RequestStatus.PLANNED}),
        _("Requests to dispatch"),
    ),
    "deliver": (
        frozenset({RequestStatus.DISPATCHED, RequestStatus.PARTIALLY_DELIVERED}),
        _("Deliveries to confirm"),
    ),
    "close": (frozenset({RequestStatus.DELIVERED}), _("Delivered requests to close")),
}
for _step, (_statuses, _title) in AWAITING_REQUEST_STEPS.items():
    if not _statuses <= TRANSITIONS[_step].sources:  # pragma: no cover - tables out of step
        raise RuntimeError(f"awaiting list {_step!r}: a status the step does not start from")


@dataclass
class AwaitingGroup:
    """One list of "awaiting my action": ``kind`` says how the page links its items
    (``requests``, ``roads``, ``imports``); ``status`` is the single status the list
    stands for, when there is one (for the link to the filtered request list)."""

    key: str
    kind: str
    title: Any
    count: int
    items: list[Any]
    status: str = ""


def import_failed_list(*, actor: Actor) -> QuerySet[Any]:
    """Imports that failed recently, for "awaiting my action" (the intake history)."""
    return import_run_failed_list(actor=actor)


def _group(
    key: str, kind: str, title: Any, rows: Any, limit: int, status: str = ""
) -> AwaitingGroup | None:
    items = list(rows[:limit])
    if len(items) < limit:
        count = len(items)
    else:
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    return AwaitingGroup(key, kind, title, count, items, status) if count else None


def awaiting_action(*, actor: Actor, limit: int = 5) -> list[AwaitingGroup]:
    """What waits for ``actor``, per the actions the roles allow, in the actor's scope:
    requests at a step the actor may take, open requests past their deadline, roads
    closed or restricted in the actor's areas, imports that failed. Empty lists are left
    out; each group holds its first ``limit`` items and the full count."""
    groups: list[AwaitingGroup | None] = []
    for step, (statuses, title) in AWAITING_REQUEST_STEPS.items():
        transition = TRANSITIONS[step]
        if not user_can(actor, transition.action):
            continue
        rows = request_actionable_list(
            actor=actor,
            action=transition.action,
            status=statuses,
            own_organisation=transition.own_organisation,
        )
        single = next(iter(statuses)) if len(statuses) == 1 else ""
        groups.append(_group(step, "requests", title, rows, limit, single))
    if any(user_can(actor, t.action) for t in TRANSITIONS.values()):
        groups.append(
            _group(
                "overdue",
                "requests",
                _("Open requests past their deadline"),
                request_overdue_list(actor=actor),
                limit,
            )
        )
    if user_can(actor, Action.ROAD_EDIT):
        title = _("Roads closed or restricted in your areas")
        groups.append(
            _group("roads", "roads", title, road_segment_blocked_list(actor=actor), limit)
        )
    if user_can(actor, Action.IMPORT_RUN):
        failed = import_failed_list(actor=actor)
        groups.append(_group("imports", "imports", _("Imports that failed"), failed, limit))
    return [g for g in groups if g is not None]


def actor_role_labels(*, actor: Actor) -> list[str]:
    """The names of the actor's roles, in the user's language (for the overview)."""
    from reliefops.accounts.choices import Role

    labels = {str(r): str(r.label) for r in Role}
    return sorted({labels.get(str(role), str(role)) for role in user_roles(actor)})

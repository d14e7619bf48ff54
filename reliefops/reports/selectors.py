"""Reads for the dashboard and the map, scoped by the caller's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import ActivityStatus
from reliefops.coordination.selectors import activities_for
from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, allowed_area_ids, user_can, user_roles
from reliefops.intake.selectors import import_run_failed_list
from reliefops.needs.choices import OPEN_STATUSES, Priority, RequestStatus
from reliefops.needs.selectors import (
    request_actionable_list,
    request_list,
    request_overdue_list,
)
from reliefops.needs.services import TRANSITIONS
from reliefops.organisations.selectors import organisation_list
from reliefops.places.choices import RoadStatus
from reliefops.places.selectors import admin_area_list, road_segment_blocked_list, road_segment_list
from reliefops.reports.layers import (  # noqa: F401 - the map layers, read by the views
    PRIORITY_COLOURS,
    admin_area_geojson,
    heating_cover_geojson,
    open_request_geojson,
    request_priority_legend,
)
from reliefops.reports.models import SitrepSubscription
from reliefops.reports.sitrep import (  # noqa: F401 - the dashboard's and sitrep's content
    CONTENT_TYPES,
    FORMATS,
    Report,
    report_build,
    report_figures,
    sitrep_filename,
    sitrep_html,
    sitrep_markdown,
)
from reliefops.reports.sitrep_pdf import sitrep_pdf
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


# --- added for dashboard: the dashboard and the situation report


def dashboard_report(*, actor: Actor, day: dt.date) -> Report:
    """The dashboard of ``day`` as ``actor`` sees it (the report sections of the dashboard)."""
    return report_build(actor=actor, day=day, where="dashboard")


def dashboard_charts(report: Report) -> list[dict[str, Any]]:
    """The dashboard's charts as Chart.js data (their numbers are the tables beside them)."""
    return [
        {
            "key": c.key,
            "kind": c.kind,
            "labels": [str(label) for label in c.labels],
            "series": {str(k): v for k, v in c.series.items()},
            **(
                {"colours": ["#c53030" if a else "#2f855a" for a in c.table.alerts]}
                if c.table.alerts
                else {}
            ),
        }
        for s in report.sections
        for c in s.charts
    ]


def sitrep_render(actor: Actor, day: dt.date, fmt: str, language: str | None = None) -> bytes:
    """The situation report of ``day`` as ``actor`` sees it, in ``fmt`` (md, html, pdf)
    (``html_fragment``: the HTML without its page, for the preview) and ``language``
    (default: the active one), with the changes since the week before.
    For the page, ``reliefops sitrep`` and scheduled jobs (the weekly sitrep to a list)."""
    return sitrep_documents(actor, day, (fmt,), language)[fmt]


def sitrep_documents(
    actor: Actor, day: dt.date, fmts: Sequence[str], language: str | None = None
) -> dict[str, bytes]:
    """The report of ``day`` as ``actor`` sees it in each of ``fmts``, built once (the
    weekly e-mail: its Markdown text and its attachment hold the same figures)."""
    for fmt in fmts:
        if fmt not in (*FORMATS, "html_fragment"):
            raise ValueError(f"format {fmt!r}: one of {', '.join(FORMATS)}")
    with translation.override(language or translation.get_language()):
        report = report_build(actor=actor, day=day, where="sitrep", compare=True)
        return {fmt: _document(report, actor, fmt) for fmt in fmts}


def _document(report: Report, actor: Actor, fmt: str) -> bytes:
    if fmt == "md":
        return sitrep_markdown(report).encode("utf-8")
    if fmt in ("html", "html_fragment"):
        standalone = fmt == "html"
        return sitrep_html(report, actor=actor, standalone=standalone).encode("utf-8")
    return sitrep_pdf(report, actor=actor)


# --- added for sitrep mail: the weekly situation report by e-mail


def sitrep_subscription_get(*, actor: Actor) -> SitrepSubscription | None:
    """The actor's own weekly-sitrep subscription (active or not), if any."""
    if getattr(actor, "pk", None) is None:
        return None
    return SitrepSubscription.objects.filter(user_id=actor.pk).first()


def sitrep_subscription_active_list() -> QuerySet[SitrepSubscription]:
    """Every active subscription of an active user (the weekly job's list; not for a
    page: it is nobody's scope but the job's)."""
    return (
        SitrepSubscription.objects.filter(active=True, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def sitrep_week_end(today: dt.date) -> dt.date:
    """The last day (Sunday) of the last full week, Monday to Sunday, before ``today``:
    the day of the weekly report sent on ``today``."""
    return today - dt.timedelta(days=today.weekday() + 1)

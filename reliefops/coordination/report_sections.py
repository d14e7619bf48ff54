"""The coordination sections of the dashboard and the situation report (registry:
``core/report_sections.py``): the working groups' decisions of the week to the report day,
their overdue action items, and who does what where (4W). They take the keys the reports
app holds for them (``decisions``, ``action_items``) and add ``activities``; every figure
is scoped by the reader's access through this app's selectors."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import Sector
from reliefops.coordination.selectors import (
    action_item_overdue_list,
    activities_for,
    decision_list,
)
from reliefops.core.report_sections import Chart, Figure, SectionData, Table, report_section

#: Days before the report day whose meetings' decisions the report lists.
DECISION_DAYS = 7


def _date(day: dt.date) -> str:
    return str(formats.date_format(day, "SHORT_DATE_FORMAT"))


@report_section("decisions", order=80)
def decisions_section(actor: Any, day: dt.date) -> SectionData:
    """Decisions of the meetings held in the week to ``day`` and the requests they made."""
    start = day - dt.timedelta(days=DECISION_DAYS - 1)
    decisions = list(
        decision_list(actor=actor)
        .filter(
            agenda_item__meeting__starts_at__date__gte=start,
            agenda_item__meeting__starts_at__date__lte=day,
        )
        .order_by("agenda_item__meeting__starts_at", "reference")
    )
    if not decisions:
        return SectionData(
            key="decisions", title=_("Decisions"), as_of=day, empty=_("None recorded.")
        )
    rows = [
        [
            d.reference,
            _date(d.agenda_item.meeting.starts_at.date()),
            d.agenda_item.meeting.title,
            d.text,
            ", ".join(r.reference for r in d.requests.all()) or "–",
        ]
        for d in decisions
    ]
    return SectionData(
        key="decisions",
        title=_("Decisions"),
        source=_("Meetings of the working groups (coordination)"),
        as_of=day,
        figures=[
            Figure("decisions.week", _("Decisions in the last 7 days"), len(decisions)),
            Figure(
                "decisions.requests",
                _("Requests made from them"),
                sum(len(d.requests.all()) for d in decisions),
            ),
        ],
        tables=[
            Table(
                _("Decisions of the last 7 days"),
                [_("Reference"), _("Meeting date"), _("Meeting"), _("Decision"), _("Requests")],
                rows,
            )
        ],
    )


@report_section("action_items", order=81)
def action_items_section(actor: Any, day: dt.date) -> SectionData:
    """Action items past their due date on ``day`` and not done or dropped."""
    items = list(action_item_overdue_list(actor=actor, on=day).order_by("due_date", "reference"))
    if not items:
        return SectionData(
            key="action_items",
            title=_("Overdue action items"),
            as_of=day,
            empty=_("None recorded."),
        )
    rows = [
        [
            item.reference,
            item.title,
            item.owner_organisation.acronym,
            _date(item.due_date),
            (day - item.due_date).days,
        ]
        for item in items
    ]
    return SectionData(
        key="action_items",
        title=_("Overdue action items"),
        source=_("Action items of the working groups (coordination)"),
        as_of=day,
        figures=[
            Figure("action_items.overdue", _("Overdue action items"), len(items), alert=bool(items))
        ],
        tables=[
            Table(
                _("Overdue action items"),
                [_("Reference"), _("Action"), _("Owner"), _("Due date"), _("Days overdue")],
                rows,
                alerts=[True] * len(rows),
            )
        ],
    )


@report_section("activities", order=70)
def activities_section(actor: Any, day: dt.date) -> SectionData:
    """Who does what where on ``day``: activities running, organisations, per sector."""
    running = list(activities_for(actor=actor, on=day).select_related("organisation"))
    if not running:
        return SectionData(
            key="activities",
            title=_("Who does what where (4W)"),
            as_of=day,
            empty=_("None recorded."),
        )
    by_sector = Counter(a.sector for a in running)
    labels = [str(Sector(s).label) for s in sorted(by_sector)]
    counts = [by_sector[s] for s in sorted(by_sector)]
    table = Table(
        _("Activities running, by sector"),
        [_("Sector"), _("Activities"), _("Organisations")],
        [
            [
                str(Sector(s).label),
                by_sector[s],
                len({a.organisation_id for a in running if a.sector == s}),
            ]
            for s in sorted(by_sector)
        ],
    )
    chart = Chart(
        "activities.sectors",
        _("Activities running, by sector"),
        "hbar",
        labels,
        {str(_("Activities")): counts},
        table,
    )
    return SectionData(
        key="activities",
        title=_("Who does what where (4W)"),
        source=_("4W activities reported by the organisations (coordination)"),
        as_of=day,
        figures=[
            Figure("activities.running", _("Activities running"), len(running)),
            Figure(
                "activities.organisations",
                _("Organisations at work"),
                len({a.organisation_id for a in running}),
            ),
        ],
        charts=[chart],
    )

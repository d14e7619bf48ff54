"""The sections of the dashboard and the situation report that the reports app builds from
the other apps' selectors (registry: ``core/report_sections.py``). Each builder takes the
acting user and the report day; every figure is scoped by the user's access through the
selector it comes from, so the dashboard and the sitrep show the same numbers."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from reliefops.core.i18n import localized
from reliefops.core.privacy import shown
from reliefops.core.report_sections import Chart, Figure, SectionData, Table, report_section
from reliefops.crossings.choices import Direction
from reliefops.crossings.selectors import DIRECTIONS, crossing_points, flow_series
from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.selectors import convoy_list, delivery_list, last_passage
from reliefops.needs.choices import Priority
from reliefops.needs.selectors import (
    LOW_COVER_DAYS,
    heating_cover_list,
    request_open_on,
)
from reliefops.places.choices import FacilityKind
from reliefops.stock.choices import ItemCategory
from reliefops.teams.selectors import due_counts, hospital_rows

#: Facilities whose heating-fuel cover the dashboard watches (the working group's decision:
#: fuel for kindergartens and schools, emergency medical and fire services).
COVER_KINDS = (
    FacilityKind.SCHOOL,
    FacilityKind.KINDERGARTEN,
    FacilityKind.AMBULANCE_STATION,
    FacilityKind.FIRE_STATION,
)
#: Days of the crossing-point chart.
CROSSING_DAYS = 14
ON_THE_ROAD = (ConvoyStatus.DEPARTED, ConvoyStatus.AT_CROSSING)
#: Short names of the directions for the charts (the full ones say "… the catchment").
DIRECTION_LABELS: dict[str, Any] = {
    Direction.OUTBOUND: _("Outbound"),
    Direction.INBOUND: _("Inbound"),
}


def _name(obj: Any) -> str:
    return localized(getattr(obj, "names", None)) or getattr(obj, "code", "") or str(obj)


def _date(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def open_requests_on(actor: Any, day: dt.date) -> Any:
    """Requests open at the end of ``day`` by their history (scoped like the request list)."""
    return request_open_on(actor=actor, day=day)


@report_section("requests", order=10)
def requests_section(actor: Any, day: dt.date) -> SectionData:
    """Open requests by priority and by item class (a request counts once per class)."""
    open_qs = open_requests_on(actor, day)
    by_priority = dict(open_qs.order_by().values_list("priority").annotate(n=Count("id")))
    by_class = dict(
        open_qs.order_by()
        .exclude(lines__item__category=None)
        .values_list("lines__item__category")
        .annotate(n=Count("id", distinct=True))
    )
    services_only = open_qs.filter(lines__item=None).exclude(lines=None).distinct().count()
    total = sum(by_priority.values())
    prio_rows = [[str(p.label), by_priority.get(p.value, 0)] for p in Priority]
    class_rows = [[str(c.label), by_class[c.value]] for c in ItemCategory if by_class.get(c.value)]
    if services_only:
        class_rows.append([str(_("Services")), services_only])
    prio_table = Table(_("Open requests by priority"), [_("Priority"), _("Requests")], prio_rows)
    class_table = Table(
        _("Open requests by item class"), [_("Item class"), _("Requests")], class_rows
    )
    return SectionData(
        key="requests",
        title=_("Requests"),
        source=_("Requests register (needs), open requests made on or before the day"),
        as_of=day,
        figures=[
            Figure("requests.open", _("Open requests"), total),
            Figure(
                "requests.life_saving",
                _("Life-saving requests open"),
                by_priority.get(Priority.LIFE_SAVING, 0),
                alert=bool(by_priority.get(Priority.LIFE_SAVING)),
            ),
        ],
        charts=[
            Chart(
                "requests-priority",
                prio_table.caption,
                "bar",
                [r[0] for r in prio_rows],
                {str(_("Requests")): [r[1] for r in prio_rows]},
                prio_table,
            ),
            Chart(
                "requests-class",
                class_table.caption,
                "hbar",
                [r[0] for r in class_rows],
                {str(_("Requests")): [r[1] for r in class_rows]},
                class_table,
            ),
        ],
        empty=_("No open requests."),
        layers=["requests"],
    )


def cover_text(days: float | None) -> str:
    if days is None:
        return "–"
    if math.isinf(days):
        return "∞"
    return formats.number_format(days, decimal_pos=1, force_grouping=True)


@report_section("heating", order=20)
def heating_section(actor: Any, day: dt.date) -> SectionData:
    """Heating-fuel days of cover of schools, kindergartens, ambulance and fire stations."""
    rows = heating_cover_list(actor=actor, day=day, kinds=COVER_KINDS)
    low = [r for r in rows if r.low]
    table = Table(
        _("Heating-fuel days of cover (red: below %(days)s days)") % {"days": LOW_COVER_DAYS},
        [_("Facility"), _("Kind"), _("Area"), _("Fuel held (litres)"), _("Days of cover")],
        [
            [
                _name(r.facility),
                str(FacilityKind(r.facility.kind).label),
                _name(r.facility.place.admin1) if r.facility.place.admin1_id else "",
                formats.number_format(r.stock, decimal_pos=0, force_grouping=True),
                cover_text(r.days_of_cover) if r.days_of_cover is not None else r.reason,
            ]
            for r in rows
        ],
        alerts=[r.low for r in rows],
    )
    finite = [r for r in rows if r.days_of_cover is not None and not math.isinf(r.days_of_cover)]
    chart_rows = finite[:15]
    chart_table = Table(
        _("Fewest days of heating fuel"),
        [_("Facility"), _("Days of cover")],
        [[_name(r.facility), round(r.days_of_cover or 0, 1)] for r in chart_rows],
        alerts=[r.low for r in chart_rows],
    )
    return SectionData(
        key="heating",
        title=_("Heating fuel"),
        source=_("Heating-fuel estimator (needs) and fuel held at the facility (stock ledger)"),
        as_of=day,
        figures=[
            Figure("heating.facilities", _("Facilities watched for heating fuel"), len(rows)),
            Figure(
                "heating.low",
                _("Facilities below %(days)s days of fuel") % {"days": LOW_COVER_DAYS},
                len(low),
                alert=bool(low),
            ),
        ],
        charts=[
            Chart(
                "heating-cover",
                chart_table.caption,
                "hbar",
                [r[0] for r in chart_table.rows],
                {str(_("Days of cover")): [float(r[1]) for r in chart_table.rows]},
                chart_table,
            )
        ]
        if chart_rows
        else [],
        tables=[table] if rows else [],
        empty=_("No school, kindergarten, ambulance or fire station in your areas."),
        layers=["heating"],
    )


@report_section("logistics", order=30)
def logistics_section(actor: Any, day: dt.date) -> SectionData:
    """Deliveries confirmed on the day and in the week to it; convoys on the road."""
    week_start = day - dt.timedelta(days=6)
    deliveries = delivery_list(actor=actor)
    today_n = deliveries.filter(received_at__date=day).count()
    week = list(deliveries.filter(received_at__date__gte=week_start, received_at__date__lte=day))
    convoys = convoy_list(actor=actor)
    departing = convoys.filter(departure_date=day).count()
    on_road = list(convoys.filter(status__in=ON_THE_ROAD))
    at_crossing = []
    for convoy in on_road:
        passage = last_passage(convoy) if convoy.status == ConvoyStatus.AT_CROSSING else None
        at_crossing.append(_name(passage.crossing_point) if passage else "")
    per_day = [week_start + dt.timedelta(days=i) for i in range(7)]
    counts = dict.fromkeys(per_day, 0)
    for delivery in week:
        counts[delivery.received_at.date()] = counts.get(delivery.received_at.date(), 0) + 1
    week_table = Table(
        _("Deliveries confirmed per day"),
        [_("Day"), _("Deliveries")],
        [[_date(d), counts[d]] for d in per_day],
    )
    road_table = Table(
        _("Convoys on the road"),
        [_("Convoy"), _("Status"), _("Departure"), _("Crossing point")],
        [
            [c.code, str(ConvoyStatus(c.status).label), _date(c.departure_date), where]
            for c, where in zip(on_road, at_crossing, strict=True)
        ],
    )
    return SectionData(
        key="logistics",
        title=_("Logistics"),
        source=_("Convoys, stops and delivery confirmations (logistics)"),
        as_of=day,
        figures=[
            Figure("logistics.deliveries_day", _("Deliveries confirmed on the day"), today_n),
            Figure("logistics.deliveries_week", _("Deliveries confirmed in 7 days"), len(week)),
            Figure("logistics.departing", _("Convoys departing on the day"), departing),
            Figure("logistics.on_road", _("Convoys on the road"), len(on_road)),
            Figure(
                "logistics.at_crossing",
                _("Convoys at a crossing point"),
                sum(1 for c in on_road if c.status == ConvoyStatus.AT_CROSSING),
            ),
        ],
        charts=[
            Chart(
                "deliveries-week",
                week_table.caption,
                "bar",
                [r[0] for r in week_table.rows],
                {str(_("Deliveries")): [r[1] for r in week_table.rows]},
                week_table,
            )
        ],
        tables=[road_table] if on_road else [],
        layers=["convoys"],
    )


@report_section("crossings", order=40)
def crossings_section(actor: Any, day: dt.date) -> SectionData:
    """Persons counted at the crossing points over the 14 days to the day, per direction."""
    points = list(crossing_points(actor=actor))
    series = flow_series(points, days=CROSSING_DAYS, end=day) if points else []
    days = [day - dt.timedelta(days=CROSSING_DAYS - 1 - i) for i in range(CROSSING_DAYS)]
    labels = {d: str(DIRECTION_LABELS[d]) for d in DIRECTIONS}
    totals = {d: [0] * CROSSING_DAYS for d in DIRECTIONS}
    for s in series:
        for d in DIRECTIONS:
            for i, value in enumerate(s.daily.get(d, [])):
                totals[d][i] += value
    table = Table(
        _("Persons counted at crossing points, last %(n)s days") % {"n": CROSSING_DAYS},
        [_("Day"), *[labels[d] for d in DIRECTIONS]],
        [[_date(x), *[totals[d][i] for d in DIRECTIONS]] for i, x in enumerate(days)],
    )
    point_table = Table(
        _("Per crossing point, last %(n)s days") % {"n": CROSSING_DAYS},
        [_("Crossing point"), *[labels[d] for d in DIRECTIONS]],
        [[_name(s.point), *[s.totals.get(d, 0) for d in DIRECTIONS]] for s in series],
    )
    return SectionData(
        key="crossings",
        title=_("Crossing points"),
        source=_("Crossing-point counts (crossings)"),
        as_of=day,
        figures=[
            Figure(
                f"crossings.{d}",
                _("Persons counted (%(direction)s), last %(n)s days")
                % {"direction": labels[d], "n": CROSSING_DAYS},
                sum(totals[d]),
            )
            for d in DIRECTIONS
        ],
        charts=[
            Chart(
                "crossings-14",
                table.caption,
                "line",
                [r[0] for r in table.rows],
                {labels[d]: totals[d] for d in DIRECTIONS},
                table,
            )
        ]
        if points
        else [],
        tables=[point_table] if series else [],
        empty=_("No crossing point in your areas."),
        layers=["crossings"],
    )


@report_section("health", order=50)
def health_section(actor: Any, day: dt.date) -> SectionData:
    """People due for a visit and the hospitals' beds and caseload; counts of people
    are suppressed below 5."""
    counts = due_counts(actor, on=day)
    hospitals = hospital_rows(actor=actor, day=day)
    statuses = [h.status for h in hospitals if h.status is not None]
    beds = sum(s.beds_total for s in statuses)
    free = sum(s.beds_available for s in statuses)
    table = Table(
        _("Hospitals: beds and caseload"),
        [
            _("Hospital"),
            _("Beds"),
            _("Beds available"),
            _("Admissions on the day"),
            _("Referred, expected"),
            _("In care"),
        ],
        [
            [
                _name(h.facility),
                h.status.beds_total if h.status else "–",
                h.status.beds_available if h.status else "–",
                h.admissions_today,
                h.expected,
                h.in_care,
            ]
            for h in hospitals
        ],
    )
    return SectionData(
        key="health",
        title=_("Health and visits"),
        source=_("Due list of the mobile teams and hospital reports (teams)"),
        as_of=day,
        figures=[
            Figure("health.due", _("People due for a visit"), counts["due"], personal=True),
            Figure(
                "health.overdue", _("People overdue for a visit"), counts["overdue"], personal=True
            ),
            Figure("health.never", _("Due and never visited"), counts["never"], personal=True),
            Figure("health.beds", _("Hospital beds"), beds),
            Figure("health.beds_free", _("Hospital beds available"), free),
        ],
        tables=[table] if hospitals else [],
        notes=[_("Counts of people below 5 are shown as %(label)s.") % {"label": shown(1)}],
    )


@report_section("decisions", order=80, fallback=True)
def decisions_placeholder(actor: Any, day: dt.date) -> SectionData:
    """Held for the coordination app: decisions of the working groups."""
    return SectionData(key="decisions", title=_("Decisions"), empty=_("None recorded."))


@report_section("action_items", order=81, fallback=True)
def action_items_placeholder(actor: Any, day: dt.date) -> SectionData:
    """Held for the coordination app: overdue action items."""
    return SectionData(
        key="action_items", title=_("Overdue action items"), empty=_("None recorded.")
    )

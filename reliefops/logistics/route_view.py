"""The route of a convoy (named roads, crossing points, warnings) and its reconciliation
against the stock ledger. Re-exported by :mod:`reliefops.logistics.selectors`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.models import ConsignmentLine, Convoy
from reliefops.places.choices import FacilityStatus, RoadStatus
from reliefops.places.selectors import crossing_points_at, segment_routes, segments_line

ZERO = Decimal("0")
DEPARTURE_TIME = dt.time(6, 0)

# --------------------------------------------------------------------------- the route


@dataclass(frozen=True)
class RoadPart:
    """Consecutive segments of one named road (or one unnamed segment)."""

    name: str
    segments: list[Any]
    length_km: float
    status: str


@dataclass(frozen=True)
class CrossingView:
    facility: Any
    is_open: bool
    notice_hours: int | None
    notify_by: dt.datetime | None


@dataclass
class RouteView:
    segments: list[Any]
    roads: list[RoadPart]
    crossing_points: list[CrossingView]
    warnings: list[str] = field(default_factory=list)

    @property
    def length_km(self) -> float:
        return round(sum(s.length_km for s in self.segments), 1)

    @property
    def road_names(self) -> list[str]:
        return [r.name for r in self.roads]

    def line(self) -> list[list[float]]:
        return segments_line(self.segments)


_STATUS_RANK = {RoadStatus.OPEN: 0, RoadStatus.RESTRICTED: 1, RoadStatus.CLOSED: 2}


def _road_name(segment: Any, route: Any) -> str:
    if route is not None:
        return str(route.name)
    return segment.name or segment.code


def convoy_route(convoy: Convoy) -> RouteView:
    """The convoy's route: segments in order grouped into named roads, the crossing points
    on it with the notice they need, and warnings (closed roads or crossing points)."""
    segments = [
        cs.segment
        for cs in convoy.route_segments.select_related(
            "segment__from_node__place", "segment__to_node__place"
        ).order_by("sequence")
    ]
    routes = segment_routes(s.pk for s in segments)
    roads: list[RoadPart] = []
    for segment in segments:
        name = _road_name(segment, routes.get(segment.pk))
        if roads and roads[-1].name == name:
            last = roads.pop()
            parts = [*last.segments, segment]
        else:
            parts = [segment]
        status = max((s.status for s in parts), key=lambda v: _STATUS_RANK.get(v, 0))
        roads.append(RoadPart(name, parts, round(sum(s.length_km for s in parts), 1), status))
    place_ids = [n.place_id for s in segments for n in (s.from_node, s.to_node) if n.place_id]
    order = {pid: i for i, pid in reversed(list(enumerate(place_ids)))}
    points = sorted(crossing_points_at(set(place_ids)), key=lambda f: order.get(f.place_id, 0))
    # A convoy leaves at the start of its day (06:00 local time) unless it has departed.
    departure = timezone.make_aware(dt.datetime.combine(convoy.departure_date, DEPARTURE_TIME))
    crossings = [
        CrossingView(
            f,
            f.status == FacilityStatus.OPERATING,
            f.notice_hours,
            departure - dt.timedelta(hours=f.notice_hours) if f.notice_hours else None,
        )
        for f in points
    ]
    warnings: list[str] = []
    for segment in segments:
        if segment.status == RoadStatus.CLOSED:
            warnings.append(
                _("Road segment %(road)s is closed%(reason)s.")
                % {
                    "road": segment.name or segment.code,
                    "reason": f": {segment.status_reason}" if segment.status_reason else "",
                }
            )
        elif segment.status == RoadStatus.RESTRICTED:
            warnings.append(
                _("Road segment %(road)s is restricted%(reason)s.")
                % {
                    "road": segment.name or segment.code,
                    "reason": f": {segment.status_reason}" if segment.status_reason else "",
                }
            )
    for crossing in crossings:
        if not crossing.is_open:
            warnings.append(
                _("Crossing point %(name)s is %(status)s%(reason)s.")
                % {
                    "name": crossing.facility.name,
                    "status": crossing.facility.get_status_display().lower(),
                    "reason": (
                        f": {crossing.facility.status_reason}"
                        if crossing.facility.status_reason
                        else ""
                    ),
                }
            )
    return RouteView(segments, roads, crossings, warnings)


# --------------------------------------------------------------------------- reconcile


@dataclass(frozen=True)
class ReconcileRow:
    """Per convoy and item: what left the warehouse against what is accounted for."""

    item: Any
    loaded: Decimal
    dispatched: Decimal  # ledger: dispatch lines of the convoy's tracking numbers
    delivered: Decimal
    short: Decimal
    damaged: Decimal
    returned: Decimal  # ledger: return lines of the convoy's tracking numbers
    on_board: Decimal

    @property
    def difference(self) -> Decimal:
        """dispatched − (delivered + losses + returned + still on board): zero when balanced."""
        return self.dispatched - (
            self.delivered + self.short + self.damaged + self.returned + self.on_board
        )

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def convoy_reconcile(
    convoy: Convoy, *, lines: Iterable[ConsignmentLine] | None = None
) -> list[ReconcileRow]:
    """dispatched = delivered + recorded losses + returned (+ on board while on the road),
    per item, with dispatched and returned read from the stock ledger itself.

    ``lines``: every consignment line of the convoy, with its item, when the caller has
    them already (the convoy page of a user who sees it whole); else they are read."""
    from reliefops.stock.selectors import ledger_by_reference

    status = Convoy.objects.filter(pk=convoy.pk).values_list("status", flat=True).get()
    # the vehicles prefetched with the convoy (convoy_get) are used as they are
    numbers = [v.tracking_number for v in convoy.vehicles.all()]
    ledger = ledger_by_reference(numbers)
    rows: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    items: dict[Any, Any] = {}
    if lines is None:
        lines = ConsignmentLine.objects.filter(carrier__convoy=convoy).select_related("item")
    for line in lines:
        items[line.item_id] = line.item
        row = rows[line.item_id]
        loaded = line.quantity if status != ConvoyStatus.PLANNED else ZERO
        row["loaded"] += loaded
        row["delivered"] += line.delivered
        row["short"] += line.short
        row["damaged"] += line.damaged
        if status not in (ConvoyStatus.PLANNED, ConvoyStatus.LOADING, ConvoyStatus.ABORTED):
            row["on_board"] += line.on_board
    for item_id, (item, dispatched, returned) in ledger.items():
        items.setdefault(item_id, item)
        rows[item_id]["dispatched"] += dispatched
        rows[item_id]["returned"] += returned
    return [
        ReconcileRow(
            item=items[item_id],
            loaded=row["loaded"],
            dispatched=row["dispatched"],
            delivered=row["delivered"],
            short=row["short"],
            damaged=row["damaged"],
            returned=row["returned"],
            on_board=row["on_board"],
        )
        for item_id, row in sorted(rows.items(), key=lambda kv: items[kv[0]].code)
    ]

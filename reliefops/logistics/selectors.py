"""Reads of the logistics domain: convoys and their cargo as each user may see them.

Who sees what:

* logistics staff see the convoys of their organisation whose origin is in their areas,
  with all their cargo; cross-organisation roles (coordinators) see every convoy in
  their areas;
* a requesting organisation sees the convoys that carry its own requests (in its areas)
  and, of their cargo, only its own lines (:func:`convoy_lines_visible`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, grants
from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.models import (
    ConsignmentLine,
    Convoy,
    ConvoyStop,
    ConvoyVehicle,
    Driver,
    Passage,
    Vehicle,
)
from reliefops.places.selectors import crossing_points_at, segment_routes, segments_line

ZERO = Decimal("0")
VIEW = Action.VIEW


# --------------------------------------------------------------------------- visibility


def _view_grants(actor: Actor | None) -> list[Any]:
    return [g for g in grants(actor) if VIEW in g.actions]


def _area_q(grant: Any, field: str) -> Q:
    return Q() if grant.area_ids is None else Q(**{f"{field}__in": list(grant.area_ids)})


def _staff_q(grant: Any, prefix: str = "") -> Q:
    """Convoys a grant sees whole: in its areas, of its organisation unless cross-org."""
    q = _area_q(grant, f"{prefix}area_id")
    if not grant.cross_organisation and grant.organisation_id is not None:
        q &= Q(**{f"{prefix}organisation_id": grant.organisation_id})
    return q


def _requester_q(grant: Any, line_prefix: str) -> Q | None:
    """Lines a grant sees as the requesting organisation (its own requests in its areas)."""
    if grant.organisation_id is None:
        return None
    request = f"{line_prefix}request_line__request__"
    return Q(**{f"{request}organisation_id": grant.organisation_id}) & _area_q(
        grant, f"{request}area_id"
    )


def convoy_scope(actor: Actor | None, qs: QuerySet[Convoy]) -> QuerySet[Convoy]:
    """``qs`` limited to the convoys ``actor`` may see (whole, or for its own cargo)."""
    condition: Q | None = None
    for grant in _view_grants(actor):
        parts = [_staff_q(grant)]
        requester = _requester_q(grant, "vehicles__lines__")
        if requester is not None:
            parts.append(requester)
        for part in parts:
            if not part:  # an empty condition is everything (Q() | x would be just x)
                return qs
            condition = part if condition is None else condition | part
    if condition is None:
        return qs.none()
    ids = Convoy.objects.filter(condition).values("pk")
    return qs.filter(pk__in=ids)


def convoy_full_view(actor: Actor | None, convoy: Convoy) -> bool:
    """Does ``actor`` see all of ``convoy`` (crew, drivers, every organisation's cargo)?"""
    return any(
        Convoy.objects.filter(_staff_q(grant), pk=convoy.pk).exists()
        for grant in _view_grants(actor)
    )


def line_scope(actor: Actor | None, qs: QuerySet[ConsignmentLine]) -> QuerySet[ConsignmentLine]:
    """Consignment lines ``actor`` may see: all of a convoy it sees whole, else its own."""
    condition: Q | None = None
    for grant in _view_grants(actor):
        parts = [_staff_q(grant, "carrier__convoy__")]
        requester = _requester_q(grant, "")
        if requester is not None:
            parts.append(requester)
        for part in parts:
            if not part:  # an empty condition is everything (Q() | x would be just x)
                return qs
            condition = part if condition is None else condition | part
    if condition is None:
        return qs.none()
    return qs.filter(condition)


# --------------------------------------------------------------------------- lists


def convoy_list(*, actor: Actor | None) -> QuerySet[Convoy]:
    return convoy_scope(
        actor,
        Convoy.objects.select_related("origin__facility__place", "organisation", "area"),
    ).order_by("-departure_date", "code")


def convoy_get(*, actor: Actor | None, code: str) -> Convoy:
    convoy = (
        convoy_list(actor=actor)
        .prefetch_related(
            Prefetch("stops", queryset=ConvoyStop.objects.select_related("place", "facility")),
            Prefetch(
                "vehicles",
                queryset=ConvoyVehicle.objects.select_related("vehicle", "driver"),
            ),
        )
        .filter(code=code)
        .first()
    )
    if convoy is None:
        raise NotFound(_("No such convoy."), code_value=code)
    return convoy


def convoy_lines_visible(*, actor: Actor | None, convoy: Convoy) -> QuerySet[ConsignmentLine]:
    return line_scope(
        actor,
        ConsignmentLine.objects.filter(carrier__convoy=convoy).select_related(
            "carrier__vehicle",
            "stop__place",
            "stop__facility",
            "item",
            "lot",
            "request_line__request__organisation",
        ),
    ).order_by("carrier__tracking_number", "stop__sequence", "item__code", "created_at")


def consignment_line_list(*, actor: Actor | None) -> QuerySet[ConsignmentLine]:
    """Every consignment line the actor may see (the consignments API and export)."""
    return line_scope(
        actor,
        ConsignmentLine.objects.select_related(
            "carrier__convoy",
            "carrier__vehicle",
            "stop__place",
            "stop__facility",
            "item",
            "lot",
            "request_line__request",
        ),
    ).order_by("carrier__convoy__code", "carrier__tracking_number", "stop__sequence")


def passage_list(*, actor: Actor | None) -> QuerySet[Passage]:
    return Passage.objects.filter(
        convoy__in=convoy_scope(actor, Convoy.objects.all())
    ).select_related("convoy", "carrier", "crossing_point")


def vehicle_list(*, actor: Actor | None) -> QuerySet[Vehicle]:
    """Vehicles: every logistics-capable user sees the fleet (it is not personal data)."""
    if not _view_grants(actor):
        return Vehicle.objects.none()
    return Vehicle.objects.select_related("organisation", "base", "driver").order_by("registration")


def driver_list(*, actor: Actor | None) -> QuerySet[Driver]:
    """Drivers (personal data): only staff of their organisation and cross-org roles."""
    condition: Q | None = None
    for grant in _view_grants(actor):
        if grant.cross_organisation or grant.organisation_id is None:
            return Driver.objects.select_related("organisation")
        part = Q(organisation_id=grant.organisation_id)
        condition = part if condition is None else condition | part
    if condition is None:
        return Driver.objects.none()
    return Driver.objects.filter(condition).select_related("organisation")


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


_STATUS_RANK = {"open": 0, "restricted": 1, "closed": 2}


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
    departure = dt.datetime.combine(convoy.departure_date, dt.time(6, 0))
    crossings = [
        CrossingView(
            f,
            f.status == "operating",
            f.notice_hours,
            departure - dt.timedelta(hours=f.notice_hours) if f.notice_hours else None,
        )
        for f in points
    ]
    warnings: list[str] = []
    for segment in segments:
        if segment.status == "closed":
            warnings.append(
                _("Road segment %(road)s is closed%(reason)s.")
                % {
                    "road": segment.name or segment.code,
                    "reason": f": {segment.status_reason}" if segment.status_reason else "",
                }
            )
        elif segment.status == "restricted":
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


def convoy_reconcile(convoy: Convoy) -> list[ReconcileRow]:
    """dispatched = delivered + recorded losses + returned (+ on board while on the road),
    per item, with dispatched and returned read from the stock ledger itself."""
    from reliefops.stock.selectors import ledger_by_reference

    status = Convoy.objects.filter(pk=convoy.pk).values_list("status", flat=True).get()
    numbers = list(convoy.vehicles.values_list("tracking_number", flat=True))
    ledger = ledger_by_reference(numbers)
    rows: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    items: dict[Any, Any] = {}
    for line in ConsignmentLine.objects.filter(carrier__convoy=convoy).select_related("item"):
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


# --------------------------------------------------------------------------- tracking


def request_consignments(*, actor: Actor | None, request: Any) -> list[ConsignmentLine]:
    """The consignment lines carrying ``request``'s lines that the actor may see, with
    their convoy's status and last passage (the request page's tracking panel)."""
    return list(
        line_scope(
            actor,
            ConsignmentLine.objects.filter(request_line__request=request).select_related(
                "carrier__convoy", "carrier__vehicle", "item", "lot", "stop__place"
            ),
        ).order_by("carrier__convoy__departure_date", "carrier__tracking_number")
    )


def last_passage(convoy: Convoy) -> Passage | None:
    return convoy.passages.select_related("crossing_point").order_by("-time_in").first()


# --------------------------------------------------------------------------- lookups
# What pages and the API may name, through the owning app's selectors.


def lookup_warehouse(code: str) -> Any | None:
    from reliefops.stock.selectors import warehouse_by_facility_code

    return warehouse_by_facility_code(code)


def lookup_organisation(acronym: str) -> Any | None:
    from reliefops.organisations.selectors import organisations_by_acronym

    return organisations_by_acronym([acronym]).get(acronym)


def lookup_vehicle(registration: str) -> Vehicle | None:
    return Vehicle.objects.filter(registration=registration).first()


def lookup_crossing_point(code: str) -> Any | None:
    from reliefops.places.selectors import facilities_by_code

    found = facilities_by_code([code]).get(code)
    return found if found is not None and found.kind == "crossing_point" else None


def requests_carriable(*, actor: Actor) -> QuerySet[Any]:
    """Requests the actor may see that a convoy may carry (approved and on their way)."""
    from reliefops.needs.selectors import request_list

    return request_list(
        actor=actor, status=["approved", "planned", "dispatched", "partially_delivered"]
    )


# --- added for pages


def convoy_list_rows(*, actor: Actor | None) -> QuerySet[Convoy]:
    """The convoy list as the page shows it: stops, vehicle count, passages (the last one
    shown), and ``has_warning`` when a road segment of the route is closed or a crossing
    point at one of its nodes is not operating."""
    from django.db.models import Count, Exists, OuterRef

    from reliefops.logistics.models import ConvoySegment

    segments = ConvoySegment.objects.filter(convoy=OuterRef("pk"))
    closed_road = segments.filter(segment__status="closed")
    node_places = ("segment__from_node__place__facilities", "segment__to_node__place__facilities")
    crossing_down = Q()
    for path in node_places:
        crossing_down |= Q(**{f"{path}__kind": "crossing_point"}) & ~Q(
            **{f"{path}__status": "operating"}
        )
    return (
        convoy_list(actor=actor)
        .annotate(
            vehicle_count=Count("vehicles", distinct=True),
            has_warning=Exists(closed_road) | Exists(segments.filter(crossing_down)),
        )
        .prefetch_related(
            Prefetch(
                "stops",
                queryset=ConvoyStop.objects.select_related("place", "facility").order_by(
                    "sequence"
                ),
            ),
            Prefetch(
                "passages",
                queryset=Passage.objects.select_related("crossing_point").order_by("-time_in"),
            ),
        )
    )


@dataclass(frozen=True)
class PlanChoices:
    """What the "plan a convoy" page offers: warehouses the user may dispatch from, the
    organisations they may plan for, available vehicles and the approved requests."""

    warehouses: Any
    organisations: Any
    vehicles: Any
    requests: Any


def convoy_plan_choices(*, actor: Actor) -> PlanChoices:
    from reliefops.core.permissions import user_organisation_ids
    from reliefops.needs.selectors import request_list
    from reliefops.organisations.selectors import organisation_list
    from reliefops.stock.selectors import warehouse_list

    organisations = organisation_list(actor=actor)
    own = user_organisation_ids(actor, Action.CONVOY_PLAN)
    if own is not None:
        organisations = organisations.filter(pk__in=own)
    busy = ConvoyVehicle.objects.filter(
        convoy__status__in=(
            ConvoyStatus.PLANNED,
            ConvoyStatus.LOADING,
            ConvoyStatus.DEPARTED,
            ConvoyStatus.AT_CROSSING,
            ConvoyStatus.ARRIVED,
        )
    ).values("vehicle_id")
    vehicles = vehicle_list(actor=actor).filter(status="available").exclude(pk__in=busy)
    requests = (
        request_list(actor=actor, status=["approved", "planned"])
        .filter(lines__item__isnull=False)
        .distinct()
        .order_by("needed_by", "reference")
    )
    return PlanChoices(
        warehouses=warehouse_list(actor=actor, action=Action.STOCK_DISPATCH).select_related(
            "facility__place"
        ),
        organisations=organisations,
        vehicles=vehicles,
        requests=requests,
    )


def crossing_point_choices(*, actor: Actor) -> QuerySet[Any]:
    """Every crossing point the actor may see, by name (a passage names one)."""
    from reliefops.places.selectors import crossing_point_list

    return crossing_point_list(actor=actor).order_by("code")


@dataclass(frozen=True)
class TimelineStep:
    status: str
    label: Any
    at: dt.datetime | None
    done: bool
    current: bool


#: The usual road of a convoy, shown as its timeline (aborted is shown apart).
CONVOY_PATH: list[str] = [
    ConvoyStatus.PLANNED,
    ConvoyStatus.LOADING,
    ConvoyStatus.DEPARTED,
    ConvoyStatus.AT_CROSSING,
    ConvoyStatus.ARRIVED,
    ConvoyStatus.COMPLETED,
]


def convoy_timeline(convoy: Convoy) -> list[TimelineStep]:
    """Each status of the usual road with the first time the convoy reached it (from its
    recorded history); a status skipped (no crossing point) is shown as passed."""
    first: dict[str, dt.datetime] = {}
    for status, at in convoy.history.order_by("history_date").values_list("status", "history_date"):
        first.setdefault(status, at)
    first.setdefault(ConvoyStatus.PLANNED, convoy.created_at)
    current = convoy.status
    reached = CONVOY_PATH.index(current) if current in CONVOY_PATH else -1
    if reached < 0:  # aborted: the road up to the last status reached before it
        reached = max((CONVOY_PATH.index(s) for s in first if s in CONVOY_PATH), default=0)
    return [
        TimelineStep(
            status=str(status),
            label=ConvoyStatus(status).label,
            at=first.get(status),
            done=i < reached or (i == reached and current == ConvoyStatus.COMPLETED),
            current=i == reached and current in CONVOY_PATH,
        )
        for i, status in enumerate(CONVOY_PATH)
    ]


def convoy_aborted_at(convoy: Convoy) -> dt.datetime | None:
    if convoy.status != ConvoyStatus.ABORTED:
        return None
    return convoy.status_changed_at


def convoy_passages(convoy: Convoy) -> list[Passage]:
    return list(
        convoy.passages.select_related("crossing_point", "carrier__vehicle")
        .prefetch_related("holds__line__item")
        .order_by("time_in")
    )


def convoy_deliveries(convoy: Convoy) -> list[Any]:
    from reliefops.logistics.models import Delivery

    return list(
        Delivery.objects.filter(stop__convoy=convoy)
        .select_related("stop__place", "stop__facility")
        .order_by("stop__sequence")
    )


@dataclass(frozen=True)
class ConvoyListChoices:
    origins: Any
    organisations: Any


def convoy_list_choices(*, actor: Actor) -> ConvoyListChoices:
    """What the convoy list's filters offer: the origins and organisations of the
    convoys the actor sees."""
    from reliefops.organisations.selectors import organisation_list
    from reliefops.stock.selectors import warehouse_list

    visible = convoy_list(actor=actor).order_by()
    origins = (
        warehouse_list(actor=actor)
        .filter(pk__in=visible.values("origin_id"))
        .select_related("facility")
        .order_by("facility__code")
    )
    organisations = (
        organisation_list(actor=actor)
        .filter(pk__in=visible.values("organisation_id"))
        .order_by("acronym")
    )
    return ConvoyListChoices(origins, organisations)

"""Reads of the logistics domain: convoys and their cargo as each user may see them.

Who sees what:

* logistics staff see the convoys of their organisation that leave from or stop in
  their areas, with all their cargo; cross-organisation roles (coordinators) see every
  convoy leaving from or stopping in their areas;
* a requesting organisation sees the convoys that carry its own requests (in its areas)
  and, of their cargo, only its own lines (:func:`convoy_lines_visible`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, GrantGroup, grant_groups, grants_for
from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.models import (
    ConsignmentLine,
    Convoy,
    ConvoyStop,
    ConvoyVehicle,
    Delivery,
    Driver,
    Passage,
    Vehicle,
)
from reliefops.logistics.route_view import (  # noqa: F401 - the route and reconcile reads
    CrossingView,
    ReconcileRow,
    RoadPart,
    RouteView,
    convoy_reconcile,
    convoy_route,
)
from reliefops.places.choices import FacilityKind

ZERO = Decimal("0")


# --------------------------------------------------------------------------- visibility


def _view_grants(actor: Actor | None) -> tuple[Any, ...]:
    return grants_for(actor, Action.VIEW)


def _area_q(group: GrantGroup, field: str) -> Q:
    return Q() if group.area_ids is None else Q(**{f"{field}__in": list(group.area_ids)})


def _staff_q(group: GrantGroup) -> Q:
    """Convoys a group of grants sees whole: leaving from or stopping in its areas, of its
    organisations unless the role is cross-organisation."""
    if group.area_ids is None:
        q = Q()
    else:
        ids = list(group.area_ids)
        q = Q(area_id__in=ids) | Q(
            pk__in=ConvoyStop.objects.filter(place__admin1_id__in=ids).values("convoy_id")
        )
    if not group.cross_organisation and not group.any_organisation:
        q &= Q(organisation_id__in=_org_ids(group))
    return q


def _org_ids(group: GrantGroup) -> list[Any]:
    return sorted(group.organisation_ids, key=str)


def _requester_q(group: GrantGroup, line_prefix: str) -> Q | None:
    """Lines a group sees as the requesting organisations (their own requests in its
    areas)."""
    if not group.organisation_ids:
        return None
    request = f"{line_prefix}request_line__request__"
    return Q(**{f"{request}organisation_id__in": _org_ids(group)}) & _area_q(
        group, f"{request}area_id"
    )


def _scoped(qs: QuerySet[Any], parts: list[Q | None]) -> QuerySet[Any]:
    """``qs`` where any of ``parts`` holds; an empty part is everything (``Q() | x`` would
    be just ``x``), none at all is nothing."""
    condition: Q | None = None
    for part in parts:
        if part is None:
            continue
        if not part:
            return qs
        condition = part if condition is None else condition | part
    return qs.none() if condition is None else qs.filter(condition)


def _view_groups(actor: Actor | None) -> list[GrantGroup]:
    """The actor's view grants merged by areas (one condition per group, not per
    membership: see ``core.permissions.grant_groups``)."""
    return grant_groups(_view_grants(actor))


def convoy_scope(actor: Actor | None, qs: QuerySet[Convoy]) -> QuerySet[Convoy]:
    """``qs`` limited to the convoys ``actor`` may see (whole, or for its own cargo)."""
    parts: list[Q | None] = []
    for group in _view_groups(actor):
        parts += [_staff_q(group), _requester_q(group, "vehicles__lines__")]
    return qs.filter(pk__in=_scoped(Convoy.objects.all(), parts).values("pk"))


def convoys_seen_whole(actor: Actor | None) -> QuerySet[Convoy]:
    """The convoys ``actor`` sees whole (crew, drivers, every organisation's cargo)."""
    return _scoped(Convoy.objects.all(), [_staff_q(group) for group in _view_groups(actor)])


def convoy_full_view(actor: Actor | None, convoy: Convoy) -> bool:
    """Does ``actor`` see all of ``convoy`` (crew, drivers, every organisation's cargo)?"""
    return convoys_seen_whole(actor).filter(pk=convoy.pk).exists()


def line_scope(actor: Actor | None, qs: QuerySet[ConsignmentLine]) -> QuerySet[ConsignmentLine]:
    """Consignment lines ``actor`` may see: all of a convoy it sees whole, else its own."""
    parts: list[Q | None] = []
    for group in _view_groups(actor):
        staff = _staff_q(group)
        whole = Q(carrier__convoy__in=Convoy.objects.filter(staff).values("pk")) if staff else Q()
        parts += [whole, _requester_q(group, "")]
    return _scoped(qs, parts)


# --------------------------------------------------------------------------- lists


def convoy_list(*, actor: Actor | None) -> QuerySet[Convoy]:
    return convoy_scope(
        actor,
        Convoy.objects.select_related("origin__facility__place", "organisation", "area"),
    ).order_by("-departure_date", "code")


def convoy_list_detailed(*, actor: Actor | None) -> QuerySet[Convoy]:
    """The convoys with their stops (and deliveries) and vehicles (and drivers) fetched
    in two queries for all of them."""
    return convoy_list(actor=actor).prefetch_related(
        Prefetch(
            "stops", queryset=ConvoyStop.objects.select_related("place", "facility", "delivery")
        ),
        Prefetch("vehicles", queryset=ConvoyVehicle.objects.select_related("vehicle", "driver")),
    )


def convoy_get(*, actor: Actor | None, code: str) -> Convoy:
    convoy = convoy_list_detailed(actor=actor).filter(code=code).first()
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


def delivery_list(*, actor: Actor | None) -> QuerySet[Delivery]:
    """Confirmed deliveries at the stops of the convoys ``actor`` sees (newest first)."""
    return (
        Delivery.objects.filter(stop__convoy__in=convoy_list(actor=actor).order_by())
        .select_related("stop__convoy", "stop__place", "stop__facility")
        .order_by("-received_at")
    )


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
    return found if found is not None and found.kind == FacilityKind.CROSSING_POINT else None


def requests_carriable(*, actor: Actor) -> QuerySet[Any]:
    """Requests the actor may see that a convoy may carry (approved and on their way)."""
    from reliefops.needs.choices import DISPATCHABLE_STATUSES
    from reliefops.needs.selectors import request_list

    return request_list(actor=actor, status=sorted(DISPATCHABLE_STATUSES))


# --- added for pages


def convoy_list_rows(*, actor: Actor | None) -> QuerySet[Convoy]:
    """The convoy list as the page shows it: stops, vehicle count, passages (the last one
    shown), and ``has_warning`` when a road segment of the route is closed or a crossing
    point at one of its nodes is not operating.

    Both annotations are correlated subqueries (no GROUP BY over the joined rows); the
    warning looks up the few segments that warrant one (``road_segments_with_warning``)
    instead of joining every route segment to the road network."""
    from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from reliefops.logistics.models import ConvoySegment
    from reliefops.places.selectors import road_segments_with_warning

    vehicles = (
        ConvoyVehicle.objects.filter(convoy=OuterRef("pk"))
        .order_by()
        .values("convoy")
        .annotate(n=Count("pk"))
        .values("n")
    )
    warned = ConvoySegment.objects.filter(
        convoy=OuterRef("pk"), segment__in=road_segments_with_warning()
    )
    return (
        convoy_list(actor=actor)
        .annotate(
            vehicle_count=Coalesce(Subquery(vehicles, output_field=IntegerField()), 0),
            has_warning=Exists(warned),
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
    skipped: bool = False


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
    recorded history); a status passed over (no crossing point) is marked skipped."""
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
            # Passed over: reached later statuses without this one (no crossing point).
            skipped=i < reached and status not in first,
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


# --- added for dayplans

_PREPARING = (ConvoyStatus.PLANNED, ConvoyStatus.LOADING)
_ACTIVE = (
    ConvoyStatus.PLANNED,
    ConvoyStatus.LOADING,
    ConvoyStatus.DEPARTED,
    ConvoyStatus.AT_CROSSING,
    ConvoyStatus.ARRIVED,
)


def planning_vehicles(*, actor: Actor | None) -> QuerySet[Vehicle]:
    """Every vehicle of the fleet the actor sees with its base (the planning input filters
    status and base itself, so that it can say why a vehicle was left out)."""
    return vehicle_list(actor=actor).select_related("base__place")


def vehicles_in_active_convoys(*, except_convoys: Any = ()) -> set[str]:
    """Registrations of the vehicles in an active convoy (planned … arrived), leaving out
    the convoys whose codes are in ``except_convoys``."""
    return set(
        ConvoyVehicle.objects.filter(convoy__status__in=_ACTIVE)
        .exclude(convoy__code__in=list(except_convoys))
        .values_list("vehicle__registration", flat=True)
    )


def planned_on_convoys(*, except_convoys: Any = ()) -> dict[Any, Decimal]:
    """Request line pk → what convoys still being prepared (planned, loading) carry for
    it, leaving out the convoys whose codes are in ``except_convoys``."""
    out: dict[Any, Decimal] = {}
    rows = (
        ConsignmentLine.objects.filter(
            carrier__convoy__status__in=_PREPARING, request_line__isnull=False
        )
        .exclude(carrier__convoy__code__in=list(except_convoys))
        .values_list("request_line_id", "quantity")
    )
    for line_id, quantity in rows:
        out[line_id] = out.get(line_id, Decimal("0")) + quantity
    return out


def convoys_by_code(codes: Any) -> list[Convoy]:
    """The convoys with these codes (a committed plan's), by code."""
    return list(
        Convoy.objects.filter(code__in=list(codes))
        .select_related("origin__facility")
        .prefetch_related("vehicles__vehicle")
        .order_by("code")
    )


def convoy_reserved_lines(codes: Any) -> list[tuple[str, Any, Any, Decimal]]:
    """(warehouse code, lot pk, item pk, quantity) of every line of these convoys still
    being prepared: the stock their reservations hold."""
    return [
        (wh, lot, item, qty)
        for wh, lot, item, qty in ConsignmentLine.objects.filter(
            carrier__convoy__code__in=list(codes), carrier__convoy__status__in=_PREPARING
        )
        .order_by("pk")
        .values_list("carrier__convoy__origin__facility__code", "lot_id", "item_id", "quantity")
    ]

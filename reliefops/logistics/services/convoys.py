"""The convoy workflow: its transition table and planning (the steps are in ``.steps``).

::

    planned → loading → departed → at crossing point → arrived → completed
    aborted (with a reason) from any step before completed
    arrived → arrived: a passage made before the arrival, recorded late (``passage_late``)

* **load** reserves stock for every line, first expiry first out (a line split by lot);
* **depart** issues what was reserved through the ledger (``dispatch`` lines whose
  reference is the vehicle's tracking number) and takes the requests' ``dispatch`` step;
* a **passage** at a crossing point may hold goods or turn a vehicle back: what is held
  returns to the origin through the ledger (``return``) and to the requests;
* **deliver** is the proof of delivery at one stop: received, short and damaged per line
  with reasons; it takes the requests' ``deliver`` step;
* **complete** and **abort** bring back what is still on board (an abort while loading
  releases the reservations).

So for every convoy and item: dispatched = delivered + short + damaged + returned
(+ on board while on the road); :func:`reliefops.logistics.selectors.convoy_reconcile`
checks it against the ledger. Pages and the API take a step through
:func:`convoy_transition`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.core.workflow import Transition, Workflow
from reliefops.logistics.choices import (
    KIND_ITEM_CLASSES,
    KIND_VEHICLE_CLASS,
    ConvoyStatus,
    VehicleKind,
    VehicleStatus,
)
from reliefops.logistics.models import (
    ZERO,
    ConsignmentLine,
    Convoy,
    ConvoySegment,
    ConvoyStop,
    ConvoyVehicle,
    Vehicle,
)
from reliefops.needs.choices import DISPATCHABLE_STATUSES
from reliefops.places.choices import VehicleClass
from reliefops.places.selectors import road_path
from reliefops.stock.choices import Unit

S = ConvoyStatus
A = Action
ACTIVE = frozenset({S.PLANNED, S.LOADING, S.DEPARTED, S.AT_CROSSING, S.ARRIVED})
ON_ROAD = (S.DEPARTED, S.AT_CROSSING, S.ARRIVED)


class StopNotConfirmed(Conflict):
    code = "stop_not_confirmed"
    default_message = _("A stop still has goods on board and no delivery confirmed.")


def _every_stop_confirmed(convoy: Convoy) -> None:
    pending = [
        stop.sequence
        for stop in convoy.stops.all()
        if not hasattr(stop, "delivery") and any(line.on_board > 0 for line in stop.lines.all())
    ]
    if pending:
        raise StopNotConfirmed(
            _(
                "Stop %(stops)s has goods on board and no delivery confirmed: confirm it "
                "(nothing received is an answer too) before completing."
            )
            % {"stops": ", ".join(str(n) for n in pending)},
            stops=pending,
        )


CONVOY_WORKFLOW = Workflow(
    name="convoy",
    states=ConvoyStatus,
    initial={S.PLANNED},
    scope=lambda convoy: (convoy.area, convoy.organisation),
    invalid_message=_("The step “%(step)s” is not possible for a convoy that is %(status)s."),
    transitions={
        "load": Transition(
            {S.PLANNED}, S.LOADING, A.CONVOY_LOAD, _("Load (reserve stock)"), own_organisation=True
        ),
        "depart": Transition(
            {S.LOADING},
            S.DEPARTED,
            A.CONVOY_DEPART,
            _("Record departure"),
            own_organisation=True,
            confirm=_("Record the departure? The load leaves the warehouse's stock."),
        ),
        "passage": Transition(
            {S.DEPARTED, S.AT_CROSSING},
            S.AT_CROSSING,
            A.CONVOY_PASSAGE,
            _("Record a passage"),
            own_organisation=True,
            service_only=_("A passage is recorded with its crossing point and outcome."),
            needs=("passage",),
        ),
        # A passage that reaches the server after a delivery (which made the convoy
        # arrived) but happened before the arrival: recorded as it happened, the convoy
        # does not move backwards. ``passage_record`` chooses it (never a button).
        "passage_late": Transition(
            {S.ARRIVED},
            S.ARRIVED,
            A.CONVOY_PASSAGE,
            _("Record a passage made before the arrival"),
            own_organisation=True,
            service_only=_("A passage is recorded with its crossing point and outcome."),
            needs=("passage",),
            offered=False,
        ),
        "arrive": Transition(
            {S.DEPARTED, S.AT_CROSSING},
            S.ARRIVED,
            A.CONVOY_ARRIVE,
            _("Record arrival"),
            own_organisation=True,
        ),
        "deliver": Transition(
            {S.DEPARTED, S.AT_CROSSING, S.ARRIVED},
            S.ARRIVED,
            A.CONVOY_DELIVER,
            _("Confirm a delivery"),
            own_organisation=True,
            service_only=_("A delivery is confirmed at its stop, line by line."),
            needs=("delivery",),
        ),
        "complete": Transition(
            {S.ARRIVED, S.AT_CROSSING},
            S.COMPLETED,
            A.CONVOY_COMPLETE,
            _("Complete"),
            own_organisation=True,
            guards=(_every_stop_confirmed,),
            confirm=_(
                "Complete the convoy? Whatever is still on board goes back to the origin "
                "warehouse's stock."
            ),
        ),
        "abort": Transition(
            ACTIVE,
            S.ABORTED,
            A.CONVOY_ABORT,
            _("Abort"),
            own_organisation=True,
            needs_reason=True,
            style="danger",
            confirm=_(
                "Abort the convoy? Reserved stock is released and what is on board goes "
                "back to the origin warehouse. This cannot be undone."
            ),
        ),
    },
)
TRANSITIONS = CONVOY_WORKFLOW.transitions
STEP_LABELS = {name: t.label for name, t in TRANSITIONS.items()}


def convoy_steps_allowed(*, actor: Actor, convoy: Convoy) -> list[str]:
    return CONVOY_WORKFLOW.allowed(actor=actor, record=convoy)


def _locked(convoy: Convoy) -> Convoy:
    return (
        Convoy.objects.select_for_update(of=("self",))
        .select_related("origin__facility__place", "organisation", "area")
        .get(pk=convoy.pk)
    )


def _set_status(
    *,
    actor: Actor,
    convoy: Convoy,
    step: str,
    target: str,
    reason: str = "",
    keep_time: bool = False,
    **extra: Any,
) -> Convoy:
    """Set the status and audit the step; ``keep_time``: a step that records something
    late without changing the status leaves ``status_changed_at`` as it was."""
    before = convoy.status
    convoy.status = target
    if reason:
        convoy.status_reason = reason[:300]
    if not (keep_time and before == target):
        convoy.status_changed_at = timezone.now()
    convoy.updated_by = actor_user(actor)
    convoy.save(
        update_fields=["status", "status_reason", "status_changed_at", "updated_by", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=f"convoy.{step}",
        obj=convoy,
        before={"status": before},
        after={"status": target, **({"reason": reason} if reason else {}), **extra},
    )
    return convoy


def _lines(convoy: Convoy, *, lock: bool = True) -> list[ConsignmentLine]:
    """The convoy's lines in loading order; locked (inside the step's transaction) unless
    ``lock=False`` (a check that writes nothing)."""
    lines = ConsignmentLine.objects.all()
    if lock:
        lines = lines.select_for_update(of=("self",))
    return list(
        lines.filter(carrier__convoy=convoy)
        .select_related("carrier", "item", "lot", "request_line")
        .order_by("carrier__tracking_number", "created_at", "pk")
    )


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class StopInput:
    place: Any
    facility: Any = None


@dataclass(frozen=True)
class CarrierInput:
    vehicle: Vehicle
    driver: Any = None


@dataclass(frozen=True)
class CargoInput:
    """``quantity`` of ``item`` on carrier number ``carrier`` (0-based) for stop ``stop``."""

    carrier: int
    stop: int
    item: Any
    quantity: Decimal
    request_line: Any = None
    # --- added for commit: the lot to load (a committed plan names it); None: FEFO at load
    lot: Any = None


@dataclass
class ConvoyInput:
    departure_date: dt.date
    origin: Any
    organisation: Any
    stops: Sequence[StopInput]
    carriers: Sequence[CarrierInput]
    cargo: Sequence[CargoInput]
    segments: Sequence[Any] | None = None
    escort: str = ""
    leader: str = ""
    notes: str = ""
    code: str = ""
    problems: dict[str, list[Any]] = field(default_factory=dict)
    # --- added for commit: the convoys of the vehicles' earlier trips of the day (a
    # committed plan's multi-trip vehicle): they do not make the vehicles busy
    earlier_trips: Sequence[Any] = ()


def _problem(data: ConvoyInput, key: str, message: Any) -> None:
    data.problems.setdefault(key, []).append(message)


def cargo_load(item: Any, quantity: Decimal) -> dict[str, Decimal]:
    """What ``quantity`` of ``item`` takes of a vehicle: kg, m³ and (liquids) litres."""
    return {
        "kg": item.weight_kg * quantity,
        "m3": item.volume_m3 * quantity,
        "litres": quantity if item.unit == Unit.LITRE else ZERO,
    }


def vehicle_limits(vehicle: Vehicle) -> dict[str, Decimal | None]:
    """A vehicle's capacities by :func:`cargo_load` key (None: no limit of that kind);
    litres count for tankers only, whose tank is the limit."""
    litres = vehicle.capacity_litres if vehicle.kind == VehicleKind.FUEL_TANKER else None
    return {"kg": vehicle.capacity_kg, "m3": vehicle.capacity_m3, "litres": litres}


def _may_carry(vehicle: Vehicle, item: Any) -> bool:
    allowed = set(vehicle.item_classes or KIND_ITEM_CLASSES.get(vehicle.kind, ()))
    return not allowed or item.category in allowed


def _check_carriers(data: ConvoyInput) -> None:
    busy = set(
        ConvoyVehicle.objects.filter(
            convoy__status__in=ACTIVE, vehicle__in=[c.vehicle for c in data.carriers]
        )
        .exclude(convoy__in=[c.pk for c in data.earlier_trips])
        .values_list("vehicle__registration", flat=True)
    )
    seen: set[Any] = set()
    for i, carrier in enumerate(data.carriers):
        vehicle = carrier.vehicle
        if vehicle.pk in seen:
            _problem(data, f"vehicles.{i}", _("This vehicle is already in the convoy."))
        seen.add(vehicle.pk)
        if vehicle.status == VehicleStatus.MAINTENANCE:
            _problem(data, f"vehicles.{i}", _("This vehicle is in maintenance."))
        if vehicle.registration in busy:
            _problem(data, f"vehicles.{i}", _("This vehicle is in another active convoy."))
    loads: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for i, cargo in enumerate(data.cargo):
        if not 0 <= cargo.carrier < len(data.carriers):
            _problem(data, f"cargo.{i}.vehicle", _("Choose a vehicle of the convoy."))
            continue
        if not 0 <= cargo.stop < len(data.stops):
            _problem(data, f"cargo.{i}.stop", _("Choose a stop of the convoy."))
        if cargo.quantity is None or cargo.quantity <= 0:
            _problem(data, f"cargo.{i}.quantity", _("The quantity must be greater than zero."))
            continue
        vehicle = data.carriers[cargo.carrier].vehicle
        if cargo.lot is not None and cargo.lot.item_id != cargo.item.pk:
            _problem(data, f"cargo.{i}.lot", _("The lot is not a lot of this item."))
        if not _may_carry(vehicle, cargo.item):
            _problem(
                data,
                f"cargo.{i}.vehicle",
                _("%(vehicle)s (%(kind)s) may not carry %(category)s.")
                % {
                    "vehicle": vehicle.registration,
                    "kind": vehicle.get_kind_display(),
                    "category": cargo.item.get_category_display().lower(),
                },
            )
        for key, amount in cargo_load(cargo.item, cargo.quantity).items():
            loads[cargo.carrier][key] += amount
    units = {"kg": _("kg"), "m3": _("m³"), "litres": _("litres")}
    for index, load in loads.items():
        vehicle = data.carriers[index].vehicle
        for key, limit in vehicle_limits(vehicle).items():
            if limit is not None and load[key] > limit:
                _problem(
                    data,
                    f"vehicles.{index}",
                    _("%(vehicle)s is overloaded: %(load)s %(unit)s of %(limit)s.")
                    % {
                        "vehicle": vehicle.registration,
                        "load": f"{load[key]:,.0f}",
                        "unit": units[key],
                        "limit": f"{limit:,.0f}",
                    },
                )


def _check_request_lines(data: ConvoyInput) -> None:
    """Cargo for a request line: an approved request, not more than is still awaited."""
    planned: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for line in ConsignmentLine.objects.filter(
        carrier__convoy__status__in=(S.PLANNED, S.LOADING),
        request_line__in=[c.request_line for c in data.cargo if c.request_line is not None],
    ):
        planned[line.request_line_id] += line.quantity
    for i, cargo in enumerate(data.cargo):
        line = cargo.request_line
        if line is None or cargo.quantity is None:
            continue
        request = line.request
        if request.status not in DISPATCHABLE_STATUSES:
            _problem(
                data,
                f"cargo.{i}.request",
                _("Request %(ref)s is %(status)s: only approved requests are carried.")
                % {"ref": request.reference, "status": request.get_status_display().lower()},
            )
        if line.item_id != cargo.item.pk:
            _problem(data, f"cargo.{i}.item", _("The item is not the request line's item."))
        awaited = line.quantity - line.quantity_dispatched - planned[line.pk]
        planned[line.pk] += cargo.quantity
        if cargo.quantity > awaited:
            _problem(
                data,
                f"cargo.{i}.quantity",
                _("Request %(ref)s awaits %(awaited)s %(unit)s of %(item)s (other convoys count).")
                % {
                    "ref": request.reference,
                    "awaited": f"{max(awaited, ZERO).normalize():f}",
                    "unit": line.unit,
                    "item": cargo.item.code,
                },
            )


def _code_new(day: dt.date) -> str:
    prefix = f"CV-{day:%y%m%d}-"
    taken = set(Convoy.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _route_segments(data: ConvoyInput) -> list[Any]:
    """The fastest open road from the origin through the stops in order."""
    # The convoy drives at the pace, and on the roads, of its heaviest vehicle class.
    classes = [KIND_VEHICLE_CLASS.get(c.vehicle.kind, VehicleClass.TRUCK) for c in data.carriers]
    order: list[str] = [VehicleClass.LIGHT, VehicleClass.TRUCK, VehicleClass.HEAVY]
    vehicle_class = max(classes, key=order.index, default=VehicleClass.TRUCK)
    points = [data.origin.facility.place, *[s.place for s in data.stops]]
    segments: list[Any] = []
    for a, b in itertools.pairwise(points):
        if a.pk != b.pk:
            segments.extend(road_path(a, b, vehicle_class=vehicle_class))
    return segments


def convoy_create(*, actor: Actor, data: ConvoyInput) -> Convoy:
    """Plan a convoy: stops, vehicles with drivers, cargo, and the route (the fastest open
    road through the stops unless ``segments`` are given). ``convoy.plan`` in the origin
    warehouse's area for the organisation running it. Every problem is named at once."""
    origin = data.origin
    area = origin.facility.place.admin1
    require_write(actor, A.CONVOY_PLAN, area=area, organisation=data.organisation)
    if not data.stops:
        _problem(data, "stops", _("Give at least one stop."))
    if not data.carriers:
        _problem(data, "vehicles", _("Give at least one vehicle."))
    if not data.cargo:
        _problem(data, "cargo", _("Nothing to carry."))
    _check_carriers(data)
    _check_request_lines(data)
    if data.problems:
        raise InvalidInput(_("The convoy cannot be planned as it is."), fields=data.problems)
    with transaction.atomic():
        user = actor_user(actor)
        convoy = Convoy.objects.create(
            code=data.code or _code_new(data.departure_date),
            departure_date=data.departure_date,
            origin=origin,
            organisation=data.organisation,
            area=area,
            escort=data.escort,
            leader=data.leader,
            notes=data.notes,
            created_by=user,
            updated_by=user,
        )
        segments = list(data.segments) if data.segments is not None else _route_segments(data)
        ConvoySegment.objects.bulk_create(
            ConvoySegment(convoy=convoy, segment=s, sequence=i) for i, s in enumerate(segments, 1)
        )
        stops = [
            ConvoyStop.objects.create(
                convoy=convoy, sequence=i, place=s.place, facility=s.facility, created_by=user
            )
            for i, s in enumerate(data.stops, 1)
        ]
        carriers = [
            ConvoyVehicle.objects.create(
                convoy=convoy,
                vehicle=c.vehicle,
                driver=c.driver or c.vehicle.driver,
                tracking_number=f"{convoy.code}-{i:02d}",
                created_by=user,
            )
            for i, c in enumerate(data.carriers, 1)
        ]
        ConsignmentLine.objects.bulk_create(
            ConsignmentLine(
                carrier=carriers[c.carrier],
                stop=stops[c.stop],
                request_line=c.request_line,
                item=c.item,
                lot=c.lot,
                quantity=c.quantity,
                created_by=user,
            )
            for c in data.cargo
        )
        audit_record(
            actor=actor,
            action="convoy.plan",
            obj=convoy,
            after={
                "origin": origin.code,
                "stops": len(stops),
                "vehicles": [c.vehicle.registration for c in data.carriers],
                "lines": len(data.cargo),
                "segments": [s.code for s in segments],
            },
        )
    return convoy

"""The convoy workflow: its transition table, and one service per step.

::

    planned → loading → departed → at crossing point → arrived → completed
    aborted (with a reason) from any step before completed

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
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
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
    CarriageStatus,
    ConvoyStatus,
    LossReason,
    PassageOutcome,
    VehicleStatus,
)
from reliefops.logistics.models import (
    ZERO,
    ConsignmentLine,
    Convoy,
    ConvoySegment,
    ConvoyStop,
    ConvoyVehicle,
    Delivery,
    Passage,
    PassageHold,
    Vehicle,
)
from reliefops.logistics.services.photos import photo_check
from reliefops.needs.services import (
    request_lines_delivered,
    request_lines_dispatched,
    request_lines_returned,
)
from reliefops.places.selectors import road_path
from reliefops.stock.choices import LedgerReason
from reliefops.stock.services import (
    ReservedIssue,
    stock_issue_reserved,
    stock_reservation_release,
    stock_reserve,
    stock_return,
)

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
    *, actor: Actor, convoy: Convoy, step: str, target: str, reason: str = "", **extra: Any
) -> Convoy:
    before = convoy.status
    convoy.status = target
    if reason:
        convoy.status_reason = reason[:300]
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


def _lines(convoy: Convoy) -> list[ConsignmentLine]:
    return list(
        ConsignmentLine.objects.select_for_update(of=("self",))
        .filter(carrier__convoy=convoy)
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


def _problem(data: ConvoyInput, key: str, message: Any) -> None:
    data.problems.setdefault(key, []).append(message)


def _may_carry(vehicle: Vehicle, item: Any) -> bool:
    allowed = set(vehicle.item_classes or KIND_ITEM_CLASSES.get(vehicle.kind, ()))
    return not allowed or item.category in allowed


def _check_carriers(data: ConvoyInput) -> None:
    busy = set(
        ConvoyVehicle.objects.filter(
            convoy__status__in=ACTIVE, vehicle__in=[c.vehicle for c in data.carriers]
        ).values_list("vehicle__registration", flat=True)
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
        load = loads[cargo.carrier]
        load["kg"] += cargo.item.weight_kg * cargo.quantity
        load["m3"] += cargo.item.volume_m3 * cargo.quantity
        if cargo.item.unit == "litre":
            load["litres"] += cargo.quantity
    for index, load in loads.items():
        vehicle = data.carriers[index].vehicle
        limits = [
            ("kg", vehicle.capacity_kg, _("kg")),
            ("m3", vehicle.capacity_m3, _("m³")),
            (
                "litres",
                vehicle.capacity_litres if vehicle.kind == "fuel_tanker" else None,
                _("litres"),
            ),
        ]
        for key, limit, unit in limits:
            if limit is not None and load[key] > limit:
                _problem(
                    data,
                    f"vehicles.{index}",
                    _("%(vehicle)s is overloaded: %(load)s %(unit)s of %(limit)s.")
                    % {
                        "vehicle": vehicle.registration,
                        "load": f"{load[key]:,.0f}",
                        "unit": unit,
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
        if request.status not in ("approved", "planned", "dispatched", "partially_delivered"):
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
    heavy = any(c.vehicle.kind in ("truck", "fuel_tanker") for c in data.carriers)
    vehicle_class = "heavy" if heavy else "truck"
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


# --------------------------------------------------------------------------- steps


def convoy_load(*, actor: Actor, convoy: Convoy) -> Convoy:
    """Reserve the stock of every line at the origin, first expiry first out; a line whose
    quantity comes from several lots is split into one line per lot."""
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="load")
        for line in _lines(convoy):
            picks = stock_reserve(
                actor=actor,
                warehouse=convoy.origin,
                item=line.item,
                quantity=line.quantity,
                reference=line.carrier.tracking_number,
            )
            first, *rest = picks
            line.lot, line.quantity = first.lot, first.quantity
            line.save(update_fields=["lot", "quantity", "updated_at"])
            for pick in rest:
                ConsignmentLine.objects.create(
                    carrier=line.carrier,
                    stop=line.stop,
                    request_line=line.request_line,
                    item=line.item,
                    lot=pick.lot,
                    quantity=pick.quantity,
                    created_by=actor_user(actor),
                )
        return _set_status(actor=actor, convoy=convoy, step="load", target=t.target)


def convoy_depart(*, actor: Actor, convoy: Convoy) -> Convoy:
    """The load leaves: reserved stock is issued (``dispatch`` per line, referenced by the
    vehicle's tracking number) and every request carried takes its ``dispatch`` step."""
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="depart")
        lines = _lines(convoy)
        stock_issue_reserved(
            actor=actor,
            warehouse=convoy.origin,
            issues=[
                ReservedIssue(
                    item_id=line.item_id,
                    lot_id=line.lot_id,  # type: ignore[arg-type] # loaded: every line has its lot
                    quantity=line.quantity,
                    request_line_id=line.request_line_id,
                    reference=line.carrier.tracking_number,
                )
                for line in lines
            ],
            reason=LedgerReason.CONVOY_DISPATCH,
            reference=convoy.code,
        )
        moves: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
        for line in lines:
            if line.request_line_id:
                moves[line.request_line_id] += line.quantity
        if moves:
            request_lines_dispatched(actor=actor, moves=moves, reference=convoy.code)
        Vehicle.objects.filter(convoy_trips__convoy=convoy).update(status=VehicleStatus.ON_MISSION)
        return _set_status(actor=actor, convoy=convoy, step="depart", target=t.target)


def _bring_back(
    *, actor: Actor, convoy: Convoy, amounts: Mapping[ConsignmentLine, Decimal], reason: str
) -> None:
    """Goods come back to the origin: ``return`` per line (its lot, its tracking number),
    the lines' ``returned`` grows and the requests hear of it."""
    moves: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for line, quantity in amounts.items():
        if quantity <= 0:
            continue
        stock_return(
            actor=actor,
            warehouse=convoy.origin,
            item=line.item,
            quantity=quantity,
            lot_code=line.lot.code if line.lot else "",
            reason=LedgerReason.CONVOY_RETURN,
            reference=line.carrier.tracking_number,
        )
        line.returned += quantity
        line.save(update_fields=["returned", "updated_at"])
        if line.request_line_id:
            moves[line.request_line_id] += quantity
    if moves:
        request_lines_returned(actor=actor, moves=moves, reason=reason)


@dataclass(frozen=True)
class PassageInput:
    crossing_point: Any
    outcome: str
    time_in: dt.datetime
    time_out: dt.datetime | None = None
    direction: str = "inbound"
    carrier: Any = None
    delay_minutes: int | None = None
    inspected: bool = False
    notes: str = ""
    held: Mapping[Any, Decimal] = field(default_factory=dict)


def passage_record(*, actor: Actor, convoy: Convoy, data: PassageInput) -> Passage:
    """A crossing point checked the convoy (or one vehicle). ``partial``: the goods in
    ``held`` (``{line_id: quantity}``) stay behind and return; ``turned_back``: everything
    the vehicle (or the convoy) carries returns."""
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="passage")
        problems: dict[str, list[Any]] = {}
        if data.crossing_point is None or data.crossing_point.kind != "crossing_point":
            problems["crossing_point"] = [_("Choose a crossing point.")]
        if data.outcome not in PassageOutcome.values:
            problems["outcome"] = [_("Choose the outcome.")]
        if data.time_out is not None and data.time_out < data.time_in:
            problems["time_out"] = [_("The time out is before the time in.")]
        if data.carrier is not None and data.carrier.convoy_id != convoy.pk:
            problems["vehicle"] = [_("Choose a vehicle of the convoy.")]
        lines = [
            line
            for line in _lines(convoy)
            if data.carrier is None or line.carrier_id == data.carrier.pk
        ]
        by_id = {str(line.pk): line for line in lines}
        held: dict[ConsignmentLine, Decimal] = {}
        if data.outcome == PassageOutcome.TURNED_BACK:
            held = {line: line.on_board for line in lines if line.on_board > 0}
        elif data.outcome == PassageOutcome.PARTIAL:
            for key, quantity in data.held.items():
                line = by_id.get(str(key))
                if line is None:
                    problems.setdefault("held", []).append(_("A held line is not on board."))
                elif quantity < 0 or quantity > line.on_board:
                    problems[f"held.{key}"] = [
                        _("Between 0 and the %(n)s on board.")
                        % {"n": f"{line.on_board.normalize():f}"}
                    ]
                elif quantity > 0:
                    held[line] = quantity
            if not held and not problems:
                problems["held"] = [_("Say what was held back.")]
        elif data.held and any(q > 0 for q in data.held.values()):
            problems["held"] = [_("Goods held: choose “partially passed”.")]
        if problems:
            raise InvalidInput(_("The passage cannot be recorded as it is."), fields=problems)
        passage = Passage.objects.create(
            convoy=convoy,
            carrier=data.carrier,
            crossing_point=data.crossing_point,
            direction=data.direction,
            time_in=data.time_in,
            time_out=data.time_out,
            outcome=data.outcome,
            delay_minutes=data.delay_minutes,
            inspected=data.inspected,
            notes=data.notes,
            recorded_by=actor_user(actor),
            created_by=actor_user(actor),
        )
        PassageHold.objects.bulk_create(
            PassageHold(passage=passage, line=line, quantity=q) for line, q in held.items()
        )
        if data.outcome == PassageOutcome.TURNED_BACK:
            carriers = [data.carrier] if data.carrier else list(convoy.vehicles.all())
            for carrier in carriers:
                carrier.carriage = CarriageStatus.TURNED_BACK
                carrier.save(update_fields=["carriage", "updated_at"])
        reason = _("Held at %(point)s") % {"point": data.crossing_point.name}
        _bring_back(actor=actor, convoy=convoy, amounts=held, reason=str(reason))
        _set_status(
            actor=actor,
            convoy=convoy,
            step="passage",
            target=t.target,
            crossing_point=data.crossing_point.code,
            outcome=data.outcome,
            held={str(line.pk): q for line, q in held.items()},
        )
    return passage


def convoy_arrive(*, actor: Actor, convoy: Convoy) -> Convoy:
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="arrive")
        return _set_status(actor=actor, convoy=convoy, step="arrive", target=t.target)


@dataclass(frozen=True)
class Receipt:
    """What the receiver confirms of one line: received, short and damaged, with reasons."""

    delivered: Decimal
    short: Decimal = ZERO
    short_reason: str = ""
    damaged: Decimal = ZERO
    damage_reason: str = ""


@dataclass(frozen=True)
class DeliveryInput:
    stop: Any
    receiver_name: str
    received_at: dt.datetime
    receipts: Mapping[Any, Receipt]
    receiver_role: str = ""
    note: str = ""
    photo: Any = None


def delivery_confirm(*, actor: Actor, convoy: Convoy, data: DeliveryInput) -> Delivery:
    """Proof of delivery at one stop. Every line for the stop still on board is answered
    (a line left out is taken as fully received); what is neither received nor lost stays
    on board and comes back when the convoy completes."""
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="deliver")
        stop = data.stop
        problems: dict[str, list[Any]] = {}
        if stop is None or stop.convoy_id != convoy.pk:
            raise InvalidInput(_("Choose a stop of the convoy."), field="stop")
        if Delivery.objects.filter(stop=stop).exists():
            raise Conflict(_("The delivery at this stop is already confirmed."), stop=stop.sequence)
        if not data.receiver_name.strip():
            problems["receiver_name"] = [_("Who received the goods?")]
        lines = [line for line in _lines(convoy) if line.stop_id == stop.pk and line.on_board > 0]
        if not lines:
            raise Conflict(_("Nothing is on board for this stop."), stop=stop.sequence)
        reasons = set(LossReason.values) - {""}
        receipts = {str(k): v for k, v in data.receipts.items()}
        answered: dict[ConsignmentLine, Receipt] = {}
        for line in lines:
            receipt = receipts.get(str(line.pk), Receipt(delivered=line.on_board))
            key = f"lines.{line.pk}"
            amounts = (receipt.delivered, receipt.short, receipt.damaged)
            if any(a is None or a < 0 for a in amounts):
                problems[f"{key}.delivered"] = [_("Quantities cannot be negative.")]
            elif sum(amounts, ZERO) > line.on_board:
                problems[f"{key}.delivered"] = [
                    _("Received, short and damaged add up to more than the %(n)s on board.")
                    % {"n": f"{line.on_board.normalize():f}"}
                ]
            if receipt.short > 0 and receipt.short_reason not in reasons:
                problems[f"{key}.short_reason"] = [_("Why is it short?")]
            if receipt.damaged > 0 and receipt.damage_reason not in reasons:
                problems[f"{key}.damage_reason"] = [_("How was it damaged?")]
            answered[line] = receipt
        photo_type = ""
        if data.photo is not None:
            try:
                photo_type = photo_check(data.photo)
            except InvalidInput as exc:
                problems["photo"] = [exc.message]
        if problems:
            raise InvalidInput(_("The delivery cannot be confirmed as it is."), fields=problems)
        delivery = Delivery(
            stop=stop,
            receiver_name=data.receiver_name.strip()[:120],
            receiver_role=data.receiver_role.strip()[:120],
            received_at=data.received_at,
            note=data.note,
            photo_type=photo_type,
            recorded_by=actor_user(actor),
            created_by=actor_user(actor),
        )
        if data.photo is not None:
            extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}[photo_type]
            data.photo.name = f"{uuid.uuid4().hex}.{extension}"
            delivery.photo = data.photo
        delivery.save()
        moves: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
        for line, receipt in answered.items():
            line.delivered += receipt.delivered
            line.short += receipt.short
            line.damaged += receipt.damaged
            line.short_reason = receipt.short_reason if receipt.short > 0 else line.short_reason
            line.damage_reason = (
                receipt.damage_reason if receipt.damaged > 0 else line.damage_reason
            )
            line.save(
                update_fields=[
                    "delivered",
                    "short",
                    "damaged",
                    "short_reason",
                    "damage_reason",
                    "updated_at",
                ]
            )
            if line.request_line_id:
                moves[line.request_line_id] += receipt.delivered
        stop.arrived_at = stop.arrived_at or data.received_at
        stop.save(update_fields=["arrived_at", "updated_at"])
        if moves:
            request_lines_delivered(actor=actor, moves=moves, note=data.note)
        _set_status(
            actor=actor,
            convoy=convoy,
            step="deliver",
            target=t.target,
            stop=stop.sequence,
            delivered={str(line.pk): r.delivered for line, r in answered.items()},
            lost={str(line.pk): r.short + r.damaged for line, r in answered.items()},
        )
    return delivery


def convoy_complete(*, actor: Actor, convoy: Convoy, note: str = "") -> Convoy:
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="complete", reason=note)
        lines = _lines(convoy)
        _bring_back(
            actor=actor,
            convoy=convoy,
            amounts={line: line.on_board for line in lines},
            reason=str(_("Undelivered, brought back by convoy %(code)s") % {"code": convoy.code}),
        )
        Vehicle.objects.filter(convoy_trips__convoy=convoy).update(status=VehicleStatus.AVAILABLE)
        return _set_status(
            actor=actor, convoy=convoy, step="complete", target=t.target, reason=note
        )


def convoy_abort(*, actor: Actor, convoy: Convoy, reason: str) -> Convoy:
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="abort", reason=reason)
        lines = _lines(convoy)
        if convoy.status == S.LOADING:
            stock_reservation_release(
                actor=actor,
                warehouse=convoy.origin,
                picks=[(line.item_id, line.lot_id, line.quantity) for line in lines if line.lot_id],
                reference=convoy.code,
            )
        elif convoy.status in ON_ROAD:
            _bring_back(
                actor=actor,
                convoy=convoy,
                amounts={line: line.on_board for line in lines},
                reason=reason,
            )
        Vehicle.objects.filter(convoy_trips__convoy=convoy).update(status=VehicleStatus.AVAILABLE)
        return _set_status(actor=actor, convoy=convoy, step="abort", target=t.target, reason=reason)


# --------------------------------------------------------------------------- one entry


@dataclass(frozen=True)
class StepData:
    """What a page or API call gives a step (each step uses what it needs)."""

    reason: str = ""
    passage: PassageInput | None = None
    delivery: DeliveryInput | None = None


def _needs(value: Any, name: str) -> Any:
    if value is None:
        raise InvalidInput(_("This step needs its form."), field=name)
    return value


_STEP_SERVICES: dict[str, Callable[[Actor, Convoy, StepData], Any]] = {
    "load": lambda actor, c, d: convoy_load(actor=actor, convoy=c),
    "depart": lambda actor, c, d: convoy_depart(actor=actor, convoy=c),
    "passage": lambda actor, c, d: passage_record(
        actor=actor, convoy=c, data=_needs(d.passage, "passage")
    ),
    "arrive": lambda actor, c, d: convoy_arrive(actor=actor, convoy=c),
    "deliver": lambda actor, c, d: delivery_confirm(
        actor=actor, convoy=c, data=_needs(d.delivery, "delivery")
    ),
    "complete": lambda actor, c, d: convoy_complete(actor=actor, convoy=c, note=d.reason),
    "abort": lambda actor, c, d: convoy_abort(actor=actor, convoy=c, reason=d.reason),
}
if set(_STEP_SERVICES) != set(TRANSITIONS):  # pragma: no cover - a table edited in one place
    raise RuntimeError("every convoy workflow step needs its service and vice versa")


def convoy_transition(
    *, actor: Actor, convoy: Convoy, step: str, data: StepData | None = None
) -> Any:
    """Take step ``step`` on ``convoy``: the one entry of pages and the API."""
    CONVOY_WORKFLOW.step(step)
    return _STEP_SERVICES[step](actor, convoy, data or StepData())

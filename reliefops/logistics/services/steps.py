"""The convoy steps: one service per step of :data:`CONVOY_WORKFLOW`, and the one entry
pages and the API take them through (:func:`convoy_transition`). See
:mod:`reliefops.logistics.services.convoys` for the table and planning."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import Actor, actor_user
from reliefops.logistics.choices import (
    CarriageStatus,
    LossReason,
    PassageOutcome,
    VehicleStatus,
)
from reliefops.logistics.models import (
    ZERO,
    ConsignmentLine,
    Convoy,
    Delivery,
    Passage,
    PassageHold,
    Vehicle,
)
from reliefops.logistics.notices import convoy_turned_back_notify
from reliefops.logistics.services.convoys import (
    CONVOY_WORKFLOW,
    ON_ROAD,
    TRANSITIONS,
    S,
    _lines,
    _locked,
    _set_status,
)
from reliefops.logistics.services.photos import photo_check, photo_without_metadata
from reliefops.needs.services import (
    request_lines_delivered,
    request_lines_dispatched,
    request_lines_returned,
)
from reliefops.places.choices import FacilityKind
from reliefops.stock.choices import LedgerReason
from reliefops.stock.services import (
    ReservedIssue,
    stock_issue_reserved,
    stock_reservation_release,
    stock_reserve,
    stock_return,
)

# --------------------------------------------------------------------------- steps


def convoy_load(*, actor: Actor, convoy: Convoy) -> Convoy:
    """Reserve the stock of every line at the origin: a line that names its lot (a committed
    plan's) from that lot only, any other first expiry first out; a line whose quantity
    comes from several lots is split into one line per lot."""
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="load")
        for line in _lines(convoy):
            picks = stock_reserve(
                actor=actor,
                warehouse=convoy.origin,
                item=line.item,
                quantity=line.quantity,
                lot_code=line.lot.code if line.lot is not None else None,
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


def convoy_arrived_at(convoy: Convoy) -> dt.datetime | None:
    """When the convoy arrived: the first receipt at a stop (its ``arrived_at``) or the
    first time the server recorded it arrived, whichever is earlier (None: not arrived)."""
    moments = [m for m in convoy.stops.values_list("arrived_at", flat=True) if m is not None]
    first = (
        convoy.history.filter(status=S.ARRIVED)
        .order_by("history_date")
        .values_list("status_changed_at", flat=True)
        .first()
    )
    if first is not None:
        moments.append(first)
    return min(moments, default=None)


def passage_step(convoy: Convoy, time_in: dt.datetime) -> str:
    """The workflow step a passage takes: ``passage`` on the road, ``passage_late`` when the
    convoy is already arrived (a delivery reached the server first) and the passage was
    made before the arrival."""
    if convoy.status == S.ARRIVED:
        arrived = convoy_arrived_at(convoy)
        if arrived is not None and time_in <= arrived:
            return "passage_late"
    return "passage"


def _passage_held(
    convoy: Convoy, data: PassageInput, lines: list[ConsignmentLine], *, late: bool
) -> dict[ConsignmentLine, Decimal]:
    """What the passage holds back, per line; raises with every problem of ``data``."""
    problems: dict[str, list[Any]] = {}
    if data.crossing_point is None or data.crossing_point.kind != FacilityKind.CROSSING_POINT:
        problems["crossing_point"] = [_("Choose a crossing point.")]
    if data.outcome not in PassageOutcome.values:
        problems["outcome"] = [_("Choose the outcome.")]
    if data.time_out is not None and data.time_out < data.time_in:
        problems["time_out"] = [_("The time out is before the time in.")]
    if data.carrier is not None and data.carrier.convoy_id != convoy.pk:
        problems["vehicle"] = [_("Choose a vehicle of the convoy.")]
    lines = [line for line in lines if data.carrier is None or line.carrier_id == data.carrier.pk]
    by_id = {str(line.pk): line for line in lines}
    held: dict[ConsignmentLine, Decimal] = {}
    if data.outcome == PassageOutcome.TURNED_BACK:
        if late and any(line.delivered + line.short + line.damaged > 0 for line in lines):
            raise Conflict(
                _(
                    "A delivery from this vehicle was confirmed before this passage arrived: "
                    "it cannot have been turned back before its arrival. Check both records."
                ),
                code="late_turn_back",
                field="outcome",
            )
        held = {line: line.on_board for line in lines if line.on_board > 0}
    elif data.outcome == PassageOutcome.PARTIAL:
        for key, quantity in data.held.items():
            line = by_id.get(str(key))
            if line is None:
                problems.setdefault("held", []).append(_("A held line is not on board."))
            elif quantity < 0 or quantity > line.on_board:
                problems[f"held.{key}"] = [
                    (
                        _(
                            "Only %(n)s on board: a delivery confirmed before this passage "
                            "arrived received the rest."
                        )
                        if late and quantity > line.on_board
                        else _("Between 0 and the %(n)s on board.")
                    )
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
    return held


def passage_check(*, actor: Actor, convoy: Convoy, data: PassageInput) -> str:
    """Every check of :func:`passage_record` (permission, the convoy's status, the data);
    returns the step it would take. Writes nothing and locks nothing (importers report a
    row's problem with it; the record itself checks again under the lock)."""
    step = passage_step(convoy, data.time_in)
    CONVOY_WORKFLOW.check(actor=actor, record=convoy, step=step)
    _passage_held(convoy, data, _lines(convoy, lock=False), late=step == "passage_late")
    return step


def passage_record(*, actor: Actor, convoy: Convoy, data: PassageInput) -> Passage:
    """A crossing point checked the convoy (or one vehicle). ``partial``: the goods in
    ``held`` (``{line_id: quantity}``) stay behind and return; ``turned_back``: everything
    the vehicle (or the convoy) carries returns. A passage made before the arrival of a
    convoy already arrived is recorded late (:func:`passage_step`): it may hold what is
    still on board, and may not turn back a vehicle that already delivered."""
    with transaction.atomic():
        convoy = _locked(convoy)
        step = passage_step(convoy, data.time_in)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step=step)
        held = _passage_held(convoy, data, _lines(convoy), late=step == "passage_late")
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
            convoy_turned_back_notify(actor=actor, convoy=convoy, passage=passage)
        reason = _("Held at %(point)s") % {"point": data.crossing_point.name}
        _bring_back(actor=actor, convoy=convoy, amounts=held, reason=str(reason))
        _set_status(
            actor=actor,
            convoy=convoy,
            step=step,
            target=t.target,
            keep_time=step == "passage_late",
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


def _delivery_answers(
    convoy: Convoy, data: DeliveryInput, lines: list[ConsignmentLine]
) -> tuple[dict[ConsignmentLine, Receipt], str]:
    """Each line's receipt and the photo's type; raises with every problem of ``data``."""
    stop = data.stop
    problems: dict[str, list[Any]] = {}
    if stop is None or stop.convoy_id != convoy.pk:
        raise InvalidInput(_("Choose a stop of the convoy."), field="stop")
    if Delivery.objects.filter(stop=stop).exists():
        raise Conflict(_("The delivery at this stop is already confirmed."), stop=stop.sequence)
    if not data.receiver_name.strip():
        problems["receiver_name"] = [_("Who received the goods?")]
    lines = [line for line in lines if line.stop_id == stop.pk and line.on_board > 0]
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
    return answered, photo_type


def delivery_check(*, actor: Actor, convoy: Convoy, data: DeliveryInput) -> None:
    """Every check of :func:`delivery_confirm` (permission, the convoy's status, the stop,
    the receipts). Writes nothing and locks nothing (importers report a row's problem
    with it; the confirmation checks again under the lock)."""
    CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="deliver")
    _delivery_answers(convoy, data, _lines(convoy, lock=False))


def delivery_confirm(*, actor: Actor, convoy: Convoy, data: DeliveryInput) -> Delivery:
    """Proof of delivery at one stop. Every line for the stop still on board is answered
    (a line left out is taken as fully received); what is neither received nor lost stays
    on board and comes back when the convoy completes."""
    with transaction.atomic():
        convoy = _locked(convoy)
        _step, t = CONVOY_WORKFLOW.check(actor=actor, record=convoy, step="deliver")
        stop = data.stop
        answered, photo_type = _delivery_answers(convoy, data, _lines(convoy))
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
            delivery.photo.save(
                f"{uuid.uuid4().hex}.{extension}",
                photo_without_metadata(data.photo, photo_type),
                save=False,
            )
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
    # passage_record takes "passage_late" itself when the passage comes after the arrival.
    "passage_late": lambda actor, c, d: passage_record(
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

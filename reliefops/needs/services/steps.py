"""The request workflow: its transition table, one service per step, and comments.

The table is :data:`REQUEST_WORKFLOW` (:class:`reliefops.core.workflow.Workflow`); every
step service checks through it (permission in the request's area and, for
``own_organisation`` steps, for the request's organisation; state; reason)::

    draft → submitted → verified → approved → planned → dispatched →
        partially delivered / delivered → closed
    rejected (from submitted, verified, approved) and cancelled (before dispatch) need a reason

Pages and the API take a step through :func:`request_transition` (one entry, a table of
step → service), never by building a function name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.core.workflow import Transition, Workflow
from reliefops.needs.choices import DISPATCHABLE_STATUSES, RequestStatus
from reliefops.needs.models import Request, RequestComment, RequestLine
from reliefops.needs.notices import request_awaiting_notify
from reliefops.stock.choices import LedgerReason

S = RequestStatus
A = Action
ZERO = Decimal("0")

REQUEST_WORKFLOW = Workflow(
    name="request",
    states=RequestStatus,
    initial={S.DRAFT, S.SUBMITTED},
    scope=lambda request: (request.area, request.organisation),
    invalid_message=_("The step “%(step)s” is not possible for a %(status)s request."),
    transitions={
        "submit": Transition(
            {S.DRAFT}, S.SUBMITTED, A.REQUEST_SUBMIT, _("Submit"), own_organisation=True
        ),
        "verify": Transition({S.SUBMITTED}, S.VERIFIED, A.REQUEST_VERIFY, _("Verify")),
        "approve": Transition({S.VERIFIED}, S.APPROVED, A.REQUEST_APPROVE, _("Approve")),
        "reject": Transition(
            {S.SUBMITTED, S.VERIFIED, S.APPROVED},
            S.REJECTED,
            A.REQUEST_REJECT,
            _("Reject"),
            needs_reason=True,
            style="danger",
            confirm=_(
                "Reject this request? The requester is told the reason; this cannot be undone."
            ),
        ),
        "cancel": Transition(
            {S.DRAFT, S.SUBMITTED, S.VERIFIED, S.APPROVED, S.PLANNED},
            S.CANCELLED,
            A.REQUEST_CANCEL,
            _("Cancel request"),
            own_organisation=True,
            needs_reason=True,
            style="danger",
            confirm=_("Cancel this request? This cannot be undone."),
        ),
        # Planned once: the quantities and date are asked for, not copied from the request.
        "plan": Transition(
            {S.APPROVED},
            S.PLANNED,
            A.REQUEST_PLAN,
            _("Mark planned"),
            needs=("quantities", "planned_for"),
        ),
        "dispatch": Transition(
            DISPATCHABLE_STATUSES,
            S.DISPATCHED,
            A.REQUEST_DISPATCH,
            _("Dispatch"),
            service_only=_(
                "Goods are dispatched through the dispatch step, which posts them out of stock."
            ),
            needs=("warehouse", "quantities"),
        ),
        # The target of "deliver" is decided by the delivered quantities (partial or full).
        "deliver": Transition(
            {S.DISPATCHED, S.PARTIALLY_DELIVERED},
            S.DELIVERED,
            A.REQUEST_DELIVER,
            _("Confirm delivery"),
            service_only=_("Delivery is confirmed through its own step, line by line."),
            needs=("quantities",),
        ),
        # Everything dispatched came back undelivered (a convoy held, turned back or
        # aborted): the request waits for goods again. Taken by the convoy services.
        "recall": Transition(
            {S.DISPATCHED},
            S.APPROVED,
            A.REQUEST_DISPATCH,
            _("Goods came back"),
            service_only=_("Goods come back through the convoy that carried them."),
            guards=(lambda request: _nothing_on_the_road(request),),
            offered=False,
        ),
        "close": Transition(
            {S.DELIVERED, S.PARTIALLY_DELIVERED},
            S.CLOSED,
            A.REQUEST_CLOSE,
            _("Close"),
            style="secondary",
            confirm=_("Close this request? Nothing more can be delivered against it."),
        ),
    },
)
TRANSITIONS = REQUEST_WORKFLOW.transitions


class GoodsOnTheRoad(InvalidInput):
    code = "goods_on_the_road"
    default_message = _("Goods for this request are still on the road or were delivered.")


def _nothing_on_the_road(request: Request) -> None:
    if any(line.quantity_dispatched or line.quantity_delivered for line in request.lines.all()):
        raise GoodsOnTheRoad()


#: What each step is called on buttons and in messages.
STEP_LABELS = {name: t.label for name, t in TRANSITIONS.items()}


def transitions_allowed(*, actor: Actor, request: Request) -> list[str]:
    """Names of the steps ``actor`` may take on ``request`` now (for buttons)."""
    return REQUEST_WORKFLOW.allowed(actor=actor, record=request)


def _transition_check(*, actor: Actor, request: Request, name: str, reason: str = "") -> str:
    _step, t = REQUEST_WORKFLOW.check(actor=actor, record=request, step=name, reason=reason)
    return t.target


def _set_status(
    *,
    actor: Actor,
    request: Request,
    name: str,
    target: str,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> Request:
    before = request.status
    request.status = target
    request.status_reason = reason[:300] if reason else request.status_reason
    request.status_changed_at = timezone.now()
    request.updated_by = actor_user(actor)
    request.save(
        update_fields=["status", "status_reason", "status_changed_at", "updated_by", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=f"request.{name}",
        obj=request,
        before={"status": before},
        after={"status": target, **({"reason": reason} if reason else {}), **(extra or {})},
    )
    request_awaiting_notify(actor=actor, request=request, workflow=REQUEST_WORKFLOW)
    return request


def _locked(request: Request) -> Request:
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("area", "organisation")
        .get(pk=request.pk)
    )


def request_submit_draft(*, actor: Actor, request: Request) -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="submit")
        return _set_status(actor=actor, request=request, name="submit", target=target)


def request_verify(*, actor: Actor, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="verify")
        return _set_status(actor=actor, request=request, name="verify", target=target, reason=note)


def request_approve(*, actor: Actor, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="approve")
        return _set_status(actor=actor, request=request, name="approve", target=target, reason=note)


def request_reject(*, actor: Actor, request: Request, reason: str) -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="reject", reason=reason)
        return _set_status(
            actor=actor, request=request, name="reject", target=target, reason=reason
        )


def request_cancel(*, actor: Actor, request: Request, reason: str) -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="cancel", reason=reason)
        return _set_status(
            actor=actor, request=request, name="cancel", target=target, reason=reason
        )


def request_plan(
    *,
    actor: Actor,
    request: Request,
    quantities: Mapping[uuid.UUID, Decimal] | None = None,
    planned_for: dt.date | None = None,
) -> Request:
    """Mark lines as planned (``{line_id: quantity}``; default: everything remaining) for
    delivery on ``planned_for``. Every line out of range is named (``lines.<id>.quantity``)."""
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="plan")
        lines = list(request.lines.select_for_update())
        problems: dict[str, list[Any]] = {}
        for line in lines:
            planned = (quantities or {}).get(line.pk, line.quantity - line.quantity_delivered)
            if planned < 0 or planned > line.quantity:
                problems[f"lines.{line.pk}.quantity"] = [
                    _("Between 0 and the requested %(quantity)s.")
                    % {"quantity": f"{line.quantity.normalize():f}"}
                ]
            line.quantity_planned = planned
        if problems:
            raise InvalidInput(_("Planned quantity out of range."), fields=problems)
        RequestLine.objects.bulk_update(lines, ["quantity_planned"])
        request.planned_for = planned_for
        request.save(update_fields=["planned_for"])
        return _set_status(
            actor=actor,
            request=request,
            name="plan",
            target=target,
            extra={
                "planned": {str(x.pk): x.quantity_planned for x in lines},
                **({"planned_for": planned_for.isoformat()} if planned_for else {}),
            },
        )


def request_dispatch(
    *,
    actor: Actor,
    request: Request,
    warehouse: Any,
    quantities: Mapping[uuid.UUID, Decimal] | None = None,
    reference: str = "",
) -> Request:
    """Send goods for the request from ``warehouse``: stock leaves through the ledger
    (FEFO, locked; ``stock.dispatch`` checked in the warehouse's scope) and each line's
    dispatched quantity grows. Default: what is left."""
    from reliefops.stock.services import stock_dispatch

    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="dispatch")
        if warehouse is None:
            raise InvalidInput(_("Choose the warehouse to dispatch from."), field="warehouse")
        lines = list(request.lines.select_for_update(of=("self",)).select_related("item"))
        sent = {}
        for line in lines:
            if line.item is None:
                continue
            default = line.quantity - line.quantity_dispatched
            quantity = (quantities or {}).get(line.pk, default)
            if quantity <= 0:
                continue
            stock_dispatch(
                actor=actor,
                warehouse=warehouse,
                item=line.item,
                quantity=quantity,
                reason=LedgerReason.REQUEST_DISPATCH,
                reference=reference or request.reference,
                request_line=line,
            )
            line.quantity_dispatched += quantity
            sent[str(line.pk)] = quantity
        if not sent:
            raise InvalidInput(_("Nothing to dispatch."), code="nothing_to_dispatch")
        RequestLine.objects.bulk_update(lines, ["quantity_dispatched"])
        return _set_status(
            actor=actor,
            request=request,
            name="dispatch",
            target=target,
            extra={"warehouse": str(warehouse), "sent": sent},
        )


def request_deliver(
    *,
    actor: Actor,
    request: Request,
    quantities: Mapping[uuid.UUID, Decimal] | None = None,
    note: str = "",
) -> Request:
    """Confirm receipt at destination (per line; default: everything dispatched).

    Partial fulfilment is tracked per line; the request becomes ``delivered`` when every
    line is fully delivered, otherwise ``partially_delivered``.
    """
    with transaction.atomic():
        request = _locked(request)
        _transition_check(actor=actor, request=request, name="deliver")
        lines = list(request.lines.select_for_update())
        for line in lines:
            default = line.quantity_dispatched - line.quantity_delivered
            received = (quantities or {}).get(
                line.pk, default if line.item_id else line.quantity - line.quantity_delivered
            )
            if received < 0 or (
                line.item_id and line.quantity_delivered + received > line.quantity_dispatched
            ):
                raise InvalidInput(
                    _("More delivered than dispatched."),
                    line=line.pk,
                    fields={f"lines.{line.pk}.quantity": [_("More delivered than dispatched.")]},
                )
            line.quantity_delivered += received
        RequestLine.objects.bulk_update(lines, ["quantity_delivered"])
        complete = all(line.quantity_delivered >= line.quantity for line in lines)
        target = S.DELIVERED if complete else S.PARTIALLY_DELIVERED
        return _set_status(
            actor=actor,
            request=request,
            name="deliver",
            target=target,
            reason=note,
            extra={"delivered": {str(x.pk): x.quantity_delivered for x in lines}},
        )


def request_close(*, actor: Actor, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="close")
        return _set_status(actor=actor, request=request, name="close", target=target, reason=note)


@dataclass(frozen=True)
class StepInput:
    """What a page or API call gives a step (each step uses what it needs)."""

    reason: str = ""
    warehouse: Any = None
    quantities: Mapping[uuid.UUID, Decimal] | None = None
    planned_for: dt.date | None = None


_STEP_SERVICES: dict[str, Callable[[Actor, Request, StepInput], Request]] = {
    "submit": lambda actor, r, i: request_submit_draft(actor=actor, request=r),
    "verify": lambda actor, r, i: request_verify(actor=actor, request=r, note=i.reason),
    "approve": lambda actor, r, i: request_approve(actor=actor, request=r, note=i.reason),
    "reject": lambda actor, r, i: request_reject(actor=actor, request=r, reason=i.reason),
    "cancel": lambda actor, r, i: request_cancel(actor=actor, request=r, reason=i.reason),
    "plan": lambda actor, r, i: request_plan(
        actor=actor, request=r, quantities=i.quantities, planned_for=i.planned_for
    ),
    "dispatch": lambda actor, r, i: request_dispatch(
        actor=actor, request=r, warehouse=i.warehouse, quantities=i.quantities
    ),
    "deliver": lambda actor, r, i: request_deliver(
        actor=actor, request=r, quantities=i.quantities, note=i.reason
    ),
    "close": lambda actor, r, i: request_close(actor=actor, request=r, note=i.reason),
    "recall": lambda actor, r, i: request_recall(actor=actor, request=r, note=i.reason),
}
if set(_STEP_SERVICES) != set(TRANSITIONS):  # pragma: no cover - a table edited in one place
    raise RuntimeError("every request workflow step needs its service and vice versa")


def request_transition(
    *,
    actor: Actor,
    request: Request,
    step: str,
    reason: str = "",
    warehouse: Any = None,
    quantities: Mapping[uuid.UUID, Decimal] | None = None,
    planned_for: dt.date | None = None,
) -> Request:
    """Take workflow step ``step`` on ``request``: the one entry of pages and the API.

    Unknown steps are :class:`~reliefops.core.workflow.UnknownStep` (400); each step's
    own service does the checks and the writes.
    """
    REQUEST_WORKFLOW.step(step)
    return _STEP_SERVICES[step](
        actor, request, StepInput(reason, warehouse, quantities, planned_for)
    )


def request_comment_add(*, actor: Actor, request: Request, text: str) -> RequestComment:
    """Add a comment; ``comment.add`` in the request's area (viewers may not)."""
    require_write(actor, Action.COMMENT_ADD, area=request.area, organisation=UNSCOPED)
    if not text.strip():
        raise InvalidInput(_("The comment is empty."), field="text")
    with transaction.atomic():
        author = actor_user(actor)
        comment = RequestComment.objects.create(
            request=request, author=author, text=text, created_by=author
        )
        audit_record(actor=actor, action="request.comment", obj=request)
    return comment


# --------------------------------------------------------------------------- convoys
# A convoy (``logistics``) moves the goods and posts them through the ledger; these
# record on the request lines what it carried, delivered and brought back, each through
# the request's own workflow check.


def request_recall(*, actor: Actor, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="recall", reason=note)
        return _set_status(actor=actor, request=request, name="recall", target=target, reason=note)


def _lines_by_request(moves: Mapping[uuid.UUID, Decimal]) -> dict[uuid.UUID, list[RequestLine]]:
    lines = RequestLine.objects.select_for_update(of=("self",)).filter(pk__in=list(moves))
    grouped: dict[uuid.UUID, list[RequestLine]] = {}
    for line in lines.order_by("request_id", "pk"):
        grouped.setdefault(line.request_id, []).append(line)
    return grouped


def request_lines_dispatched(
    *, actor: Actor, moves: Mapping[uuid.UUID, Decimal], reference: str = ""
) -> list[Request]:
    """Goods for these request lines (``{line_id: quantity}``) left on a convoy, which
    posted them out of stock: each line's dispatched quantity grows and its request
    takes the ``dispatch`` step (checked per request)."""
    changed = []
    with transaction.atomic():
        for request_id, lines in _lines_by_request(moves).items():
            request = _locked(Request(pk=request_id))
            target = _transition_check(actor=actor, request=request, name="dispatch")
            for line in lines:
                line.quantity_dispatched += moves[line.pk]
            RequestLine.objects.bulk_update(lines, ["quantity_dispatched"])
            changed.append(
                _set_status(
                    actor=actor,
                    request=request,
                    name="dispatch",
                    target=target,
                    extra={"reference": reference, "sent": {str(x.pk): moves[x.pk] for x in lines}},
                )
            )
    return changed


def request_lines_delivered(
    *, actor: Actor, moves: Mapping[uuid.UUID, Decimal], note: str = ""
) -> list[Request]:
    """Receivers confirmed these quantities (``{line_id: quantity}``, zero allowed): the
    ``deliver`` step per request (delivered, or partially delivered)."""
    changed = []
    for request_id in _lines_by_request(moves):
        # Lines of the request this confirmation does not cover received nothing now.
        every_line = RequestLine.objects.filter(request_id=request_id).values_list("pk", flat=True)
        changed.append(
            request_deliver(
                actor=actor,
                request=Request(pk=request_id),
                quantities={pk: moves.get(pk, ZERO) for pk in every_line},
                note=note,
            )
        )
    return changed


def request_lines_returned(
    *, actor: Actor, moves: Mapping[uuid.UUID, Decimal], reason: str = ""
) -> list[Request]:
    """Dispatched goods came back undelivered (``{line_id: quantity}``): the dispatched
    quantity shrinks; a request with nothing left on the road or delivered goes back to
    approved (``recall``)."""
    changed = []
    with transaction.atomic():
        for request_id, lines in _lines_by_request(moves).items():
            request = _locked(Request(pk=request_id))
            require_write(actor, A.REQUEST_DISPATCH, area=request.area, organisation=UNSCOPED)
            for line in lines:
                line.quantity_dispatched = max(line.quantity_dispatched - moves[line.pk], ZERO)
            RequestLine.objects.bulk_update(lines, ["quantity_dispatched"])
            audit_record(
                actor=actor,
                action="request.goods_returned",
                obj=request,
                after={"reason": reason, "returned": {str(x.pk): moves[x.pk] for x in lines}},
            )
            if request.status == S.DISPATCHED and not any(
                x.quantity_dispatched or x.quantity_delivered for x in request.lines.all()
            ):
                request = request_recall(actor=actor, request=request, note=reason)
            changed.append(request)
    return changed

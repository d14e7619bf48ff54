"""Requests: submission, duplicate check, bulk import, the workflow and comments.

The workflow is the table :data:`TRANSITIONS` checked in one function,
:func:`_transition_check`; each transition is its own service with its own permission,
checked in the request's area (and, for ``own_organisation`` transitions, for the
request's organisation)::

    draft → submitted → verified → approved → planned → dispatched →
        partially delivered / delivered → closed
    rejected (from submitted, verified, approved) and cancelled (before dispatch) need a reason
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.locks import advisory_locks
from reliefops.core.permissions import require, user_can
from reliefops.needs.choices import (
    OPEN_STATUSES,
    Priority,
    RequesterKind,
    RequestSource,
    RequestStatus,
)
from reliefops.needs.models import (
    Request,
    RequestComment,
    RequestLine,
)
from reliefops.stock.choices import LedgerReason

S = RequestStatus
ZERO = Decimal("0")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("This request cannot take that step in its current status.")


class PossibleDuplicate(Conflict):
    code = "possible_duplicate"
    default_message = _(
        "An open request from the same requester for the same item and overlapping dates "
        "exists. Check it, then confirm to submit anyway."
    )


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    action: str
    own_organisation: bool = False
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, "request.submit", True),
    "verify": Transition(frozenset({S.SUBMITTED}), S.VERIFIED, "request.verify"),
    "approve": Transition(frozenset({S.VERIFIED}), S.APPROVED, "request.approve"),
    "reject": Transition(
        frozenset({S.SUBMITTED, S.VERIFIED, S.APPROVED}),
        S.REJECTED,
        "request.reject",
        needs_reason=True,
    ),
    "cancel": Transition(
        frozenset({S.DRAFT, S.SUBMITTED, S.VERIFIED, S.APPROVED, S.PLANNED}),
        S.CANCELLED,
        "request.cancel",
        True,
        needs_reason=True,
    ),
    "plan": Transition(frozenset({S.APPROVED, S.PLANNED}), S.PLANNED, "request.plan"),
    "dispatch": Transition(
        frozenset({S.APPROVED, S.PLANNED, S.DISPATCHED, S.PARTIALLY_DELIVERED}),
        S.DISPATCHED,
        "request.dispatch",
    ),
    # The target of "deliver" is decided by the delivered quantities (partial or full).
    "deliver": Transition(
        frozenset({S.DISPATCHED, S.PARTIALLY_DELIVERED}), S.DELIVERED, "request.deliver"
    ),
    "close": Transition(frozenset({S.DELIVERED, S.PARTIALLY_DELIVERED}), S.CLOSED, "request.close"),
}


def transitions_allowed(*, actor: Any, request: Request) -> list[str]:
    """Names of the steps ``actor`` may take on ``request`` now (for buttons)."""
    return [
        name
        for name, t in TRANSITIONS.items()
        if request.status in t.sources
        and user_can(
            actor,
            t.action,
            area=request.area,
            organisation=request.organisation if t.own_organisation else None,
        )
    ]


#: What each step is called on buttons and in messages.
STEP_LABELS = {
    "submit": _("Submit"),
    "verify": _("Verify"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "cancel": _("Cancel request"),
    "plan": _("Mark planned"),
    "dispatch": _("Dispatch"),
    "deliver": _("Confirm delivery"),
    "close": _("Close"),
}


def _transition_check(*, actor: Any, request: Request, name: str, reason: str = "") -> str:
    """The one place that checks a workflow step: permission, state, reason."""
    step = TRANSITIONS[name]
    require(
        actor,
        step.action,
        area=request.area,
        organisation=request.organisation if step.own_organisation else None,
    )
    if request.status not in step.sources:
        raise InvalidTransition(
            _("The step “%(step)s” is not possible for a %(status)s request.")
            % {"status": request.get_status_display().lower(), "step": STEP_LABELS.get(name, name)},
            status=request.status,
            step=name,
        )
    if step.needs_reason and not reason.strip():
        raise InvalidInput(_("Give a reason."), field="reason")
    return step.target


def _set_status(
    *,
    actor: Any,
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
    request.updated_by = actor
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
    return request


def _locked(request: Request) -> Request:
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("area", "organisation")
        .get(pk=request.pk)
    )


# --------------------------------------------------------------------------- submit


@dataclass(frozen=True)
class LineInput:
    """A requested line: an item (its unit by default) or a service, and a quantity."""

    quantity: Decimal
    item: Any = None
    service_type: str = ""
    unit: str = ""


@dataclass
class RequestInput:
    requester_kind: str
    organisation: Any
    lines: Sequence[LineInput]
    needed_from: dt.date
    needed_by: dt.date
    place: Any = None
    facility: Any = None
    priority: str = Priority.ROUTINE
    justification: str = ""
    source: str = RequestSource.PARTNER
    decision_reference: str = ""
    people_count: int | None = None
    reference: str = ""
    status: str = S.SUBMITTED
    planned: Sequence[tuple[Decimal, Decimal, Decimal]] = field(default_factory=tuple)


def request_reference_new(day: dt.date | None = None) -> str:
    day = day or timezone.localdate()
    return f"REQ-{day:%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"


def _validate_request(data: RequestInput) -> tuple[Any, Any]:
    """Check a request's own data; return (place, area)."""
    if data.requester_kind not in RequesterKind.values:
        raise InvalidInput(field="requester_kind")
    facility = data.facility
    place = data.place or (facility.place if facility is not None else None)
    if data.requester_kind == RequesterKind.FACILITY and facility is None:
        raise InvalidInput(_("Choose the facility the request is for."), field="facility")
    if place is None:
        raise InvalidInput(_("Choose the place the request is for."), field="place")
    if data.requester_kind == RequesterKind.PEOPLE and not data.people_count:
        raise InvalidInput(_("Give the number of people in the group."), field="people_count")
    if data.needed_by < data.needed_from:
        raise InvalidInput(_("'Needed by' is before 'needed from'."), field="needed_by")
    if not data.lines:
        raise InvalidInput(_("A request needs at least one line."), field="lines")
    for line in data.lines:
        if line.quantity is None or line.quantity <= 0:
            raise InvalidInput(_("Quantities must be greater than zero."), field="quantity")
        if line.item is None and not line.service_type:
            raise InvalidInput(_("Each line needs an item or a service."), field="item")
    if data.priority not in Priority.values or data.source not in RequestSource.values:
        raise InvalidInput(field="priority")
    return place, place.admin1


def _requester(data: RequestInput, place: Any) -> tuple[object, ...]:
    """What makes two requests "from the same requester" (see :func:`request_duplicates`)."""
    if data.facility is not None:
        return ("facility", data.facility.pk)
    return ("place", place.pk, data.requester_kind, getattr(data.organisation, "pk", None))


def request_duplicates(*, data: RequestInput, place: Any, lock: bool = False) -> list[Request]:
    """Open requests from the same requester for one of the same items, dates overlapping.

    With ``lock`` (inside a transaction) first take one advisory lock per (requester,
    item), so that concurrent submissions that could duplicate each other queue here and
    each one sees what the previous one committed (see :mod:`reliefops.core.locks`).
    """
    items = [line.item.pk for line in data.lines if line.item is not None]
    if not items:
        return []
    if lock:
        requester = _requester(data, place)
        advisory_locks(("needs.request.duplicate", *requester, item) for item in items)
    same_requester = (
        Q(facility=data.facility)
        if data.facility is not None
        else Q(
            place=place,
            facility=None,
            requester_kind=data.requester_kind,
            organisation=data.organisation,
        )
    )
    return list(
        Request.objects.filter(
            same_requester,
            status__in=OPEN_STATUSES | {S.DRAFT},
            needed_from__lte=data.needed_by,
            needed_by__gte=data.needed_from,
            lines__item__in=items,
        )
        .distinct()
        .order_by("needed_from")
    )


def request_submit(*, actor: Any, data: RequestInput, confirm_duplicate: bool = False) -> Request:
    """Create a request (status ``submitted``, or ``draft`` from an estimator).

    Raises :class:`PossibleDuplicate` (with the duplicates' references) unless
    ``confirm_duplicate``: the page shows the warning and asks to confirm. The check and
    the insert are serialised per (requester, item) by an advisory lock held until commit,
    so concurrent identical submissions cannot both pass the check (PostgreSQL; SQLite
    serialises writers itself).
    """
    place, area = _validate_request(data)
    require(actor, "request.submit", area=area, organisation=data.organisation)
    if data.status not in {S.SUBMITTED, S.DRAFT}:
        raise InvalidInput(status=data.status)
    with transaction.atomic():
        # Locked: 50 identical submissions at once make one request and 49 warnings.
        duplicates = request_duplicates(data=data, place=place, lock=True)
        if duplicates and not confirm_duplicate:
            raise PossibleDuplicate(duplicates=[d.reference for d in duplicates])
        request = Request.objects.create(
            **_request_fields(data=data, place=place, area=area, actor=actor, now=timezone.now())
        )
        RequestLine.objects.bulk_create(
            [
                RequestLine(
                    request=request,
                    item=line.item,
                    service_type=line.service_type,
                    quantity=line.quantity,
                    unit=line.unit or (line.item.unit if line.item is not None else "service"),
                    created_by=actor,
                )
                for line in data.lines
            ]
        )
        audit_record(
            actor=actor,
            action="request.create",
            obj=request,
            after={
                "status": request.status,
                "lines": len(data.lines),
                "duplicates_confirmed": [d.reference for d in duplicates],
            },
        )
    return request


def _request_fields(
    *, data: RequestInput, place: Any, area: Any, actor: Any, now: Any
) -> dict[str, Any]:
    """The columns of a new request from validated input (single create and bulk import)."""
    return {
        "reference": data.reference or request_reference_new(),
        "requester_kind": data.requester_kind,
        "facility": data.facility,
        "place": place,
        "area": area,
        "organisation": data.organisation,
        "people_count": data.people_count,
        "priority": data.priority,
        "needed_from": data.needed_from,
        "needed_by": data.needed_by,
        "justification": data.justification,
        "source": data.source,
        "decision_reference": data.decision_reference,
        "status": data.status,
        "status_changed_at": now,
        "created_by": actor,
        "updated_by": actor,
    }


def request_import_bulk(*, actor: Any, requests: Sequence[RequestInput]) -> int:
    """Create many requests with their lines (imports; inside the import's transaction).

    A status other than submitted/draft (moving records from another system) needs the
    approver's right in the request's area. Returns the number of lines written.
    """
    checked: set[tuple[Any, Any, str]] = set()
    rows, lines = [], []
    now = timezone.now()
    for data in requests:
        place, area = _validate_request(data)
        key = (getattr(area, "pk", None), data.organisation.pk, data.status)
        if key not in checked:
            require(actor, "request.submit", area=area, organisation=data.organisation)
            if data.status not in {S.SUBMITTED, S.DRAFT}:
                require(actor, "request.approve", area=area)
            checked.add(key)
        request = Request(
            id=uuid.uuid4(),
            **_request_fields(data=data, place=place, area=area, actor=actor, now=now),
        )
        rows.append(request)
        for i, line in enumerate(data.lines):
            planned = data.planned[i] if i < len(data.planned) else (ZERO, ZERO, ZERO)
            lines.append(
                RequestLine(
                    request=request,
                    item=line.item,
                    service_type=line.service_type,
                    quantity=line.quantity,
                    unit=line.unit or (line.item.unit if line.item is not None else "service"),
                    quantity_planned=planned[0],
                    quantity_dispatched=planned[1],
                    quantity_delivered=planned[2],
                    created_by=actor,
                )
            )
    Request.objects.bulk_create(rows, batch_size=1000)
    RequestLine.objects.bulk_create(lines, batch_size=1000)
    audit_record(
        actor=actor, action="request.import", after={"requests": len(rows), "lines": len(lines)}
    )
    return len(lines)


# --------------------------------------------------------------------------- workflow


def request_submit_draft(*, actor: Any, request: Request) -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="submit")
        return _set_status(actor=actor, request=request, name="submit", target=target)


def request_verify(*, actor: Any, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="verify")
        return _set_status(actor=actor, request=request, name="verify", target=target, reason=note)


def request_approve(*, actor: Any, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="approve")
        return _set_status(actor=actor, request=request, name="approve", target=target, reason=note)


def request_reject(*, actor: Any, request: Request, reason: str) -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="reject", reason=reason)
        return _set_status(
            actor=actor, request=request, name="reject", target=target, reason=reason
        )


def request_cancel(*, actor: Any, request: Request, reason: str) -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="cancel", reason=reason)
        return _set_status(
            actor=actor, request=request, name="cancel", target=target, reason=reason
        )


def request_plan(
    *, actor: Any, request: Request, quantities: Mapping[uuid.UUID, Decimal] | None = None
) -> Request:
    """Mark lines as planned (``{line_id: quantity}``; default: everything remaining)."""
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="plan")
        lines = list(request.lines.select_for_update())
        for line in lines:
            planned = (quantities or {}).get(line.pk, line.quantity - line.quantity_delivered)
            if planned < 0 or planned > line.quantity:
                raise InvalidInput(_("Planned quantity out of range."), line=line.pk)
            line.quantity_planned = planned
        RequestLine.objects.bulk_update(lines, ["quantity_planned"])
        return _set_status(
            actor=actor,
            request=request,
            name="plan",
            target=target,
            extra={"planned": {str(x.pk): x.quantity_planned for x in lines}},
        )


def request_dispatch(
    *,
    actor: Any,
    request: Request,
    warehouse: Any,
    quantities: Mapping[uuid.UUID, Decimal] | None = None,
    reference: str = "",
) -> Request:
    """Send goods for the request from ``warehouse``: stock leaves through the ledger
    (FEFO, locked) and each line's dispatched quantity grows. Default: what is left."""
    from reliefops.stock.services import stock_dispatch

    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="dispatch")
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
    actor: Any,
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
                raise InvalidInput(_("More delivered than dispatched."), line=line.pk)
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


def request_close(*, actor: Any, request: Request, note: str = "") -> Request:
    with transaction.atomic():
        request = _locked(request)
        target = _transition_check(actor=actor, request=request, name="close")
        return _set_status(actor=actor, request=request, name="close", target=target, reason=note)


def request_comment_add(*, actor: Any, request: Request, text: str) -> RequestComment:
    require(actor, "view", area=request.area)
    if not text.strip():
        raise InvalidInput(_("The comment is empty."), field="text")
    with transaction.atomic():
        comment = RequestComment.objects.create(
            request=request, author=actor, text=text, created_by=actor
        )
        audit_record(actor=actor, action="request.comment", obj=request)
    return comment

"""Requests: submission, the duplicate check and bulk import (the workflow: ``steps``).

A request belongs to one area, its facility's place's (or its place's) level-1 area; the
actor must be allowed ``request.submit`` there and for the request's organisation, so
nobody records a request for a facility or place outside their areas.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.locks import advisory_locks
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.needs.choices import (
    OPEN_STATUSES,
    Priority,
    RequesterKind,
    RequestSource,
    RequestStatus,
)
from reliefops.needs.fields import REQUEST
from reliefops.needs.models import Request, RequestLine
from reliefops.needs.notices import request_awaiting_notify
from reliefops.needs.selectors import heating_fuel_items, request_sources_allowed
from reliefops.needs.services.steps import REQUEST_WORKFLOW, request_transition

S = RequestStatus
ZERO = Decimal("0")


class HeatingFuelMismatch(Conflict):
    code = "heating_fuel_mismatch"
    default_message = _(
        "The facility's record says it heats with another fuel. Check the item, then "
        "confirm to submit anyway."
    )


class PossibleDuplicate(Conflict):
    code = "possible_duplicate"
    default_message = _(
        "An open request from the same requester for the same item and overlapping dates "
        "exists. Check it, then confirm to submit anyway."
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
    """A request to record: an attribute per stored field of ``needs.fields.REQUEST`` (the
    reference is the key: blank for a new one), its lines, and for an import the planned,
    dispatched and delivered quantities per line."""

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


def request_problems(data: RequestInput) -> dict[str, list[Any]]:
    """Everything wrong with a request's own data, per field, all at once (no writes).

    Keys are the input's field names; a line's are ``lines.<index>.<attribute>``
    (``lines.0.quantity``), so a form can show each message next to its field. Values the
    caller could not parse may be ``None``: their checks are skipped.
    """
    problems: dict[str, list[Any]] = {}

    def add(name: str, message: Any) -> None:
        problems.setdefault(name, []).append(message)

    if data.requester_kind not in RequesterKind.values:
        add("requester_kind", _("Choose who the request is for."))
    facility = data.facility
    if facility is not None and data.place is not None and data.place.pk != facility.place_id:
        add("place", _("The facility is not at this place."))
    if data.requester_kind == RequesterKind.FACILITY and facility is None:
        add("facility", _("Choose the facility the request is for."))
    elif facility is None and data.place is None:
        add("place", _("Choose the place the request is for."))
    if data.requester_kind == RequesterKind.PEOPLE and not data.people_count:
        add("people_count", _("Give the number of people in the group."))
    if data.needed_from and data.needed_by and data.needed_by < data.needed_from:
        add("needed_by", _("'Needed by' is before 'needed from'."))
    if not data.lines:
        add("lines", _("A request needs at least one line."))
    for i, line in enumerate(data.lines):
        if line.quantity is None or line.quantity <= 0:
            add(f"lines.{i}.quantity", _("Quantities must be greater than zero."))
        if line.item is None and not line.service_type:
            add(f"lines.{i}.item", _("Each line needs an item or a service."))
    if data.priority not in Priority.values:
        add("priority", _("Choose a priority."))
    if data.source not in RequestSource.values:
        add("source", _("Choose a source."))
    return problems


def _validate_request(data: RequestInput) -> tuple[Any, Any]:
    """Check a request's own data (:func:`request_problems`); return (place, area).

    A request for a facility is at the facility's place: naming another place as well is
    refused, so the request's area is the facility's (duplicates and scope agree). The error
    names the first field (``field``, a line's attribute without its index) and carries every
    problem (``fields``).
    """
    problems = request_problems(data)
    if problems:
        first, messages = next(iter(problems.items()))
        raise InvalidInput(messages[0], field=first.rsplit(".", 1)[-1], fields=problems)
    place = data.facility.place if data.facility is not None else data.place
    return place, place.admin1


def request_source_check(*, actor: Actor, source: str) -> None:
    """Only those who run the estimators record a request as an estimator's draft."""
    if source not in request_sources_allowed(actor=actor):
        raise InvalidInput(
            _("Only the estimators create requests with this source."), field="source"
        )


def request_fuel_mismatches(*, data: RequestInput) -> list[Any]:
    """The heating-fuel items of ``data`` that are not the fuel its facility heats with
    (the facility's ``heating_fuel``; none is checked when that is unknown)."""
    facility = data.facility
    fuel = getattr(facility, "heating_fuel", "") if facility is not None else ""
    if not fuel:
        return []
    by_fuel = heating_fuel_items()
    fuel_items = {item.pk for item in by_fuel.values() if item is not None}
    expected = by_fuel.get(fuel)
    return [
        line.item
        for line in data.lines
        if line.item is not None
        and line.item.pk in fuel_items
        and (expected is None or line.item.pk != expected.pk)
    ]


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


def request_submit(
    *,
    actor: Actor,
    data: RequestInput,
    confirm_duplicate: bool = False,
    confirm_fuel: bool = False,
) -> Request:
    """Create a request (status ``submitted``, or ``draft`` from an estimator).

    ``request.submit`` in the request's area (that of the facility or place named) and for
    its organisation; the source "estimator" only for those who run the estimators.
    Raises :class:`HeatingFuelMismatch` (with the items and the facility's fuel) unless
    ``confirm_fuel``, and :class:`PossibleDuplicate` (with the duplicates' references)
    unless ``confirm_duplicate``: the page shows the warning and asks to confirm. The check and
    the insert are serialised per (requester, item) by an advisory lock held until commit,
    so concurrent identical submissions cannot both pass the check (PostgreSQL; SQLite
    serialises writers itself).
    """
    place, area = _validate_request(data)
    require_write(actor, Action.REQUEST_SUBMIT, area=area, organisation=data.organisation)
    if data.status not in REQUEST_WORKFLOW.initial:
        raise InvalidInput(status=data.status)
    request_source_check(actor=actor, source=data.source)
    mismatched = request_fuel_mismatches(data=data)
    if mismatched and not confirm_fuel:
        raise HeatingFuelMismatch(
            items=[item.code for item in mismatched],
            heating_fuel=data.facility.heating_fuel,
            heating_fuel_label=str(data.facility.get_heating_fuel_display()),
            field="lines",
        )
    with transaction.atomic():
        # Locked: 50 identical submissions at once make one request and 49 warnings.
        duplicates = request_duplicates(data=data, place=place, lock=True)
        if duplicates and not confirm_duplicate:
            raise PossibleDuplicate(
                duplicates=[d.reference for d in duplicates],
                duplicate_requests=[(d.reference, str(d.pk)) for d in duplicates],
            )
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
                    created_by=actor_user(actor),
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
        request_awaiting_notify(actor=actor, request=request, workflow=REQUEST_WORKFLOW)
    return request


REQUEST_FIELDS = REQUEST.stored_names()
"""The request attributes a submission or an import sets from its input (``needs.fields``)."""


def _request_fields(
    *, data: RequestInput, place: Any, area: Any, actor: Actor, now: Any
) -> dict[str, Any]:
    """The columns of a new request from validated input (single create and bulk import):
    the declared fields, then what the service decides (reference, place, area, authors)."""
    return {
        **{name: getattr(data, name) for name in REQUEST_FIELDS},
        "reference": data.reference or request_reference_new(),
        "place": place,
        "area": area,
        "status_changed_at": now,
        "created_by": actor_user(actor),
        "updated_by": actor_user(actor),
    }


def request_import_check(*, actor: Actor, data: RequestInput) -> tuple[Any, Any]:
    """Everything an imported request must pass before it is written; returns (place, area).

    The submitter's right in the request's area and for its organisation, and — for a
    request that starts in a later status (records moved from another system) — each
    workflow step up to that status, as if taken one by one (:meth:`Workflow.check_new`):
    a status reached only by its own service (dispatched, delivered …) is refused, and so
    are dispatched or delivered quantities, which only those steps record.
    """
    place, area = _validate_request(data)
    require_write(actor, Action.REQUEST_SUBMIT, area=area, organisation=data.organisation)
    record = Request(area=area, organisation=data.organisation, status=data.status)
    REQUEST_WORKFLOW.check_new(actor=actor, record=record, status=data.status)
    for _planned, dispatched, delivered in data.planned:
        if dispatched or delivered:
            raise InvalidInput(
                _("Dispatched and delivered quantities are recorded by those steps."),
                field="quantity_dispatched" if dispatched else "quantity_delivered",
            )
    return place, area


def request_import_bulk(*, actor: Actor, requests: Sequence[RequestInput]) -> int:
    """Create many requests with their lines (imports; inside the import's transaction).

    Each request passes :func:`request_import_check` (the importer reports the same checks
    per row). Returns the number of lines written.
    """
    rows, lines = [], []
    now = timezone.now()
    author = actor_user(actor)
    for data in requests:
        place, area = request_import_check(actor=actor, data=data)
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
                    created_by=author,
                )
            )
    Request.objects.bulk_create(rows, batch_size=1000)
    RequestLine.objects.bulk_create(lines, batch_size=1000)
    audit_record(
        actor=actor, action="request.import", after={"requests": len(rows), "lines": len(lines)}
    )
    return len(lines)


# --- added for imports
#: Statuses in which an import may change a request's details and lines (later, the
#: quantities are what was approved, planned or sent: they move only through the steps).
IMPORT_EDITABLE = frozenset({S.DRAFT, S.SUBMITTED, S.VERIFIED})
_PROGRESS = ("quantity_planned", "quantity_dispatched", "quantity_delivered")


def _line_key(item: Any, service_type: str) -> tuple[Any, str]:
    return (item.pk if item is not None else None, service_type or "")


def request_import_changes(
    *, request: Request, data: RequestInput, place: Any
) -> tuple[dict[str, tuple[Any, Any]], list[tuple[RequestLine | None, int]]]:
    """What writing ``data`` would change on ``request``: ``({field: (old, new)}, [(the
    stored line or None for a new one, index of the input line)])`` — lines are matched
    by item (or service); lines the input does not name are kept."""
    header = {}
    for name in REQUEST_FIELDS:
        if name == "status":
            continue
        old = getattr(request, name)
        new = place if name == "place" else getattr(data, name)
        if getattr(old, "pk", old) != getattr(new, "pk", new) and not (
            old in (None, "") and new in (None, "")
        ):
            header[name] = (old, new)
    stored = {_line_key(line.item, line.service_type): line for line in request.lines.all()}
    lines: list[tuple[RequestLine | None, int]] = []
    for i, line in enumerate(data.lines):
        existing = stored.get(_line_key(line.item, line.service_type))
        planned = data.planned[i] if i < len(data.planned) else None
        if existing is None:
            lines.append((None, i))
            continue
        if planned is not None and any(
            getattr(existing, f) != value for f, value in zip(_PROGRESS, planned, strict=True)
        ):
            raise InvalidInput(
                _("Planned, dispatched and delivered quantities are recorded by the steps."),
                field="quantity_planned",
            )
        if existing.quantity != line.quantity or (line.unit and existing.unit != line.unit):
            lines.append((existing, i))
    return header, lines


def request_import_update_check(
    *, actor: Actor, request: Request, data: RequestInput
) -> str | None:
    """Everything an import's change of an existing request must pass; returns the
    workflow step its status change takes (None when the status stays).

    A change of details or lines needs ``request.submit`` where the request is and where
    it goes (area and organisation: ``require_write`` with ``new_area`` /
    ``new_organisation``) and a request still open to edits (:data:`IMPORT_EDITABLE`). A
    status change is ONE step of :data:`REQUEST_WORKFLOW`, checked like a bulk change
    (no service-only step, the step's permission, a reason where the step needs one).
    """
    place, area = _validate_request(data)
    header, lines = request_import_changes(request=request, data=data, place=place)
    if header or lines:
        require_write(
            actor,
            Action.REQUEST_SUBMIT,
            area=request.area,
            organisation=request.organisation,
            new_area=area,
            new_organisation=data.organisation,
        )
        if request.status not in IMPORT_EDITABLE:
            raise InvalidInput(
                _(
                    "A request's details and quantities change only while it is a draft, "
                    "submitted or verified."
                ),
                field="quantity" if lines else next(iter(header)),
            )
    if str(data.status) == request.status:
        return None
    step, _t = REQUEST_WORKFLOW.check(actor=actor, record=request, to=data.status, bulk=True)
    return step


def request_import_update(*, actor: Actor, request: Request, data: RequestInput) -> int:
    """Change an existing request from an import row group (inside the import's
    transaction): details, changed line quantities and units, new lines, then the status
    step through :func:`~reliefops.needs.services.steps.request_transition`. Returns 1
    when something was written, else 0."""
    with transaction.atomic():
        request = (
            Request.objects.select_for_update(of=("self",))
            .select_related("area", "organisation", "facility", "place")
            .get(pk=request.pk)
        )
        step = request_import_update_check(actor=actor, request=request, data=data)
        place, area = _validate_request(data)
        header, lines = request_import_changes(request=request, data=data, place=place)
        author = actor_user(actor)
        if header:
            for name, (_old, new) in header.items():
                setattr(request, name, new)
            request.area = area
            request.updated_by = author
            request.save(update_fields=[*header, "area", "updated_by", "updated_at"])
        for stored, i in lines:
            line = data.lines[i]
            if stored is None:
                RequestLine.objects.create(
                    request=request,
                    item=line.item,
                    service_type=line.service_type,
                    quantity=line.quantity,
                    unit=line.unit or (line.item.unit if line.item is not None else "service"),
                    created_by=author,
                )
            else:
                stored.quantity = line.quantity
                stored.unit = line.unit or stored.unit
                stored.updated_by = author
                stored.save(update_fields=["quantity", "unit", "updated_by", "updated_at"])
        if header or lines:
            audit_record(
                actor=actor,
                action="request.import_update",
                obj=request,
                before={k: str(getattr(o, "pk", o)) for k, (o, _n) in header.items()},
                after={
                    **{k: str(getattr(n, "pk", n)) for k, (_o, n) in header.items()},
                    "lines": len(lines),
                },
            )
        if step is not None:
            request_transition(actor=actor, request=request, step=step)
    return 1 if (header or lines or step) else 0

"""Pledges: promised supplies in the pipeline until received into stock.

The workflow is :data:`PLEDGE_WORKFLOW` (one check, :meth:`Workflow.check`, for single
and bulk status changes)::

    pledged → in transit → received (only by pledge_receive: a stock receipt)
    pledged / in transit → cancelled

A pledge is the donor's: ``pledge.edit`` for the donor organisation and, when it names a
destination warehouse, in that warehouse's area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, Area, actor_user, require_write
from reliefops.core.workflow import Transition, Workflow
from reliefops.stock.choices import (
    LedgerReason,
    PledgeStatus,
)
from reliefops.stock.fields import PLEDGE
from reliefops.stock.models import (
    Item,
    Pledge,
    StockTransaction,
    Warehouse,
)
from reliefops.stock.services.ledger import _positive
from reliefops.stock.services.movements import stock_receive

P = PledgeStatus
#: What an upsert sets on a pledge found by its key (donor, reference).
PLEDGE_FIELDS = PLEDGE.stored_names()


def warehouse_area(warehouse: Warehouse | None) -> Area:
    """The area a pledge is scoped by: its destination's (no destination: not area-bound)."""
    if warehouse is None:
        return UNSCOPED
    area: Area = warehouse.facility.place.admin1
    return area


PLEDGE_WORKFLOW = Workflow(
    name="pledge",
    states=PledgeStatus,
    initial={P.PLEDGED, P.IN_TRANSIT},
    scope=lambda pledge: (warehouse_area(pledge.warehouse), pledge.donor),
    invalid_message=_("A %(from)s pledge cannot become %(to)s."),
    transitions={
        "ship": Transition(
            {P.PLEDGED}, P.IN_TRANSIT, Action.PLEDGE_EDIT, _("In transit"), own_organisation=True
        ),
        "receive": Transition(
            {P.PLEDGED, P.IN_TRANSIT},
            P.RECEIVED,
            Action.STOCK_RECEIVE,
            _("Received"),
            service_only=_("Receive a pledge by recording the receipt."),
        ),
        "cancel": Transition(
            {P.PLEDGED, P.IN_TRANSIT},
            P.CANCELLED,
            Action.PLEDGE_EDIT,
            _("Cancelled"),
            own_organisation=True,
        ),
    },
)
#: State → the states it may move to (the table above, as the pages and docs show it).
PLEDGE_TRANSITIONS: dict[str, set[str]] = {
    status: set(PLEDGE_WORKFLOW.next_states(status).values()) for status in PledgeStatus.values
}


def pledge_create(
    *,
    actor: Actor,
    donor: Any,
    item: Item,
    quantity: Decimal,
    expected_date: dt.date,
    warehouse: Warehouse | None = None,
    reference: str = "",
    notes: str = "",
    status: str = PledgeStatus.PLEDGED,
) -> Pledge:
    require_write(actor, Action.PLEDGE_EDIT, area=warehouse_area(warehouse), organisation=donor)
    if status not in PLEDGE_WORKFLOW.initial:
        raise InvalidInput(_("A new pledge is pledged or in transit."), status=status)
    with transaction.atomic():
        pledge = Pledge.objects.create(
            donor=donor,
            item=item,
            quantity=_positive(quantity),
            expected_date=expected_date,
            warehouse=warehouse,
            reference=reference,
            notes=notes,
            status=status,
            created_by=actor_user(actor),
            updated_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="pledge.create",
            obj=pledge,
            after={"item": item.code, "quantity": quantity, "expected_date": expected_date},
        )
    return pledge


def pledge_set_status(*, actor: Actor, pledge: Pledge, status: str) -> Pledge:
    """Move a pledge along (in transit, cancelled). Receiving goes through pledge_receive."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update(of=("self",)).get(pk=pledge.pk)
        PLEDGE_WORKFLOW.check(actor=actor, record=pledge, to=status, bulk=True)
        before = pledge.status
        pledge.status = status
        pledge.updated_by = actor_user(actor)
        pledge.save(update_fields=["status", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="pledge.status",
            obj=pledge,
            before={"status": before},
            after={"status": status},
        )
    return pledge


def pledge_receive(
    *,
    actor: Actor,
    pledge: Pledge,
    warehouse: Warehouse | None = None,
    quantity: Decimal | None = None,
    lot_code: str = "",
    expiry_date: dt.date | None = None,
    reference: str = "",
) -> StockTransaction:
    """The pledged goods arrive: a receipt linked to the pledge, which becomes received.

    ``stock.receive`` in the pledge's destination area and (by the receipt) at the
    receiving warehouse, in one transaction with the ledger line.
    """
    with transaction.atomic():
        pledge = (
            Pledge.objects.select_for_update(of=("self",))
            .select_related("warehouse__facility__place", "donor", "item")
            .get(pk=pledge.pk)
        )
        PLEDGE_WORKFLOW.check(actor=actor, record=pledge, step="receive")
        destination = warehouse or pledge.warehouse
        if destination is None:
            raise InvalidInput(_("Choose the warehouse receiving the goods."), field="warehouse")
        line = stock_receive(
            actor=actor,
            warehouse=destination,
            item=pledge.item,
            quantity=quantity or pledge.quantity,
            lot_code=lot_code,
            expiry_date=expiry_date,
            donor=pledge.donor,
            reason=LedgerReason.PLEDGE_RECEIVED,
            reference=reference or pledge.reference,
            pledge=pledge,
        )
        before = pledge.status
        pledge.status = PledgeStatus.RECEIVED
        pledge.updated_by = actor_user(actor)
        pledge.save(update_fields=["status", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="pledge.status",
            obj=pledge,
            before={"status": before},
            after={"status": PledgeStatus.RECEIVED, "receipt": str(line.pk)},
        )
    return line


def pledge_import_check(*, actor: Actor, row: Mapping[str, Any], existing: Pledge | None) -> None:
    """What an imported pledge row must pass (the importer reports it per row).

    ``pledge.edit`` for the donor in the destination's area — for a change, at the old
    destination and at the new one; a status change through :data:`PLEDGE_WORKFLOW`
    exactly as a single change (so ``received`` is refused: only :func:`pledge_receive`
    records the receipt that goes with it); a new pledge starts pledged or in transit, or
    cancelled along the cancel step.
    """
    new_area = warehouse_area(row["warehouse"])
    if existing is None:
        require_write(actor, Action.PLEDGE_EDIT, area=new_area, organisation=row["donor"])
        record = Pledge(donor=row["donor"], warehouse=row["warehouse"], status=row["status"])
        PLEDGE_WORKFLOW.check_new(actor=actor, record=record, status=row["status"])
        return
    require_write(
        actor,
        Action.PLEDGE_EDIT,
        area=warehouse_area(existing.warehouse),
        organisation=existing.donor,
        new_area=new_area,
        new_organisation=row["donor"],
    )
    if row["status"] != existing.status:
        PLEDGE_WORKFLOW.check(actor=actor, record=existing, to=row["status"], bulk=True)


def pledges_by_key(rows: Sequence[Mapping[str, Any]]) -> dict[tuple[Any, str], Pledge]:
    """Existing pledges of the rows, by (donor id, reference); rows without one are new."""
    references = [r["reference"] for r in rows if r["reference"]]
    return {
        (p.donor_id, p.reference): p
        for p in Pledge.objects.filter(reference__in=references).select_related(
            "donor", "warehouse__facility__place"
        )
    }


def pledge_upsert_bulk(*, actor: Actor, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create or update pledges by (donor, reference); for imports, inside a transaction.

    Every row passes :func:`pledge_import_check` first.
    """
    existing = pledges_by_key(rows)
    author = actor_user(actor)
    to_create, to_update = [], []
    for row in rows:
        pledge = existing.get((row["donor"].pk, row["reference"])) if row["reference"] else None
        pledge_import_check(actor=actor, row=row, existing=pledge)
        if pledge is None:
            to_create.append(
                Pledge(
                    donor=row["donor"],
                    reference=row["reference"],
                    created_by=author,
                    updated_by=author,
                    **{f: row[f] for f in PLEDGE_FIELDS},
                )
            )
        else:
            for f in PLEDGE_FIELDS:
                setattr(pledge, f, row[f])
            pledge.updated_by = author
            to_update.append(pledge)
    Pledge.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Pledge.objects.bulk_update(to_update, [*PLEDGE_FIELDS, "updated_by"], batch_size=1000)
    audit_record(
        actor=actor,
        action="pledge.upsert_bulk",
        after={"created": len(to_create), "updated": len(to_update)},
    )
    return len(rows)

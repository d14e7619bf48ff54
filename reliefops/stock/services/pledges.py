"""Pledges: promised supplies in the pipeline until received into stock."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import require
from reliefops.stock.choices import (
    PIPELINE_STATUSES,
    LedgerReason,
    PledgeStatus,
)
from reliefops.stock.models import (
    Item,
    Pledge,
    StockTransaction,
    Warehouse,
)
from reliefops.stock.services.ledger import _positive
from reliefops.stock.services.movements import stock_receive

# --------------------------------------------------------------------------- pledges


PLEDGE_TRANSITIONS: dict[str, set[str]] = {
    PledgeStatus.PLEDGED: {PledgeStatus.IN_TRANSIT, PledgeStatus.RECEIVED, PledgeStatus.CANCELLED},
    PledgeStatus.IN_TRANSIT: {PledgeStatus.RECEIVED, PledgeStatus.CANCELLED},
    PledgeStatus.RECEIVED: set(),
    PledgeStatus.CANCELLED: set(),
}


def pledge_create(
    *,
    actor: Any,
    donor: Any,
    item: Item,
    quantity: Decimal,
    expected_date: dt.date,
    warehouse: Warehouse | None = None,
    reference: str = "",
    notes: str = "",
    status: str = PledgeStatus.PLEDGED,
) -> Pledge:
    require(actor, "pledge.edit", organisation=donor)
    if status not in PIPELINE_STATUSES:
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
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor,
            action="pledge.create",
            obj=pledge,
            after={"item": item.code, "quantity": quantity, "expected_date": expected_date},
        )
    return pledge


def pledge_set_status(*, actor: Any, pledge: Pledge, status: str) -> Pledge:
    """Move a pledge along (in transit, cancelled). Receiving goes through pledge_receive."""
    require(actor, "pledge.edit", organisation=pledge.donor)
    if status == PledgeStatus.RECEIVED:
        raise InvalidInput(_("Receive a pledge by recording the receipt."), status=status)
    if status not in PLEDGE_TRANSITIONS[pledge.status]:
        raise Conflict(
            _("A %(from)s pledge cannot become %(to)s.")
            % {"from": PledgeStatus(pledge.status).label, "to": PledgeStatus(status).label},
            code="invalid_transition",
        )
    with transaction.atomic():
        before = pledge.status
        pledge.status = status
        pledge.updated_by = actor
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
    actor: Any,
    pledge: Pledge,
    warehouse: Warehouse | None = None,
    quantity: Decimal | None = None,
    lot_code: str = "",
    expiry_date: dt.date | None = None,
    reference: str = "",
) -> StockTransaction:
    """The pledged goods arrive: a receipt linked to the pledge, which becomes received."""
    if PledgeStatus.RECEIVED not in PLEDGE_TRANSITIONS[pledge.status]:
        raise Conflict(
            _("This pledge is %(status)s.") % {"status": PledgeStatus(pledge.status).label},
            code="invalid_transition",
        )
    destination = warehouse or pledge.warehouse
    if destination is None:
        raise InvalidInput(_("Choose the warehouse receiving the goods."), field="warehouse")
    with transaction.atomic():
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
        pledge.updated_by = actor
        pledge.save(update_fields=["status", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="pledge.status",
            obj=pledge,
            before={"status": before},
            after={"status": PledgeStatus.RECEIVED, "receipt": str(line.pk)},
        )
    return line


def pledge_upsert_bulk(*, actor: Any, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create or update pledges by (donor, reference); for imports, inside a transaction."""
    checked: set[uuid.UUID] = set()
    for row in rows:
        if row["donor"].pk not in checked:
            require(actor, "pledge.edit", organisation=row["donor"])
            checked.add(row["donor"].pk)
    existing = {
        (p.donor_id, p.reference): p
        for p in Pledge.objects.filter(
            reference__in=[r["reference"] for r in rows if r["reference"]]
        )
    }
    fields = ("item", "quantity", "expected_date", "warehouse", "status", "notes")
    to_create, to_update = [], []
    for row in rows:
        pledge = existing.get((row["donor"].pk, row["reference"])) if row["reference"] else None
        if pledge is None:
            to_create.append(
                Pledge(
                    donor=row["donor"],
                    reference=row["reference"],
                    created_by=actor,
                    updated_by=actor,
                    **{f: row[f] for f in fields},
                )
            )
        else:
            for f in fields:
                setattr(pledge, f, row[f])
            pledge.updated_by = actor
            to_update.append(pledge)
    Pledge.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Pledge.objects.bulk_update(to_update, [*fields, "updated_by"], batch_size=1000)
    audit_record(
        actor=actor,
        action="pledge.upsert_bulk",
        after={"created": len(to_create), "updated": len(to_update)},
    )
    return len(rows)

"""Reservations: stock held for a load being prepared, then issued or released.

A reservation raises ``StockBalance.reserved`` on the lots it picks (first expiry first
out, under the same row locks as every ledger post), so two loads of the same lot
serialise and cannot together hold more than is on hand; the ledger post refuses to
issue reserved stock to anybody else. Who holds what is the caller's record (a convoy's
consignment lines); the snapshot keeps only the total per lot.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict
from reliefops.core.permissions import Actor, require_write
from reliefops.stock.choices import TransactionKind
from reliefops.stock.models import Item, Lot, StockBalance, StockTransaction, Warehouse
from reliefops.stock.services.catalogue import _warehouse_scope
from reliefops.stock.services.ledger import (
    LedgerEntry,
    _balances_locked,
    _ledger_post,
    _positive,
)
from reliefops.stock.services.movements import _fefo_take


class ReservationMissing(Conflict):
    code = "reservation_missing"
    default_message = _("The stock to issue or release is not reserved (any more).")


@dataclass(frozen=True)
class Reserved:
    """``quantity`` of ``lot`` held at a warehouse (one pick of a reservation)."""

    lot: Lot
    quantity: Decimal


@dataclass(frozen=True)
class ReservedIssue:
    """One reserved pick to issue, with the request line it is for (if any)."""

    item_id: uuid.UUID
    lot_id: uuid.UUID
    quantity: Decimal
    request_line_id: uuid.UUID | None = None
    reference: str = ""


def stock_reserve(
    *,
    actor: Actor,
    warehouse: Warehouse,
    item: Item,
    quantity: Decimal,
    lot_code: str | None = None,
    reference: str = "",
) -> list[Reserved]:
    """Hold ``quantity`` of ``item`` at ``warehouse``: lots first-expiry-first-out (expired
    lots never), or lot ``lot_code`` only. ``stock.reserve`` in the warehouse's scope.
    Refused with :class:`InsufficientStock` when less is free than asked."""
    require_write(actor, Action.STOCK_RESERVE, **_warehouse_scope(warehouse))
    quantity = _positive(quantity)
    with transaction.atomic():
        picks = _fefo_take(warehouse=warehouse, item=item, quantity=quantity, lot_code=lot_code)
        for balance, take in picks:
            StockBalance.objects.filter(pk=balance.pk).update(reserved=balance.reserved + take)
        audit_record(
            actor=actor,
            action="stock.reserve",
            obj=warehouse,
            after={
                "item": item.code,
                "quantity": quantity,
                "lots": {b.lot.code or "-": take for b, take in picks},
                "reference": reference,
            },
        )
    return [Reserved(balance.lot, take) for balance, take in picks]


def _unreserve(
    warehouse: Warehouse, picks: Sequence[tuple[uuid.UUID, uuid.UUID, Decimal]]
) -> dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], StockBalance]:
    """Lock the picks' balance rows and lower their reservation; refuse what is not held."""
    keys = {(warehouse.pk, item_id, lot_id) for item_id, lot_id, _q in picks}
    balances = _balances_locked(keys)
    for item_id, lot_id, quantity in picks:
        balance = balances.get((warehouse.pk, item_id, lot_id))
        if balance is None or balance.reserved < quantity:
            raise ReservationMissing(
                warehouse=warehouse.code,
                lot=str(lot_id),
                reserved=balance.reserved if balance else 0,
                quantity=quantity,
            )
        balance.reserved -= quantity
    for balance in balances.values():
        StockBalance.objects.filter(pk=balance.pk).update(reserved=balance.reserved)
    return balances


def stock_reservation_release(
    *,
    actor: Actor,
    warehouse: Warehouse,
    picks: Sequence[tuple[uuid.UUID, uuid.UUID, Decimal]],
    reference: str = "",
) -> None:
    """Give back reserved ``(item_id, lot_id, quantity)`` picks (a load cancelled);
    ``stock.reserve``, like the reservation it undoes."""
    require_write(actor, Action.STOCK_RESERVE, **_warehouse_scope(warehouse))
    if not picks:
        return
    with transaction.atomic():
        _unreserve(warehouse, picks)
        audit_record(
            actor=actor,
            action="stock.release",
            obj=warehouse,
            after={"picks": len(picks), "reference": reference},
        )


def stock_issue_reserved(
    *,
    actor: Actor,
    warehouse: Warehouse,
    issues: Sequence[ReservedIssue],
    reason: str = "",
    reference: str = "",
) -> list[StockTransaction]:
    """Goods that were reserved leave ``warehouse``: the reservation is lowered and a
    ``dispatch`` line per pick is posted, in one transaction under the same row locks.
    A pick's own ``reference`` (a vehicle's tracking number) goes before ``reference``."""
    require_write(actor, Action.STOCK_DISPATCH, **_warehouse_scope(warehouse))
    if not issues:
        return []
    with transaction.atomic():
        balances = _unreserve(
            warehouse, [(i.item_id, i.lot_id, _positive(i.quantity)) for i in issues]
        )
        lines = _ledger_post(
            actor=actor,
            entries=[
                LedgerEntry(
                    TransactionKind.DISPATCH,
                    warehouse.pk,
                    issue.item_id,
                    issue.lot_id,
                    -issue.quantity,
                    reason,
                    issue.reference or reference,
                    request_line_id=issue.request_line_id,
                )
                for issue in issues
            ],
            locked=balances,
        )
        audit_record(
            actor=actor,
            action="stock.dispatch",
            obj=lines[0],
            after={"warehouse": warehouse.code, "lines": len(lines), "reference": reference},
        )
    return lines

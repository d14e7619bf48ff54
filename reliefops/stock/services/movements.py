"""Stock movements: receive, return, dispatch (FEFO), transfer, loss and counts.

Each posts through :func:`reliefops.stock.services.ledger._ledger_post`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
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
from reliefops.stock.choices import (
    TransactionKind,
)
from reliefops.stock.models import (
    Item,
    Lot,
    Pledge,
    StockBalance,
    StockTransaction,
    Warehouse,
)
from reliefops.stock.services.catalogue import _lot_get_or_create, _warehouse_scope
from reliefops.stock.services.ledger import (
    ZERO,
    InsufficientStock,
    InvalidQuantity,
    LedgerEntry,
    _balances_lock_or_create,
    _ledger_post,
    _positive,
)


def stock_receive(
    *,
    actor: Actor,
    warehouse: Warehouse,
    item: Item,
    quantity: Decimal,
    lot_code: str = "",
    expiry_date: dt.date | None = None,
    donor: Any = None,
    reason: str = "",
    reference: str = "",
    pledge: Pledge | None = None,
    kind: str = TransactionKind.RECEIPT,
) -> StockTransaction:
    """Goods arrive at ``warehouse`` (also used for returns, ``kind=return``)."""
    require_write(actor, Action.STOCK_RECEIVE, **_warehouse_scope(warehouse))
    quantity = _positive(quantity)
    if kind not in {TransactionKind.RECEIPT, TransactionKind.RETURN}:
        raise InvalidInput(kind=kind)
    with transaction.atomic():
        lot = _lot_get_or_create(
            item=item,
            code=lot_code,
            expiry_date=expiry_date,
            donor=donor or (pledge.donor if pledge else None),
        )
        [line] = _ledger_post(
            actor=actor,
            entries=[
                LedgerEntry(
                    kind,
                    warehouse.pk,
                    item.pk,
                    lot.pk,
                    quantity,
                    reason,
                    reference,
                    pledge_id=pledge.pk if pledge else None,
                )
            ],
        )
        audit_record(
            actor=actor,
            action=f"stock.{kind}",
            obj=line,
            after={
                "warehouse": warehouse.code,
                "item": item.code,
                "lot": lot.code,
                "quantity": quantity,
                "reference": reference,
            },
        )
    return line


def stock_return(
    *,
    actor: Actor,
    warehouse: Warehouse,
    item: Item,
    quantity: Decimal,
    lot_code: str = "",
    reason: str = "",
    reference: str = "",
) -> StockTransaction:
    """Goods come back to ``warehouse`` (undelivered, refused at destination)."""
    return stock_receive(
        actor=actor,
        warehouse=warehouse,
        item=item,
        quantity=quantity,
        lot_code=lot_code,
        reason=reason,
        reference=reference,
        kind=TransactionKind.RETURN,
    )


class ExpiredLot(InvalidInput):
    """Goods of a lot past its expiry date cannot be issued (write them off with a loss)."""

    code = "lot_expired"
    default_message = _("The lot has expired.")


def _lot_expired(lot: Lot, today: dt.date) -> bool:
    return lot.expiry_date is not None and lot.expiry_date < today


def _expired_lot_error(lot: Lot, item: Item) -> ExpiredLot:
    return ExpiredLot(
        _("Lot %(lot)s of %(item)s expired on %(date)s: it cannot be issued.")
        % {"lot": lot.code or "-", "item": item.code, "date": lot.expiry_date},
        lot=lot.code,
        item=item.code,
        expiry_date=lot.expiry_date,
    )


def _fefo_take(
    *, warehouse: Warehouse, item: Item, quantity: Decimal, lot_code: str | None = None
) -> list[tuple[StockBalance, Decimal]]:
    """Lock ``item``'s balances at ``warehouse`` and pick lots first-expiry-first-out.

    Only available stock is issued: lots that expired before today are skipped (named in
    the refusal when the rest is not enough), and what is reserved for loads being prepared
    stays. ``lot_code`` issues from that lot only; an
    expired one is refused with :class:`ExpiredLot` naming it.
    """
    balances = list(
        StockBalance.objects.select_for_update(of=("self",))
        .filter(warehouse=warehouse, item=item, quantity__gt=0)
        .select_related("lot")
        .order_by("lot__expiry_date", "lot__code", "lot_id")
    )
    # NULL expiry sorts last on PostgreSQL and first on SQLite: make it last everywhere.
    balances.sort(
        key=lambda b: (b.lot.expiry_date is None, b.lot.expiry_date or dt.date.max, b.lot.code)
    )
    today = timezone.localdate()
    if lot_code is not None:
        lot = Lot.objects.filter(item=item, code=lot_code).first()
        if lot is not None and _lot_expired(lot, today):
            raise _expired_lot_error(lot, item)
        balances = [b for b in balances if b.lot.code == lot_code]
    expired = [b for b in balances if _lot_expired(b.lot, today)]
    balances = [b for b in balances if not _lot_expired(b.lot, today) and b.quantity > b.reserved]
    available = sum((b.quantity - b.reserved for b in balances), ZERO)
    if available < quantity:
        message = _(
            "Not enough %(item)s at %(warehouse)s: %(available)s available, "
            "%(requested)s requested."
        ) % {
            "item": item.code,
            "warehouse": warehouse.code,
            "available": available,
            "requested": quantity,
        }
        if expired:
            message += " " + _("Expired lots are not issued: %(lots)s.") % {
                "lots": ", ".join(f"{b.lot.code or '-'} ({b.lot.expiry_date})" for b in expired)
            }
        raise InsufficientStock(
            message,
            warehouse=warehouse.code,
            item=item.code,
            available=available,
            requested=quantity,
            expired_lots=[b.lot.code for b in expired],
        )
    picks, left = [], quantity
    for balance in balances:
        if left <= 0:
            break
        take = min(balance.quantity - balance.reserved, left)
        picks.append((balance, take))
        left -= take
    return picks


def stock_dispatch(
    *,
    actor: Actor,
    warehouse: Warehouse,
    item: Item,
    quantity: Decimal,
    reason: str = "",
    reference: str = "",
    request_line: Any = None,
    lot_code: str | None = None,
) -> list[StockTransaction]:
    """Goods leave ``warehouse``; available lots first-expiry-first-out (expired lots are
    never issued), or lot ``lot_code`` only. Locks the item's balances."""
    require_write(actor, Action.STOCK_DISPATCH, **_warehouse_scope(warehouse))
    quantity = _positive(quantity)
    with transaction.atomic():
        picks = _fefo_take(warehouse=warehouse, item=item, quantity=quantity, lot_code=lot_code)
        lines = _ledger_post(
            actor=actor,
            entries=[
                LedgerEntry(
                    TransactionKind.DISPATCH,
                    warehouse.pk,
                    item.pk,
                    b.lot_id,
                    -take,
                    reason,
                    reference,
                    request_line_id=request_line.pk if request_line else None,
                )
                for b, take in picks
            ],
        )
        audit_record(
            actor=actor,
            action="stock.dispatch",
            obj=lines[0],
            after={
                "warehouse": warehouse.code,
                "item": item.code,
                "quantity": quantity,
                "lots": [b.lot.code for b, _ in picks],
                "reference": reference,
            },
        )
    return lines


def stock_transfer(
    *,
    actor: Actor,
    source: Warehouse,
    destination: Warehouse,
    item: Item,
    quantity: Decimal,
    reason: str = "",
    reference: str = "",
) -> list[StockTransaction]:
    """Move stock between warehouses: available lots leave ``source`` FEFO (expired lots
    stay; write them off with :func:`stock_loss`) and arrive unchanged."""
    to = _warehouse_scope(destination)
    require_write(
        actor,
        Action.STOCK_TRANSFER,
        **_warehouse_scope(source),
        new_area=to["area"],
        new_organisation=to["organisation"],
    )
    if source.pk == destination.pk:
        raise InvalidInput(
            _("Source and destination are the same warehouse."), code="same_warehouse"
        )
    quantity = _positive(quantity)
    with transaction.atomic():
        # Lock the item's rows at both ends in primary-key order first, so that two
        # opposite transfers (A→B and B→A) queue instead of deadlocking.
        list(
            StockBalance.objects.select_for_update()
            .filter(item=item, warehouse__in=[source, destination])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        picks = _fefo_take(warehouse=source, item=item, quantity=quantity)
        entries = []
        for balance, take in picks:
            entries.append(
                LedgerEntry(
                    TransactionKind.TRANSFER_OUT,
                    source.pk,
                    item.pk,
                    balance.lot_id,
                    -take,
                    reason,
                    reference,
                )
            )
            entries.append(
                LedgerEntry(
                    TransactionKind.TRANSFER_IN,
                    destination.pk,
                    item.pk,
                    balance.lot_id,
                    take,
                    reason,
                    reference,
                )
            )
        lines = _ledger_post(actor=actor, entries=entries)
        audit_record(
            actor=actor,
            action="stock.transfer",
            obj=lines[0],
            after={
                "from": source.code,
                "to": destination.code,
                "item": item.code,
                "quantity": quantity,
                "reference": reference,
            },
        )
    return lines


def stock_loss(
    *,
    actor: Actor,
    warehouse: Warehouse,
    lot: Lot,
    quantity: Decimal,
    reason: str,
    reference: str = "",
) -> StockTransaction:
    """Record lost, damaged or expired goods of one lot; a reason is required."""
    require_write(actor, Action.STOCK_ADJUST, **_warehouse_scope(warehouse))
    quantity = _positive(quantity)
    if not reason.strip():
        raise InvalidInput(_("Give the reason for the loss."), field="reason")
    with transaction.atomic():
        [line] = _ledger_post(
            actor=actor,
            entries=[
                LedgerEntry(
                    TransactionKind.LOSS,
                    warehouse.pk,
                    lot.item_id,
                    lot.pk,
                    -quantity,
                    reason,
                    reference,
                )
            ],
        )
        audit_record(
            actor=actor,
            action="stock.loss",
            obj=line,
            after={
                "warehouse": warehouse.code,
                "lot": str(lot),
                "quantity": quantity,
                "reason": reason,
            },
        )
    return line


def stock_lots_ensure(
    *, actor: Actor, lots: Iterable[tuple[Item, str, dt.date | None, Any]]
) -> dict[tuple[Any, str], Lot]:
    """Create the lots ``(item, code, expiry, donor)`` that do not exist yet (count imports).

    Lots are item × code, shared by every warehouse; the counts that use them are checked
    per warehouse by :func:`stock_count_bulk`. Returns the lots by (item id, code).
    """
    require_write(actor, Action.STOCK_COUNT, area=UNSCOPED, organisation=UNSCOPED)
    wanted = {(item.pk, code): (item, code, expiry, donor) for item, code, expiry, donor in lots}
    found = {
        (lot.item_id, lot.code): lot
        for lot in Lot.objects.filter(
            item_id__in={k[0] for k in wanted}, code__in={k[1] for k in wanted}
        )
    }
    new = [
        Lot(item=item, code=code, expiry_date=expiry, donor=donor, created_by=actor_user(actor))
        for key, (item, code, expiry, donor) in wanted.items()
        if key not in found
    ]
    Lot.objects.bulk_create(new, batch_size=1000)
    if new:
        audit_record(
            actor=actor,
            action="stock.lots_create",
            after={"lots": [f"{lot.item_id}:{lot.code}" for lot in new][:100], "count": len(new)},
        )
    found.update({(lot.item_id, lot.code): lot for lot in new})
    return {key: found[key] for key in wanted}


@dataclass(frozen=True)
class StockCount:
    """A physical count: ``counted`` units of ``lot`` at ``warehouse``."""

    warehouse: Warehouse
    lot: Lot
    counted: Decimal
    reference: str = ""
    reason: str = ""


def stock_count_bulk(*, actor: Actor, counts: Iterable[StockCount]) -> int:
    """Record counts; each differing from the balance posts a count adjustment.

    Returns the number of adjustments posted. Call inside a transaction (the importer's);
    a single count is :func:`stock_count`. Balances are locked while compared.
    """
    counts = list(counts)
    checked: set[uuid.UUID] = set()
    for count in counts:
        if count.warehouse.pk not in checked:
            require_write(actor, Action.STOCK_COUNT, **_warehouse_scope(count.warehouse))
            checked.add(count.warehouse.pk)
        if count.counted < 0:
            raise InvalidQuantity(_("A count cannot be negative."), counted=count.counted)
    if not counts:
        return 0
    keys = {(c.warehouse.pk, c.lot.item_id, c.lot.pk) for c in counts}
    locked = _balances_lock_or_create(keys)
    current = {key: b.quantity for key, b in locked.items()}
    entries = []
    for count in counts:
        key = (count.warehouse.pk, count.lot.item_id, count.lot.pk)
        delta = count.counted - current.get(key, ZERO)
        current[key] = count.counted
        if delta:
            entries.append(
                LedgerEntry(
                    TransactionKind.COUNT_ADJUSTMENT,
                    *key,
                    delta,
                    count.reason or "physical count",
                    count.reference,
                )
            )
    _ledger_post(actor=actor, entries=entries, locked=locked)
    audit_record(
        actor=actor,
        action="stock.count",
        after={"counts": len(counts), "adjustments": len(entries)},
    )
    return len(entries)


def stock_count(
    *,
    actor: Actor,
    warehouse: Warehouse,
    lot: Lot,
    counted: Decimal,
    reference: str = "",
    reason: str = "",
) -> StockTransaction | None:
    """Record one physical count; returns the adjustment posted (None when it matched)."""
    with transaction.atomic():
        posted = stock_count_bulk(
            actor=actor,
            counts=[StockCount(warehouse, lot, Decimal(str(counted)), reference, reason)],
        )
        if not posted:
            return None
        return (
            StockTransaction.objects.filter(
                warehouse=warehouse, lot=lot, kind=TransactionKind.COUNT_ADJUSTMENT
            )
            .order_by("-occurred_at")
            .first()
        )

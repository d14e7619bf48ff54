"""The stock ledger: the one posting function and the balance snapshot.

The ledger is written only through :func:`_ledger_post`, which (inside the caller's
``transaction.atomic``) locks the affected :class:`StockBalance` rows with
``SELECT ... FOR UPDATE`` in a fixed order, refuses any result below zero (or, for an
issue, below what is reserved for loads being prepared) with :class:`InsufficientStock`, inserts the ledger lines and updates the snapshot. So
snapshot = ledger at every commit, and two dispatches of the last units serialise on the
balance rows: the second sees the first's result and is refused. There is no update or
delete path for ledger lines; corrections are new transactions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import Actor, actor_user
from reliefops.stock.choices import (
    INBOUND_KINDS,
    OUTBOUND_KINDS,
)
from reliefops.stock.models import (
    StockBalance,
    StockTransaction,
)

ZERO = Decimal("0")


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    default_message = _("Not enough stock: the quantity would go below zero.")


class InvalidQuantity(InvalidInput):
    code = "invalid_quantity"
    default_message = _("The quantity must be greater than zero.")


# --------------------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class LedgerEntry:
    """One line to post: signed ``quantity`` of ``lot`` at ``warehouse`` (item unit)."""

    kind: str
    warehouse_id: uuid.UUID
    item_id: uuid.UUID
    lot_id: uuid.UUID
    quantity: Decimal
    reason: str = ""
    reference: str = ""
    request_line_id: uuid.UUID | None = None
    pledge_id: uuid.UUID | None = None


def _check_sign(entry: LedgerEntry) -> None:
    if entry.quantity == 0:
        raise InvalidQuantity()
    if entry.kind in INBOUND_KINDS and entry.quantity < 0:
        raise InvalidQuantity(_("An inbound transaction must add stock."), kind=entry.kind)
    if entry.kind in OUTBOUND_KINDS and entry.quantity > 0:
        raise InvalidQuantity(_("An outbound transaction must remove stock."), kind=entry.kind)


def _ledger_post(
    *,
    actor: Actor,
    entries: Sequence[LedgerEntry],
    group: uuid.UUID | None = None,
    occurred_at: dt.datetime | None = None,
    locked: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], StockBalance] | None = None,
) -> list[StockTransaction]:
    """Post ``entries`` atomically; the one write path of the ledger and the snapshot.

    Must run inside ``transaction.atomic``. Locks the balance rows (sorted by key, so two
    posts never deadlock), refuses a negative result, inserts ledger lines (append-only)
    and updates the snapshot. ``locked``: balance rows the caller already locked in this
    transaction with :func:`_balances_lock_or_create` (covering every entry's key).
    """
    if not entries:
        return []
    for entry in entries:
        _check_sign(entry)
    group = group or uuid.uuid4()
    occurred_at = occurred_at or timezone.now()
    keys = {(e.warehouse_id, e.item_id, e.lot_id) for e in entries}
    if locked is not None and keys <= locked.keys():
        balances = {key: locked[key] for key in keys}
    else:
        balances = _balances_lock_or_create(keys)
    for entry in entries:
        balance = balances[(entry.warehouse_id, entry.item_id, entry.lot_id)]
        new_quantity = balance.quantity + entry.quantity
        # What is reserved for a load being prepared cannot be issued by anything else.
        floor = balance.reserved if entry.quantity < 0 else ZERO
        if new_quantity < floor:
            raise InsufficientStock(
                warehouse=entry.warehouse_id,
                item=entry.item_id,
                lot=entry.lot_id,
                available=balance.quantity - floor,
                reserved=balance.reserved,
                requested=-entry.quantity,
            )
        balance.quantity = new_quantity
        balance.updated_at = occurred_at
    lines = [
        StockTransaction(
            id=uuid.uuid4(),
            occurred_at=occurred_at,
            kind=e.kind,
            warehouse_id=e.warehouse_id,
            item_id=e.item_id,
            lot_id=e.lot_id,
            quantity=e.quantity,
            reason=e.reason[:300],
            reference=e.reference[:100],
            group=group,
            actor=actor_user(actor),
            request_line_id=e.request_line_id,
            pledge_id=e.pledge_id,
        )
        for e in entries
    ]
    _transactions_insert(lines)
    # The rows are locked: write the new quantities with one upsert (far cheaper than
    # bulk_update's CASE expressions for bulk imports).
    _balances_upsert(
        [(w, i, lot, b.quantity) for (w, i, lot), b in balances.items()],
        occurred_at,
        overwrite=True,
    )
    return lines


COPY_THRESHOLD = 500
LEDGER_COLUMNS = (
    "id",
    "occurred_at",
    "kind",
    "warehouse_id",
    "item_id",
    "lot_id",
    "quantity",
    "reason",
    "reference",
    "group",
    "actor_id",
    "request_line_id",
    "pledge_id",
)


def _transactions_insert(lines: Sequence[StockTransaction]) -> None:
    """Insert ledger lines: PostgreSQL COPY for large batches (imports), else bulk_create."""
    if connection.vendor != "postgresql" or len(lines) < COPY_THRESHOLD:
        StockTransaction.objects.bulk_create(lines, batch_size=1000)
        return
    table = StockTransaction._meta.db_table
    columns = ", ".join(f'"{c}"' for c in LEDGER_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy,
    ):
        for line in lines:
            copy.write_row(tuple(getattr(line, c) for c in LEDGER_COLUMNS))


def _balances_lock_or_create(
    keys: Iterable[tuple[uuid.UUID, uuid.UUID, uuid.UUID]],
) -> dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], StockBalance]:
    """Make sure a balance row exists for every key (zero), then lock them all."""
    keys = sorted(set(keys), key=str)
    _balances_upsert([(w, i, lot, ZERO) for w, i, lot in keys], timezone.now(), overwrite=False)
    return _balances_locked(keys)


def _balances_upsert(
    rows: Sequence[tuple[uuid.UUID, uuid.UUID, uuid.UUID, Decimal]],
    updated_at: dt.datetime,
    *,
    overwrite: bool,
) -> None:
    """Insert balance rows; on an existing key set the quantity (``overwrite``) or keep it.

    Large batches on PostgreSQL go as one ``INSERT ... SELECT unnest(arrays) ON CONFLICT``
    statement (no per-row SQL to build); otherwise Django's bulk_create does the same.
    Callers hold the row locks when ``overwrite`` is set.
    """
    if not rows:
        return
    if connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD:
        table = StockBalance._meta.db_table
        action = (
            "UPDATE SET quantity = EXCLUDED.quantity, updated_at = EXCLUDED.updated_at"
            if overwrite
            else "NOTHING"
        )
        sql = (
            f'INSERT INTO "{table}" (warehouse_id, item_id, lot_id, quantity, reserved, updated_at) '  # noqa: S608 - constants only
            "SELECT w, i, l, q, 0, %s FROM unnest(%s::uuid[], %s::uuid[], %s::uuid[], "
            "%s::numeric[]) AS t(w, i, l, q) "
            f"ON CONFLICT (warehouse_id, item_id, lot_id) DO {action}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    updated_at,
                    [r[0] for r in rows],
                    [r[1] for r in rows],
                    [r[2] for r in rows],
                    [r[3] for r in rows],
                ],
            )
        return
    objects = [
        StockBalance(warehouse_id=w, item_id=i, lot_id=lot, quantity=q, updated_at=updated_at)
        for w, i, lot, q in rows
    ]
    if overwrite:
        StockBalance.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["warehouse", "item", "lot"],
            update_fields=["quantity", "updated_at"],
            batch_size=1000,
        )
    else:
        StockBalance.objects.bulk_create(objects, ignore_conflicts=True, batch_size=1000)


def _balances_locked(
    keys: Iterable[tuple[uuid.UUID, uuid.UUID, uuid.UUID]],
) -> dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], StockBalance]:
    """Lock and return the balance rows of ``keys`` (warehouse, item, lot).

    Few keys: one exact OR-filter. Many keys (bulk imports): filter by the three id sets
    (a superset, locked too) and keep the wanted keys. Rows are locked in primary-key
    order so that concurrent posts cannot deadlock.
    """
    keys = set(keys)
    if not keys:
        return {}
    qs = StockBalance.objects.select_for_update()
    if len(keys) <= 50:
        key_filter = Q()
        for warehouse_id, item_id, lot_id in keys:
            key_filter |= Q(warehouse_id=warehouse_id, item_id=item_id, lot_id=lot_id)
        qs = qs.filter(key_filter)
    else:
        qs = qs.filter(
            warehouse_id__in={k[0] for k in keys},
            item_id__in={k[1] for k in keys},
            lot_id__in={k[2] for k in keys},
        )
    found = {}
    for balance in qs.order_by("pk"):
        key = (balance.warehouse_id, balance.item_id, balance.lot_id)
        if key in keys:
            found[key] = balance
    return found


def _positive(quantity: Decimal | int | float | str) -> Decimal:
    value = Decimal(str(quantity))
    if not value.is_finite() or value <= 0:
        raise InvalidQuantity(quantity=quantity)
    return value

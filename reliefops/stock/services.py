"""Every write of the stock domain: catalogue, warehouses, the ledger, pledges.

The ledger is written only through :func:`_ledger_post`, which (inside the caller's
``transaction.atomic``) locks the affected :class:`StockBalance` rows with
``SELECT ... FOR UPDATE`` in a fixed order, refuses any result below zero with
:class:`InsufficientStock`, inserts the ledger lines and updates the snapshot. So
snapshot = ledger at every commit, and two dispatches of the last units serialise on the
balance rows: the second sees the first's result and is refused. There is no update or
delete path for ledger lines; corrections are new transactions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import require
from reliefops.stock.choices import (
    INBOUND_KINDS,
    OUTBOUND_KINDS,
    PIPELINE_STATUSES,
    PledgeStatus,
    TransactionKind,
)
from reliefops.stock.models import (
    Item,
    KitComponent,
    Lot,
    Pledge,
    StockBalance,
    StockTransaction,
    Warehouse,
)

ZERO = Decimal("0")


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    default_message = _("Not enough stock: the quantity would go below zero.")


class InvalidQuantity(InvalidInput):
    code = "invalid_quantity"
    default_message = _("The quantity must be greater than zero.")


# --------------------------------------------------------------------------- catalogue

ITEM_FIELDS = (
    "names",
    "category",
    "unit",
    "weight_kg",
    "volume_m3",
    "perishable",
    "shelf_life_days",
    "cold_chain",
    "hazard_class",
    "hxl_tags",
    "is_kit",
    "is_active",
)


def _item_values(item: Item) -> dict[str, Any]:
    return {name: getattr(item, name) for name in ("code", *ITEM_FIELDS)}


def item_create(*, actor: Any, code: str, **fields: Any) -> Item:
    require(actor, "item.edit")
    code = code.strip()
    if not code:
        raise InvalidInput(_("An item needs a code."), field="code")
    if Item.objects.filter(code=code).exists():
        raise Conflict(_("An item with this code exists."), code="item_exists", item=code)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise InvalidInput(fields=sorted(unknown))
    with transaction.atomic():
        item = Item(code=code, created_by=actor, updated_by=actor, **fields)
        item.full_clean()
        item.save()
        audit_record(actor=actor, action="item.create", obj=item, after=_item_values(item))
    return item


def item_update(*, actor: Any, item: Item, **fields: Any) -> Item:
    require(actor, "item.edit")
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise InvalidInput(fields=sorted(unknown))
    with transaction.atomic():
        before = {k: getattr(item, k) for k in fields}
        for key, value in fields.items():
            setattr(item, key, value)
        item.updated_by = actor
        item.full_clean()
        item.save()
        audit_record(
            actor=actor,
            action="item.update",
            obj=item,
            before=before,
            after={k: getattr(item, k) for k in fields},
        )
    return item


def item_upsert_bulk(*, actor: Any, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create or update items by code (bulk, for imports); ``rows`` hold code + ITEM_FIELDS.

    A row's ``components`` (``{code: quantity}``, or None to leave them) sets a kit's
    contents. Call inside a transaction.
    """
    require(actor, "item.edit")
    codes = [r["code"] for r in rows]
    existing = {i.code: i for i in Item.objects.filter(code__in=codes)}
    to_create, to_update = [], []
    for row in rows:
        values = {k: row[k] for k in ITEM_FIELDS if k in row}
        item = existing.get(row["code"])
        if item is None:
            item = Item(code=row["code"], created_by=actor, updated_by=actor, **values)
            to_create.append(item)
            existing[item.code] = item
        else:
            for key, value in values.items():
                setattr(item, key, value)
            item.updated_by = actor
            to_update.append(item)
    Item.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Item.objects.bulk_update(to_update, [*ITEM_FIELDS, "updated_by"], batch_size=1000)
    kits = [r for r in rows if r.get("components") is not None]
    if kits:
        all_codes = {c for r in kits for c in r["components"]}
        by_code = {i.code: i for i in Item.objects.filter(code__in=all_codes | set(codes))}
        KitComponent.objects.filter(kit__code__in=[r["code"] for r in kits]).delete()
        KitComponent.objects.bulk_create(
            KitComponent(kit=by_code[r["code"]], component=by_code[c], quantity=q, created_by=actor)
            for r in kits
            for c, q in r["components"].items()
        )
    audit_record(
        actor=actor,
        action="item.upsert_bulk",
        after={"created": len(to_create), "updated": len(to_update)},
    )
    return len(rows)


def kit_set_components(*, actor: Any, kit: Item, components: Mapping[Item, Decimal]) -> Item:
    """Replace the contents of ``kit`` (quantities per kit, each item in its unit)."""
    require(actor, "item.edit")
    if any(component.pk == kit.pk for component in components):
        raise InvalidInput(_("A kit cannot contain itself."), code="kit_cycle")
    if any(q <= 0 for q in components.values()):
        raise InvalidQuantity()
    with transaction.atomic():
        before = {c.component.code: c.quantity for c in kit.components.select_related("component")}
        kit.components.all().delete()
        KitComponent.objects.bulk_create(
            KitComponent(kit=kit, component=c, quantity=q, created_by=actor)
            for c, q in components.items()
        )
        if not kit.is_kit:
            kit.is_kit = True
            kit.save(update_fields=["is_kit", "updated_at"])
        audit_record(
            actor=actor,
            action="item.kit_set",
            obj=kit,
            before=before,
            after={c.code: q for c, q in components.items()},
        )
    return kit


# --------------------------------------------------------------------------- warehouses


def _warehouse_scope(warehouse: Warehouse) -> dict[str, Any]:
    return {"area": warehouse.facility.place.admin1, "organisation": warehouse.organisation}


def warehouse_create(*, actor: Any, facility: Any, organisation: Any = None) -> Warehouse:
    require(actor, "facility.edit", area=facility.place.admin1)
    with transaction.atomic():
        warehouse, created = Warehouse.objects.get_or_create(
            facility=facility,
            defaults={"organisation": organisation or facility.operator, "created_by": actor},
        )
        if created:
            audit_record(actor=actor, action="warehouse.create", obj=warehouse)
    return warehouse


def lot_get_or_create(
    *, item: Item, code: str = "", expiry_date: dt.date | None = None, donor: Any = None
) -> Lot:
    """The lot ``code`` of ``item``; a conflicting expiry for an existing lot is refused."""
    lot, created = Lot.objects.get_or_create(
        item=item, code=code.strip(), defaults={"expiry_date": expiry_date, "donor": donor}
    )
    if not created and expiry_date and lot.expiry_date and lot.expiry_date != expiry_date:
        raise Conflict(
            _("Lot %(lot)s already exists with another expiry date.") % {"lot": code},
            code="lot_expiry_conflict",
            lot=code,
            expiry_date=lot.expiry_date,
        )
    if not created and expiry_date and lot.expiry_date is None:
        lot.expiry_date = expiry_date
        lot.save(update_fields=["expiry_date", "updated_at"])
    return lot


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
    actor: Any,
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
        if new_quantity < 0:
            raise InsufficientStock(
                warehouse=entry.warehouse_id,
                item=entry.item_id,
                lot=entry.lot_id,
                available=balance.quantity,
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
            actor=actor if _is_user(actor) else None,
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
            f'INSERT INTO "{table}" (warehouse_id, item_id, lot_id, quantity, updated_at) '  # noqa: S608 - constants only
            "SELECT w, i, l, q, %s FROM unnest(%s::uuid[], %s::uuid[], %s::uuid[], "
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


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _positive(quantity: Decimal | int | float | str) -> Decimal:
    value = Decimal(str(quantity))
    if not value.is_finite() or value <= 0:
        raise InvalidQuantity(quantity=quantity)
    return value


def stock_receive(
    *,
    actor: Any,
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
    require(actor, "stock.receive", **_warehouse_scope(warehouse))
    quantity = _positive(quantity)
    if kind not in {TransactionKind.RECEIPT, TransactionKind.RETURN}:
        raise InvalidInput(kind=kind)
    with transaction.atomic():
        lot = lot_get_or_create(
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
    actor: Any,
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


def _fefo_take(
    *, warehouse: Warehouse, item: Item, quantity: Decimal
) -> list[tuple[StockBalance, Decimal]]:
    """Lock ``item``'s balances at ``warehouse`` and pick lots first-expiry-first-out."""
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
    available = sum((b.quantity for b in balances), ZERO)
    if available < quantity:
        raise InsufficientStock(
            _(
                "Not enough %(item)s at %(warehouse)s: %(available)s available, "
                "%(requested)s requested."
            )
            % {
                "item": item.code,
                "warehouse": warehouse.code,
                "available": available,
                "requested": quantity,
            },
            warehouse=warehouse.code,
            item=item.code,
            available=available,
            requested=quantity,
        )
    picks, left = [], quantity
    for balance in balances:
        if left <= 0:
            break
        take = min(balance.quantity, left)
        picks.append((balance, take))
        left -= take
    return picks


def stock_dispatch(
    *,
    actor: Any,
    warehouse: Warehouse,
    item: Item,
    quantity: Decimal,
    reason: str = "",
    reference: str = "",
    request_line: Any = None,
) -> list[StockTransaction]:
    """Goods leave ``warehouse``; lots first-expiry-first-out. Locks the item's balances."""
    require(actor, "stock.dispatch", **_warehouse_scope(warehouse))
    quantity = _positive(quantity)
    with transaction.atomic():
        picks = _fefo_take(warehouse=warehouse, item=item, quantity=quantity)
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
    actor: Any,
    source: Warehouse,
    destination: Warehouse,
    item: Item,
    quantity: Decimal,
    reason: str = "",
    reference: str = "",
) -> list[StockTransaction]:
    """Move stock between warehouses: lots leave ``source`` FEFO and arrive unchanged."""
    require(actor, "stock.transfer", **_warehouse_scope(source))
    require(actor, "stock.transfer", area=destination.facility.place.admin1)
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
    actor: Any,
    warehouse: Warehouse,
    lot: Lot,
    quantity: Decimal,
    reason: str,
    reference: str = "",
) -> StockTransaction:
    """Record lost, damaged or expired goods of one lot; a reason is required."""
    require(actor, "stock.adjust", **_warehouse_scope(warehouse))
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


@dataclass(frozen=True)
class StockCount:
    """A physical count: ``counted`` units of ``lot`` at ``warehouse``."""

    warehouse: Warehouse
    lot: Lot
    counted: Decimal
    reference: str = ""
    reason: str = ""


def stock_count_bulk(*, actor: Any, counts: Iterable[StockCount]) -> int:
    """Record counts; each differing from the balance posts a count adjustment.

    Returns the number of adjustments posted. Call inside a transaction (the importer's);
    a single count is :func:`stock_count`. Balances are locked while compared.
    """
    counts = list(counts)
    checked: set[uuid.UUID] = set()
    for count in counts:
        if count.warehouse.pk not in checked:
            require(actor, "stock.count", **_warehouse_scope(count.warehouse))
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
    actor: Any,
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
            reason=str(_("pledge received")),
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

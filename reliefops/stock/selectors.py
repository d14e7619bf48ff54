"""Every read of the stock domain, scoped by the caller's organisation and areas.

Two quantities, named apart everywhere:

* **on hand** — what is physically there (every positive balance, expired lots included):
  what a count, the ledger and the balances page show;
* **available** — what can be issued, allocated and planned: on hand less the lots whose
  ``expiry_date`` is before today (:func:`lot_usable_q`). A lot is usable on its expiry
  day. The gap analysis, the dispatch checks and the planning input read *available*.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, scope_queryset
from reliefops.organisations.selectors import organisation_list, organisations_by_acronym
from reliefops.planning.model import Lot as PlanningLot
from reliefops.stock.choices import PIPELINE_STATUSES, TransactionKind
from reliefops.stock.models import (
    Item,
    Lot,
    Pledge,
    StockBalance,
    StockTransaction,
    Warehouse,
)

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation

WAREHOUSE_AREA = "facility__place__admin1"


def lot_usable_q(today: dt.date | None = None, *, prefix: str = "lot__") -> Q:
    """Balances (or lots, ``prefix=""``) usable on ``today``: no expiry, or not expired yet."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}expiry_date__isnull": True}) | Q(**{f"{prefix}expiry_date__gte": today})


def lot_is_expired(lot: Any, today: dt.date | None = None) -> bool:
    """True when ``lot`` expired before ``today`` (usable on its expiry day)."""
    today = today or timezone.localdate()
    return lot.expiry_date is not None and lot.expiry_date < today


def item_list(*, actor: Actor, category: str | None = None, search: str = "") -> QuerySet[Item]:
    """The catalogue is reference data every signed-in user may read."""
    qs = scope_queryset(actor, Item.objects.all())
    if category:
        qs = qs.filter(category=category)
    if search:
        qs = qs.filter(code__icontains=search) | qs.filter(names__icontains=search)
    return qs.prefetch_related("components__component").order_by("code")


def warehouse_list(*, actor: Actor, action: Action = Action.VIEW) -> QuerySet[Warehouse]:
    return scope_queryset(
        actor,
        Warehouse.objects.filter(is_active=True)
        .select_related("facility__place__admin1", "organisation")
        .defer("facility__place__admin1__geometry"),  # (the area's outline: not on lists)
        area_field=WAREHOUSE_AREA,
        organisation_field="organisation",
        action=action,
    ).order_by("facility__code")


def donor_list(*, actor: Actor) -> QuerySet[Organisation]:
    """The organisations a receipt may name as donor (the active ones, by acronym)."""
    return organisation_list(actor=actor)


def donor_by_acronym(acronym: str) -> Organisation | None:
    """The donor with exactly this acronym, active or not (a pledge of a former partner
    still reads and re-imports), or None."""
    return organisations_by_acronym([acronym]).get(acronym)


def stock_balance_list(
    *,
    actor: Actor,
    warehouse: Warehouse | None = None,
    item: Item | None = None,
    include_zero: bool = False,
) -> QuerySet[StockBalance]:
    qs = scope_queryset(
        actor,
        StockBalance.objects.select_related("warehouse__facility__place", "item", "lot"),
        area_field=f"warehouse__{WAREHOUSE_AREA}",
    )
    if not include_zero:
        qs = qs.filter(quantity__gt=0)
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    if item is not None:
        qs = qs.filter(item=item)
    # ``expired``: the lot expired before today (on hand, not available).
    qs = qs.annotate(
        expired=Case(
            When(lot_usable_q(), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )
    return qs.order_by("warehouse__facility__code", "item__code", "lot__expiry_date", "lot__code")


def stock_on_hand(*, actor: Actor, warehouse: Warehouse, item: Item) -> Decimal:
    """Physical quantity of ``item`` at ``warehouse``, expired lots included."""
    total = stock_balance_list(actor=actor, warehouse=warehouse, item=item).aggregate(
        total=Sum("quantity")
    )["total"]
    return total or Decimal("0")


def stock_available(*, actor: Actor, warehouse: Warehouse, item: Item) -> Decimal:
    """Issuable quantity of ``item`` at ``warehouse``: on hand less the expired lots."""
    total = (
        stock_balance_list(actor=actor, warehouse=warehouse, item=item)
        .filter(lot_usable_q())
        .aggregate(total=Sum("quantity"))["total"]
    )
    return total or Decimal("0")


def stock_transaction_list(
    *,
    actor: Actor,
    warehouse: Warehouse | None = None,
    item: Item | None = None,
) -> QuerySet[StockTransaction]:
    qs = scope_queryset(
        actor,
        StockTransaction.objects.select_related("warehouse__facility", "item", "lot", "actor"),
        area_field=f"warehouse__{WAREHOUSE_AREA}",
    )
    if warehouse is not None:
        qs = qs.filter(warehouse=warehouse)
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("-occurred_at", "id")


def pledge_list(*, actor: Actor, pipeline_only: bool = False) -> QuerySet[Pledge]:
    """The pipeline is shared with every coordinating organisation (the donor edits it)."""
    qs = scope_queryset(
        actor, Pledge.objects.select_related("donor", "item", "warehouse__facility__place")
    )
    if pipeline_only:
        qs = qs.filter(status__in=PIPELINE_STATUSES)
    return qs.order_by("expected_date", "item__code")


def stock_reconcile() -> list[dict[str, Any]]:
    """Compare the snapshot with the ledger; the rows where they differ (empty = proven).

    Not scoped: an integrity check for operators (the ``stock_reconcile`` command).
    """
    ledger: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], Decimal] = defaultdict(Decimal)
    for row in StockTransaction.objects.values("warehouse_id", "item_id", "lot_id").annotate(
        total=Sum("quantity")
    ):
        ledger[(row["warehouse_id"], row["item_id"], row["lot_id"])] = row["total"]
    snapshot = {
        (b.warehouse_id, b.item_id, b.lot_id): b.quantity for b in StockBalance.objects.all()
    }
    mismatches = []
    for key in set(ledger) | set(snapshot):
        in_ledger = ledger.get(key, Decimal("0"))
        in_snapshot = snapshot.get(key, Decimal("0"))
        if in_ledger != in_snapshot:
            mismatches.append(
                {
                    "warehouse": key[0],
                    "item": key[1],
                    "lot": key[2],
                    "ledger": in_ledger,
                    "snapshot": in_snapshot,
                }
            )
    return mismatches


# --- added for needs


def items_by_code(codes: Iterable[str] | None = None) -> dict[str, Item]:
    """Catalogue items (reference data) by code; ``codes`` narrows the read."""
    qs = Item.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {i.code: i for i in qs}


def warehouse_by_facility_code(code: str) -> Warehouse | None:
    """The warehouse on the facility with this code (the services check the scope)."""
    return Warehouse.objects.select_related("facility").filter(facility__code=code).first()


def stock_at_facility(*, facility: Any, item: Item) -> Decimal:
    """Available stock of ``item`` held at a facility (its stock points; expired lots out)."""
    total = (
        StockBalance.objects.filter(warehouse__facility=facility, item=item)
        .filter(lot_usable_q())
        .aggregate(total=Sum("quantity"))["total"]
    )
    return total or Decimal("0")


def stock_at_facilities(
    *, facility_ids: Iterable[Any], items: Iterable[Item]
) -> dict[tuple[Any, Any], Decimal]:
    """:func:`stock_at_facility` of many facilities and items in one query:
    ``(facility id, item id)`` → available stock (a missing pair holds none)."""
    rows = (
        StockBalance.objects.filter(
            warehouse__facility_id__in=list(facility_ids), item__in=list(items)
        )
        .filter(lot_usable_q())
        .values("warehouse__facility_id", "item_id")
        .annotate(total=Sum("quantity"))
    )
    return {(r["warehouse__facility_id"], r["item_id"]): r["total"] or Decimal("0") for r in rows}


def stock_by_area_item(
    today: dt.date | None = None,
) -> list[tuple[uuid.UUID | None, str, Decimal]]:
    """Available stock (positive balances of lots not expired on ``today``) per level-1
    area of the warehouse × item code: ``(area id, item code, quantity)``; not scoped (the
    gap analysis scopes its rows)."""
    return [
        (row[f"warehouse__{WAREHOUSE_AREA}_id"], row["item__code"], row["total"])
        for row in StockBalance.objects.filter(lot_usable_q(today), quantity__gt=0)
        .values(f"warehouse__{WAREHOUSE_AREA}_id", "item__code")
        .annotate(total=Sum("quantity"))
    ]


def pipeline_by_area_item(*, expected_by: dt.date) -> list[tuple[uuid.UUID | None, str, Decimal]]:
    """Pledges pledged or in transit, expected by ``expected_by``, per level-1 area of the
    destination warehouse × item code: ``(area id, item code, quantity)``; not scoped."""
    return [
        (row[f"warehouse__{WAREHOUSE_AREA}_id"], row["item__code"], row["total"])
        for row in Pledge.objects.filter(
            status__in=PIPELINE_STATUSES, expected_date__lte=expected_by
        )
        .values(f"warehouse__{WAREHOUSE_AREA}_id", "item__code")
        .annotate(total=Sum("quantity"))
    ]


# --- added for places


def stock_held_at(*, actor: Actor, facilities: Iterable[Any]) -> QuerySet[StockBalance]:
    """Positive balances at the stock points of ``facilities`` that ``actor`` may see
    (the detail pages' "stock held here" panel), by facility, item and expiry."""
    return stock_balance_list(actor=actor).filter(
        warehouse__facility__in=[f.pk for f in facilities]
    )


# --------------------------------------------------------------------------- totals, expiry


@dataclass(frozen=True)
class StockTotal:
    """On hand, expired and available quantity (item unit) of one item, overall or at one
    warehouse (``warehouse`` None for the total over the caller's warehouses)."""

    item: Item
    warehouse: Warehouse | None
    on_hand: Decimal
    expired: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.expired


@dataclass(frozen=True)
class StockTotals:
    by_item: list[StockTotal]
    by_warehouse: list[StockTotal]


def stock_totals(
    *, actor: Actor, warehouse_code: str = "", today: dt.date | None = None
) -> StockTotals:
    """Per item, and per warehouse × item, over the balances ``actor`` sees (optionally one
    warehouse): on hand (physical), expired (lots expired before ``today``), available."""
    qs = stock_balance_list(actor=actor)
    if warehouse_code:
        qs = qs.filter(warehouse__facility__code=warehouse_code)
    expired_q = ~lot_usable_q(today)
    rows = list(
        qs.order_by()
        .values("warehouse_id", "item_id")
        .annotate(on_hand=Sum("quantity"), expired_total=Sum("quantity", filter=expired_q))
    )
    items = Item.objects.in_bulk({r["item_id"] for r in rows})
    warehouses = Warehouse.objects.select_related("facility").in_bulk(
        {r["warehouse_id"] for r in rows}
    )
    zero = Decimal("0")
    by_warehouse = [
        StockTotal(
            items[r["item_id"]],
            warehouses[r["warehouse_id"]],
            r["on_hand"] or zero,
            r["expired_total"] or zero,
        )
        for r in rows
    ]
    by_warehouse.sort(key=lambda t: (t.warehouse.code if t.warehouse else "", t.item.code))
    sums: dict[uuid.UUID, list[Decimal]] = defaultdict(lambda: [zero, zero])
    for total in by_warehouse:
        sums[total.item.pk][0] += total.on_hand
        sums[total.item.pk][1] += total.expired
    by_item = sorted(
        (StockTotal(items[pk], None, on, ex) for pk, (on, ex) in sums.items()),
        key=lambda t: t.item.code,
    )
    return StockTotals(by_item, by_warehouse)


def planning_lots(*, actor: Actor, day: dt.date) -> list[PlanningLot]:
    """The planning input's stock: available lots (not expired on ``day``) of the
    warehouses ``actor`` sees, one :class:`reliefops.planning.Lot` per warehouse × lot
    (depot = warehouse facility code, item = item code, quantity in the item's unit)."""
    balances = (
        stock_balance_list(actor=actor)
        .filter(lot_usable_q(day))
        .select_related("warehouse__facility", "item", "lot")
    )
    return [
        PlanningLot(
            id=f"{b.warehouse.code}/{b.item.code}/{b.lot.code or '-'}",
            depot=b.warehouse.code,
            item=b.item.code,
            quantity=float(b.quantity),
            expires_on=b.lot.expiry_date,
        )
        for b in balances
    ]


# --- added for logistics


def ledger_by_reference(references: Iterable[str]) -> dict[Any, tuple[Item, Decimal, Decimal]]:
    """Per item, what the ledger dispatched (as a positive quantity) and took back as
    returns under these reference documents (a convoy's tracking numbers)."""
    refs = list(references)
    if not refs:
        return {}
    totals: dict[Any, list[Decimal]] = {}
    for row in (
        StockTransaction.objects.filter(
            reference__in=refs, kind__in=[TransactionKind.DISPATCH, TransactionKind.RETURN]
        )
        .values("item_id", "kind")
        .annotate(total=Sum("quantity"))
    ):
        entry = totals.setdefault(row["item_id"], [Decimal("0"), Decimal("0")])
        if row["kind"] == TransactionKind.DISPATCH:
            entry[0] += -row["total"]
        else:
            entry[1] += row["total"]
    items = Item.objects.in_bulk(list(totals))
    return {pk: (items[pk], d, r) for pk, (d, r) in totals.items()}


# --- added for dayplans


def planning_balances(*, actor: Actor, day: dt.date) -> QuerySet[StockBalance]:
    """Balances usable on ``day`` (lots expired on ``day`` left out) in the active
    warehouses ``actor`` sees, with what is free of reservations (``free`` = quantity -
    reserved, may be 0). Ordered by warehouse, item, expiry, lot (deterministic)."""
    from django.db.models import F

    return (
        stock_balance_list(actor=actor)
        .filter(lot_usable_q(day), warehouse__is_active=True)
        .annotate(free=F("quantity") - F("reserved"))
        .order_by("warehouse__facility__code", "item__code", "lot__expiry_date", "lot__pk")
    )


def planning_warehouses(*, actor: Actor) -> QuerySet[Warehouse]:
    """The active warehouses ``actor`` sees (the planning depots), by facility code."""
    return (
        warehouse_list(actor=actor)
        .filter(is_active=True)
        .select_related("facility__place", "organisation")
        .order_by("facility__code")
    )


# --- added for commit


def lots_by_pk(pks: Iterable[Any]) -> dict[str, Lot]:
    """Lots by primary key (as text), with their item: a committed plan names its lots so."""
    return {str(lot.pk): lot for lot in Lot.objects.select_related("item").filter(pk__in=list(pks))}


def reserved_by_lot(*, warehouses: Iterable[Any]) -> dict[tuple[str, str], Decimal]:
    """What is reserved at ``warehouses``, per (warehouse code, lot pk as text), lots with a
    reservation only."""
    rows = StockBalance.objects.filter(warehouse__in=list(warehouses), reserved__gt=0)
    return {
        (b.warehouse.code, str(b.lot_id)): b.reserved
        for b in rows.select_related("warehouse__facility")
    }

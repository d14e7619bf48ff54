"""Every read of the stock domain, scoped by the caller's organisation and areas."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum

from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, scope_queryset
from reliefops.organisations.selectors import organisation_list, organisations_by_acronym
from reliefops.stock.choices import PIPELINE_STATUSES
from reliefops.stock.models import (
    Item,
    Pledge,
    StockBalance,
    StockTransaction,
    Warehouse,
)

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation

WAREHOUSE_AREA = "facility__place__admin1"


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
        Warehouse.objects.filter(is_active=True).select_related(
            "facility__place__admin1", "organisation"
        ),
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
    return qs.order_by("warehouse__facility__code", "item__code", "lot__expiry_date", "lot__code")


def stock_on_hand(*, actor: Actor, warehouse: Warehouse, item: Item) -> Decimal:
    total = stock_balance_list(actor=actor, warehouse=warehouse, item=item).aggregate(
        total=Sum("quantity")
    )["total"]
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
    """Stock of ``item`` held at a facility: the balances of its stock points."""
    total = StockBalance.objects.filter(warehouse__facility=facility, item=item).aggregate(
        total=Sum("quantity")
    )["total"]
    return total or Decimal("0")


def stock_by_area_item() -> list[tuple[uuid.UUID | None, str, Decimal]]:
    """Stock on hand (positive balances) per level-1 area of the warehouse × item code:
    ``(area id, item code, quantity)``; not scoped (the gap analysis scopes its rows)."""
    return [
        (row[f"warehouse__{WAREHOUSE_AREA}_id"], row["item__code"], row["total"])
        for row in StockBalance.objects.filter(quantity__gt=0)
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

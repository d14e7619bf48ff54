"""What a restored database must show of stock: the ledger's balances (per warehouse, item
and lot, summed from the append-only ledger) and that the balance snapshot equals them."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Sum

from reliefops.core.backup import backup_check
from reliefops.stock.models import StockTransaction
from reliefops.stock.selectors import stock_reconcile


@backup_check("stock.ledger_balances")
def ledger_balances() -> dict[str, Any]:
    rows = (
        StockTransaction.objects.values_list("warehouse_id", "item_id", "lot_id")
        .annotate(total=Sum("quantity"))
        .order_by("warehouse_id", "item_id", "lot_id")
    )
    lines = [f"{w}|{i}|{lot}|{total.normalize():f}" for w, i, lot, total in rows]
    return {
        "balances": len(lines),
        "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
        "snapshot_differences": len(stock_reconcile()),
    }

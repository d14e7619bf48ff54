"""Every write of the stock domain, by topic: catalogue, the ledger, stock movements, pledges.

The ledger is written only through :func:`.ledger._ledger_post`; see :mod:`.ledger`.
"""

from .catalogue import (
    ITEM_FIELDS,
    item_create,
    item_update,
    item_upsert_bulk,
    kit_set_components,
    lot_get_or_create,
    warehouse_create,
)
from .ledger import (
    COPY_THRESHOLD,
    LEDGER_COLUMNS,
    ZERO,
    InsufficientStock,
    InvalidQuantity,
    LedgerEntry,
)
from .movements import (
    StockCount,
    stock_count,
    stock_count_bulk,
    stock_dispatch,
    stock_loss,
    stock_receive,
    stock_return,
    stock_transfer,
)
from .pledges import (
    PLEDGE_TRANSITIONS,
    pledge_create,
    pledge_receive,
    pledge_set_status,
    pledge_upsert_bulk,
)

__all__ = [
    "COPY_THRESHOLD",
    "ITEM_FIELDS",
    "LEDGER_COLUMNS",
    "PLEDGE_TRANSITIONS",
    "ZERO",
    "InsufficientStock",
    "InvalidQuantity",
    "LedgerEntry",
    "StockCount",
    "item_create",
    "item_update",
    "item_upsert_bulk",
    "kit_set_components",
    "lot_get_or_create",
    "pledge_create",
    "pledge_receive",
    "pledge_set_status",
    "pledge_upsert_bulk",
    "stock_count",
    "stock_count_bulk",
    "stock_dispatch",
    "stock_loss",
    "stock_receive",
    "stock_return",
    "stock_transfer",
    "warehouse_create",
]

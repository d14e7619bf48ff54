"""Every write of the stock domain, by topic: catalogue, the ledger, stock movements, pledges.

The ledger is written only through :func:`.ledger._ledger_post`; see :mod:`.ledger`.
"""

from reliefops.core.errors import Conflict, InvalidInput

from .catalogue import (
    ITEM_FIELDS,
    item_create,
    item_update,
    item_upsert_bulk,
    kit_set_components,
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
    ExpiredLot,
    StockCount,
    stock_count,
    stock_count_bulk,
    stock_dispatch,
    stock_loss,
    stock_lots_ensure,
    stock_receive,
    stock_return,
    stock_transfer,
)
from .pledges import (
    PLEDGE_TRANSITIONS,
    PLEDGE_WORKFLOW,
    pledge_create,
    pledge_import_check,
    pledge_receive,
    pledge_set_status,
    pledge_upsert_bulk,
    pledges_by_key,
    warehouse_area,
)
from .reservations import (
    ReservationMissing,
    Reserved,
    ReservedIssue,
    stock_issue_reserved,
    stock_reservation_release,
    stock_reserve,
)

__all__ = [
    "COPY_THRESHOLD",
    "ITEM_FIELDS",
    "LEDGER_COLUMNS",
    "PLEDGE_TRANSITIONS",
    "PLEDGE_WORKFLOW",
    "ZERO",
    "Conflict",
    "ExpiredLot",
    "InsufficientStock",
    "InvalidInput",
    "InvalidQuantity",
    "LedgerEntry",
    "ReservationMissing",
    "Reserved",
    "ReservedIssue",
    "StockCount",
    "item_create",
    "item_update",
    "item_upsert_bulk",
    "kit_set_components",
    "pledge_create",
    "pledge_import_check",
    "pledge_receive",
    "pledge_set_status",
    "pledge_upsert_bulk",
    "pledges_by_key",
    "stock_count",
    "stock_count_bulk",
    "stock_dispatch",
    "stock_issue_reserved",
    "stock_loss",
    "stock_lots_ensure",
    "stock_receive",
    "stock_reservation_release",
    "stock_reserve",
    "stock_return",
    "stock_transfer",
    "warehouse_area",
    "warehouse_create",
]

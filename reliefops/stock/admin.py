"""Admin of the stock domain: read-only (writes go through reliefops.stock.services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from reliefops.stock.models import Item, KitComponent, Lot, Pledge, StockBalance, StockTransaction


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The ledger and its snapshot change only through reliefops.stock.services."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class KitComponentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = KitComponent
    fk_name = "kit"
    extra = 0
    can_delete = False
    readonly_fields = ["component", "quantity"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "category", "unit", "is_kit", "is_active"]
    list_filter = ["category", "unit", "is_kit"]
    search_fields = ["code"]
    inlines = [KitComponentInline]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["item", "code", "expiry_date", "donor"]
    search_fields = ["code", "item__code"]


@admin.register(StockTransaction)
class StockTransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "occurred_at",
        "kind",
        "warehouse",
        "item",
        "lot",
        "quantity",
        "reference",
        "actor",
    ]
    list_filter = ["kind"]


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = ["warehouse", "item", "lot", "quantity", "updated_at"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["expected_date", "donor", "item", "quantity", "warehouse", "status"]

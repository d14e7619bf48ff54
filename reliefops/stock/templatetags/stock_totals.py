"""``{% stock_totals_for user warehouse_code as totals %}``: the totals of the balances page
(per item and per warehouse × item: on hand, expired, available) from the stock selector."""

from __future__ import annotations

from typing import Any

from django import template

from reliefops.stock.selectors import StockTotals, stock_totals

register = template.Library()


@register.simple_tag
def stock_totals_for(user: Any, warehouse_code: str = "") -> StockTotals:
    return stock_totals(actor=user, warehouse_code=warehouse_code or "")

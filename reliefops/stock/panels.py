"""What stock adds to the place and facility pages (``reliefops.core.panels``): the stock
held at the facility (or at the place's facilities) that the user may see, expired lots
marked. Nothing is shown for a place or facility without a stock point."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.panels import Panel, detail_panel
from reliefops.stock.selectors import stock_held_at

TEMPLATE = "stock/partials/stock_held_panel.html"


def _panel(request: HttpRequest, facilities: list[Any]) -> Panel | None:
    if not any(hasattr(f, "warehouse") for f in facilities):
        return None
    today: dt.date = timezone.localdate()
    rows = [
        {"balance": b, "expired": b.lot.expiry_date is not None and b.lot.expiry_date < today}
        for b in stock_held_at(actor=request.user, facilities=facilities)
    ]
    return Panel(TEMPLATE, {"rows": rows, "several": len(facilities) > 1}, _("Stock held here"))


@detail_panel("facility", order=20)
def facility_stock(request: HttpRequest, facility: Any) -> Panel | None:
    return _panel(request, [facility])


@detail_panel("place", order=20)
def place_stock(request: HttpRequest, place: Any) -> Panel | None:
    return _panel(request, list(place.facilities.select_related("warehouse")))

"""What needs adds to the place and facility pages (``reliefops.core.panels``): the open
requests there, read through the scoped selector, and a "new request" link when the user
may submit for that area."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.panels import Panel, detail_panel
from reliefops.core.permissions import user_can
from reliefops.needs.selectors.requests import request_open_at

TEMPLATE = "needs/partials/open_requests_panel.html"
LIMIT = 20


def _panel(request: HttpRequest, rows: Any, area: Any, facility: Any = None) -> Panel:
    can_submit = user_can(request.user, Action.REQUEST_SUBMIT, area=area)
    new_url = reverse("needs:request_create")
    if facility is not None:
        new_url += "?" + urlencode({"facility": facility.code})
    return Panel(
        TEMPLATE,
        {
            "rows": list(rows[:LIMIT]),
            "total": rows.count(),
            "limit": LIMIT,
            "new_request_url": new_url if can_submit else "",
        },
        _("Open requests"),
    )


@detail_panel("facility", order=10)
def facility_open_requests(request: HttpRequest, facility: Any) -> Panel:
    rows = request_open_at(actor=request.user, facility=facility)
    return _panel(request, rows, facility.place.admin1, facility)


@detail_panel("place", order=10)
def place_open_requests(request: HttpRequest, place: Any) -> Panel:
    rows = request_open_at(actor=request.user, place=place)
    return _panel(request, rows, place.admin1)

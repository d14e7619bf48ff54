"""What logistics adds to the request page (``reliefops.core.panels``): the consignment
lines carrying the request that the user may see, with their convoy's status and its last
passage at a crossing point. Nothing is shown for a request no convoy carries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reliefops.core.panels import Panel, detail_panel
from reliefops.logistics.selectors import last_passage, request_consignments

TEMPLATE = "logistics/partials/request_consignments_panel.html"


@detail_panel("request", order=30)
def request_tracking(request: HttpRequest, obj: Any) -> Panel | None:
    lines = request_consignments(actor=request.user, request=obj)
    if not lines:
        return None
    passages: dict[Any, Any] = {}
    rows = []
    for line in lines:
        convoy = line.carrier.convoy
        if convoy.pk not in passages:
            passages[convoy.pk] = last_passage(convoy)
        rows.append({"line": line, "convoy": convoy, "passage": passages[convoy.pk]})
    return Panel(TEMPLATE, {"rows": rows}, _("Convoys carrying this request"))

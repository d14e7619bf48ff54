"""The declared field lists of the needs domain (see :mod:`reliefops.core.exchange.fields`).

A request and its lines: the API serializers (``api_names``), the request file — one row
per line, the request's columns then the line's (``columns``, ``row_cells``) — and the
services' stored fields (``stored_names``) all read these lists. Related objects travel by
their code (a facility code, a P-code or place name, an organisation acronym, an item code).
"""

from __future__ import annotations

from decimal import Decimal

from reliefops.core import exchange as ex
from reliefops.needs.choices import (
    Priority,
    RequesterKind,
    RequestSource,
    RequestStatus,
    ServiceType,
)

REQUEST = ex.Fields(
    ex.Field("reference", hxl="#activity+request+code", default="", key=True),
    ex.Field(
        "requester_kind",
        hxl="#activity+requester+type",
        parse=ex.parse_choice(RequesterKind),
        default=RequesterKind.PLACE,
    ),
    ex.Field("facility", hxl="#loc+facility+code", default=""),
    ex.Field("place", hxl="#loc+name", default=""),
    ex.Field("area", file=False, stored=False),
    ex.Field("organisation", hxl="#org+code", required=True),
    ex.Field("people_count", hxl="#affected+num", parse=ex.parse_int),
    ex.Field(
        "priority", hxl="#severity", parse=ex.parse_choice(Priority), default=Priority.ROUTINE
    ),
    ex.Field("needed_from", hxl="#date+start", parse=ex.parse_date, required=True),
    ex.Field("needed_by", hxl="#date+end", parse=ex.parse_date, required=True),
    ex.Field("justification", hxl="#description", default=""),
    ex.Field(
        "source",
        hxl="#meta+source",
        parse=ex.parse_choice(RequestSource),
        default=RequestSource.PARTNER,
    ),
    ex.Field("decision_reference", hxl="#meta+decision", default=""),
    ex.Field(
        "status",
        hxl="#status",
        parse=ex.parse_choice(RequestStatus),
        default=RequestStatus.SUBMITTED,
    ),
    ex.Field("status_reason", file=False, stored=False),
)
"""A request. ``area`` follows from the place (the service sets it) and ``status_reason``
from the workflow steps: both are shown, neither is written from outside."""

REQUEST_LINE = ex.Fields(
    ex.Field("item", hxl="#item+code", default=""),
    ex.Field(
        "service_type", hxl="#activity+service", parse=ex.parse_choice(ServiceType), default=""
    ),
    ex.Field("quantity", hxl="#value+requested", parse=ex.parse_positive_decimal, required=True),
    ex.Field("unit", hxl="#item+unit", default=""),
    ex.Field(
        "quantity_planned",
        hxl="#value+planned",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
    ex.Field(
        "quantity_dispatched",
        hxl="#value+dispatched",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
    ex.Field(
        "quantity_delivered",
        hxl="#value+delivered",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
)
"""One requested line: an item or a service, the quantity and what became of it."""

REQUEST_HEADER = tuple(f.name for f in REQUEST if f.file and not f.key)
"""The request columns of a file row: every row of one request agrees on them."""

REQUEST_LINE_PROGRESS = ("quantity_planned", "quantity_dispatched", "quantity_delivered")
"""Line fields only the workflow steps move (read-only in the API, import-checked)."""

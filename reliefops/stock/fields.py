"""The declared field lists of the stock domain (see :mod:`reliefops.core.exchange.fields`).

The API serializers, the importers and exporters and the services all read these lists.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.stock.choices import HazardClass, ItemCategory, PledgeStatus, Unit


def parse_components(text: str) -> dict[str, Decimal]:
    """``CODE:QTY;CODE:QTY`` → ``{code: quantity}`` (a kit's contents)."""
    result: dict[str, Decimal] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        code, sep, quantity = part.partition(":")
        if not sep:
            raise ValueError(_("Write components as CODE:quantity;CODE:quantity."))
        result[code.strip()] = ex.parse_positive_decimal(quantity)
    return result


def render_components(value: Any) -> str:
    if not value:
        return ""
    return ";".join(f"{code}:{ex.render_value(q)}" for code, q in sorted(value.items()))


ITEM = ex.Fields(
    ex.Field("code", hxl="#item+code", required=True, key=True),
    ex.Field("names", hxl="#item+name", translated="name"),
    ex.Field("category", hxl="#item+type", parse=ex.parse_choice(ItemCategory), required=True),
    ex.Field("unit", hxl="#item+unit", parse=ex.parse_choice(Unit), required=True),
    ex.Field(
        "weight_kg",
        hxl="#item+weight+kg",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
    ex.Field(
        "volume_m3",
        hxl="#item+volume+m3",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
    ex.Field("perishable", hxl="#item+perishable", parse=ex.parse_bool, default=False),
    ex.Field("shelf_life_days", hxl="#item+shelf_life+days", parse=ex.parse_int),
    ex.Field("cold_chain", hxl="#item+cold_chain", parse=ex.parse_bool, default=False),
    ex.Field("hazard_class", hxl="#item+hazard", parse=ex.parse_choice(HazardClass), default=""),
    ex.Field("hxl_tags", hxl="#meta+hxl", default=""),
    ex.Field(
        "components",
        hxl="#item+components",
        parse=parse_components,
        render=render_components,
        api=False,
        stored=False,
    ),
    ex.Field("is_kit", file=False),
    ex.Field("is_active", hxl="#status+active", parse=ex.parse_bool, default=True),
)
"""Items of the catalogue; a kit's ``components`` travel in files as ``CODE:QTY;…``."""

STOCK_COUNT = ex.Fields(
    ex.Field("warehouse", hxl="#loc+warehouse+code", required=True),
    ex.Field("item", hxl="#item+code", required=True),
    ex.Field("lot", hxl="#item+lot", default=""),
    ex.Field("expiry_date", hxl="#date+expiry", parse=ex.parse_date),
    ex.Field("donor", hxl="#org+donor+code", default="", api=False),
    ex.Field("quantity", hxl="#value+stock", parse=ex.parse_non_negative_decimal, required=True),
    ex.Field("reference", hxl="#meta+reference", default="", api=False),
)
"""Stock on hand per warehouse × item × lot: the API's balances, the ``stock`` export
(balances) and import (physical counts of the same balances). Warehouses are named by
facility code, items by code, donors by acronym; the lot's donor and the count's
reference document travel only in files."""

PLEDGE = ex.Fields(
    ex.Field("donor", hxl="#org+donor+code", required=True, key=True),
    ex.Field("item", hxl="#item+code", required=True),
    ex.Field("quantity", hxl="#value+pledged", parse=ex.parse_positive_decimal, required=True),
    ex.Field("expected_date", hxl="#date+expected", parse=ex.parse_date, required=True),
    ex.Field("warehouse", hxl="#loc+warehouse+code", default=""),
    ex.Field("reference", hxl="#meta+reference", default="", key=True),
    ex.Field(
        "status", hxl="#status", parse=ex.parse_choice(PledgeStatus), default=PledgeStatus.PLEDGED
    ),
    ex.Field("notes", hxl="#description", default=""),
)
"""Pledges in the pipeline, keyed by (donor, reference): donor by acronym, item by code,
destination warehouse by facility code."""

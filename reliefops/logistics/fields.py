"""The declared field lists of the logistics domain (see :mod:`reliefops.core.exchange.fields`).

The exporters, the vehicle importer and the vehicle services all read these lists.
Related records travel by their codes: an organisation by acronym, a facility (a
vehicle's base, a warehouse, a crossing point, a stop) by facility code, a place by
P-code, an item by code, a request by reference. Drivers are in no file: their name,
phone and licence are personal data.

HXL tags use the standard hashtags (``#org``, ``#loc``, ``#item``, ``#date``,
``#status``, ``#capacity``, ``#value``, ``#description``, ``#contact``, ``#activity``)
with attributes; HXL has no hashtag of its own for a vehicle, a convoy stop or a
tracking number, so those are ``#meta`` with attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.core.exchange.parsing import parse_datetime
from reliefops.logistics.choices import (
    KIND_ITEM_CLASSES,
    LossReason,
    PassageDirection,
    PassageOutcome,
    VehicleKind,
    VehicleStatus,
)
from reliefops.stock.choices import ItemCategory

#: Separators of list cells: an ordered list (stops, roads) and an unordered one.
PATH_SEPARATOR = " > "
LIST_SEPARATOR = ";"

_SPACES = re.compile(r"\s+")


def parse_registration(text: str) -> str:
    """A registration plate as stored: upper case, inner spaces collapsed to one."""
    value = _SPACES.sub(" ", text.strip()).upper()
    if len(value) > 20:
        raise ValueError(_("A registration has at most 20 characters."))
    return value


def parse_item_classes(text: str) -> list[str]:
    """``food;water`` → ``["food", "water"]`` (stock item categories, each once, sorted)."""
    known = {str(value): str(value) for value in ItemCategory.values}
    by_label = {str(label).lower(): str(value) for value, label in ItemCategory.choices}
    result: set[str] = set()
    unknown: list[str] = []
    for part in text.split(LIST_SEPARATOR):
        key = part.strip().lower()
        if not key:
            continue
        value = known.get(key) or by_label.get(key)
        if value is None:
            unknown.append(part.strip())
        else:
            result.add(value)
    if unknown:
        raise ValueError(
            _("Unknown item categories: %(unknown)s (use: %(values)s).")
            % {"unknown": ", ".join(unknown), "values": ", ".join(sorted(known))}
        )
    return sorted(result)


def render_list(value: Any) -> str:
    if not value:
        return ""
    return LIST_SEPARATOR.join(str(v) for v in value)


def render_path(value: Any) -> str:
    if not value:
        return ""
    return PATH_SEPARATOR.join(str(v) for v in value)


def item_classes_problem(kind: str, item_classes: Iterable[str]) -> str | None:
    """Why a vehicle of ``kind`` may not carry ``item_classes`` (None: it may).

    A kind that carries only some categories (a fuel tanker: fuel; a bread van: bread
    and food …, ``choices.KIND_ITEM_CLASSES``) may not be given others: no food in a
    fuel tanker, no fuel in a bread van.
    """
    allowed = KIND_ITEM_CLASSES.get(kind)
    if allowed is None:
        return None
    refused = sorted(set(item_classes) - allowed)
    if not refused:
        return None
    return _("A vehicle of kind “%(kind)s” may carry only %(allowed)s, not %(refused)s.") % {
        "kind": VehicleKind(kind).label,
        "allowed": ", ".join(sorted(allowed)),
        "refused": ", ".join(refused),
    }


VEHICLE = ex.Fields(
    ex.Field(
        "registration",
        hxl="#meta+vehicle+code",
        parse=parse_registration,
        required=True,
        key=True,
    ),
    ex.Field("kind", hxl="#meta+vehicle+type", parse=ex.parse_choice(VehicleKind), required=True),
    ex.Field("organisation", column="owner", hxl="#org+code", required=True),
    ex.Field("base", hxl="#loc+code+facility+base", default=""),
    ex.Field(
        "capacity_kg", hxl="#capacity+weight+kg", parse=ex.parse_positive_decimal, required=True
    ),
    ex.Field("capacity_m3", hxl="#capacity+volume+m3", parse=ex.parse_positive_decimal),
    ex.Field("capacity_litres", hxl="#capacity+fuel+litres", parse=ex.parse_positive_decimal),
    ex.Field(
        "item_classes",
        hxl="#item+type",
        parse=parse_item_classes,
        render=render_list,
    ),
    ex.Field(
        "status",
        hxl="#status",
        parse=ex.parse_choice(VehicleStatus),
        default=VehicleStatus.AVAILABLE,
    ),
    ex.Field("notes", hxl="#description", default=""),
)
"""A vehicle, keyed by registration: owner by organisation acronym, base by facility
code, ``item_classes`` as ``food;water``. The usual driver is not in the file."""

CONVOY = ex.Fields(
    ex.Field("code", hxl="#activity+convoy+code", key=True),
    ex.Field("departure_date", hxl="#date+departure", parse=ex.parse_date),
    ex.Field("origin", hxl="#loc+code+facility+origin"),
    ex.Field("organisation", hxl="#org+code"),
    ex.Field("status", hxl="#status"),
    ex.Field("status_reason", hxl="#status+reason"),
    ex.Field("escort", hxl="#description+escort"),
    ex.Field("leader", hxl="#contact+name+leader"),
    ex.Field("stops", hxl="#loc+code+stops", render=render_path),
    ex.Field("route", hxl="#loc+name+route", render=render_path),
    ex.Field("crossing_points", hxl="#loc+code+crossing", render=render_path),
    ex.Field("length_km", hxl="#indicator+length+km", parse=ex.parse_decimal),
    ex.Field("vehicles", hxl="#meta+vehicle+code", render=render_list),
    ex.Field("tracking_numbers", hxl="#meta+tracking+code", render=render_list),
    ex.Field("notes", hxl="#description"),
)
"""A convoy (export only): its stops by facility code (P-code for a stop at a place) in
order, its route as the names of the roads it follows in order with the crossing points
on it and its length, its vehicles' registrations and their tracking numbers (both in
tracking-number order). Crew and notes only for users who see the convoy whole."""

CONSIGNMENT = ex.Fields(
    ex.Field("convoy", hxl="#activity+convoy+code"),
    ex.Field("tracking_number", hxl="#meta+tracking+code"),
    ex.Field("vehicle", hxl="#meta+vehicle+code"),
    ex.Field("stop", hxl="#meta+stop+num", parse=ex.parse_int),
    ex.Field("facility", hxl="#loc+code+facility"),
    ex.Field("place", hxl="#loc+code"),
    ex.Field("request", hxl="#activity+request+code"),
    ex.Field("item", hxl="#item+code"),
    ex.Field("lot", hxl="#item+lot"),
    ex.Field("expiry_date", hxl="#date+expiry", parse=ex.parse_date),
    ex.Field("quantity", hxl="#value+loaded", parse=ex.parse_decimal),
    ex.Field("unit", hxl="#item+unit"),
    ex.Field("delivered", hxl="#value+delivered", parse=ex.parse_decimal),
    ex.Field("short", hxl="#value+short", parse=ex.parse_decimal),
    ex.Field("short_reason", hxl="#cause+short", parse=ex.parse_choice(LossReason)),
    ex.Field("damaged", hxl="#value+damaged", parse=ex.parse_decimal),
    ex.Field("damage_reason", hxl="#cause+damaged", parse=ex.parse_choice(LossReason)),
    ex.Field("returned", hxl="#value+returned", parse=ex.parse_decimal),
    ex.Field("on_board", hxl="#value+on_board", parse=ex.parse_decimal),
)
"""One consignment line (export only): quantities in the item's unit, loaded =
delivered + short + damaged + returned + on board."""


def _quantity(text: str, item: str) -> Decimal:
    try:
        value = ex.parse_non_negative_decimal(text)
    except ValueError as exc:
        raise ValueError(f"{item}: {exc}") from None
    return value


def _pairs(text: str) -> Iterable[tuple[str, str]]:
    seen: set[str] = set()
    for part in text.split(LIST_SEPARATOR):
        if not part.strip():
            continue
        code, sep, rest = part.partition("=")
        code = code.strip()
        if not sep or not code or not rest.strip():
            raise ValueError(_("Write each item as ITEM=quantity (%(part)s).") % {"part": part})
        if code in seen:
            raise ValueError(_("The item %(item)s appears twice.") % {"item": code})
        seen.add(code)
        yield code, rest.strip()


def parse_item_quantities(text: str) -> dict[str, Decimal]:
    """``FLR=200;VOIL=40`` → ``{"FLR": 200, "VOIL": 40}`` (item codes, item units)."""
    return {code: _quantity(rest, code) for code, rest in _pairs(text)}


def item_quantities_text(quantities: dict[str, Decimal]) -> list[str]:
    """``{"FLR": 200}`` → ``["FLR=200"]`` (by item code), as ``held_items`` is written."""
    return [f"{code}={ex.render_value(q)}" for code, q in sorted(quantities.items())]


@dataclass(frozen=True)
class ItemReceipt:
    """What a receiver confirms of one item at a stop (item units)."""

    received: Decimal
    short: Decimal = Decimal(0)
    short_reason: str = ""
    damaged: Decimal = Decimal(0)
    damage_reason: str = ""

    def text(self, code: str) -> str:
        """``FLR=950:50:missing`` — the shortest form that says it all."""
        parts = [ex.render_value(self.received)]
        if self.short or self.damaged:
            parts += [ex.render_value(self.short), self.short_reason if self.short else ""]
        if self.damaged:
            parts += [ex.render_value(self.damaged), self.damage_reason]
        return f"{code}={':'.join(parts)}"


_REASON = ex.parse_choice(LossReason)


def parse_receipts(text: str) -> dict[str, ItemReceipt]:
    """``FLR=950:50:missing;VOIL=95:0::5:leaked`` → per item code: received[:short:reason
    [:damaged:reason]] (reasons: :class:`LossReason`)."""
    result: dict[str, ItemReceipt] = {}
    for code, rest in _pairs(text):
        parts = [p.strip() for p in rest.split(":")]
        if len(parts) not in (1, 3, 5):
            raise ValueError(
                _("%(item)s: write received[:short:reason[:damaged:reason]].") % {"item": code}
            )
        parts += [""] * (5 - len(parts))
        received, short, damaged = (_quantity(parts[i] or "0", code) for i in (0, 1, 3))
        short_reason, damage_reason = (_REASON(parts[i]) if parts[i] else "" for i in (2, 4))
        result[code] = ItemReceipt(received, short, short_reason, damaged, damage_reason)
    return result


PASSAGE = ex.Fields(
    ex.Field("convoy", hxl="#activity+convoy+code", required=True, key=True),
    ex.Field("tracking_number", hxl="#meta+tracking+code", key=True),
    ex.Field("crossing_point", hxl="#loc+code+crossing", required=True, key=True),
    ex.Field("direction", hxl="#meta+direction", parse=ex.parse_choice(PassageDirection)),
    ex.Field("time_in", hxl="#date+in", parse=parse_datetime, required=True, key=True),
    ex.Field("time_out", hxl="#date+out", parse=parse_datetime),
    ex.Field(
        "outcome", hxl="#status+outcome", parse=ex.parse_choice(PassageOutcome), required=True
    ),
    ex.Field("delay_minutes", hxl="#indicator+delay+minutes", parse=ex.parse_int),
    ex.Field("inspected", hxl="#status+inspected", parse=ex.parse_bool),
    ex.Field("held", hxl="#value+held", parse=ex.parse_decimal),
    ex.Field("notes", hxl="#description"),
    ex.Field("held_items", hxl="#item+code+held", parse=parse_item_quantities, render=render_list),
)
"""A crossing point's check of a convoy or of one vehicle (an empty ``tracking_number``
is the whole convoy), keyed by convoy, vehicle, crossing point and time in; ``held`` is
the total quantity it held back of the lines the user may see (derived), ``held_items``
what it held per item code (``FLR=200;VOIL=40``). Import and field submissions record
passages through ``passage_record`` (docs/field-kinds.md)."""

DELIVERY = ex.Fields(
    ex.Field("convoy", hxl="#activity+convoy+code", required=True, key=True),
    ex.Field("stop", hxl="#meta+stop+num", parse=ex.parse_int, required=True, key=True),
    ex.Field("facility", hxl="#loc+code+facility"),
    ex.Field("place", hxl="#loc+code"),
    ex.Field("receiver_name", hxl="#contact+name+receiver", required=True),
    ex.Field("receiver_role", hxl="#contact+role+receiver"),
    ex.Field("received_at", hxl="#date+received", parse=parse_datetime),
    ex.Field("note", hxl="#description"),
    ex.Field("has_photo", hxl="#meta+photo", parse=ex.parse_bool),
    ex.Field("delivered", hxl="#value+delivered", parse=ex.parse_decimal),
    ex.Field("short", hxl="#value+short", parse=ex.parse_decimal),
    ex.Field("damaged", hxl="#value+damaged", parse=ex.parse_decimal),
    ex.Field("receipts", hxl="#item+code+received", parse=parse_receipts, render=render_list),
)
"""A proof of delivery at a stop, keyed by convoy and stop number: whether a photo of the
signed note was kept (never the photo), the stop's totals over the lines the user may see
(derived) and ``receipts`` per item code (``FLR=950:50:missing``). Import and field
submissions confirm deliveries through ``delivery_confirm`` (docs/field-kinds.md)."""

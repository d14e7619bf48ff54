"""Vocabularies of the stock domain: item categories and units, ledger kinds, pledges."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemCategory(models.TextChoices):
    FOOD = "food", _("Food")
    BREAD = "bread", _("Bread")
    FUEL = "fuel", _("Fuel")
    MEDICAL_SUPPLIES = "medical_supplies", _("Medical supplies")
    MEDICINES = "medicines", _("Medicines")
    HYGIENE = "hygiene", _("Hygiene / sanitary")
    NON_FOOD = "non_food", _("Non-food items")
    SHELTER = "shelter", _("Shelter")
    WATER = "water", _("Water")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    LITRE = "litre", _("litre")
    PIECE = "piece", _("piece")
    KIT = "kit", _("kit")
    RATION = "ration", _("ration")
    PARCEL = "parcel", _("parcel")
    CUBIC_METRE = "m3", _("m³")


#: Units that are not stock units but appear next to quantities (estimates, service lines).
OTHER_UNITS = {"kWh": _("kWh"), "service": _("service")}


def unit_label(code: str) -> str:
    """The translated name of a unit code (``litre`` → "литр"); an unknown code as it is."""
    if code in Unit.values:
        return str(Unit(code).label)
    if code in OTHER_UNITS:
        return str(OTHER_UNITS[code])
    return code


class HazardClass(models.TextChoices):
    """UN dangerous-goods classes relevant to relief cargo (blank = not hazardous)."""

    NONE = "", _("Not hazardous")
    FLAMMABLE_GAS = "2.1", _("2.1 Flammable gas (LPG)")
    FLAMMABLE_LIQUID = "3", _("3 Flammable liquid (diesel, heating oil, petrol)")
    FLAMMABLE_SOLID = "4.1", _("4.1 Flammable solid")
    TOXIC = "6.1", _("6.1 Toxic")
    CORROSIVE = "8", _("8 Corrosive")
    MISCELLANEOUS = "9", _("9 Miscellaneous")


class TransactionKind(models.TextChoices):
    """Kinds of ledger transactions; the sign of the quantity follows the kind."""

    RECEIPT = "receipt", _("Receipt")
    DISPATCH = "dispatch", _("Dispatch")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    LOSS = "loss", _("Loss / damage")
    COUNT_ADJUSTMENT = "count_adjustment", _("Count adjustment")
    RETURN = "return", _("Return")


class LedgerReason(models.TextChoices):
    """Reasons the system itself writes on ledger lines.

    The code is stored (``StockTransaction.reason``) and shown translated
    (``reason_display``); a reason a person types is stored and shown as typed.
    """

    PLEDGE_RECEIVED = "pledge received", _("Pledge received")
    REQUEST_DISPATCH = "request dispatch", _("Dispatched for a request")
    CONVOY_DISPATCH = "convoy dispatch", _("Loaded on a convoy that departed")
    CONVOY_RETURN = "convoy return", _("Brought back by a convoy (held, turned back, undelivered)")
    OPENING_STOCK = "opening stock", _("Opening stock")


def reason_label(reason: str) -> str:
    """A ledger reason as people read it: a system reason translated, any other as typed."""
    if reason in LedgerReason.values:
        return str(LedgerReason(reason).label)
    return reason


#: Kinds that only add (quantity > 0) or only remove (quantity < 0); adjustments may do both.
INBOUND_KINDS = frozenset(
    {TransactionKind.RECEIPT, TransactionKind.TRANSFER_IN, TransactionKind.RETURN}
)
OUTBOUND_KINDS = frozenset(
    {TransactionKind.DISPATCH, TransactionKind.TRANSFER_OUT, TransactionKind.LOSS}
)


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


#: Pledges still expected (the pipeline).
PIPELINE_STATUSES = frozenset({PledgeStatus.PLEDGED, PledgeStatus.IN_TRANSIT})

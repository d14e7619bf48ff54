"""Vocabularies of the logistics domain: vehicles, convoys, passages, deliveries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VehicleKind(models.TextChoices):
    TRUCK = "truck", _("Truck")
    VAN = "van", _("Van")
    FUEL_TANKER = "fuel_tanker", _("Fuel tanker")
    BREAD_VAN = "bread_van", _("Bread van")
    REFRIGERATED_TRUCK = "refrigerated_truck", _("Refrigerated truck")
    AMBULANCE = "ambulance", _("Ambulance")
    FIRE_ENGINE = "fire_engine", _("Fire engine")
    FOUR_BY_FOUR = "4x4", _("4×4")


#: Item categories (``stock.ItemCategory`` values) each kind may carry when the vehicle
#: names none of its own: no food in a fuel tanker, no fuel in a bread van.
KIND_ITEM_CLASSES: dict[str, frozenset[str]] = {
    VehicleKind.FUEL_TANKER: frozenset({"fuel"}),
    VehicleKind.BREAD_VAN: frozenset({"bread", "food"}),
    VehicleKind.REFRIGERATED_TRUCK: frozenset({"food", "medicines", "medical_supplies", "water"}),
    VehicleKind.AMBULANCE: frozenset({"medicines", "medical_supplies"}),
    VehicleKind.FIRE_ENGINE: frozenset({"water"}),
}

#: The routing class (``places.VehicleClass``) of each kind: its speed on every road.
KIND_VEHICLE_CLASS: dict[str, str] = {
    VehicleKind.TRUCK: "heavy",
    VehicleKind.FUEL_TANKER: "heavy",
    VehicleKind.REFRIGERATED_TRUCK: "truck",
    VehicleKind.FIRE_ENGINE: "truck",
    VehicleKind.VAN: "light",
    VehicleKind.BREAD_VAN: "light",
    VehicleKind.AMBULANCE: "light",
    VehicleKind.FOUR_BY_FOUR: "light",
}


class VehicleStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_MISSION = "on_mission", _("On mission")
    MAINTENANCE = "maintenance", _("Maintenance")


class ConvoyStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    LOADING = "loading", _("Loading")
    DEPARTED = "departed", _("Departed")
    AT_CROSSING = "at_crossing", _("At crossing point")
    ARRIVED = "arrived", _("Arrived")
    COMPLETED = "completed", _("Completed")
    ABORTED = "aborted", _("Aborted")


#: Statuses in which goods are on the road (dispatched, not yet all accounted for).
ON_ROAD_STATUSES = frozenset(
    {ConvoyStatus.DEPARTED, ConvoyStatus.AT_CROSSING, ConvoyStatus.ARRIVED}
)


class CarriageStatus(models.TextChoices):
    """Where one vehicle of a convoy is with its load."""

    WITH_CONVOY = "with_convoy", _("With the convoy")
    TURNED_BACK = "turned_back", _("Turned back")


class PassageDirection(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class PassageOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    PARTIAL = "partial", _("Partially passed (goods held)")
    TURNED_BACK = "turned_back", _("Turned back")


class LossReason(models.TextChoices):
    """Why less arrived than was loaded."""

    NONE = "", _("—")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("Damaged in transit")
    SPOILED = "spoiled", _("Spoiled (cold chain, expiry)")
    MISSING = "missing", _("Missing on arrival")
    LEAKED = "leaked", _("Leaked (fuel)")
    REFUSED = "refused", _("Refused by the receiver")
    HELD = "held", _("Held at a crossing point")
    OTHER = "other", _("Other")

"""Vocabularies of the places domain: kinds and statuses of places, facilities and roads."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    CITY = "city", _("City")
    TOWN = "town", _("Town")
    VILLAGE = "village", _("Village")
    SETTLEMENT = "settlement", _("Settlement")
    SITE = "site", _("Site")


class NameType(models.TextChoices):
    OFFICIAL = "official", _("Official")
    ALTERNATE = "alternate", _("Alternate")
    HISTORIC = "historic", _("Historic")
    TRANSLITERATION = "transliteration", _("Transliteration")


class Script(models.TextChoices):
    """ISO 15924 script codes of the names we hold."""

    LATIN = "Latn", _("Latin")
    CYRILLIC = "Cyrl", _("Cyrillic")
    ARMENIAN = "Armn", _("Armenian")
    GEORGIAN = "Geor", _("Georgian")
    ARABIC = "Arab", _("Arabic")
    GREEK = "Grek", _("Greek")
    HEBREW = "Hebr", _("Hebrew")
    OTHER = "Zyyy", _("Other")


class FacilityKind(models.TextChoices):
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    HOSPITAL = "hospital", _("Hospital")
    FIELD_HOSPITAL = "field_hospital", _("Field hospital")
    HEALTH_POST = "health_post", _("Health post / polyclinic")
    AMBULANCE_STATION = "ambulance_station", _("Ambulance station")
    FIRE_STATION = "fire_station", _("Fire station")
    BOILER_HOUSE = "boiler_house", _("Boiler house / heating plant")
    BAKERY = "bakery", _("Bakery")
    WAREHOUSE = "warehouse", _("Warehouse")
    FUEL_DEPOT = "fuel_depot", _("Fuel depot")
    DISTRIBUTION_POINT = "distribution_point", _("Distribution point")
    WATER_POINT = "water_point", _("Water point")
    COLLECTIVE_SHELTER = "collective_shelter", _("Collective shelter")
    CROSSING_POINT = "crossing_point", _("Checkpoint / crossing point")
    OTHER = "other", _("Other")


#: Facility kinds whose buildings are heated (the heating-fuel estimator uses them).
HEATED_FACILITY_KINDS = frozenset(
    {
        FacilityKind.SCHOOL,
        FacilityKind.KINDERGARTEN,
        FacilityKind.HOSPITAL,
        FacilityKind.FIELD_HOSPITAL,
        FacilityKind.HEALTH_POST,
        FacilityKind.AMBULANCE_STATION,
        FacilityKind.FIRE_STATION,
        FacilityKind.BOILER_HOUSE,
        FacilityKind.BAKERY,
        FacilityKind.COLLECTIVE_SHELTER,
    }
)


class FacilityStatus(models.TextChoices):
    """For crossing points, ``operating`` means open for passage."""

    OPERATING = "operating", _("Operating")
    DAMAGED = "damaged", _("Damaged")
    CLOSED = "closed", _("Closed")


class HeatingFuel(models.TextChoices):
    DIESEL = "diesel", _("Diesel")
    HEATING_OIL = "heating_oil", _("Heating oil")
    NATURAL_GAS = "natural_gas", _("Natural gas")
    LPG = "lpg", _("LPG")
    COAL = "coal", _("Coal")
    WOOD = "wood", _("Wood")
    ELECTRICITY = "electricity", _("Electricity")


class RoadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESTRICTED = "restricted", _("Restricted")
    CLOSED = "closed", _("Closed")


class RoadSurface(models.TextChoices):
    PAVED = "paved", _("Paved")
    GRAVEL = "gravel", _("Gravel")
    DIRT = "dirt", _("Dirt")


class RoadCondition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class VehicleClass(models.TextChoices):
    """Vehicle classes with their own typical speed on each road segment."""

    LIGHT = "light", _("Light vehicle (car, 4×4, ambulance)")
    TRUCK = "truck", _("Truck (up to 12 t)")
    HEAVY = "heavy", _("Heavy truck (over 12 t)")


class NodeKind(models.TextChoices):
    PLACE = "place", _("Place")
    JUNCTION = "junction", _("Junction")

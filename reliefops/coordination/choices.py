"""Vocabularies of the coordination domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """IASC cluster/sector list used by working groups and the 3W."""

    COORDINATION = "coordination", _("Coordination")
    FOOD = "food", _("Food security")
    HEALTH = "health", _("Health")
    SHELTER = "shelter", _("Shelter and non-food items")
    WASH = "wash", _("Water, sanitation and hygiene")
    LOGISTICS = "logistics", _("Logistics")
    PROTECTION = "protection", _("Protection")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy and heating")
    EARLY_RECOVERY = "early_recovery", _("Early recovery")

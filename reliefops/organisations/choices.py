"""Vocabularies of the organisations domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    UN_AGENCY = "un_agency", _("UN agency")
    RED_CROSS = "red_cross", _("Red Cross / Red Crescent")
    INGO = "ingo", _("International NGO")
    LOCAL_NGO = "local_ngo", _("Local NGO")
    SERVICE_PROVIDER = "service_provider", _("Local service provider")
    DONOR = "donor", _("Donor")
    OTHER = "other", _("Other")

"""Vocabularies of the accounts domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    LOGISTICS = "logistics", _("Logistics officer")
    FIELD = "field", _("Field worker")
    PARTNER = "partner", _("Partner")
    DPO = "dpo", _("Data-protection officer")
    VIEWER = "viewer", _("Viewer")

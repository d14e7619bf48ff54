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


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")

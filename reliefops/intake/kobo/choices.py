"""Vocabularies of the KoboToolbox / ODK forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstanceStatus(models.TextChoices):
    """What became of one received form instance."""

    APPLIED = "applied", _("Applied")
    WAITING = "waiting", _("Waiting for a record it names")
    SUPERSEDED = "superseded", _("Replaced by a later edit")
    REFUSED = "refused", _("Refused")


class PayloadShape(models.TextChoices):
    KOBO = "kobo", _("KoboToolbox")
    ODK = "odk", _("ODK Central")
    OPENROSA = "openrosa", _("OpenRosa upload")


class AnswerStatus(models.TextChoices):
    """The ``status`` of the webhook's answer (an instance as it was received)."""

    APPLIED = "applied", _("Applied")
    WAITING = "waiting", _("Waiting for a record it names")
    SUPERSEDED = "superseded", _("Replaced by a later edit")

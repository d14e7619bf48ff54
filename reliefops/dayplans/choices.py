"""Vocabularies of the day-plans domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DRAFT = "draft", _("Draft")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    SUPERSEDED = "superseded", _("Superseded")


class PartStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: A run in one of these states has stopped moving (its progress bar stops polling).
FINISHED = frozenset(
    {
        PlanStatus.DRAFT,
        PlanStatus.COMMITTED,
        PlanStatus.FAILED,
        PlanStatus.CANCELLED,
        PlanStatus.SUPERSEDED,
    }
)

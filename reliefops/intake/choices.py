"""Vocabularies of the intake domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class RunSource(models.TextChoices):
    PAGE = "page", _("Upload page")
    API = "api", _("API")
    COMMAND = "command", _("Command line")


class RunMode(models.TextChoices):
    UPSERT = "upsert", _("Create or update")
    CREATE = "create", _("New records only")


FINISHED = frozenset({RunStatus.SUCCEEDED, RunStatus.FAILED})

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


# --- added for submissions: field submissions (one record each, idempotent by client id)
class SubmissionStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WAITING = "waiting", _("Waiting")
    REFUSED = "refused", _("Refused")


class SubmissionSource(models.TextChoices):
    API = "api", _("API")
    BATCH = "batch", _("API (batch)")
    KOBO = "kobo", _("KoboToolbox / ODK")
    OFFLINE = "offline", _("Offline page")


class SubmissionOutcome(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")

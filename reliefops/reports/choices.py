"""Vocabularies of the reports domain: the weekly situation report by e-mail."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SitrepAttachment(models.TextChoices):
    """The file a weekly sitrep e-mail carries (its text is the report as Markdown)."""

    PDF = "pdf", _("PDF")
    HTML = "html", _("HTML")


class DispatchStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")

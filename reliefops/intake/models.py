"""Models of the intake domain: the history of bulk imports; field submissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedJSONField

from reliefops.core.exchange.errors import UnknownKind
from reliefops.core.exchange.registry import registry_get
from reliefops.core.models import BaseModel
from reliefops.intake.choices import (
    FINISHED,
    RunMode,
    RunSource,
    RunStatus,
    SubmissionOutcome,
    SubmissionSource,
    SubmissionStatus,
)


class ImportRun(BaseModel):
    """One import of a file (page, API or command line), dry run or not, kept as history.

    Written only by :mod:`reliefops.intake.services` (the import machinery): created when
    the run starts, its progress (``rows_done`` of ``rows_total``) moved while it runs,
    its counts, errors and per-row outcomes (bounded: ``OUTCOME_ROWS``) when it ends.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), default=0)
    format = models.CharField(_("format"), max_length=16, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=RunMode, default=RunMode.UPSERT)
    dry_run = models.BooleanField(_("check only"), default=False)
    source = models.CharField(_("source"), max_length=10, choices=RunSource)
    background = models.BooleanField(_("background job"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus, default=RunStatus.QUEUED
    )
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    written = models.PositiveIntegerField(_("written"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    error_summary = models.TextField(_("error summary"), blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    outcomes = models.JSONField(_("row outcomes"), default=list, blank=True)
    outcomes_left_off = models.PositiveIntegerField(default=0)
    spool_path = models.CharField(max_length=500, blank=True)
    task_id = models.CharField(_("background job id"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), default=0.0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def kind_label(self) -> str:
        """The kind's name in the user's language (the exchange registry's label)."""
        try:
            return str(registry_get(self.kind).label)
        except UnknownKind:
            return self.kind

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """How far the run is, 0-100 (checking is the first half, writing the second)."""
        if self.finished:
            return 100
        if not self.rows_total:
            return 0
        share = min(self.rows_done, self.rows_total) / self.rows_total
        half = 50 if self.stage == "writing" else 0
        span = 50 if not self.dry_run else 100
        return min(99, int(half + share * span))


# --- added for submissions: field submissions (reliefops.intake.submissions writes them)
class Submission(BaseModel):
    """One field submission: a record of an exchange kind sent with a client-made UUID.

    ``client_id`` is unique: a device that retries gets the stored ``answer`` back instead
    of a second record (``body_sha256`` tells a retry from another body sent with the same
    id). ``data`` — the record as sent, which may hold personal data such as a receiver's
    name — is encrypted at rest. ``status``: ``applied`` (``outcome`` and ``record_key``
    say what it did), ``waiting`` (it names a record that has not arrived; ``reason``
    says which, retried until it expires) or ``refused`` (``error`` is the error body
    without the refused values; nothing was created, so the same id may be sent again).
    ``area`` is the admin area of the record written, when the importer knows it.
    Written only by :mod:`reliefops.intake.submissions`.
    """

    client_id = models.UUIDField(_("submission id"), unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    body_sha256 = models.CharField(_("SHA-256 of the body"), max_length=64)
    data = EncryptedJSONField(_("record"), default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    area = models.ForeignKey(
        "places.AdminArea",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=SubmissionSource)
    status = models.CharField(_("status"), max_length=10, choices=SubmissionStatus)
    outcome = models.CharField(_("outcome"), max_length=10, choices=SubmissionOutcome, blank=True)
    record_key = models.CharField(_("record"), max_length=255, blank=True)
    answer = models.JSONField(_("answer"), default=dict, blank=True)
    error = models.JSONField(_("error"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    received_at = models.DateTimeField(_("received at"))
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    purged_at = models.DateTimeField(
        _("record erased at"),
        null=True,
        blank=True,
        help_text=_("When the retention period erased the record as sent (data, reason)."),
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "organisation", "received_at"]),
            models.Index(fields=["organisation", "-received_at"]),
            models.Index(fields=["user", "-received_at"]),
        ]
        verbose_name = _("field submission")
        verbose_name_plural = _("field submissions")

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id} ({self.status})"

    @property
    def kind_label(self) -> str:
        try:
            return str(registry_get(self.kind).label)
        except UnknownKind:
            return self.kind


# --- added for kobo
from reliefops.intake.kobo.models import FormInstance, FormLink  # noqa: E402, F401

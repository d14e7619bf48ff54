"""Form links (one per KoboToolbox/ODK form sending to ReliefOps) and received instances.

Imported at the end of :mod:`reliefops.intake.models`, so Django files them under the
``intake`` app. Both are written only by :mod:`reliefops.intake.kobo.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reliefops.core.models import BaseModel
from reliefops.intake.choices import SubmissionOutcome
from reliefops.intake.kobo.choices import InstanceStatus, PayloadShape

#: The default attachment rules of a new link: photos only, 5 MB each, one per submission.
DEFAULT_TYPES = ["image/jpeg", "image/png", "image/webp"]
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_FILES = 1
#: How many refused submissions a link remembers (newest first) for its page.
RECENT_REFUSALS = 20


def default_types() -> list[str]:
    return list(DEFAULT_TYPES)


class FormLink(BaseModel):
    """One form whose submissions arrive at ``POST /api/v1/kobo/<key>/``.

    ``mapping`` turns the form's answers into records of ``kind``
    (:mod:`reliefops.intake.kobo.mapping`); the submissions act as ``user`` — or as the
    user ``submitters`` maps the server's submitter name to — through the same services
    and permission checks as the pages. ``secret_hash`` is the SHA-256 of the shared
    secret (a random token of 32 bytes; the secret itself is shown once, never stored).
    """

    key = models.SlugField(_("form key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    form_ids = models.CharField(
        _("form ids"),
        max_length=400,
        blank=True,
        help_text=_(
            "The form ids submissions may name, separated by spaces: the XLSForm's form_id "
            "and, for KoboToolbox, the project's asset id (its _xform_id_string). A "
            "submission naming another form is refused; empty: any form."
        ),
    )
    form_version = models.CharField(
        _("form version"),
        max_length=100,
        blank=True,
        help_text=_("Only submissions of this version are accepted (empty: any version)."),
    )
    kind = models.CharField(_("record kind"), max_length=40)
    mapping = models.JSONField(_("mapping"), default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        related_name="form_links",
    )
    submitters = models.JSONField(
        _("submitters"),
        default=dict,
        blank=True,
        help_text=_("Submitter name on the form server → ReliefOps user name."),
    )
    secret_hash = models.CharField(_("secret (SHA-256)"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    attachment_types = models.JSONField(_("allowed attachment types"), default=default_types)
    attachment_max_bytes = models.PositiveIntegerField(
        _("largest attachment (bytes)"), default=DEFAULT_MAX_BYTES
    )
    attachment_max_files = models.PositiveSmallIntegerField(
        _("attachments per submission"), default=DEFAULT_MAX_FILES
    )
    source_file = models.CharField(_("mapping file"), max_length=200, blank=True)
    refused_count = models.PositiveIntegerField(_("refused submissions"), default=0)
    last_refused_at = models.DateTimeField(_("last refused at"), null=True, blank=True)
    recent_refusals = models.JSONField(_("recent refusals"), default=list, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("form link")
        verbose_name_plural = _("form links")

    def __str__(self) -> str:
        return self.key


class FormInstance(BaseModel):
    """One form instance handed to the submissions mechanism (once per instance id).

    ``client_id`` is the field submission's id (uuid5 of the link and the instance
    id); ``root_id`` the first instance of its edit chain and ``record_id`` the uuid5 of
    that root (what the mapping sends as the record's ``id``). ``answer`` is the body the
    webhook answered, returned again when the same instance arrives again.
    """

    link = models.ForeignKey(
        FormLink, verbose_name=_("form"), on_delete=models.PROTECT, related_name="instances"
    )
    instance_id = models.CharField(_("instance id"), max_length=255)
    deprecated_id = models.CharField(_("edits instance"), max_length=255, blank=True)
    root_id = models.CharField(_("first instance"), max_length=255)
    client_id = models.UUIDField(_("submission id"), unique=True)
    submission = models.ForeignKey(
        "intake.Submission",
        verbose_name=_("submission"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="form_instances",
    )
    record_id = models.UUIDField(_("record id"))
    status = models.CharField(_("status"), max_length=12, choices=InstanceStatus)
    outcome = models.CharField(_("outcome"), max_length=12, choices=SubmissionOutcome, blank=True)
    record = models.CharField(_("record"), max_length=255, blank=True)
    answer = models.JSONField(_("answer"), default=dict)
    error = models.JSONField(_("error"), default=dict, blank=True)
    acted_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acted as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.CharField(_("submitted by"), max_length=150, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    form_version = models.CharField(_("form version"), max_length=100, blank=True)
    shape = models.CharField(_("sent as"), max_length=10, choices=PayloadShape)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["link", "instance_id"], name="form_instance_once")
        ]
        indexes = [
            models.Index(fields=["link", "-created_at"]),
            models.Index(fields=["link", "deprecated_id"]),
        ]
        verbose_name = _("form instance")
        verbose_name_plural = _("form instances")

    def __str__(self) -> str:
        return f"{self.link_id} {self.instance_id}"

    @property
    def current_status(self) -> str:
        """The status now: a waiting instance's submission may have been applied (or
        refused when it expired) since."""
        if self.status == InstanceStatus.WAITING and self.submission is not None:
            return str(self.submission.status)
        return str(self.status)

    @property
    def current_status_label(self) -> str:
        status = self.current_status
        return str(dict(InstanceStatus.choices).get(status, status))

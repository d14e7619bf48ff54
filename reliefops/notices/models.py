"""A notice: one thing one user should know, shown in the app and sent by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reliefops.core.models import BaseModel
from reliefops.notices.choices import NoticeKind


class Notice(BaseModel):
    """A message to ``recipient``, stored as a message key and parameters so that it is
    rendered in the reader's language when read (``notices.messages``), never frozen in
    the sender's. ``created_by`` is the user whose action caused it (None: a scheduled job).

    ``dedup_key`` (``kind:reference:day`` for scheduled reminders, else empty) is unique per
    recipient: a reminder run twice on a day creates and sends nothing new. Notices are
    messages, not records: no history is kept beyond the audit event of their creation.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=NoticeKind.choices)
    message = models.CharField(_("message key"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notice_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-created_at"], name="notice_recipient_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"],
                condition=~Q(dedup_key=""),
                name="notice_dedup_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}".strip()

    @property
    def unread(self) -> bool:
        return self.read_at is None

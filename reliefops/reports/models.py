"""Models of the reports domain: the weekly situation report's mailing list.

The reports themselves are not stored: they are generated on request from the other apps'
scoped selectors. What is stored is who receives the weekly report by e-mail and what was
sent to whom.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reliefops.core.models import BaseModel
from reliefops.reports.choices import DispatchStatus, SitrepAttachment


class SitrepSubscription(BaseModel):
    """``user`` receives the weekly situation report by e-mail, in ``language``, with the
    report attached as ``attachment`` (its text in the body). The report is generated as
    that user, so it never shows more than the user may see; a user has one subscription
    (unsubscribing sets ``active`` off and keeps the dispatch log)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sitrep_subscription",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    attachment = models.CharField(
        _("attachment"),
        max_length=8,
        choices=SitrepAttachment.choices,
        default=SitrepAttachment.PDF,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("weekly sitrep subscription")
        verbose_name_plural = _("weekly sitrep subscriptions")

    def __str__(self) -> str:
        return f"{self.user} · {self.language} · {self.attachment}"


class SitrepDispatch(BaseModel):
    """The weekly report of ``report_date`` e-mailed (or not) to one subscriber.

    Unique per subscription and report date: the weekly job run twice, or retried, sends a
    week's report at most once to each subscriber (a failed one is tried again).
    """

    subscription = models.ForeignKey(
        SitrepSubscription,
        on_delete=models.CASCADE,
        related_name="dispatches",
        verbose_name=_("subscription"),
    )
    report_date = models.DateField(_("report date"))
    status = models.CharField(_("status"), max_length=8, choices=DispatchStatus.choices)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-report_date", "subscription"]
        verbose_name = _("weekly sitrep dispatch")
        verbose_name_plural = _("weekly sitrep dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "report_date"], name="sitrep_dispatch_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription.user} · {self.report_date} · {self.status}"

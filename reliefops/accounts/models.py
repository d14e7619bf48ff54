"""Users, memberships (user × organisation × role × areas) and scoped API tokens."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.accounts.choices import Role, TokenScope, TokenStatus
from reliefops.core.models import BaseModel


class User(AbstractUser):
    """A person who signs in. Acts for organisations through memberships."""

    language = models.CharField(_("language"), max_length=8, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    otp_required = models.BooleanField(
        _("second factor required"),
        default=False,
        help_text=_("Sign in with a code from an authenticator app as well (whatever the role)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Membership(BaseModel):
    """A user acts for ``organisation`` with ``role`` within ``areas`` (and their sub-areas).

    A membership with no areas has national scope only for administrators and coordinators;
    for every other role it grants nothing area-bound.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    areas = models.ManyToManyField(
        "places.AdminArea", blank=True, related_name="memberships", verbose_name=_("areas")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiToken(BaseModel):
    """A scoped API token: one organisation of the owner's, read or read-write, expiring.

    The key (``ro_pat_…``) is shown once when the token is created; only its SHA-256
    (``key_hash``) and its first characters (``key_prefix``, to recognise it in a list)
    are stored. ``reliefops.accounts.authentication`` accepts it.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=500, blank=True)
    scope = models.CharField(_("scope"), max_length=16, choices=TokenScope.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    key_prefix = models.CharField(_("key prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def status(self, now: datetime | None = None) -> str:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE

    def get_status_display(self) -> str:
        return str(TokenStatus(self.status()).label)

"""Users and memberships (user × organisation × role × areas)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.accounts.choices import Role
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

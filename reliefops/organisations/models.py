"""Organisations that act in the operation; names are held in every language we have."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.core.i18n import localized
from reliefops.core.models import BaseModel
from reliefops.organisations.choices import OrganisationKind


class Organisation(BaseModel):
    """A partner organisation; names are held per language (``{"en": ..., "az": ...}``)."""

    names = models.JSONField(_("names"), default=dict)
    acronym = models.CharField(_("acronym"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym

    @property
    def name(self) -> str:
        return localized(self.names) or self.acronym

"""Gazetteer: administrative areas, places, names, facilities, roads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reliefops.core.i18n import localized
from reliefops.core.models import BaseModel


class AdminArea(BaseModel):
    """An administrative area: country (level 0), ISO 3166-2 subdivision (1), below (2, 3).

    ``geometry`` is a GeoJSON geometry; for areas loaded from ISO 3166-2 it is an
    approximate outline (see ``reliefops/places/admin_areas.py``), not a boundary claim.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    names = models.JSONField(_("names"), default=dict)
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    geonames_admin1 = models.CharField(
        _("GeoNames admin1 code"), max_length=16, blank=True, db_index=True
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    centroid_lat = models.FloatField(_("latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.names) or self.code

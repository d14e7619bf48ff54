"""Models of the crossings domain: flow counts at crossing points and each crossing
point's setting (its catchment and the names of its two directions).

A :class:`CrossingCount` is what was counted (or estimated) passing a crossing point on a
day — or in one hour of it — in one direction: persons by sex × age band (one integer per
cell, empty when the count was not broken down), the total of persons, vehicles, who
counted and how. Its natural key is (crossing point, date, hour, direction): a second
record for the same key corrects the first (an update; django-simple-history keeps what it
said before, with the reason), never a duplicate. A day is counted either as one daily
record (no hour) or hour by hour, never both.

A :class:`CrossingPointSetting` says which administrative areas a crossing point's flows
change the population of (its catchment) and how its directions read ("towards Goris").
Population baselines are ``places.PopulationEstimate`` rows; estimates are computed
(``reliefops.crossings.selectors.estimates``, docs/population.md), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.core.i18n import localized
from reliefops.core.models import BaseModel
from reliefops.crossings.choices import CELL_FIELDS, CountMethod, Direction


class CrossingCount(BaseModel):
    """Persons (and vehicles) passing a crossing point on a day or in an hour, one way."""

    crossing_point = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("crossing point"),
    )
    area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The crossing point's level-1 area (it scopes who may record)."),
    )
    date = models.DateField(_("date"), db_index=True)
    hour = models.PositiveSmallIntegerField(
        _("hour"),
        null=True,
        blank=True,
        help_text=_("0–23 for an hourly count (the hour it began); empty for the whole day."),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    female_0_4 = models.PositiveIntegerField(_("female, 0–4"), null=True, blank=True)
    female_5_17 = models.PositiveIntegerField(_("female, 5–17"), null=True, blank=True)
    female_18_59 = models.PositiveIntegerField(_("female, 18–59"), null=True, blank=True)
    female_60_69 = models.PositiveIntegerField(_("female, 60–69"), null=True, blank=True)
    female_70_plus = models.PositiveIntegerField(_("female, 70 and over"), null=True, blank=True)
    male_0_4 = models.PositiveIntegerField(_("male, 0–4"), null=True, blank=True)
    male_5_17 = models.PositiveIntegerField(_("male, 5–17"), null=True, blank=True)
    male_18_59 = models.PositiveIntegerField(_("male, 18–59"), null=True, blank=True)
    male_60_69 = models.PositiveIntegerField(_("male, 60–69"), null=True, blank=True)
    male_70_plus = models.PositiveIntegerField(_("male, 70 and over"), null=True, blank=True)
    not_recorded_0_4 = models.PositiveIntegerField(
        _("sex not recorded, 0–4"), null=True, blank=True
    )
    not_recorded_5_17 = models.PositiveIntegerField(
        _("sex not recorded, 5–17"), null=True, blank=True
    )
    not_recorded_18_59 = models.PositiveIntegerField(
        _("sex not recorded, 18–59"), null=True, blank=True
    )
    not_recorded_60_69 = models.PositiveIntegerField(
        _("sex not recorded, 60–69"), null=True, blank=True
    )
    not_recorded_70_plus = models.PositiveIntegerField(
        _("sex not recorded, 70 and over"), null=True, blank=True
    )
    persons = models.PositiveIntegerField(
        _("persons"),
        help_text=_("All persons counted; the sum of the cells when the count is broken down."),
    )
    vehicles = models.PositiveIntegerField(_("vehicles"), null=True, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("The organisation that counted and records the figure."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Who counted, or the report the figure comes from."),
    )
    method = models.CharField(
        _("method"), max_length=10, choices=CountMethod.choices, default=CountMethod.COUNT
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "crossing_point", "direction", "hour"]
        indexes = [models.Index(fields=["crossing_point", "date"])]
        constraints = [
            # NULL hours are distinct in a plain unique index: one index per case.
            models.UniqueConstraint(
                fields=["crossing_point", "date", "direction"],
                condition=models.Q(hour__isnull=True),
                name="crossings_count_day_key",
            ),
            models.UniqueConstraint(
                fields=["crossing_point", "date", "hour", "direction"],
                condition=models.Q(hour__isnull=False),
                name="crossings_count_hour_key",
            ),
            models.CheckConstraint(
                condition=models.Q(hour__isnull=True) | models.Q(hour__lte=23),
                name="crossings_count_hour_range",
            ),
        ]
        verbose_name = _("crossing count")
        verbose_name_plural = _("crossing counts")

    def __str__(self) -> str:
        hour = f" {self.hour:02d}h" if self.hour is not None else ""
        return f"{self.crossing_point_id} {self.date}{hour} {self.direction}"

    @property
    def cells(self) -> dict[str, int | None]:
        """Each cell's count by field name (None: not broken down)."""
        return {name: getattr(self, name) for name in CELL_FIELDS}

    @property
    def broken_down(self) -> bool:
        return any(v is not None for v in self.cells.values())


class CrossingPointSetting(BaseModel):
    """A crossing point's catchment and the words for its two directions."""

    crossing_point = models.OneToOneField(
        "places.Facility",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("crossing point"),
    )
    catchment = models.ManyToManyField(
        "places.AdminArea",
        blank=True,
        related_name="+",
        verbose_name=_("catchment"),
        help_text=_(
            "The areas whose places’ population the flows change: outbound flows leave "
            "them, inbound flows enter them."
        ),
    )
    outbound_labels = models.JSONField(
        _("outbound direction"),
        default=dict,
        blank=True,
        help_text=_("How the outbound direction reads, per language (“towards Goris”)."),
    )
    inbound_labels = models.JSONField(
        _("inbound direction"),
        default=dict,
        blank=True,
        help_text=_("How the inbound direction reads, per language."),
    )
    history = HistoricalRecords(m2m_fields=[catchment])

    class Meta:
        verbose_name = _("crossing point setting")
        verbose_name_plural = _("crossing point settings")

    def __str__(self) -> str:
        return f"{self.crossing_point_id}"

    def direction_label(self, direction: str, lang: str | None = None) -> str:
        """The crossing point's words for ``direction`` (the generic label without them)."""
        labels = self.outbound_labels if direction == Direction.OUTBOUND else self.inbound_labels
        return localized(labels or {}, lang) or str(Direction(direction).label)

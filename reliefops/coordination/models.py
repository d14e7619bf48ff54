"""Models of the coordination domain: working groups, meetings, decisions, 4W activities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.coordination.choices import ActivityStatus, Sector
from reliefops.core.models import BaseModel


# --- added for fourw
class Activity(BaseModel):
    """4W: who (organisation, implementing partner, donor) does what (sector, activity),
    where (an admin area, optionally a place in it) and when (start, end, status), for
    how many people (planned and reached by sex and age group, ``choices.PEOPLE_FIELDS``;
    empty = not reported, unlike 0).

    ``area`` is always set (a place's admin area when only the place is given): it is
    the field the reads and writes are scoped by.
    """

    reference = models.CharField(_("4W ID"), max_length=32, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organisation"),
    )
    implementing_partner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="implemented_activities",
        null=True,
        blank=True,
        verbose_name=_("implementing partner"),
    )
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    activity = models.CharField(_("activity"), max_length=300, blank=True)
    activity_code = models.CharField(_("activity code"), max_length=64, blank=True)
    area = models.ForeignKey(
        "places.AdminArea",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("area"),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        verbose_name=_("location"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    planned_female_children = models.PositiveIntegerField(
        _("planned female children"), null=True, blank=True
    )
    planned_female_adults = models.PositiveIntegerField(
        _("planned female adults"), null=True, blank=True
    )
    planned_female_older = models.PositiveIntegerField(
        _("planned female older"), null=True, blank=True
    )
    planned_male_children = models.PositiveIntegerField(
        _("planned male children"), null=True, blank=True
    )
    planned_male_adults = models.PositiveIntegerField(
        _("planned male adults"), null=True, blank=True
    )
    planned_male_older = models.PositiveIntegerField(_("planned male older"), null=True, blank=True)
    reached_female_children = models.PositiveIntegerField(
        _("reached female children"), null=True, blank=True
    )
    reached_female_adults = models.PositiveIntegerField(
        _("reached female adults"), null=True, blank=True
    )
    reached_female_older = models.PositiveIntegerField(
        _("reached female older"), null=True, blank=True
    )
    reached_male_children = models.PositiveIntegerField(
        _("reached male children"), null=True, blank=True
    )
    reached_male_adults = models.PositiveIntegerField(
        _("reached male adults"), null=True, blank=True
    )
    reached_male_older = models.PositiveIntegerField(_("reached male older"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__code", "sector", "reference"]
        verbose_name = _("activity (4W)")
        verbose_name_plural = _("activities (4W)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="activity_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.organisation} · {self.get_sector_display()}"


# --- added for meetings: working groups, contacts, meetings, decisions, action items
from reliefops.coordination.meeting_models import (  # noqa: E402
    ActionItem,
    AgendaItem,
    Contact,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
)

__all__ = [
    "ActionItem",
    "Activity",
    "AgendaItem",
    "Contact",
    "Decision",
    "Meeting",
    "MeetingAttachment",
    "WorkingGroup",
]

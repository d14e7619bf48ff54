"""Models of the coordination domain: working groups, meetings, decisions, 3W presence."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.coordination.choices import Sector
from reliefops.core.models import BaseModel


class Presence(BaseModel):
    """3W: which organisation works in which sector in which area, since when."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="presences"
    )
    area = models.ForeignKey("places.AdminArea", on_delete=models.PROTECT, related_name="presences")
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__code", "sector"]
        verbose_name = _("presence (3W)")
        verbose_name_plural = _("presences (3W)")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_sector_display()} · {self.area.code}"


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
    "AgendaItem",
    "Contact",
    "Decision",
    "Meeting",
    "MeetingAttachment",
    "Presence",
    "WorkingGroup",
]

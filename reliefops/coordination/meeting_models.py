"""Models of coordination meetings: working groups, contacts, meetings with their agenda,
decisions and attachments, and action items (imported into ``models`` for Django).

Scope: a meeting is in the area of its place (``area``, the place's first-level area,
kept on the row so that lists filter by it); its agenda items, decisions, attachments and
action items are in the meeting's area. Working groups are reference data every signed-in
user reads. A contact is in the areas it covers; a contact without areas (a headquarters
contact) is listed to everyone. A contact's phone and e-mail are personal data: encrypted
at rest (``SECRET_KEY``/``SALT_KEY``, rotated with ``core.encryption``), kept out of the
record history, shown only to roles with ``contact.view_details`` and each showing audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from reliefops.coordination.choices import ActionItemStatus, BodyKind, MeetingKind, Sector
from reliefops.core.models import BaseModel

#: The contact fields that are personal data (encrypted, not in the history).
CONTACT_DETAIL_FIELDS = ("phone", "email")


class WorkingGroup(BaseModel):
    """A coordination body: a headquarters, a sector working group or a joint working group."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=24, choices=BodyKind.choices, default=BodyKind.WORKING_GROUP
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
        help_text=_("The coordination headquarters that holds this group."),
    )
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    co_lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("co-lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("member organisations"),
        related_name="working_groups",
        blank=True,
    )
    areas = models.ManyToManyField(
        "places.AdminArea", verbose_name=_("areas covered"), related_name="+", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[members, areas])

    class Meta:
        ordering = ["code"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Contact(BaseModel):
    """A person in an organisation, for coordination: role, languages, areas, details."""

    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    title = models.CharField(_("role or title"), max_length=120, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, null=True)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True, null=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    areas = models.ManyToManyField(
        "places.AdminArea", verbose_name=_("areas"), related_name="+", blank=True
    )
    working_groups = models.ManyToManyField(
        WorkingGroup, verbose_name=_("working groups"), related_name="contacts", blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=list(CONTACT_DETAIL_FIELDS))

    class Meta:
        ordering = ["organisation__acronym", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.acronym})"


class Meeting(BaseModel):
    """A meeting, visit or dialogue event at a gazetteer place."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("convening organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        "places.AdminArea",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The area of the place (set from it)."),
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("participating organisations"),
        related_name="meetings",
        blank=True,
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("participants"), related_name="meetings", blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    history = HistoricalRecords(m2m_fields=[organisations, contacts])

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="meeting_times_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Decision(BaseModel):
    """What a meeting decided on an agenda item; what it caused is linked to it."""

    reference = models.CharField(_("reference"), max_length=48, unique=True)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    requests = models.ManyToManyField(
        "needs.Request", verbose_name=_("requests"), related_name="+", blank=True
    )
    history = HistoricalRecords(m2m_fields=[requests])

    class Meta:
        ordering = ["reference"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.reference

    @property
    def meeting(self) -> Meeting:
        return self.agenda_item.meeting


class ActionItem(BaseModel):
    """Something a meeting asked an organisation (a person in it) to do by a date."""

    reference = models.CharField(_("reference"), max_length=48, unique=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_contact = models.ForeignKey(
        Contact,
        verbose_name=_("owner (contact)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
        db_index=True,
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    requests = models.ManyToManyField(
        "needs.Request", verbose_name=_("requests"), related_name="+", blank=True
    )
    convoys = models.ManyToManyField(
        "logistics.Convoy", verbose_name=_("convoys"), related_name="+", blank=True
    )
    plan_runs = models.ManyToManyField(
        "dayplans.PlanRun", verbose_name=_("day plans"), related_name="+", blank=True
    )
    visits = models.ManyToManyField(
        "teams.Visit", verbose_name=_("visits"), related_name="+", blank=True
    )
    history = HistoricalRecords(m2m_fields=[requests, convoys, plan_runs, visits])

    class Meta:
        ordering = ["due_date", "reference"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.reference


class MeetingAttachment(BaseModel):
    """A file of a meeting (minutes signed, a presentation as PDF, a photo of the board).

    Checked from its bytes (PDF signature; images by Pillow, re-encoded without their
    metadata as delivery photos are), stored under a random name, served only through the
    meeting's page to those who see the meeting.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    name = models.CharField(_("name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

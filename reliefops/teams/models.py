"""Models of the teams domain: mobile teams, their rounds and visits, coverage rules,
referrals and the field hospital's daily reports.

A :class:`Team` (owned by one or several organisations: a joint team) is described by
the skills and the languages its members speak (:class:`TeamMember`); it has a base
facility, usually a vehicle, weekly shifts and spells when it is unavailable. A
:class:`Round` is a team's ordered :class:`RoundStop` s for a day; a :class:`Visit`
records what was done for a person (by the person's pseudonymous record). A
:class:`CoverageRule` says how often people matching it must be visited. A
:class:`Referral` sends a person to a facility; :class:`HospitalStatus` and
:class:`CaseloadCount` are the field hospital's daily report (counts only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.core.models import BaseModel
from reliefops.people.choices import AgeBand, Sex
from reliefops.teams.choices import (
    CaseloadMeasure,
    ReferralReason,
    ReferralStatus,
    RoundStatus,
    TeamKind,
    Transport,
    UnavailableReason,
    Urgency,
    VisitOutcome,
    Weekday,
)


class Team(BaseModel):
    """A mobile team (or a facility's staff), owned by one or several organisations."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead organisation"),
    )
    partner_organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("other organisations"),
        help_text=_("A joint team has members from several organisations."),
    )
    base = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("base facility"),
    )
    area = models.ForeignKey(
        "places.AdminArea",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home area"),
        help_text=_("It scopes who may plan and edit the team."),
    )
    service_areas = models.ManyToManyField(
        "places.AdminArea",
        blank=True,
        related_name="+",
        verbose_name=_("areas served"),
    )
    vehicle = models.ForeignKey(
        "logistics.Vehicle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vehicle"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[partner_organisations, service_areas])

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TeamMember(BaseModel):
    """A member of a team: skills and the languages they speak (never origin)."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    name = models.CharField(_("name"), max_length=120)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    is_lead = models.BooleanField(_("team lead"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
        verbose_name=_("user account"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-is_lead", "name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A weekly working window of a team."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("team")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        ordering = ["team", "weekday", "starts"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")

    def __str__(self) -> str:
        return f"{self.team.code} {self.weekday} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Unavailability(BaseModel):
    """Days a team does not work (leave, no vehicle, security …)."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="unavailability", verbose_name=_("team")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=12, choices=UnavailableReason.choices)

    class Meta:
        ordering = ["team", "starts_on"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailability")

    def __str__(self) -> str:
        return f"{self.team.code} {self.starts_on}–{self.ends_on}"


class CoverageRule(BaseModel):
    """People matching the rule must be visited at least every ``interval_days`` days.

    A rule matches a person who has all its conditions: the vulnerability category, lives
    alone, at least ``min_age`` years old. A person matched by several rules is due after
    the shortest interval.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    vulnerability = models.CharField(_("vulnerability category"), max_length=24, blank=True)
    lives_alone = models.BooleanField(_("lives alone"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    interval_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["interval_days", "code"]
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")

    def __str__(self) -> str:
        return self.name


class Round(BaseModel):
    """A team's ordered stops for one day (entered by hand or committed from a plan)."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("team")
    )
    date = models.DateField(_("date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    area = models.ForeignKey(
        "places.AdminArea", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "team__code"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return self.reference


class RoundStop(BaseModel):
    """One stop of a round: a person to visit (at their village) or a place to serve."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="stops", verbose_name=_("round")
    )
    sequence = models.PositiveSmallIntegerField(_("order"))
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    planned_time = models.TimeField(_("planned time"), null=True, blank=True)
    services = models.JSONField(_("services planned"), default=list, blank=True)

    class Meta:
        ordering = ["round", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["round", "sequence"], name="teams_stop_sequence")
        ]
        verbose_name = _("round stop")
        verbose_name_plural = _("round stops")

    def __str__(self) -> str:
        return f"{self.round} #{self.sequence}"


class Visit(BaseModel):
    """A team's visit to a person: when, where, what was done, when to come back."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="visits", verbose_name=_("team")
    )
    stop = models.ForeignKey(
        RoundStop,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("round stop"),
    )
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=VisitOutcome.choices, default=VisitOutcome.VISITED
    )
    services = models.JSONField(_("services delivered"), default=list, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    client_id = models.UUIDField(
        _("client id"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("The id a phone gave the record (a retried submission is applied once)."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["person", "-visited_at"])]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.person} {self.visited_at:%Y-%m-%d}"


class PersonDue(models.Model):
    """When a person is next due for a visit: a cache of the due list's computation
    (:mod:`reliefops.teams.due_store`), one row per active person some coverage rule
    matches. It is rebuilt for a person whenever the person, their visits or their merges
    change, for everyone when a rule changes, and every night (the rules read the age);
    pages and the planner read it instead of deciding thousands of people per view."""

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="due",
        verbose_name=_("person"),
    )
    due_date = models.DateField(_("due date"), db_index=True)
    interval_days = models.PositiveSmallIntegerField(_("visit every (days)"))
    rules = models.ManyToManyField(CoverageRule, related_name="+", verbose_name=_("rules"))
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    computed_on = models.DateField(_("computed on"))

    class Meta:
        verbose_name = _("due date")
        verbose_name_plural = _("due dates")

    def __str__(self) -> str:
        return f"{self.person_id} {self.due_date:%Y-%m-%d}"


class Referral(BaseModel):
    """A person referred to a facility (the field hospital or another hospital)."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("visit"),
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referred by team"),
    )
    facility = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("referred to"),
    )
    transferred_to = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("transferred to"),
    )
    area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The person's area."),
    )
    facility_area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facility area"),
    )
    referred_at = models.DateTimeField(_("referred at"))
    reason = models.CharField(_("reason"), max_length=20, choices=ReferralReason.choices)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    transport = models.CharField(_("transport"), max_length=14, choices=Transport.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return self.reference


class HospitalStatus(BaseModel):
    """A facility's beds and services on a day."""

    facility = models.ForeignKey(
        "places.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )
    area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    date = models.DateField(_("date"))
    beds_total = models.PositiveIntegerField(_("beds in total"))
    beds_available = models.PositiveIntegerField(_("beds available"))
    services = models.JSONField(_("services offered"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "date"], name="teams_hospital_day"),
            models.CheckConstraint(
                condition=models.Q(beds_available__lte=models.F("beds_total")),
                name="teams_beds_available_le_total",
            ),
        ]
        verbose_name = _("hospital status")
        verbose_name_plural = _("hospital status")

    def __str__(self) -> str:
        return f"{self.facility} {self.date}"


class CaseloadCount(BaseModel):
    """How many people a facility admitted, discharged, received or referred on a day, by
    age band and sex (counts only, never a diagnosis)."""

    facility = models.ForeignKey(
        "places.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("facility")
    )
    area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
    )
    date = models.DateField(_("date"), db_index=True)
    measure = models.CharField(_("measure"), max_length=14, choices=CaseloadMeasure.choices)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    count = models.PositiveIntegerField(_("count"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "-date", "measure", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "date", "measure", "age_band", "sex"],
                name="teams_caseload_cell",
            )
        ]
        verbose_name = _("caseload count")
        verbose_name_plural = _("caseload counts")

    def __str__(self) -> str:
        return f"{self.facility} {self.date} {self.measure}"

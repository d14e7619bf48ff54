"""Models of the people registry: the persons and households teams serve.

Every other record, export and log refers to a person by :attr:`Person.reference`, a
stable pseudonym. The identity fields (name, phone, exact address) are encrypted at rest
(``django-fernet-encrypted-fields``: keys derived from ``SECRET_KEY`` and
``SALT_KEY``; see the operations guide for rotation), excluded from the record history,
and shown only through a logged reveal (:class:`IdentityAccess`). What a person agreed
their data may be used for is recorded per purpose (:class:`Consent`). A merge of two
records (:class:`PersonMerge`) keeps both and can be undone.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
from simple_history.models import HistoricalRecords

from reliefops.core.models import BaseModel
from reliefops.people.choices import (
    AccessPurpose,
    AgeBand,
    ConsentGivenBy,
    ConsentPurpose,
    InactiveReason,
    Mobility,
    PersonStatus,
    Sex,
)

#: The encrypted identity fields of :class:`Person` (never exported, logged or audited).
IDENTITY_FIELDS = ("full_name", "phone", "address")


class Household(BaseModel):
    """A household served together (a food parcel is per household)."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
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
    size = models.PositiveSmallIntegerField(_("household size"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.reference


class Person(BaseModel):
    """A person who needs visits or assistance, known to every other record by reference."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    inactive_reason = models.CharField(
        _("reason no longer served"), max_length=20, choices=InactiveReason.choices, blank=True
    )
    # identity: encrypted at rest, not in the history, shown only through a logged reveal
    full_name = EncryptedCharField(_("name"), max_length=200, blank=True, null=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, null=True)
    address = EncryptedTextField(_("address"), blank=True, null=True)
    # what a visit needs to know
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.NOT_RECORDED)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village or town"),
    )
    area = models.ForeignKey(
        "places.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The admin1 of the place; it scopes who sees the person."),
    )
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("household"),
    )
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    mobility = models.CharField(
        _("mobility"), max_length=12, choices=Mobility.choices, default=Mobility.INDEPENDENT
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    vulnerabilities = models.JSONField(_("vulnerability categories"), default=list, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_on = models.DateField(_("registered on"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Made-up record of the demo scenario.")
    )
    history = HistoricalRecords(excluded_fields=list(IDENTITY_FIELDS))

    class Meta:
        ordering = ["reference"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["area", "status"]),
            models.Index(fields=["place", "year_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.reference


class Consent(BaseModel):
    """One consent decision for one purpose; the latest record per purpose is in force."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("consent given"))
    given_on = models.DateField(_("date"))
    given_by = models.CharField(
        _("given by"), max_length=12, choices=ConsentGivenBy.choices, default=ConsentGivenBy.SELF
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "purpose", "-given_on", "-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.person} {self.purpose}"


class IdentityAccess(models.Model):
    """One reveal of a person's identity fields: who, whom, when, which fields and why.

    Append-only, like the audit log; the data-protection officer reads it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identity_reads", verbose_name=_("person")
    )
    fields = models.JSONField(_("fields"), default=list)
    purpose = models.CharField(_("purpose"), max_length=20, choices=AccessPurpose.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.person}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("Identity access records are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PersonMerge(BaseModel):
    """``duplicate`` was merged into ``survivor``: both records and histories are kept
    (the duplicate points at the survivor); undoing clears the pointer."""

    survivor = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="merges_kept", verbose_name=_("kept record")
    )
    duplicate = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="merges_absorbed",
        verbose_name=_("merged record"),
    )
    evidence = models.JSONField(_("evidence"), default=dict)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.duplicate} → {self.survivor}"


class DuplicateDismissal(BaseModel):
    """Two records a person reviewed and found to be different people."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="people_dismissal_pair")
        ]
        verbose_name = _("dismissed duplicate")
        verbose_name_plural = _("dismissed duplicates")

    def __str__(self) -> str:
        return f"{self.first} ≠ {self.second}"

"""Vocabularies of the people registry: coded lists, never free text about a person.

There is deliberately no field for ethnicity, religion, political affiliation or origin,
and no free-text diagnosis: a person is described by what a visit needs (age band,
mobility, the languages they speak, coded vulnerability categories).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Sex and age bands are shared with every count of people (reliefops.core.demography);
# re-exported here so the registry's vocabulary stays in one import.
from reliefops.core.demography import AGE_BAND_FROM as AGE_BAND_FROM
from reliefops.core.demography import AgeBand as AgeBand
from reliefops.core.demography import Sex as Sex
from reliefops.core.demography import age_band_for as age_band_for


class Mobility(models.TextChoices):
    INDEPENDENT = "independent", _("Walks independently")
    LIMITED = "limited", _("Walks with help")
    WHEELCHAIR = "wheelchair", _("Uses a wheelchair")
    BEDRIDDEN = "bedridden", _("Bedridden")


class Vulnerability(models.TextChoices):
    """Coded vulnerability categories (chronic conditions by category, not diagnosis)."""

    DIABETES = "diabetes", _("Chronic condition: diabetes")
    HYPERTENSION = "hypertension", _("Chronic condition: hypertension")
    CARDIAC = "cardiac", _("Chronic condition: cardiac")
    RENAL = "renal", _("Chronic condition: renal")
    CANCER = "cancer", _("Chronic condition: cancer")
    RESPIRATORY = "respiratory", _("Chronic condition: respiratory")
    MENTAL_HEALTH = "mental_health", _("Chronic condition: mental health")
    CHRONIC_MEDICATION = "chronic_medication", _("Needs regular medication")
    NEEDS_SURGERY = "needs_surgery", _("Needs surgery")
    DISABILITY = "disability", _("Disability")
    PREGNANT_LACTATING = "pregnant_lactating", _("Pregnant or lactating")


#: The vulnerability codes that are chronic-condition categories.
CHRONIC_CONDITIONS = frozenset(
    {
        Vulnerability.DIABETES,
        Vulnerability.HYPERTENSION,
        Vulnerability.CARDIAC,
        Vulnerability.RENAL,
        Vulnerability.CANCER,
        Vulnerability.RESPIRATORY,
        Vulnerability.MENTAL_HEALTH,
    }
)


class SpokenLanguage(models.TextChoices):
    """Languages a person or a team member speaks (how joint teams are described)."""

    AZ = "az", _("Azerbaijani")
    HY = "hy", _("Armenian")
    RU = "ru", _("Russian")
    EN = "en", _("English")
    TR = "tr", _("Turkish")
    KA = "ka", _("Georgian")
    FA = "fa", _("Persian")
    FR = "fr", _("French")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("No longer served")
    MERGED = "merged", _("Merged into another record")
    ERASED = "erased", _("Erased")


class InactiveReason(models.TextChoices):
    MOVED = "moved", _("Moved away")
    NO_LONGER_NEEDED = "no_longer_needed", _("No longer needs visits")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class ConsentPurpose(models.TextChoices):
    """What a person agreed their data may be used for (one consent record per purpose)."""

    REGISTRATION = "registration", _("Being registered")
    VISITS = "visits", _("Home visits and care")
    REFERRAL = "referral", _("Referral to a health facility")
    CONTACT = "contact", _("Being contacted by phone")
    SHARING = "sharing", _("Sharing with partner organisations")


class ConsentGivenBy(models.TextChoices):
    SELF = "self", _("The person")
    CAREGIVER = "caregiver", _("A caregiver or relative")
    GUARDIAN = "guardian", _("A legal guardian")


class IdentityField(models.TextChoices):
    """The identity fields: encrypted at rest, shown only through a logged reveal."""

    FULL_NAME = "full_name", _("Name")
    PHONE = "phone", _("Phone")
    ADDRESS = "address", _("Address")


class AccessPurpose(models.TextChoices):
    """Why someone revealed a person's identity (recorded with every reveal)."""

    VISIT = "visit", _("To find or visit the person")
    CONTACT = "contact", _("To contact the person")
    REFERRAL = "referral", _("To refer the person to a facility")
    DUPLICATE_REVIEW = "duplicate_review", _("To review possible duplicates")
    SUBJECT_ACCESS = "subject_access", _("A subject access request")
    CORRECTION = "correction", _("To correct the record")

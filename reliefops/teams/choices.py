"""Vocabularies of the teams domain: team kinds, skills, rounds, visits, referrals and the
field hospital's reports. Every list is coded: no free-text diagnosis anywhere."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    MOBILE_MEDICAL = "mobile_medical", _("Mobile medical team")
    MOBILE_FOOD = "mobile_food", _("Mobile food supply")
    FIELD_HOSPITAL = "field_hospital", _("Field-hospital staff")
    WATER = "water", _("Water")
    FIRE = "fire", _("Fire")
    OTHER = "other", _("Other")


class Skill(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    PARAMEDIC = "paramedic", _("Paramedic")
    PHARMACIST = "pharmacist", _("Pharmacist")
    DRIVER = "driver", _("Driver")
    COOK = "cook", _("Cook")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    INTERPRETER = "interpreter", _("Interpreter")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class UnavailableReason(models.TextChoices):
    LEAVE = "leave", _("Leave")
    VEHICLE = "vehicle", _("Vehicle unavailable")
    SECURITY = "security", _("Security")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Under way")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class VisitOutcome(models.TextChoices):
    VISITED = "visited", _("Visited")
    NOT_AT_HOME = "not_at_home", _("Not at home")
    REFUSED = "refused", _("Declined the visit")
    NOT_REACHED = "not_reached", _("Could not be reached")


class VisitService(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    MEDICATION_REFILL = "medication_refill", _("Medication refill")
    FOOD_PARCEL = "food_parcel", _("Food parcel")
    HOT_MEAL = "hot_meal", _("Hot meal")
    WATER = "water", _("Water")
    REFERRAL = "referral", _("Referral")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ADMITTED = "admitted", _("Admitted")
    TREATED = "treated", _("Treated")
    DISCHARGED = "discharged", _("Discharged")
    TRANSFERRED = "transferred", _("Transferred")
    CANCELLED = "cancelled", _("Cancelled")


class ReferralReason(models.TextChoices):
    """Why a person was referred, by category (never a diagnosis)."""

    SURGERY = "surgery", _("Surgery")
    CHRONIC_CONDITION = "chronic_condition", _("Chronic condition")
    ACUTE_ILLNESS = "acute_illness", _("Acute illness")
    INJURY = "injury", _("Injury")
    MATERNITY = "maternity", _("Maternity")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Transport(models.TextChoices):
    TEAM_VEHICLE = "team_vehicle", _("Team vehicle")
    AMBULANCE = "ambulance", _("Ambulance")
    CONVOY = "convoy", _("With a convoy")
    OWN_MEANS = "own_means", _("Own means")
    OTHER = "other", _("Other")


class HospitalService(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency care")
    SURGERY = "surgery", _("Surgery")
    INPATIENT = "inpatient", _("Inpatient care")
    OUTPATIENT = "outpatient", _("Outpatient consultations")
    MATERNITY = "maternity", _("Maternity")
    DIALYSIS = "dialysis", _("Dialysis")
    PHARMACY = "pharmacy", _("Pharmacy")
    LABORATORY = "laboratory", _("Laboratory")
    XRAY = "xray", _("X-ray")


class CaseloadMeasure(models.TextChoices):
    ADMISSIONS = "admissions", _("Admissions")
    DISCHARGES = "discharges", _("Discharges")
    REFERRALS_IN = "referrals_in", _("Referrals in")
    REFERRALS_OUT = "referrals_out", _("Referrals out")

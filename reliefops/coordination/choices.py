"""Vocabularies of the coordination domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """IASC cluster/sector list used by working groups and the 3W."""

    COORDINATION = "coordination", _("Coordination")
    FOOD = "food", _("Food security")
    HEALTH = "health", _("Health")
    SHELTER = "shelter", _("Shelter and non-food items")
    WASH = "wash", _("Water, sanitation and hygiene")
    LOGISTICS = "logistics", _("Logistics")
    PROTECTION = "protection", _("Protection")
    EDUCATION = "education", _("Education")
    ENERGY = "energy", _("Energy and heating")
    EARLY_RECOVERY = "early_recovery", _("Early recovery")


class BodyKind(models.TextChoices):
    """What a coordination body is: a headquarters holds groups; a joint group has members
    from several organisations."""

    HEADQUARTERS = "headquarters", _("Coordination headquarters")
    WORKING_GROUP = "working_group", _("Working group")
    JOINT_WORKING_GROUP = "joint_working_group", _("Joint working group")


class MeetingKind(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working-group meeting")
    BILATERAL = "bilateral", _("Bilateral meeting")
    FIELD_VISIT = "field_visit", _("Field visit")
    CIVIL_SOCIETY = "civil_society", _("Civil-society visit or dialogue event")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


#: Statuses after which an action item is finished (never overdue).
ACTION_ITEM_CLOSED = frozenset({ActionItemStatus.DONE, ActionItemStatus.DROPPED})

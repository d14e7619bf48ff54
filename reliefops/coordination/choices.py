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


# --- added for fourw
class ActivityStatus(models.TextChoices):
    """Status of a 4W activity (the workflow's states, ``services.ACTIVITY_WORKFLOW``)."""

    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class AgeGroup(models.TextChoices):
    """The age groups of OCHA's 4W template, each a union of the registry's age bands
    (``core.demography.AgeBand``: the boundaries 18 and 60 are the registry's)."""

    CHILDREN = "children", _("Children (0–17)")
    ADULTS = "adults", _("Adults (18–59)")
    OLDER = "older", _("Older people (60+)")


#: The registry's age bands (``core.demography.AgeBand`` values) each 4W age group sums.
AGE_GROUP_BANDS: dict[str, tuple[str, ...]] = {
    AgeGroup.CHILDREN: ("0_4", "5_17"),
    AgeGroup.ADULTS: ("18_59",),
    AgeGroup.OLDER: ("60_69", "70_plus"),
}

#: The sexes a 4W count is broken down by (``core.demography.Sex`` values).
PEOPLE_SEXES: tuple[str, ...] = ("female", "male")

#: The model fields of the people counts: ``planned_female_children`` … ``reached_male_older``.
PEOPLE_FIELDS: tuple[str, ...] = tuple(
    f"{measure}_{sex}_{group}"
    for measure in ("planned", "reached")
    for sex in PEOPLE_SEXES
    for group in AgeGroup.values
)


#: What an action item links, by the name of its relation (and of the argument of
#: ``action_item_link``/``action_item_unlink``).
LINK_KIND_CHOICES = [
    ("requests", _("Request")),
    ("convoys", _("Convoy")),
    ("plan_runs", _("Day plan")),
    ("visits", _("Visit")),
]

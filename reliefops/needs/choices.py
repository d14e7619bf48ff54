"""Vocabularies of the needs domain: request statuses, priorities, sources, requesters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    APPROVED = "approved", _("Approved")
    PLANNED = "planned", _("Planned")
    DISPATCHED = "dispatched", _("Dispatched")
    PARTIALLY_DELIVERED = "partially_delivered", _("Partially delivered")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: Requests still to be met (duplicate detection and the gap count these).
OPEN_STATUSES = frozenset(
    {
        RequestStatus.SUBMITTED,
        RequestStatus.VERIFIED,
        RequestStatus.APPROVED,
        RequestStatus.PLANNED,
        RequestStatus.DISPATCHED,
        RequestStatus.PARTIALLY_DELIVERED,
    }
)


class Priority(models.TextChoices):
    LIFE_SAVING = "life_saving", _("Life-saving")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


class RequestSource(models.TextChoices):
    WORKING_GROUP = "working_group", _("Working-group decision")
    FIELD_ASSESSMENT = "field_assessment", _("Field assessment")
    HOTLINE = "hotline", _("Hotline")
    PARTNER = "partner", _("Partner")
    ESTIMATOR = "estimator", _("Estimator (draft)")


class RequesterKind(models.TextChoices):
    FACILITY = "facility", _("Facility")
    PLACE = "place", _("Place")
    ORGANISATION = "organisation", _("Organisation")
    PEOPLE = "people", _("Group of registered people")


class ServiceType(models.TextChoices):
    """What a request line may ask for instead of an item."""

    TRANSPORT = "transport", _("Transport")
    MEDICAL_VISIT = "medical_visit", _("Medical visit")
    EVACUATION = "evacuation", _("Medical evacuation")
    REPAIR = "repair", _("Repair (heating, water)")
    WATER_TRUCKING = "water_trucking", _("Water trucking")


# --- added for lists
#: Statuses after which a request is no longer awaited (so never overdue).
TERMINAL_STATUSES = frozenset(
    {
        RequestStatus.DELIVERED,
        RequestStatus.CLOSED,
        RequestStatus.REJECTED,
        RequestStatus.CANCELLED,
    }
)


#: Statuses a request may receive goods in (its ``dispatch`` step starts from these).
DISPATCHABLE_STATUSES = frozenset(
    {
        RequestStatus.APPROVED,
        RequestStatus.PLANNED,
        RequestStatus.DISPATCHED,
        RequestStatus.PARTIALLY_DELIVERED,
    }
)

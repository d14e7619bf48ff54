"""Vocabularies of the notices domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """What a notice is about. Open: a new kind is a new member and a message in
    ``notices.messages`` (the migration only changes the column's choices)."""

    ACTION_ITEM_ASSIGNED = "action_item_assigned", _("Action item assigned")
    ACTION_ITEM_OVERDUE = "action_item_overdue", _("Action item overdue")
    REQUEST_AWAITING_STEP = "request_awaiting_step", _("Request awaiting your step")
    REQUEST_OVERDUE = "request_overdue", _("Request past its needed-by date")
    CONVOY_TURNED_BACK = "convoy_turned_back", _("Convoy turned back at a crossing point")
    PLAN_READY = "plan_ready", _("Plan ready for review")

"""Writes of the coordination domain."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from reliefops.coordination.choices import Sector
from reliefops.coordination.models import Presence
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor, actor_user, require_write

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea


def presence_create(
    *,
    actor: Actor,
    organisation: Organisation,
    area: AdminArea,
    sector: str,
    activity: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Presence:
    """Record that ``organisation`` works in ``sector`` in ``area`` (the 3W)."""
    require_write(actor, Action.PRESENCE_EDIT, area=area, organisation=organisation)
    if sector not in Sector.values:
        raise InvalidInput(field="sector", value=sector)
    if start_date and end_date and end_date < start_date:
        raise InvalidInput(field="end_date", value=str(end_date))
    with transaction.atomic():
        presence = Presence.objects.create(
            organisation=organisation,
            area=area,
            sector=sector,
            activity=activity,
            start_date=start_date,
            end_date=end_date,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="presence.create",
            obj=presence,
            after={"organisation": organisation.acronym, "area": area.code, "sector": sector},
        )
    return presence


# --- added for meetings: the services by topic (imported here for callers' convenience)
from reliefops.coordination.services.action_items import (  # noqa: E402
    ACTION_ITEM_WORKFLOW,
    action_item_create,
    action_item_link,
    action_item_transition,
    decision_action_create,
)
from reliefops.coordination.services.groups import (  # noqa: E402
    contact_create,
    contact_details_reveal,
    contact_update,
    working_group_create,
    working_group_update,
)
from reliefops.coordination.services.meetings import (  # noqa: E402
    agenda_item_add,
    agenda_item_move,
    decision_record,
    decision_request_create,
    meeting_attachment_add,
    meeting_create,
    meeting_update,
)
from reliefops.needs.services import LineInput  # noqa: E402

__all__ = [
    "ACTION_ITEM_WORKFLOW",
    "LineInput",
    "action_item_create",
    "action_item_link",
    "action_item_transition",
    "agenda_item_add",
    "agenda_item_move",
    "contact_create",
    "contact_details_reveal",
    "contact_update",
    "decision_action_create",
    "decision_record",
    "decision_request_create",
    "meeting_attachment_add",
    "meeting_create",
    "meeting_update",
    "presence_create",
    "working_group_create",
    "working_group_update",
]

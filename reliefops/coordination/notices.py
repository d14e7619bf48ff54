"""What the coordination domain tells people (``reliefops.notices``).

* An action item created (from a meeting or a decision) tells its owner: the owner user
  when one is named, else whoever may update action items for the owner organisation in
  the meeting's area (``action_item_assigned_notify``, called by ``action_item_create`` in
  its transaction).
* The daily reminder of action items past their due date and neither done nor dropped
  (the one overdue rule, ``action_item_overdue_q``), registered here and run by the beat
  task ``reliefops.notices.reminders_send``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from reliefops.coordination.meeting_models import ActionItem
from reliefops.coordination.meeting_selectors import action_item_overdue_q
from reliefops.core.actions import Action
from reliefops.core.permissions import Actor
from reliefops.notices.choices import NoticeKind
from reliefops.notices.selectors import notice_recipients
from reliefops.notices.services import Reminder, notify, reminder


def _owners(item: ActionItem) -> list[Any]:
    if item.owner_user is not None:
        return [item.owner_user]
    return notice_recipients(
        Action.ACTION_ITEM_UPDATE, area=item.meeting.area, organisation=item.owner_organisation
    )


def _params(item: ActionItem) -> dict[str, Any]:
    return {"reference": item.reference, "title": item.title, "due": item.due_date.isoformat()}


def _link(item: ActionItem) -> str:
    return reverse("coordination:action_item_detail", args=[item.reference])


def action_item_assigned_notify(*, actor: Actor | None, item: ActionItem) -> None:
    """Tell the new action item's owner that it is theirs."""
    notify(
        _owners(item),
        NoticeKind.ACTION_ITEM_ASSIGNED,
        _params(item),
        _link(item),
        item.reference,
        actor=actor,
    )


@reminder(NoticeKind.ACTION_ITEM_OVERDUE)
def action_items_overdue(day: dt.date) -> Iterator[Reminder]:
    """Action items overdue on ``day``: to their owners (as when they were assigned)."""
    overdue = (
        ActionItem.objects.filter(action_item_overdue_q(day))
        .select_related("meeting__area", "owner_organisation", "owner_user")
        .order_by("due_date", "reference")
    )
    for item in overdue.iterator(chunk_size=200):
        yield Reminder(
            recipients=_owners(item),
            params=_params(item),
            link=_link(item),
            reference=item.reference,
        )

"""The meetings part of the write-scope world (tests/core/writescope): per area key and
organisation a meeting (convened by the organisation at the key's place) with an agenda
item, a decision and an open action item owned by the organisation (and a done one, linked to the key's submitted request of
the organisation), and a contact of the organisation in the key's area (OUT: a
headquarters contact, no area)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.coordination.models import (
    ActionItem,
    AgendaItem,
    Contact,
    Decision,
    Meeting,
    WorkingGroup,
)


def meetings_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS, ORGS

    world.meeting, world.agenda_item, world.decision = {}, {}, {}
    world.action_item, world.action_item_done, world.contact = {}, {}, {}
    world.working_group = WorkingGroup.objects.create(
        code="WG-WS", name="Group", lead_organisation=world.org["OWN"]
    )
    starts = timezone.make_aware(dt.datetime(2023, 9, 25, 10))
    for key in KEYS:
        place, area = world.place[key], world.area(key)
        for org in ORGS:
            tag = f"{key}-{org}"
            meeting = Meeting.objects.create(
                reference=f"MTG-WS-{tag}", title=f"Meeting {tag}", kind="bilateral",
                organisation=world.org[org], starts_at=starts, place=place, area=area,
            )  # fmt: skip
            item = AgendaItem.objects.create(meeting=meeting, position=1, title="Item")
            AgendaItem.objects.create(meeting=meeting, position=2, title="Second item")
            decision = Decision.objects.create(
                reference=f"{meeting.reference}-D1", agenda_item=item, text="Decided"
            )
            world.meeting[(key, org)] = meeting
            world.agenda_item[(key, org)] = item
            world.decision[(key, org)] = decision
            world.action_item[(key, org)] = ActionItem.objects.create(
                reference=f"ACT-WS-{tag}", meeting=meeting, decision=decision, title="Do",
                owner_organisation=world.org[org], due_date=dt.date(2023, 10, 1),
            )  # fmt: skip
            world.action_item_done[(key, org)] = ActionItem.objects.create(
                reference=f"ACT-WS-{tag}-DONE", meeting=meeting, title="Done",
                owner_organisation=world.org[org], due_date=dt.date(2023, 9, 1), status="done",
            )  # fmt: skip
            world.action_item_done[(key, org)].requests.add(
                world.request[(key, org, "submitted")]
            )  # a link to remove (unlink probes)
            contact = Contact.objects.create(
                organisation=world.org[org], name=f"Contact {tag}", phone="+994 1"
            )
            if area is not None:
                contact.areas.set([area])
            world.contact[(key, org)] = contact

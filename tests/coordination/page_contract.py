"""The coordination part of the page contract (tests/core/test_page_contract.py): per area
of the world a meeting (agenda item, decision, action item, file), a contact, a working group
(reference data) and a 4W activity. Markers are texts only the out-of-scope object's page
shows (never in its URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NO_ID = "00000000-0000-4000-8000-000000000000"


def meetings_world(world: Any) -> None:
    if "meeting" in world.objects:
        return
    from reliefops.coordination import services
    from reliefops.places.models import Place
    from tests.accounts.factories import OrganisationFactory, UserFactory

    admin = UserFactory(is_superuser=True)
    org = OrganisationFactory(acronym="MTORG")
    made: dict[str, list[str]] = {k: [] for k in ("meeting", "item", "contact", "group", "file")}
    decisions = []
    for tag, area in (("IN", world.area_in), ("OUT", world.area_out)):
        place = Place.objects.get(code=f"ZP-{tag}")
        group = services.working_group_create(
            actor=admin, code=f"WG-{tag}", name=f"Group marker {tag}", lead_organisation=org
        )
        contact = services.contact_create(
            actor=admin, organisation=org, name=f"Contact marker {tag}", areas=[area]
        )
        meeting = services.meeting_create(
            actor=admin, title=f"Meeting marker {tag}", kind="working_group", organisation=org,
            starts_at=timezone.make_aware(dt.datetime(2023, 9, 25, 10)), place=place,
            working_group=group, contacts=[contact], agenda=[f"Agenda marker {tag}"],
        )  # fmt: skip
        decision = services.decision_record(
            actor=admin, agenda_item=meeting.agenda.get(), text=f"Decision marker {tag}"
        )
        item = services.decision_action_create(
            actor=admin, decision=decision, title=f"Action marker {tag}",
            owner_organisation=org, due_date=dt.date(2023, 10, 1),
        )  # fmt: skip
        attachment = services.meeting_attachment_add(
            actor=admin, meeting=meeting, upload=SimpleUploadedFile("minutes.pdf", PDF)
        )
        made["meeting"].append(meeting.reference)
        made["item"].append(item.reference)
        made["contact"].append(str(contact.pk))
        made["group"].append(group.code)
        made["file"].append(str(attachment.pk))
        decisions.append(decision.reference)
    world.objects["meeting"] = (*made["meeting"], "Meeting marker OUT")
    world.objects["decision"] = (decisions[0], decisions[1], "Decision marker OUT")
    world.objects["action_item"] = (*made["item"], "Action marker OUT")
    world.objects["contact"] = (*made["contact"], "Contact marker OUT")
    world.objects["working_group"] = (*made["group"], "Group marker OUT")
    world.objects["meeting_file"] = (*made["file"], "")


def meeting_registry(ids: Any) -> dict[str, Callable[[Any], Any]]:
    def of(kind: str, unknown: str, *, scoped: bool = True) -> Callable[[Any], Any]:
        def make(world: Any) -> Any:
            meetings_world(world)
            inside, outside, marker = world.objects[kind]
            return ids(inside, unknown, outside, scoped, marker)

        return make

    def meeting_file(world: Any) -> Any:
        meetings_world(world)
        inside, _outside, _marker = world.objects["meeting_file"]
        return ids(inside, NO_ID, None)  # another meeting's file: a 404 under this one

    def step(world: Any) -> Any:
        return ids("start", "no-such-step", None)

    meeting = of("meeting", "MTG-NOPE")
    return {
        "coordination:meeting_detail.reference": meeting,
        "coordination:meeting_edit.reference": meeting,
        "coordination:agenda_add.reference": meeting,
        "coordination:decision_add.reference": meeting,
        "coordination:action_add.reference": meeting,
        "coordination:attachment_add.reference": meeting,
        "coordination:attachment.reference": meeting,
        "coordination:attachment.pk": meeting_file,
        "coordination:decision_request.reference": of("decision", "MTG-NOPE-D1"),
        "coordination:action_item_detail.reference": of("action_item", "ACT-NOPE"),
        "coordination:action_item_step.reference": of("action_item", "ACT-NOPE"),
        "coordination:action_item_step.step": step,
        "coordination:action_item_link.reference": of("action_item", "ACT-NOPE"),
        "coordination:action_item_unlink.reference": of("action_item", "ACT-NOPE"),
        "coordination:contact_detail.pk": of("contact", NO_ID),
        "coordination:contact_edit.pk": of("contact", NO_ID),
        "coordination:working_group_detail.code": of("working_group", "WG-NOPE", scoped=False),
        "coordination:working_group_edit.code": of("working_group", "WG-NOPE", scoped=False),
    }


# --- added for fourw: a 4W activity in each area
def _activities_world(world: Any) -> None:
    if "activity" in world.objects:
        return
    from tests.accounts.factories import OrganisationFactory
    from tests.coordination.factories import make_activity

    organisation = OrganisationFactory(acronym="ZORG4W")
    refs = [
        make_activity(
            reference=f"4W-Z{tag}", organisation=organisation, area=area, activity=f"Probe {tag}"
        ).reference
        for tag, area in (("IN", world.area_in), ("OUT", world.area_out))
    ]
    world.objects["activity"] = (refs[0], refs[1], "Probe OUT")


def activity_registry(ids: Any) -> dict[str, Callable[[Any], Any]]:
    def activity(world: Any) -> Any:
        _activities_world(world)
        inside, outside, marker = world.objects["activity"]
        return ids(inside, "4W-NOPE", outside, True, marker)

    def activity_step(world: Any) -> Any:
        return ids("start", "no-such-step", None)

    return {
        "coordination:activity_detail.reference": activity,
        "coordination:activity_step.reference": activity,
        "coordination:activity_step.step": activity_step,
    }

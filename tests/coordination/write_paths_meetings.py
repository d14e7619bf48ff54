"""Write paths of meetings, decisions, action items, contacts and working groups for the
write-scope property test (objects from tests/coordination/writescope_world.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reliefops.coordination import services
from reliefops.needs.services import LineInput
from tests.core.writescope import Attempt, api, not_a_write, page, service

SVC = "reliefops.coordination.services"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STARTS = "2023-09-25T10:00"


def _key(t: Attempt) -> tuple[str, str]:
    return (t.area, t.org)


def _area_list(t: Attempt) -> list[Any]:
    area = t.world.area(t.area)
    return [area] if area is not None else []


def _starts() -> Any:
    return timezone.make_aware(dt.datetime(2023, 9, 25, 10))


# --------------------------------------------------------------------------- services


@service(f"{SVC}.groups.working_group_create")
def _group_create(t: Attempt) -> None:
    services.working_group_create(
        actor=t.actor, code=f"WG-{t.area}-{t.org}", name="G", lead_organisation=t.world.org[t.org]
    )


@service(f"{SVC}.groups.working_group_update")
def _group_update(t: Attempt) -> None:
    services.working_group_update(
        actor=t.actor, group=t.world.working_group, name="G2", kind="working_group",
        lead_organisation=t.world.org[t.org], areas=_area_list(t),
    )  # fmt: skip


@service(f"{SVC}.groups.contact_create")
def _contact_create(t: Attempt) -> None:
    services.contact_create(
        actor=t.actor, organisation=t.world.org[t.org], name="New", areas=_area_list(t)
    )


@service(f"{SVC}.groups.contact_update")
def _contact_update(t: Attempt) -> None:
    contact = t.world.contact[_key(t)]
    services.contact_update(
        actor=t.actor, contact=contact, organisation=contact.organisation, name="Renamed",
        areas=[a for a in [t.world.area(t.to)] if a is not None],
    )  # fmt: skip


@service(f"{SVC}.meetings.meeting_create")
def _meeting_create(t: Attempt) -> None:
    services.meeting_create(
        actor=t.actor, title="M", kind="bilateral", organisation=t.world.org[t.org],
        starts_at=_starts(), place=t.world.place[t.area],
    )  # fmt: skip


@service(f"{SVC}.meetings.meeting_update")
def _meeting_update(t: Attempt) -> None:
    meeting = t.world.meeting[_key(t)]
    services.meeting_update(
        actor=t.actor, meeting=meeting, title="Moved", kind=meeting.kind,
        organisation=meeting.organisation, starts_at=meeting.starts_at,
        place=t.world.place[t.to],
    )  # fmt: skip


@service(f"{SVC}.meetings.agenda_item_add")
def _agenda_add(t: Attempt) -> None:
    services.agenda_item_add(actor=t.actor, meeting=t.world.meeting[_key(t)], title="More")


@service(f"{SVC}.meetings.agenda_item_move")
def _agenda_move(t: Attempt) -> None:
    services.agenda_item_move(actor=t.actor, item=t.world.agenda_item[_key(t)], position=2)


@service(f"{SVC}.meetings.meeting_attachment_add")
def _attachment_add(t: Attempt) -> None:
    services.meeting_attachment_add(
        actor=t.actor,
        meeting=t.world.meeting[_key(t)],
        upload=SimpleUploadedFile("m.pdf", PDF),
    )


@service(f"{SVC}.meetings.decision_record")
def _decision_record(t: Attempt) -> None:
    services.decision_record(actor=t.actor, agenda_item=t.world.agenda_item[_key(t)], text="D")


@service(f"{SVC}.meetings.decision_request_create")
def _decision_request(t: Attempt) -> None:
    services.decision_request_create(
        actor=t.actor, decision=t.world.decision[_key(t)], organisation=t.world.org[t.org],
        facility=t.world.facility[t.area], lines=[LineInput(quantity=Decimal(5), item=t.world.item)],
        needed_from=dt.date(2023, 10, 1), needed_by=dt.date(2023, 10, 9), confirm_duplicate=True,
    )  # fmt: skip


@service(f"{SVC}.action_items.action_item_create")
def _action_create(t: Attempt) -> None:
    services.action_item_create(
        actor=t.actor, meeting=t.world.meeting[_key(t)], title="Do",
        owner_organisation=t.world.org[t.org], due_date=dt.date(2023, 10, 1),
    )  # fmt: skip


@service(f"{SVC}.action_items.decision_action_create")
def _decision_action(t: Attempt) -> None:
    services.decision_action_create(
        actor=t.actor, decision=t.world.decision[_key(t)], title="Do",
        owner_organisation=t.world.org[t.org], due_date=dt.date(2023, 10, 1),
    )  # fmt: skip


@service(f"{SVC}.action_items.action_item_transition")
def _action_step(t: Attempt) -> None:
    step = t.draw(["start", "complete", "drop", "reopen"])
    items = t.world.action_item_done if step == "reopen" else t.world.action_item
    services.action_item_transition(actor=t.actor, item=items[_key(t)], step=step, reason="r")


@service(f"{SVC}.action_items.action_item_link")
def _action_link(t: Attempt) -> None:
    request = t.world.request[(t.area, t.org, "submitted")]
    services.action_item_link(actor=t.actor, item=t.world.action_item[_key(t)], requests=[request])


@service(f"{SVC}.action_items.action_item_unlink")
def _action_unlink(t: Attempt) -> None:
    request = t.world.request[(t.area, t.org, "submitted")]
    item = t.world.action_item_done[_key(t)]
    services.action_item_unlink(actor=t.actor, item=item, requests=[request])


# --------------------------------------------------------------------------- API


@api("PUT /api/v1/contacts/{id}/")
def _api_contact_put(t: Attempt) -> None:
    contact = t.world.contact[_key(t)]
    area = t.world.area(t.to)
    t.api.put(
        f"/api/v1/contacts/{contact.pk}/",
        {"name": "Renamed", "organisation": t.draw(["OWN", "OTHER"]),
         "areas": [area.code] if area else []},
        format="json",
    )  # fmt: skip


@api("PATCH /api/v1/contacts/{id}/")
def _api_contact_patch(t: Attempt) -> None:
    contact = t.world.contact[_key(t)]
    area = t.world.area(t.to)
    t.api.patch(
        f"/api/v1/contacts/{contact.pk}/",
        {"title": "Moved", "areas": [area.code] if area else []},
        format="json",
    )


@api("PUT /api/v1/working-groups/{code}/")
def _api_group_put(t: Attempt) -> None:
    area = t.world.area(t.area)
    t.api.put(
        f"/api/v1/working-groups/{t.world.working_group.code}/",
        {"name": "G2", "kind": "working_group", "lead_organisation": t.org,
         "areas": [area.code] if area else []},
        format="json",
    )  # fmt: skip


@api("PATCH /api/v1/working-groups/{code}/")
def _api_group_patch(t: Attempt) -> None:
    t.api.patch(
        f"/api/v1/working-groups/{t.world.working_group.code}/", {"name": "G3"}, format="json"
    )


@api("POST /api/v1/action-items/{reference}/link/")
def _api_link(t: Attempt) -> None:
    ref = t.world.action_item[_key(t)].reference
    request = t.world.request[(t.to, t.org, "submitted")]
    t.api.post(
        f"/api/v1/action-items/{ref}/link/",
        {"kind": "requests", "reference": request.reference},
        format="json",
    )


@api("POST /api/v1/action-items/{reference}/unlink/")
def _api_unlink(t: Attempt) -> None:
    ref = t.world.action_item_done[_key(t)].reference
    request = t.world.request[(t.area, t.org, "submitted")]
    t.api.post(
        f"/api/v1/action-items/{ref}/unlink/",
        {"kind": "requests", "reference": request.reference},
        format="json",
    )


@api("POST /api/v1/contacts/")
def _api_contact(t: Attempt) -> None:
    area = t.world.area(t.area)
    t.api.post(
        "/api/v1/contacts/",
        {"name": "N", "organisation": t.org, "areas": [area.code] if area else []},
        format="json",
    )


@api("POST /api/v1/meetings/")
def _api_meeting(t: Attempt) -> None:
    t.api.post(
        "/api/v1/meetings/",
        {"title": "M", "kind": "bilateral", "organisation": t.org,
         "starts_at": "2023-09-25T10:00:00Z", "place": t.world.place[t.area].code},
        format="json",
    )  # fmt: skip


@api("POST /api/v1/meetings/{reference}/agenda/")
def _api_agenda(t: Attempt) -> None:
    ref = t.world.meeting[_key(t)].reference
    t.api.post(f"/api/v1/meetings/{ref}/agenda/", {"title": "More"}, format="json")


@api("POST /api/v1/decisions/")
def _api_decision(t: Attempt) -> None:
    ref = t.world.meeting[_key(t)].reference
    t.api.post("/api/v1/decisions/", {"meeting": ref, "agenda_item": 1, "text": "D"}, format="json")


@api("POST /api/v1/decisions/{reference}/request/")
def _api_decision_request(t: Attempt) -> None:
    ref = t.world.decision[_key(t)].reference
    t.api.post(
        f"/api/v1/decisions/{ref}/request/",
        {"organisation": t.org, "facility": t.world.facility[t.area].code,
         "lines": [{"item": t.world.item.code, "quantity": "5"}],
         "needed_from": "2023-10-01", "needed_by": "2023-10-09", "confirm_duplicate": True},
        format="json",
    )  # fmt: skip


@api("POST /api/v1/action-items/")
def _api_action(t: Attempt) -> None:
    t.api.post(
        "/api/v1/action-items/",
        {"meeting": t.world.meeting[_key(t)].reference, "title": "Do",
         "owner_organisation": t.org, "due_date": "2023-10-01"},
        format="json",
    )  # fmt: skip


def _api_step(step: str) -> Any:
    def probe(t: Attempt) -> None:
        items = t.world.action_item_done if step == "reopen" else t.world.action_item
        ref = items[_key(t)].reference
        t.api.post(f"/api/v1/action-items/{ref}/{step}/", {"reason": "r"}, format="json")

    return probe


for _step in ("start", "complete", "drop", "reopen"):
    api(f"POST /api/v1/action-items/{{reference}}/{_step}/")(_api_step(_step))


# --------------------------------------------------------------------------- pages


@page("coordination:meeting_create")
def _page_meeting(t: Attempt) -> None:
    t.page.post(
        "/coordination/meetings/new/",
        {"title": "M", "kind": "bilateral", "organisation": t.world.org[t.org].pk,
         "starts_at": STARTS, "place": t.world.place[t.area].code},
    )  # fmt: skip


@page("coordination:meeting_edit")
def _page_meeting_edit(t: Attempt) -> None:
    meeting = t.world.meeting[_key(t)]
    t.page.post(
        f"/coordination/meetings/{meeting.reference}/edit/",
        {"title": "Moved", "kind": "bilateral", "organisation": meeting.organisation.pk,
         "starts_at": STARTS, "place": t.world.place[t.to].code},
    )  # fmt: skip


@page("coordination:agenda_add")
def _page_agenda(t: Attempt) -> None:
    ref = t.world.meeting[_key(t)].reference
    t.page.post(f"/coordination/meetings/{ref}/agenda/", {"title": "More"})


@page("coordination:decision_add")
def _page_decision(t: Attempt) -> None:
    ref = t.world.meeting[_key(t)].reference
    item = t.world.agenda_item[_key(t)]
    t.page.post(f"/coordination/meetings/{ref}/decisions/", {"agenda_item": item.pk, "text": "D"})


@page("coordination:action_add")
def _page_action(t: Attempt) -> None:
    ref = t.world.meeting[_key(t)].reference
    t.page.post(
        f"/coordination/meetings/{ref}/actions/",
        {"title": "Do", "owner_organisation": t.world.org[t.org].pk, "due_date": "2023-10-01"},
    )


@page("coordination:attachment_add")
def _page_attachment(t: Attempt) -> None:
    ref = t.world.meeting[_key(t)].reference
    t.page.post(f"/coordination/meetings/{ref}/files/", {"file": SimpleUploadedFile("m.pdf", PDF)})


@page("coordination:decision_request")
def _page_decision_request(t: Attempt) -> None:
    ref = t.world.decision[_key(t)].reference
    t.page.post(
        f"/coordination/decisions/{ref}/request/",
        {"organisation": t.world.org[t.org].pk, "facility": t.world.facility[t.area].pk,
         "item": t.world.item.pk, "quantity": "5", "needed_from": "2023-10-01",
         "needed_by": "2023-10-09", "priority": "urgent", "confirm_duplicate": "on"},
    )  # fmt: skip


@page("coordination:action_item_step")
def _page_step(t: Attempt) -> None:
    ref = t.world.action_item[_key(t)].reference
    step = t.draw(["start", "complete", "drop"])
    t.page.post(f"/coordination/action-items/{ref}/steps/{step}/", {"reason": "r"})


@page("coordination:contact_create")
def _page_contact(t: Attempt) -> None:
    t.page.post(
        "/coordination/contacts/new/",
        {"name": "N", "organisation": t.world.org[t.org].pk,
         "areas": [a.pk for a in _area_list(t)]},
    )  # fmt: skip


@page("coordination:contact_edit")
def _page_contact_edit(t: Attempt) -> None:
    contact = t.world.contact[_key(t)]
    t.page.post(
        f"/coordination/contacts/{contact.pk}/edit/",
        {"name": "Renamed", "organisation": t.world.org[t.draw(["OWN", "OTHER"])].pk,
         "areas": [a.pk for a in [t.world.area(t.to)] if a is not None], "is_active": "on"},
    )  # fmt: skip


@page("coordination:working_group_edit")
def _page_group_edit(t: Attempt) -> None:
    t.page.post(
        f"/coordination/working-groups/{t.world.working_group.code}/edit/",
        {"name": "G2", "kind": "working_group", "lead_organisation": t.world.org[t.org].pk,
         "areas": [a.pk for a in _area_list(t)]},
    )  # fmt: skip


@page("coordination:action_item_link")
def _page_link(t: Attempt) -> None:
    ref = t.world.action_item[_key(t)].reference
    request = t.world.request[(t.to, t.org, "submitted")]
    t.page.post(
        f"/coordination/action-items/{ref}/link/",
        {"kind": "requests", "reference": request.reference},
    )


@page("coordination:action_item_unlink")
def _page_unlink(t: Attempt) -> None:
    ref = t.world.action_item_done[_key(t)].reference
    request = t.world.request[(t.area, t.org, "submitted")]
    t.page.post(
        f"/coordination/action-items/{ref}/unlink/",
        {"kind": "requests", "reference": request.reference},
    )


@page("coordination:working_group_create")
def _page_group(t: Attempt) -> None:
    t.page.post(
        "/coordination/working-groups/new/",
        {"code": f"WG-P-{t.area}", "name": "G", "kind": "working_group",
         "lead_organisation": t.world.org[t.org].pk},
    )  # fmt: skip


for _name in (
    "meeting_list", "meeting_detail", "attachment", "decision_list", "action_item_list",
    "action_item_detail", "contact_list", "working_group_list", "working_group_detail",
):  # fmt: skip
    not_a_write(f"coordination:{_name}", "read-only page (GET only)")

_REVEAL = (
    "a read: shows a contact's phone and e-mail to a role with contact.view_details in one "
    "of its areas and audits it (tests/coordination/test_contacts.py)"
)
not_a_write(f"{SVC}.groups.contact_details_reveal", _REVEAL)
not_a_write("POST /api/v1/contacts/{id}/details/", _REVEAL)
not_a_write("coordination:contact_detail", _REVEAL)

"""The meeting pages: record a meeting with the place resolver, add decisions, turn one
into a request, take an action item's step; contact details behind a logged POST."""

from __future__ import annotations

import pytest
from django.test import Client

from reliefops.coordination import services
from reliefops.coordination.models import ActionItem, Decision, Meeting
from reliefops.core.models import AuditEvent
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_chain_from_meeting_to_request_and_action_item(scene: Scene) -> None:
    page = _client(scene.coordinator)
    response = page.post(
        "/coordination/meetings/new/",
        {"title": "Fuel meeting", "kind": "working_group", "organisation": scene.own.pk,
         "starts_at": "2023-09-21T11:00", "place": "MM-P-N", "organisations": [scene.other.pk],
         "agenda": "Heating\nFood"},
    )  # fmt: skip
    meeting = Meeting.objects.get(title="Fuel meeting")
    assert response.status_code == 302 and meeting.place == scene.north_place
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Heating", "Food"]
    base = f"/coordination/meetings/{meeting.reference}"
    heating = meeting.agenda.get(position=1)
    assert (
        page.post(f"{base}/decisions/", {"agenda_item": heating.pk, "text": "Fuel"}).status_code
        == 302
    )
    decision = Decision.objects.get(agenda_item=heating)
    response = page.post(
        f"/coordination/decisions/{decision.reference}/request/",
        {"organisation": scene.own.pk, "facility": scene.school.pk, "item": scene.diesel.pk,
         "quantity": "700", "needed_from": "2023-10-02", "needed_by": "2023-10-20",
         "priority": "urgent"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    request = decision.requests.get()
    assert request.source == "working_group"
    response = page.post(
        f"{base}/actions/",
        {"title": "Deliver", "decision": decision.pk, "owner_organisation": scene.own.pk,
         "due_date": "2023-10-05"},
    )  # fmt: skip
    item = ActionItem.objects.get(meeting=meeting)
    html = page.get(base + "/").content.decode()
    assert request.reference in html and item.reference in html and "Northville" in html
    response = _client(scene.field).post(
        f"/coordination/action-items/{item.reference}/steps/start/"
    )
    item.refresh_from_db()
    assert response.status_code == 302 and item.status == "in_progress"


def test_unknown_places_and_refused_steps_come_back_on_the_form(scene: Scene) -> None:
    page = _client(scene.coordinator)
    response = page.post(
        "/coordination/meetings/new/",
        {"title": "x", "kind": "bilateral", "organisation": scene.own.pk,
         "starts_at": "2023-09-21T11:00", "place": "Nowhere-at-all"},
    )  # fmt: skip
    assert response.status_code == 400 and not Meeting.objects.filter(title="x").exists()
    item = services.action_item_create(
        actor=scene.coordinator, meeting=scene.meeting, title="Do",
        owner_organisation=scene.own, due_date=scene.meeting.starts_at.date(),
    )  # fmt: skip
    response = page.post(f"/coordination/action-items/{item.reference}/steps/drop/")
    assert response.status_code == 400  # a reason is needed
    viewer = _client(scene.viewer)
    assert (
        viewer.post(f"/coordination/action-items/{item.reference}/steps/start/").status_code == 403
    )
    assert viewer.get("/coordination/meetings/new/").status_code == 403


def test_contact_details_are_shown_on_request_and_logged(scene: Scene) -> None:
    contact = services.contact_create(
        actor=scene.coordinator, organisation=scene.own, name="Aysel", phone="+994 55 000",
        areas=[scene.north],
    )  # fmt: skip
    url = f"/coordination/contacts/{contact.pk}/"
    field = _client(scene.field)
    assert "+994 55 000" not in field.get(url).content.decode()
    assert "+994 55 000" in field.post(url).content.decode()
    assert AuditEvent.objects.filter(action="contact.view_details").count() == 1
    viewer = _client(scene.viewer)
    html = viewer.get(url).content.decode()
    assert "Aysel" in html and "Show phone" not in html
    assert viewer.post(url).status_code == 403


def test_lists_filter_and_offer_the_export(scene: Scene) -> None:
    page = _client(scene.viewer)
    html = page.get("/coordination/meetings/").content.decode()
    assert scene.meeting.reference in html and scene.south_meeting.reference not in html
    assert "/exports/meetings/" in html or "export/meetings" in html
    html = page.get("/coordination/meetings/?kind=bilateral").content.decode()
    assert scene.meeting.reference not in html
    for url in ("/coordination/decisions/", "/coordination/action-items/?overdue=true",
                "/coordination/contacts/", "/coordination/working-groups/",
                f"/coordination/working-groups/{scene.heating.code}/"):  # fmt: skip
        assert page.get(url).status_code == 200, url

"""The meetings API: scoped lists, creation through the services, decision → request,
action-item steps, contact details by POST only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reliefops.coordination import services
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_chain(scene: Scene) -> None:
    api = _api(scene.coordinator)
    created = api.post(
        "/api/v1/meetings/",
        {"title": "API meeting", "kind": "bilateral", "organisation": "OWN",
         "starts_at": "2023-09-25T10:00:00Z", "place": "MM-P-N", "organisations": ["OTHER"],
         "agenda": ["Fuel"]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    meeting = created.json()
    assert meeting["area"] == "MM-N" and meeting["organisations"] == ["OTHER", "OWN"]
    decision = api.post(
        "/api/v1/decisions/",
        {"meeting": meeting["reference"], "agenda_item": 1, "text": "Fuel for the school"},
        format="json",
    ).json()
    request = api.post(
        f"/api/v1/decisions/{decision['reference']}/request/",
        {"organisation": "OWN", "facility": "MM-F-SCH", "needed_from": "2023-10-02",
         "needed_by": "2023-10-20", "lines": [{"item": "MM-DSL", "quantity": "900"}]},
        format="json",
    )  # fmt: skip
    assert request.status_code == 201, request.json()
    assert request.json()["source"] == "working_group"
    item = api.post(
        "/api/v1/action-items/",
        {"meeting": meeting["reference"], "decision": decision["reference"], "title": "Deliver",
         "owner_organisation": "OWN", "due_date": "2023-10-05"},
        format="json",
    )  # fmt: skip
    assert item.status_code == 201, item.json()
    ref = item.json()["reference"]
    refused = api.post(f"/api/v1/action-items/{ref}/drop/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "reason_required"
    done = api.post(f"/api/v1/action-items/{ref}/complete/", {}, format="json")
    assert done.json()["status"] == "done"
    again = api.post(f"/api/v1/action-items/{ref}/start/", {}, format="json")
    assert again.status_code == 409


def test_lists_are_scoped_and_details_need_the_action(scene: Scene) -> None:
    viewer = _api(scene.viewer)
    refs = [m["reference"] for m in viewer.get("/api/v1/meetings/").json()["results"]]
    assert refs == [scene.meeting.reference]
    assert viewer.get(f"/api/v1/meetings/{scene.south_meeting.reference}/").status_code == 404
    contact = services.contact_create(
        actor=scene.coordinator, organisation=scene.own, name="A", phone="+1", areas=[scene.north]
    )
    listed = viewer.get("/api/v1/contacts/").json()["results"]
    assert [c["name"] for c in listed] == ["A"] and "phone" not in listed[0]
    assert viewer.post(f"/api/v1/contacts/{contact.pk}/details/").status_code == 403
    shown = _api(scene.field).post(f"/api/v1/contacts/{contact.pk}/details/")
    assert shown.json() == {"phone": "+1", "email": ""}
    assert viewer.post("/api/v1/meetings/", {}, format="json").status_code in {400, 403}

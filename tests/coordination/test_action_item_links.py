"""Linking an action item to what it caused (a request, convoy, day plan or visit, by its
reference) and removing a link: through the service, the item's page and the API; the
scope of the action item is checked on the row as the database has it, each change is
audited, an unknown reference is a 4xx naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.coordination import services
from reliefops.coordination.models import ActionItem, Meeting
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.needs.services import LineInput
from tests.coordination.meeting_scene import Scene
from tests.logistics.factories import ConvoyFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def _item(scene: Scene, owner: Any = None) -> ActionItem:
    return services.action_item_create(
        actor=scene.coordinator,
        meeting=scene.meeting,
        title="Deliver fuel",
        owner_organisation=owner or scene.own,
        due_date=dt.date(2023, 10, 5),
    )


def _request(scene: Scene) -> Any:
    decision = services.decision_record(
        actor=scene.coordinator, agenda_item=scene.meeting.agenda.first(), text="Fuel"
    )
    return services.decision_request_create(
        actor=scene.coordinator, decision=decision, organisation=scene.own,
        facility=scene.school, lines=[LineInput(quantity=Decimal(500), item=scene.diesel)],
        needed_from=dt.date(2023, 10, 3), needed_by=dt.date(2023, 10, 20),
    )  # fmt: skip


# --------------------------------------------------------------------------- service


def test_unlink_removes_a_link_audited_and_checks_it_is_linked(scene: Scene) -> None:
    item, request = _item(scene), _request(scene)
    services.action_item_link(actor=scene.field, item=item, requests=[request])
    with pytest.raises(InvalidInput):
        services.action_item_unlink(actor=scene.field, item=item)  # nothing named
    convoy = ConvoyFactory()
    with pytest.raises(InvalidInput) as refused:  # not linked
        services.action_item_unlink(actor=scene.field, item=item, convoys=[convoy])
    assert refused.value.details["field"] == "convoys"
    services.action_item_unlink(actor=scene.field, item=item, requests=[request])
    assert list(item.requests.all()) == []
    event = AuditEvent.objects.get(action="action_item.unlink", object_id=str(item.pk))
    assert event.actor == scene.field and event.before["requests"] == [request.reference]


def test_unlink_is_scoped_like_link(scene: Scene) -> None:
    item, request = _item(scene, owner=scene.other), _request(scene)
    services.action_item_link(actor=scene.coordinator, item=item, requests=[request])
    for actor in (
        scene.field,  # OWN's field worker, OTHER's item
        scene.viewer,  # updates nothing
        scene.user(Role.FIELD, area=scene.south, organisation=scene.other),  # elsewhere
    ):
        with pytest.raises(Forbidden):
            services.action_item_unlink(actor=actor, item=item, requests=[request])
    assert list(item.requests.all()) == [request]


def test_unlink_checks_the_item_as_the_database_has_it(scene: Scene) -> None:
    item, request = _item(scene), _request(scene)
    services.action_item_link(actor=scene.field, item=item, requests=[request])
    stale = ActionItem.objects.get(pk=item.pk)
    Meeting.objects.filter(pk=scene.meeting.pk).update(area=scene.south)  # moved since read
    with pytest.raises(Forbidden):
        services.action_item_unlink(actor=scene.field, item=stale, requests=[request])
    assert list(item.requests.all()) == [request]


# --------------------------------------------------------------------------- page


def test_the_page_links_by_reference_and_unlinks(scene: Scene) -> None:
    item, request = _item(scene), _request(scene)
    convoy = ConvoyFactory(code="CV-LINK")
    page = _client(scene.coordinator)
    base = f"/coordination/action-items/{item.reference}/"
    html = page.get(base).content.decode()
    assert 'id="action-link-form"' in html and "Unlink" not in html
    response = page.post(base + "link/", {"kind": "requests", "reference": request.reference})
    assert response.status_code == 302
    assert page.post(base + "link/", {"kind": "convoys", "reference": "CV-LINK"}).status_code == 302
    assert list(item.requests.all()) == [request] and list(item.convoys.all()) == [convoy]
    html = page.get(base).content.decode()
    assert html.count('name="kind" value=') == 2  # an unlink button per link
    response = page.post(base + "unlink/", {"kind": "convoys", "reference": "CV-LINK"})
    assert response.status_code == 302 and list(item.convoys.all()) == []
    assert (
        AuditEvent.objects.filter(action="action_item.unlink", object_id=str(item.pk)).count() == 1
    )
    # linked no more: the refusal is shown atop the page, nothing changes
    again = page.post(base + "unlink/", {"kind": "convoys", "reference": "CV-LINK"})
    assert again.status_code == 400 and list(item.requests.all()) == [request]


def test_the_page_names_an_unknown_reference_at_the_field(scene: Scene) -> None:
    item = _item(scene)
    page = _client(scene.coordinator)
    url = f"/coordination/action-items/{item.reference}/link/"
    response = page.post(url, {"kind": "requests", "reference": "REQ-NOPE"})
    assert response.status_code == 400
    html = response.content.decode()
    at = html.index('name="reference"')
    assert "Nothing of this kind has this reference here." in html[at - 1500 : at + 1500]
    assert page.post(url, {"kind": "visits", "reference": "not-a-uuid"}).status_code == 400
    assert page.post(url, {"kind": "people", "reference": "x"}).status_code == 400


def test_the_page_refuses_out_of_scope_links(scene: Scene) -> None:
    item, request = _item(scene, owner=scene.other), _request(scene)
    url = f"/coordination/action-items/{item.reference}/link/"
    body = {"kind": "requests", "reference": request.reference}
    html = _client(scene.field).get(f"/coordination/action-items/{item.reference}/").content
    assert b'id="action-link-form"' not in html  # OTHER's item: no form for OWN's field worker
    assert _client(scene.field).post(url, body).status_code == 403
    south = scene.user(Role.FIELD, area=scene.south, organisation=scene.other)
    assert _client(south).post(url, body).status_code == 404  # the item is not in its areas
    assert list(item.requests.all()) == []


# --------------------------------------------------------------------------- API


def test_the_api_links_and_unlinks(scene: Scene) -> None:
    item, request = _item(scene), _request(scene)
    api = _api(scene.field)
    base = f"/api/v1/action-items/{item.reference}/"
    body = {"kind": "requests", "reference": request.reference}
    linked = api.post(base + "link/", body, format="json")
    assert linked.status_code == 200, linked.json()
    assert linked.json()["links"]["requests"] == [request.reference]
    unknown = api.post(base + "link/", {"kind": "convoys", "reference": "CV-NOPE"}, format="json")
    assert unknown.status_code == 400 and "reference" in unknown.json()["error"]["details"]
    kind = api.post(base + "link/", {"kind": "people", "reference": "x"}, format="json")
    assert kind.status_code == 400 and "kind" in kind.json()["error"]["details"]
    unlinked = api.post(base + "unlink/", body, format="json")
    assert unlinked.status_code == 200 and unlinked.json()["links"]["requests"] == []
    again = api.post(base + "unlink/", body, format="json")
    assert again.status_code == 400 and "reference" in again.json()["error"]["details"]


def test_the_api_refuses_out_of_scope_links(scene: Scene) -> None:
    item, request = _item(scene, owner=scene.other), _request(scene)
    base = f"/api/v1/action-items/{item.reference}/"
    body = {"kind": "requests", "reference": request.reference}
    refused = _api(scene.field).post(base + "link/", body, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    services.action_item_link(actor=scene.coordinator, item=item, requests=[request])
    assert _api(scene.viewer).post(base + "unlink/", body, format="json").status_code == 403
    south = scene.user(Role.FIELD, area=scene.south, organisation=scene.other)
    assert _api(south).post(base + "unlink/", body, format="json").status_code == 404
    assert list(item.requests.all()) == [request]

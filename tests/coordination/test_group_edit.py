"""Editing contacts and working groups: the pages (initial values, errors next to the
field, refusals, out of scope), the Edit link for who may edit, and the API's PUT/PATCH.
A contact's phone and e-mail are never shown to edit it: blank (or left out) keeps them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.coordination import services
from reliefops.coordination.models import Contact, WorkingGroup
from reliefops.core.models import AuditEvent
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+994 50 123 45 67", "aysel@example.org"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def _contact(scene: Scene, **changes) -> Contact:  # type: ignore[no-untyped-def]
    data = {
        "organisation": scene.own,
        "name": "Aysel",
        "title": "Heating focal point",
        "phone": PHONE,
        "email": EMAIL,
        "languages": ["az"],
        "areas": [scene.north],
    }
    return services.contact_create(actor=scene.coordinator, **{**data, **changes})


def _field_errors(html: str, name: str) -> str:
    """The text of the field block of ``name`` (its input and its own errors)."""
    at = html.index(f'name="{name}"')
    return html[max(0, at - 1500) : at + 1500]


# --------------------------------------------------------------------------- contacts


def test_contact_edit_page_saves_and_keeps_the_hidden_details(scene: Scene) -> None:
    contact = _contact(scene)
    page = _client(scene.partner)
    url = f"/coordination/contacts/{contact.pk}/edit/"
    shown = page.get(url)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert 'value="Aysel"' in html and 'value="Heating focal point"' in html
    assert PHONE not in html and EMAIL not in html  # editing never reveals them
    assert "leave blank to keep the stored phone" in html
    response = page.post(
        url,
        {"name": "Aysel Mammadova", "organisation": scene.own.pk, "title": "Lead",
         "languages": ["az", "ru"], "areas": [scene.north.pk], "is_active": "on",
         "phone": "", "email": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:800]
    contact.refresh_from_db()
    assert (contact.name, contact.title, contact.languages) == (
        "Aysel Mammadova",
        "Lead",
        ["az", "ru"],
    )
    assert (contact.phone, contact.email) == (PHONE, EMAIL)  # blank: unchanged
    event = AuditEvent.objects.get(action="contact.update", object_id=str(contact.pk))
    assert event.after["details_changed"] == []
    page.post(
        url,
        {"name": "Aysel", "organisation": scene.own.pk, "areas": [scene.north.pk],
         "is_active": "on", "phone": "+994 55 000 00 00"},
    )  # fmt: skip
    contact.refresh_from_db()
    assert (contact.phone, contact.email) == ("+994 55 000 00 00", EMAIL)


def test_contact_edit_shows_bad_input_at_the_field(scene: Scene) -> None:
    contact = _contact(scene)
    page = _client(scene.partner)
    url = f"/coordination/contacts/{contact.pk}/edit/"
    response = page.post(url, {"name": "", "organisation": scene.own.pk, "email": "not an e-mail"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "has-error" in _field_errors(html, "name") and "has-error" in _field_errors(
        html, "email"
    )
    contact.refresh_from_db()
    assert contact.name == "Aysel"


def test_contact_edit_is_refused_without_the_action_and_404_out_of_scope(scene: Scene) -> None:
    contact = _contact(scene)
    url = f"/coordination/contacts/{contact.pk}/edit/"
    assert _client(scene.field).get(url).status_code == 403  # no contact.manage
    assert _client(scene.viewer).post(url, {"name": "x"}).status_code == 403
    south_partner = scene.user(Role.PARTNER, area=scene.south, organisation=scene.other)
    assert _client(south_partner).get(url).status_code == 404  # not in its directory
    other_partner = scene.user(Role.PARTNER, organisation=scene.other)  # sees, may not edit
    assert _client(other_partner).get(url).status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Aysel"


def test_the_edit_link_is_shown_to_who_may_edit(scene: Scene) -> None:
    contact = _contact(scene)
    detail = f"/coordination/contacts/{contact.pk}/"
    edit = f"/coordination/contacts/{contact.pk}/edit/"
    assert edit in _client(scene.partner).get(detail).content.decode()
    assert edit not in _client(scene.field).get(detail).content.decode()
    other_partner = scene.user(Role.PARTNER, organisation=scene.other)
    assert edit not in _client(other_partner).get(detail).content.decode()
    group = "/coordination/working-groups/WG-HEAT/"
    assert f"{group}edit/" in _client(scene.coordinator).get(group).content.decode()
    assert f"{group}edit/" not in _client(scene.partner).get(group).content.decode()


def test_contact_api_put_and_patch(scene: Scene) -> None:
    contact = _contact(scene)
    api = _api(scene.partner)
    url = f"/api/v1/contacts/{contact.pk}/"
    patched = api.patch(url, {"title": "Lead"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["title"] == "Lead" and "phone" not in patched.json()
    contact.refresh_from_db()
    assert (contact.name, contact.phone, contact.email) == ("Aysel", PHONE, EMAIL)
    assert [a.code for a in contact.areas.all()] == ["MM-N"]
    put = api.put(
        url, {"name": "Aysel M", "organisation": "OWN", "areas": ["MM-N"], "email": ""},
        format="json",
    )  # fmt: skip
    assert put.status_code == 200, put.json()
    contact.refresh_from_db()
    assert (contact.name, contact.title, contact.phone, contact.email) == (
        "Aysel M",
        "",
        PHONE,
        None,
    )
    moved = api.patch(url, {"areas": ["MM-S"]}, format="json")  # outside the partner's areas
    assert moved.status_code == 403
    bad = api.patch(url, {"areas": ["NOPE"]}, format="json")
    assert bad.status_code == 400 and "areas" in bad.json()["error"]["details"]
    assert _api(scene.field).patch(url, {"title": "x"}, format="json").status_code == 403
    south = scene.user(Role.PARTNER, area=scene.south, organisation=scene.other)
    assert _api(south).patch(url, {"title": "x"}, format="json").status_code == 404


# --------------------------------------------------------------------------- working groups


def test_working_group_edit_page(scene: Scene) -> None:
    page = _client(scene.coordinator)
    url = "/coordination/working-groups/WG-HEAT/edit/"
    html = page.get(url).content.decode()
    assert 'value="Utilities and heating"' in html and 'name="code"' not in html
    response = page.post(
        url,
        {"name": "Heating and utilities", "kind": "working_group", "sector": "energy",
         "parent": scene.hq.pk, "lead_organisation": scene.other.pk,
         "members": [scene.own.pk], "areas": [scene.north.pk, scene.south.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:800]
    group = WorkingGroup.objects.get(code="WG-HEAT")
    assert (group.name, group.lead_organisation, group.is_active) == (
        "Heating and utilities", scene.other, False,
    )  # fmt: skip
    assert {o.acronym for o in group.members.all()} == {"OWN", "OTHER"}
    assert {a.code for a in group.areas.all()} == {"MM-N", "MM-S"}
    assert AuditEvent.objects.filter(action="working_group.update", object_id=str(group.pk))


def test_working_group_edit_errors_refusals_and_unknown(scene: Scene) -> None:
    page = _client(scene.coordinator)
    url = "/coordination/working-groups/HQ/edit/"
    # a headquarters inside another body: the service's refusal, next to the parent field
    child = services.working_group_create(
        actor=scene.admin, code="HQ2", name="Second HQ", kind="headquarters",
        lead_organisation=scene.own,
    )  # fmt: skip
    response = page.post(
        url, {"name": "HQ", "kind": "headquarters", "parent": child.pk,
              "lead_organisation": scene.own.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert "belongs to no other body" in _field_errors(response.content.decode(), "parent")
    response = page.post(url, {"name": "", "kind": "headquarters"})
    assert response.status_code == 400
    assert "has-error" in _field_errors(response.content.decode(), "lead_organisation")
    assert _client(scene.partner).get(url).status_code == 403
    assert _client(scene.partner).post(url, {"name": "x"}).status_code == 403
    assert page.get("/coordination/working-groups/WG-NOPE/edit/").status_code == 404
    assert WorkingGroup.objects.get(code="HQ").name == "Coordination headquarters"


def test_working_group_api_update(scene: Scene) -> None:
    api = _api(scene.coordinator)
    url = "/api/v1/working-groups/WG-HEAT/"
    patched = api.patch(url, {"name": "Heating"}, format="json")
    assert patched.status_code == 200, patched.json()
    body = patched.json()
    assert (body["name"], body["parent"], body["co_lead_organisation"]) == (
        "Heating",
        "HQ",
        "OTHER",
    )
    assert body["areas"] == ["MM-N"]  # what a PATCH does not name is kept
    put = api.put(
        url, {"name": "Heating WG", "kind": "working_group", "lead_organisation": "OTHER"},
        format="json",
    )  # fmt: skip
    assert put.status_code == 200, put.json()
    assert put.json()["co_lead_organisation"] is None and put.json()["areas"] == []
    bad = api.patch(url, {"lead_organisation": "NOPE"}, format="json")
    assert bad.status_code == 400 and "lead_organisation" in bad.json()["error"]["details"]
    wrong = api.patch("/api/v1/working-groups/HQ/", {"parent": "WG-HEAT"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["details"]["field"] == "parent"
    assert _api(scene.partner).patch(url, {"name": "x"}, format="json").status_code == 403
    assert api.patch("/api/v1/working-groups/NOPE/", {}, format="json").status_code == 404
    assert WorkingGroup.objects.get(code="WG-HEAT").name == "Heating WG"


def test_pages_have_no_id_twice(scene: Scene) -> None:
    contact = _contact(scene)
    for url in (
        f"/coordination/contacts/{contact.pk}/edit/",
        "/coordination/working-groups/HQ/edit/",
    ):
        html = _client(scene.coordinator).get(url).content.decode()
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), url

"""3W presence: the form's choices, the API's codes and the partner directory."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.coordination.models import Presence
from reliefops.coordination.selectors import (
    partner_directory,
    presence_area_choices,
    presence_organisation_choices,
)
from tests.accounts.factories import OrganisationFactory, make_user
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    country = AdminAreaFactory(code="QQ", level=0)
    north = AdminAreaFactory(code="QQ-N", level=1, parent=country)
    north_east = AdminAreaFactory(code="QQ-N-E", level=2, parent=north)
    south = AdminAreaFactory(code="QQ-S", level=1, parent=country)
    own = OrganisationFactory(acronym="OWN")
    other = OrganisationFactory(acronym="OTHER")
    gone = OrganisationFactory(acronym="GONE", is_active=False)
    partner = make_user(Role.PARTNER, areas=[north], organisation=own)
    coordinator = make_user(Role.COORDINATOR, organisation=own)
    return {
        "country": country,
        "north": north,
        "north_east": north_east,
        "south": south,
        "own": own,
        "other": other,
        "gone": gone,
        "partner": partner,
        "coordinator": coordinator,
    }


def test_the_form_offers_only_what_the_user_may_record(world: dict[str, Any]) -> None:
    partner, coordinator = world["partner"], world["coordinator"]
    assert [a.code for a in presence_area_choices(actor=partner)] == ["QQ-N", "QQ-N-E"]
    assert [o.acronym for o in presence_organisation_choices(actor=partner)] == ["OWN"]
    national = {a.code for a in presence_area_choices(actor=coordinator)}
    assert {"QQ-N", "QQ-N-E", "QQ-S"} <= national and "QQ" not in national
    organisations = {o.acronym for o in presence_organisation_choices(actor=coordinator)}
    assert {"OWN", "OTHER"} <= organisations and "GONE" not in organisations

    page = Client()
    page.force_login(partner)
    html = page.get("/coordination/presence/").content.decode()
    assert f'value="{world["north"].pk}"' in html
    assert f'value="{world["south"].pk}"' not in html
    assert f'value="{world["other"].pk}"' not in html
    page.post(
        "/coordination/presence/",
        {"organisation": world["own"].pk, "area": world["south"].pk, "sector": "health"},
    )
    assert not Presence.objects.exists()
    page.post(
        "/coordination/presence/",
        {"organisation": world["own"].pk, "area": world["north_east"].pk, "sector": "health"},
    )
    assert list(Presence.objects.values_list("area__code", flat=True)) == ["QQ-N-E"]


def test_the_api_names_organisation_and_area_by_code(world: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world["coordinator"])
    created = api.post(
        "/api/v1/presence/",
        {"organisation": "OTHER", "area": "QQ-S", "sector": "food"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["organisation"], created.json()["area"]) == ("OTHER", "QQ-S")
    presence = Presence.objects.get(pk=created.json()["id"])
    assert (presence.organisation, presence.area) == (world["other"], world["south"])
    assert api.get(f"/api/v1/presence/{presence.pk}/").json()["area"] == "QQ-S"

    for organisation, area in [("GONE", "QQ-S"), ("OTHER", "QQ-NOPE"), (["OTHER"], True)]:
        refused = api.post(
            "/api/v1/presence/",
            {"organisation": organisation, "area": area, "sector": "food"},
            format="json",
        )
        assert refused.status_code == 400
        details = refused.json()["error"]["details"]
        field = "organisation" if organisation != "OTHER" else "area"
        assert field in details and all(isinstance(m, str) for m in details[field])
    assert Presence.objects.count() == 1


def test_the_api_refuses_an_area_outside_the_write_scope_with_a_403(
    world: dict[str, Any],
) -> None:
    """The lookup names any area; the service's write check refuses it (not a 'no such')."""
    api = APIClient()
    api.force_authenticate(world["partner"])
    response = api.post(
        "/api/v1/presence/",
        {"organisation": "OWN", "area": "QQ-S", "sector": "food"},
        format="json",
    )
    assert response.status_code == 403
    assert not Presence.objects.exists()


def test_the_directory_shows_the_sectors_seen_in_the_users_areas(world: dict[str, Any]) -> None:
    Presence.objects.create(organisation=world["other"], area=world["north_east"], sector="health")
    Presence.objects.create(organisation=world["other"], area=world["south"], sector="food")
    rows = {
        r["organisation"].acronym: r["sectors"] for r in partner_directory(actor=world["partner"])
    }
    assert rows["OTHER"] == ["Health"] and rows["OWN"] == [] and "GONE" not in rows
    national = {
        r["organisation"].acronym: r["sectors"]
        for r in partner_directory(actor=world["coordinator"])
    }
    assert national["OTHER"] == ["Food security", "Health"]

    page = Client()
    page.force_login(world["partner"])
    html = page.get("/coordination/organisations/").content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]  # not the sector filter
    assert "Health" in table and "Food security" not in table

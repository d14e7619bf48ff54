"""Coordination lists on the list mechanism: 4W activities (area with descendants, search,
sort, paging shared with the API) and the partner directory (search, sector in scope)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from tests.accounts.factories import OrganisationFactory, make_user
from tests.coordination.factories import make_activity
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    country = AdminAreaFactory(code="QQ", level=0)
    north = AdminAreaFactory(code="QQ-N", level=1, parent=country, names={"en": "North"})
    north_east = AdminAreaFactory(
        code="QQ-N-E", level=2, parent=north, names={"en": "North-East", "ru": "Северо-восток"}
    )
    south = AdminAreaFactory(code="QQ-S", level=1, parent=country, names={"en": "South"})
    medics = OrganisationFactory(acronym="MED", names={"en": "Medics Together"})
    cooks = OrganisationFactory(acronym="COOK", names={"en": "Field Kitchens"})
    for n in range(30):
        make_activity(
            organisation=medics if n % 2 else cooks,
            area=north_east if n < 10 else south,
            sector="health" if n % 2 else "food",
            activity=f"activity {n}",
        )
    partner = make_user(Role.PARTNER, areas=[north], organisation=cooks)
    coordinator = make_user(Role.COORDINATOR, organisation=cooks)
    return {"partner": partner, "coordinator": coordinator}


def rows(user: Any, url: str, **params: Any) -> list[Any]:
    client = Client()
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return list(response.context["lst"].rows)


def test_activities_area_takes_its_descendants_and_search_names(world: dict[str, Any]) -> None:
    coordinator = world["coordinator"]
    assert len(rows(coordinator, "/coordination/activities/", area="QQ-N", page_size=100)) == 10
    assert len(rows(coordinator, "/coordination/activities/", area="QQ", page_size=100)) == 30
    found = rows(coordinator, "/coordination/activities/", q="Северо", page_size=100)
    assert len(found) == 10
    assert {
        p.organisation.acronym
        for p in rows(coordinator, "/coordination/activities/", q="medics", page_size=100)
    } == {"MED"}


def test_activities_is_paged_and_sorted_as_in_the_api(world: dict[str, Any]) -> None:
    coordinator = world["coordinator"]
    first = rows(coordinator, "/coordination/activities/", page_size=25, o="-organisation")
    second = rows(coordinator, "/coordination/activities/", page_size=25, o="-organisation", page=2)
    assert len(first) == 25 and len(second) == 5
    assert first[0].organisation.acronym == "MED" and second[-1].organisation.acronym == "COOK"
    api = APIClient()
    api.force_authenticate(coordinator)
    body = api.get(
        "/api/v1/activities/", {"page_size": 25, "o": "-organisation", "area": "QQ-N"}
    ).json()
    assert body["count"] == 10
    assert [r["organisation"] for r in body["results"]][:1] == ["MED"]


def test_the_directory_searches_and_filters_sectors_in_scope(world: dict[str, Any]) -> None:
    partner = world["partner"]
    found = rows(partner, "/coordination/organisations/", q="kitchens")
    assert [o.acronym for o in found] == ["COOK"]
    health = rows(partner, "/coordination/organisations/", sector="health")
    assert [o.acronym for o in health] == ["MED"]
    ordered = rows(partner, "/coordination/organisations/", o="-acronym")
    acronyms = [o.acronym for o in ordered]
    assert acronyms == sorted(acronyms, reverse=True)


def test_activities_and_directory_exports_hold_the_filtered_rows(world: dict[str, Any]) -> None:
    import csv
    import io

    client = Client()
    client.force_login(world["coordinator"])
    html = client.get("/coordination/activities/", {"area": "QQ-N"}).content.decode()
    assert "/intake/export/activities/?area=QQ-N&amp;format=csv" in html
    export = client.get("/intake/export/activities/", {"area": "QQ-N", "format": "csv"})
    rows_ = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows_) == 10 and {r["Admin 2 P-code"] for r in rows_} == {"QQ-N-E"}
    partners = client.get("/intake/export/partners/", {"sector": "health", "format": "csv"})
    listed = list(csv.DictReader(io.StringIO(partners.content.decode("utf-8-sig"))))
    assert [(r["acronym"], r["sectors"]) for r in listed] == [("MED", "health")]

"""4W pages: the list's filters and export link, the detail page (edit form for who may
edit, workflow buttons), the map (areas with counts, the same numbers as a table) and the
organisations × areas matrix."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from reliefops.accounts.choices import Role
from reliefops.coordination.models import Activity
from tests.accounts.factories import OrganisationFactory, make_user
from tests.coordination.factories import make_activity
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[46.0, 40.0], [46.5, 40.0], [46.5, 40.5], [46.0, 40.5], [46.0, 40.0]]],
}


@pytest.fixture
def world() -> dict[str, Any]:
    country = AdminAreaFactory(code="QQ", level=0)
    north = AdminAreaFactory(
        code="QQ-N", level=1, parent=country, names={"en": "North", "ru": "Север"}, geometry=SQUARE
    )
    north_east = AdminAreaFactory(code="QQ-N-E", level=2, parent=north, names={"en": "NE"})
    south = AdminAreaFactory(code="QQ-S", level=1, parent=country, names={"en": "South"})
    med = OrganisationFactory(acronym="MED")
    cook = OrganisationFactory(acronym="COOK")
    make_activity(
        organisation=med, area=north_east, sector="health", activity="Clinic", status="ongoing"
    )
    make_activity(organisation=cook, area=north, sector="food", activity="Bread")
    make_activity(organisation=cook, area=south, sector="shelter", activity="Kits")
    partner = make_user(Role.PARTNER, areas=[north], organisation=med)
    coordinator = make_user(Role.COORDINATOR, organisation=cook)
    return {"partner": partner, "coordinator": coordinator, "north": north, "med": med}


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_list_filters_and_offers_the_export(world: dict[str, Any]) -> None:
    page = client(world["coordinator"])
    html = page.get("/coordination/activities/", {"sector": "food"}).content.decode()
    assert "Bread" in html and "Clinic" not in html
    assert "/intake/export/activities/?sector=food&amp;format=csv" in html
    assert "/coordination/activities/map/?sector=food" in html
    ongoing = page.get("/coordination/activities/", {"status": "ongoing"}).content.decode()
    assert "Clinic" in ongoing and "Bread" not in ongoing
    assert page.get("/coordination/activities/", {"status": "lost"}).status_code == 400


def test_the_map_shades_level_one_areas_with_the_counts_as_a_table(
    world: dict[str, Any],
) -> None:
    page = client(world["partner"])
    response = page.get("/coordination/activities/map/")
    html = response.content.decode()
    geometry = json.loads(
        re.search(r'id="fourw-geometry" type="application/json">(.*?)</script>', html).group(1)
    )
    assert [(f["id"], f["properties"]["organisations"]) for f in geometry["features"]] == [
        ("QQ-N", 2)
    ]  # the partner's area only; QQ-N-E rolls up into QQ-N
    table = html[html.index('id="fourw-counts"') :]
    assert re.search(r"North</span></td><td class=\"num\">2</td><td class=\"num\">2</td>", table)
    assert "South" not in table
    health = page.get("/coordination/activities/map/", {"sector": "health"}).content.decode()
    assert re.search(r"North</span></td><td class=\"num\">1</td>", health)


def test_the_matrix_shows_who_works_where(world: dict[str, Any]) -> None:
    html = client(world["coordinator"]).get("/coordination/activities/matrix/").content.decode()
    matrix = html[html.index('id="fourw-matrix"') :]
    assert re.search(r'title="QQ-N">North</th><th scope="col" title="QQ-S">South</th>', matrix)
    med_row = matrix[matrix.index(">MED</th>") : matrix.index("</tr>", matrix.index(">MED</th>"))]
    assert 'class="on">Health</td>' in med_row and "<td>–</td>" in med_row
    only_food = client(world["coordinator"]).get(
        "/coordination/activities/matrix/", {"sector": "food"}
    )
    assert ">MED</th>" not in only_food.content.decode()


def test_the_detail_page_edits_and_steps_for_who_may(world: dict[str, Any]) -> None:
    mine = Activity.objects.get(activity="Clinic")
    theirs = Activity.objects.get(activity="Bread")
    page = client(world["partner"])
    html = page.get(f"/coordination/activities/{mine.reference}/").content.decode()
    assert 'id="activity-form"' in html and 'data-step="complete"' in html
    other = page.get(f"/coordination/activities/{theirs.reference}/").content.decode()
    assert 'id="activity-form"' not in other and 'data-step="start"' not in other
    assert page.post(f"/coordination/activities/{theirs.reference}/start/").status_code == 403
    saved = page.post(
        f"/coordination/activities/{mine.reference}/",
        {
            "organisation": world["med"].pk,
            "area": world["north"].pk,
            "sector": "health",
            "activity": "Clinic and vaccination",
            "reached_female_children": "30",
        },
    )
    assert saved.status_code == 302
    mine.refresh_from_db()
    assert (mine.activity, mine.area, mine.reached_female_children) == (
        "Clinic and vaccination",
        world["north"],
        30,
    )
    refused = page.post(f"/coordination/activities/{mine.reference}/suspend/")
    assert refused.status_code == 400  # a reason is needed
    page.post(f"/coordination/activities/{mine.reference}/suspend/", {"reason": "Road closed"})
    mine.refresh_from_db()
    assert mine.status == "suspended"

"""Pages and map fragments of the places domain (server side; the browser test drives them)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("places_gazetteer")]


@pytest.fixture
def client_as():  # type: ignore[no-untyped-def]
    def login(role: str, areas=()):  # type: ignore[no-untyped-def]
        from tests.accounts.factories import make_user

        client = Client()
        client.force_login(make_user(role, areas=areas))
        return client

    return login


def test_map_layers_and_panel(gazetteer: None, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("viewer")
    places = client.get("/places/map/places.geojson?kind=town&area=AZ-XCI").json()
    assert {f["properties"]["code"] for f in places["features"]} >= {"AZ-G147774"}
    assert all(f["properties"]["kind"] == "town" for f in places["features"])
    facilities = client.get("/places/map/facilities.geojson").json()["features"]
    assert len(facilities) >= 60 and all(f["properties"]["colour"] for f in facilities)
    roads = client.get("/places/map/roads.geojson").json()["features"]
    assert {f["properties"]["status"] for f in roads} == {"open"}
    panel = client.get("/places/map/panel/").content.decode()
    assert "facility_kind" in panel and "crossing_point" in panel


def test_place_detail_lists_every_name_in_the_users_language(gazetteer: None, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("viewer")
    page = client.get("/places/AZ-G146970/", HTTP_ACCEPT_LANGUAGE="hy").content.decode()
    for name in ("Khankendi", "Xankəndi", "Stepanakert", "Степанакерт", "Ստեփանակերտ"):
        assert name in page
    client.cookies["django_language"] = "az"
    assert "<h2>Xankəndi</h2>" in client.get("/places/AZ-G146970/").content.decode()
    assert client.get("/places/AZ-NOPE/").status_code == 404


def test_search_fragment(gazetteer: None, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("viewer")
    found = client.get("/places/search/?q=Shushi", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-code="AZ-G147105"' in found and "Шуша" in found
    assert "several places" in client.get("/places/search/?q=Martuni").content.decode()
    assert "No place matches" in client.get("/places/search/?q=Zorblatova").content.decode()


def test_road_status_form_and_travel_fragment(gazetteer: None, client_as) -> None:  # type: ignore[no-untyped-def]
    from reliefops.places.models import AdminArea

    officer = client_as("logistics", areas=[AdminArea.objects.get(code="AZ-AGM")])
    viewer = client_as("viewer")
    assert "road-status-form" in officer.get("/places/roads/SR-AGM-ASG/").content.decode()
    assert "road-status-form" not in viewer.get("/places/roads/SR-AGM-ASG/").content.decode()
    travel = "/places/travel/?from=Bərdə&to=Stepanakert&vehicle=truck"
    before = officer.get(travel).content.decode()
    missing_reason = officer.post(
        "/places/roads/SR-AGM-ASG/status/", {"status": "closed"}, HTTP_HX_REQUEST="true"
    )
    assert missing_reason.status_code == 400 and 'role="alert"' in missing_reason.content.decode()
    closed = officer.post(
        "/places/roads/SR-AGM-ASG/status/",
        {"status": "closed", "reason": "Bridge damaged"},
        HTTP_HX_REQUEST="true",
    )
    assert closed["HX-Trigger"] == "road-status-changed"
    assert 'data-status="closed"' in closed.content.decode()
    after = officer.get(travel).content.decode()
    assert before != after and "data-minutes" in after
    forbidden = viewer.post("/places/roads/SR-AGM-ASG/status/", {"status": "open"})
    assert forbidden.status_code == 403


def test_control_characters_never_reach_the_database(client_as, api_client) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts.factories import make_user

    client = client_as("viewer")
    assert client.get("/places/AZ%00X/").status_code == 404
    assert client.get("/places/map/places.geojson?area=A%00").status_code == 400
    api_client.force_authenticate(make_user("viewer"))
    for url in (
        "/api/v1/places/?kind=%00",
        "/api/v1/places/match?q=a%00",
        "/api/v1/travel-matrix?places=A%00",
        "/api/v1/facilities/?status=%00",
    ):
        response = api_client.get(url)
        assert response.status_code == 400 and "error" in response.json(), url
    assert api_client.get("/api/v1/road-segments/A%00/").status_code == 404


def test_one_resolver_for_forms_imports_and_the_travel_tool(gazetteer: None, client_as) -> None:  # type: ignore[no-untyped-def]
    """``place_resolve`` answers a P-code or any spelling, and refuses rather than guesses."""
    from reliefops.places.selectors import AmbiguousPlace, UnknownPlace, place_resolve

    khankendi = place_resolve("Stepanakert")
    assert place_resolve(khankendi.code) == khankendi == place_resolve("Ստեփանակերտ")
    with pytest.raises(UnknownPlace) as unknown:
        place_resolve("Xyzzyville")
    assert unknown.value.details["name"] == "Xyzzyville"
    with pytest.raises(AmbiguousPlace) as ambiguous:
        place_resolve("Martuni")
    assert len(ambiguous.value.details["candidates"]) >= 2
    # The travel-time tool uses the same resolver: an invented name is an error naming it,
    # not a route from the nearest-sounding village; a resolved name shows what it became.
    viewer = client_as("viewer")
    page = viewer.get("/places/travel/?from=Xyzzyville&to=Stepanakert&vehicle=truck")
    body = page.content.decode()
    assert page.status_code == 200 and "Xyzzyville" in body and "data-minutes" not in body
    page = viewer.get("/places/travel/?from=Barda&to=Stepanakert&vehicle=truck").content.decode()
    assert "data-minutes" in page and f"→ {khankendi.name}" in page

"""The travel route drawn on the map: the segments of the fastest path, in order."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("places_gazetteer")]

BARDA, KHANKENDI = "AZ-G587057", "AZ-G146970"
DIRECT = ["SR-BAR-AGM", "SR-AGM-ASG", "SR-ASG-XCI", "SR-XCI-FH", "SR-FH-XA"]
DETOUR = ["SR-BAR-TAR", "SR-TAR-AGD", "SR-VAN-AGD", "SR-BAD-VAN", "SR-XA-BAD"]


def _ends():  # type: ignore[no-untyped-def]
    from reliefops.places.models import Place

    return Place.objects.get(code=BARDA), Place.objects.get(code=KHANKENDI)


def _joined(feature: dict) -> bool:  # type: ignore[type-arg]
    """Every segment of the route starts where the line so far ends."""
    from reliefops.places.models import RoadSegment
    from reliefops.places.route_geometry import segment_coordinates

    line = feature["geometry"]["coordinates"]
    for code in feature["properties"]["segments"]:
        coords = segment_coordinates(RoadSegment.objects.get(code=code))
        if coords[0] not in line and coords[-1] not in line:
            return False
    return True


def test_the_route_follows_the_fastest_path_in_order(gazetteer: None) -> None:
    from reliefops.places.network import travel_matrix, travel_route
    from reliefops.places.route_geometry import travel_route_feature

    barda, khankendi = _ends()
    route = travel_route(barda, khankendi, vehicle_class="truck")
    matrix = travel_matrix([barda, khankendi], vehicle_class="truck")
    assert route.minutes == pytest.approx(float(matrix.minutes[0, 1]))
    feature = travel_route_feature(route, barda, khankendi)
    assert feature["properties"]["segments"] == DIRECT
    coords = feature["geometry"]["coordinates"]
    assert coords[0] == [round(barda.longitude, 6), round(barda.latitude, 6)]
    assert coords[-1] == [round(khankendi.longitude, 6), round(khankendi.latitude, 6)]
    assert _joined(feature)
    back = travel_route_feature(travel_route(khankendi, barda), khankendi, barda)
    assert back["properties"]["segments"] == feature["properties"]["segments"][::-1]


def test_a_closed_road_moves_the_route(gazetteer: None) -> None:
    from reliefops.places.models import RoadSegment
    from reliefops.places.network import travel_route

    barda, khankendi = _ends()
    before = travel_route(barda, khankendi, vehicle_class="truck")
    segment = RoadSegment.objects.get(code="SR-AGM-ASG")
    assert segment.id in before.segment_ids
    segment.status = "closed"
    segment.save()
    try:
        after = travel_route(barda, khankendi, vehicle_class="truck")
        assert segment.id not in after.segment_ids and after.minutes > before.minutes
        codes = dict(RoadSegment.objects.values_list("id", "code"))
        assert [codes[i] for i in after.segment_ids] == DETOUR and not after.estimated
    finally:
        segment.status = "open"
        segment.save()


def test_the_travel_fragment_carries_the_route_geometry(gazetteer: None) -> None:
    from tests.accounts.factories import make_user

    client = Client()
    client.force_login(make_user("viewer"))
    page = client.get("/places/travel/?from=Bərdə&to=Stepanakert&vehicle=truck").content.decode()
    found = re.search(r'<script id="travel-route" type="application/json">(.*?)</script>', page)
    assert found, page
    feature = json.loads(found.group(1))
    assert feature["geometry"]["type"] == "LineString"
    assert len(feature["geometry"]["coordinates"]) > len(feature["properties"]["segments"])
    assert feature["properties"]["segments"][0] == "SR-BAR-AGM"
    assert 'data-minutes="' in page and "travel-route-label" in page
    nowhere = client.get("/places/travel/?from=Zorblatova&to=Stepanakert&vehicle=truck")
    assert "travel-route" not in nowhere.content.decode()


def test_named_routes_carry_their_line(gazetteer: None, api_client) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts.factories import make_user

    api_client.force_authenticate(make_user("coordinator"))
    routes = {r["name"]: r for r in api_client.get("/api/v1/routes").json()["results"]}
    route = routes["Aghdam–Asgaran–Khankendi road"]
    assert route["geometry"]["type"] == "LineString"
    assert _joined({"geometry": route["geometry"], "properties": {"segments": route["segments"]}})
    assert len(route["geometry"]["coordinates"]) >= len(route["segments"]) + 1

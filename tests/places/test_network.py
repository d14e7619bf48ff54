"""Road network: graph rules, travel-time matrix, closing a road changes travel times."""

from __future__ import annotations

import numpy as np
import pytest

from reliefops.core.errors import Forbidden
from reliefops.places.network import (
    DETOUR_FACTOR,
    FALLBACK_SPEED_KMH,
    RoadGraph,
    SegmentRecord,
    haversine_km,
    travel_matrix_compute,
)

#: The database tests here share the module-scoped gazetteer; keep them on one worker.
pytestmark = pytest.mark.xdist_group("places_gazetteer")

SPEEDS = {"light": 60.0, "truck": 40.0, "heavy": 30.0}


def _seg(
    a: int,
    b: int,
    km: float,
    status: str = "open",
    max_t: float | None = None,
    oneway: bool = False,
) -> SegmentRecord:
    return SegmentRecord(a, b, km, SPEEDS, status, max_t, oneway)


def _matrix(segments: list[SegmentRecord], vehicle: str = "truck"):  # type: ignore[no-untyped-def]
    lat = np.array([40.0, 40.0, 40.1, 40.2])
    lon = np.array([46.0, 46.1, 46.1, 46.5])
    graph = RoadGraph.build(lat, lon, segments, vehicle)
    nodes = np.arange(4)
    return travel_matrix_compute(graph, lat, lon, nodes, np.zeros(4))


def test_fastest_path_minutes_and_its_length() -> None:
    # 0-1 direct 30 km; 0-2-1 is 10 + 10 km: the fastest path goes through 2.
    minutes, km, estimated = _matrix([_seg(0, 1, 30), _seg(0, 2, 10), _seg(2, 1, 10)])
    assert km[0, 1] == pytest.approx(20) and minutes[0, 1] == pytest.approx(20 / 40 * 60)
    assert minutes[1, 0] == pytest.approx(minutes[0, 1])
    assert not estimated[0, 1]


def test_closed_restricted_weight_limited_and_oneway_segments() -> None:
    base = [_seg(0, 1, 30), _seg(2, 1, 10)]
    closed = _matrix([*base, _seg(0, 2, 10, status="closed")])
    assert closed[1][0, 1] == pytest.approx(30)
    restricted = [*base, _seg(0, 2, 10, status="restricted")]
    assert _matrix(restricted, "truck")[1][0, 1] == pytest.approx(30)
    assert _matrix(restricted, "light")[1][0, 1] == pytest.approx(20)
    limited = [*base, _seg(0, 2, 10, max_t=20)]
    assert _matrix(limited, "heavy")[1][0, 1] == pytest.approx(30)
    assert _matrix(limited, "truck")[1][0, 1] == pytest.approx(20)
    one_way = _matrix([_seg(0, 1, 30, oneway=True)])
    assert one_way[1][0, 1] == pytest.approx(30) and one_way[2][1, 0]


def test_unconnected_pair_gets_flagged_straight_line_estimate() -> None:
    minutes, km, estimated = _matrix([_seg(0, 1, 30)])
    straight = float(haversine_km(40.0, 46.0, 40.2, 46.5))
    assert estimated[0, 3] and estimated[3, 0] and not estimated[0, 1]
    assert km[0, 3] == pytest.approx(straight * DETOUR_FACTOR)
    assert minutes[0, 3] == pytest.approx(km[0, 3] / FALLBACK_SPEED_KMH["truck"] * 60)


# --------------------------------------------------------------------------------------
# The scenario network (demo data)
# --------------------------------------------------------------------------------------

BARDA, KHANKENDI = "AZ-G587057", "AZ-G146970"
DETOUR = ["SR-BAR-TAR", "SR-TAR-AGD", "SR-VAN-AGD", "SR-BAD-VAN", "SR-XA-BAD"]
DIRECT = ["SR-BAR-AGM", "SR-AGM-ASG", "SR-ASG-XCI", "SR-XCI-FH", "SR-FH-XA"]


def _truck_minutes(codes: list[str]) -> float:
    from reliefops.places.models import RoadSegment

    return sum(
        s.length_km / s.speed_truck_kmh * 60 for s in RoadSegment.objects.filter(code__in=codes)
    )


def _barda_khankendi() -> float:
    from reliefops.places.models import Place
    from reliefops.places.network import travel_matrix

    places = [Place.objects.get(code=BARDA), Place.objects.get(code=KHANKENDI)]
    return float(travel_matrix(places, vehicle_class="truck").minutes[0, 1])


@pytest.mark.django_db
def test_closing_aghdam_asgaran_khankendi_road_gives_the_detour(gazetteer: None) -> None:
    from reliefops.places.models import AdminArea, RoadSegment
    from reliefops.places.services import road_segment_set_status
    from tests.accounts.factories import make_user

    officer = make_user("logistics", areas=[AdminArea.objects.get(code="AZ-AGM")])
    before = _barda_khankendi()
    assert before == pytest.approx(_truck_minutes(DIRECT))
    segment = RoadSegment.objects.get(code="SR-AGM-ASG")
    assert segment.routes.get().name == "Aghdam–Asgaran–Khankendi road"
    road_segment_set_status(
        actor=officer, segment=segment, status="closed", reason="Checkpoint closed"
    )
    after = _barda_khankendi()
    assert after == pytest.approx(_truck_minutes(DETOUR))
    assert after > before
    road_segment_set_status(actor=officer, segment=segment, status="open")
    assert _barda_khankendi() == pytest.approx(before)
    history = list(
        RoadSegment.objects.get(code="SR-AGM-ASG").history.values_list("status", flat=True)
    )
    assert history[:2] == ["open", "closed"]


@pytest.mark.django_db
def test_road_status_needs_permission_in_the_area_and_a_reason(gazetteer: None) -> None:
    from reliefops.core.errors import InvalidInput
    from reliefops.places.models import AdminArea, RoadSegment
    from reliefops.places.services import road_segment_set_status
    from tests.accounts.factories import make_user

    segment = RoadSegment.objects.get(code="SR-AGM-ASG")
    elsewhere = make_user("logistics", areas=[AdminArea.objects.get(code="AZ-LAC")])
    field = make_user("field", areas=[AdminArea.objects.get(code="AZ-AGM")])
    for user in (elsewhere, field):
        with pytest.raises(Forbidden):
            road_segment_set_status(actor=user, segment=segment, status="closed", reason="x")
    officer = make_user("logistics", areas=[AdminArea.objects.get(code="AZ-AGM")])
    with pytest.raises(InvalidInput):
        road_segment_set_status(actor=officer, segment=segment, status="closed", reason=" ")


@pytest.mark.django_db
def test_api_close_road_and_travel_matrix(gazetteer: None, api_client) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts.factories import make_user

    api_client.force_authenticate(make_user("coordinator"))
    url = f"/api/v1/travel-matrix?places={BARDA},{KHANKENDI},AM-G616052&vehicle=truck"
    before = api_client.get(url).json()
    assert before["estimated"][0] == [False, False, True]  # Yerevan: no scenario road
    response = api_client.post(
        "/api/v1/road-segments/SR-AGM-ASG/status/",
        {"status": "closed", "reason": "Bridge damaged"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    after = api_client.get(url).json()
    assert after["minutes"][0][1] > before["minutes"][0][1]
    routes = {r["name"]: r for r in api_client.get("/api/v1/routes").json()["results"]}
    route = routes["Aghdam–Asgaran–Khankendi road"]
    assert route["segments"] == ["SR-AGM-ASG", "SR-ASG-XCI", "SR-XCI-FH", "SR-FH-XA"]
    assert route["status"] == "closed" and route["closed_segments"] == ["SR-AGM-ASG"]
    assert routes["Lachin–Goris road"]["status"] == "open"
    bad = api_client.post(
        "/api/v1/road-segments/SR-AGM-ASG/status/", {"status": "shut"}, format="json"
    )
    assert bad.status_code == 400 and "error" in bad.json()

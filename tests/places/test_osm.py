"""Road import from an OpenStreetMap extract that the test builds with pyosmium."""

from __future__ import annotations

from pathlib import Path

import pytest


def _write_extract(path: Path) -> None:
    import osmium

    nodes = {
        1: (40.00, 46.00),
        2: (40.00, 46.05),
        3: (40.00, 46.10),
        4: (40.05, 46.05),
        5: (40.10, 46.05),
    }
    with osmium.SimpleWriter(str(path)) as writer:
        for ref, (lat, lon) in nodes.items():
            writer.add_node(osmium.osm.mutable.Node(id=ref, location=(lon, lat), tags={}))
        writer.add_way(
            osmium.osm.mutable.Way(
                id=10,
                nodes=[1, 2, 3],
                tags={"highway": "primary", "name": "East road", "ref": "M1", "maxspeed": "80"},
            )
        )
        writer.add_way(
            osmium.osm.mutable.Way(
                id=11,
                nodes=[2, 4, 5],
                tags={"highway": "track", "surface": "gravel", "oneway": "yes", "maxweight": "10"},
            )
        )
        writer.add_way(osmium.osm.mutable.Way(id=12, nodes=[3, 5], tags={"building": "yes"}))


@pytest.mark.django_db
def test_osm_extract_becomes_segments_split_at_junctions(tmp_path: Path) -> None:
    from reliefops.places.models import Place, RoadNode, RoadSegment
    from reliefops.places.network import road_network_invalidate, travel_matrix
    from reliefops.places.osm import osm_roads_import

    road_network_invalidate()
    extract = tmp_path / "tiny.osm.pbf"
    _write_extract(extract)
    report = osm_roads_import(actor=None, path=extract)
    assert report.ways == 2 and report.segments == 3 and report.nodes == 4
    codes = set(RoadSegment.objects.values_list("code", flat=True))
    assert codes == {"OSM-W10-0", "OSM-W10-1", "OSM-W11-0"}
    east = RoadSegment.objects.get(code="OSM-W10-0")
    assert east.ref == "M1" and east.speed_light_kmh == 80
    assert east.length_km == pytest.approx(4.26, abs=0.05)  # 0.05° of longitude at 40° N
    track = RoadSegment.objects.get(code="OSM-W11-0")
    assert track.oneway and track.surface == "gravel" and track.max_weight_t == 10
    assert track.length_km == pytest.approx(11.12, abs=0.05)
    assert RoadNode.objects.filter(osm_id=4).count() == 0  # not a junction: inside a piece
    # Places snap to the nearest node; the one-way track works one way only.
    a = Place.objects.create(code="XX-A", kind="village", latitude=40.0, longitude=46.0)
    b = Place.objects.create(code="XX-B", kind="village", latitude=40.1, longitude=46.05)
    matrix = travel_matrix([a, b], vehicle_class="light")
    assert not matrix.estimated[0, 1] and matrix.estimated[1, 0]
    assert matrix.km[0, 1] == pytest.approx(4.26 + 11.12, abs=0.1)
    again = osm_roads_import(actor=None, path=extract)
    assert again.segments == 0 and RoadSegment.objects.count() == 3

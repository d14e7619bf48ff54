"""A closed crossing point or road warns on the convoy and feeds the road network that
plans routes (no path through a closed crossing point)."""

from __future__ import annotations

import pytest

from reliefops.logistics.selectors import convoy_route
from reliefops.places.selectors import road_path
from tests.logistics import scene as world

pytestmark = [pytest.mark.django_db]


def test_a_closed_crossing_point_closes_the_road_through_it_and_warns() -> None:
    scene = world.build()
    origin, destination = scene.origin.facility.place, scene.kindergarten.place
    assert [s.code for s in road_path(origin, destination)] == ["S0", "S1"]
    convoy = world.plan(scene)
    assert convoy_route(convoy).warnings == []

    scene.crossing.status = "closed"
    scene.crossing.status_reason = "Closed for the night"
    scene.crossing.save()
    assert road_path(origin, destination) == []  # no other road: planning finds none
    warnings = [str(w) for w in convoy_route(convoy).warnings]
    assert len(warnings) == 1 and "Closed for the night" in warnings[0]

    scene.crossing.status = "operating"
    scene.crossing.save()
    segment = scene.segments[1]
    segment.status, segment.status_reason = "closed", "Bridge damaged"
    segment.save()
    assert road_path(origin, destination) == []
    assert "Bridge damaged" in str(convoy_route(convoy).warnings[0])

"""Fixtures of the places tests: the real gazetteer, seeded once per module.

``gazetteer`` loads admin areas, the GeoNames + scenario places, the scenario roads and
facilities into the test database (committed, outside the per-test transactions) and
removes them when the module is done, so other modules see an empty gazetteer. Modules
using it carry ``xdist_group("places_gazetteer")`` so that under ``pytest -n`` they run
one after another on one worker instead of interleaving with other modules (which would
re-seed the gazetteer for every switch).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def _wipe() -> None:
    from django.db import connection

    from reliefops.core.models import AuditEvent
    from reliefops.places import models as m
    from reliefops.places.matching import place_index_invalidate
    from reliefops.places.network import road_network_invalidate

    for model in (
        m.RouteSegment,
        m.Route,
        m.RoadSegment.history.model,
        m.RoadSegment,
        m.RoadNode,
        m.Facility.history.model,
        m.Facility,
        m.PopulationEstimate,
        m.PlaceName.history.model,
        m.PlaceName,
        m.Place.history.model,
        m.Place,
        AuditEvent,
    ):
        model.objects.all()._raw_delete(connection.alias)
    for level in (3, 2, 1, 0):
        m.AdminArea.objects.filter(level=level)._raw_delete(connection.alias)
    place_index_invalidate()
    road_network_invalidate()


@pytest.fixture(scope="module")
def gazetteer(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    import io

    from reliefops.places import demo

    with django_db_blocker.unblock():
        _wipe()
        demo.load(stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        _wipe()

"""The crossings part of the write-scope world (tests/core/writescope): the crossing point
of each area key (``world.crossing``, made by the convoys part) gets a setting whose
catchment is its own area (none for OUT) and, per organisation, a count to correct."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.crossings import services

#: How many days ago the world's counts were made (probes record newer ones).
COUNT_AGE = 10


def crossings_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS, ORGS

    world.crossing_count = {}
    day = timezone.localdate() - dt.timedelta(days=COUNT_AGE)
    for key in KEYS:
        point = world.crossing[key]
        area = world.area(key)
        services.crossing_point_setting_set(
            actor=world.admin,
            crossing_point=point,
            catchment=[area] if area is not None else [],
            outbound_labels={"en": "out"},
        )
        for org in ORGS:
            world.crossing_count[(key, org)] = services.crossing_count_record(
                actor=world.admin,
                data=services.CountInput(
                    crossing_point=point,
                    date=day,
                    direction="outbound" if org == "OWN" else "inbound",
                    persons=100,
                    organisation=world.org[org],
                ),
            ).count

"""A small crossings world: a crossing point whose catchment is area A, places with
baselines in A and in B, and users who may (or may not) record there.

Areas: ``ZC-A`` (catchment: villages A1 1,000 and A2 3,000, census 2023-01-01),
``ZC-B`` (village B1 500: outside the catchment) and ``ZC-CP`` (the crossing point's own
area, no baseline). Users: ``recorder`` (field worker of ORG-F in ZC-CP), ``outsider``
(field worker of ORG-F in ZC-B), ``coordinator`` (national, CHQ), ``viewer`` (ZC-CP).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reliefops.crossings import services
from reliefops.places.models import PopulationEstimate
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, PlaceFactory

BASELINE_DAY = dt.date(2023, 1, 1)


@dataclass
class Scene:
    area: dict[str, Any]
    place: dict[str, Any]
    point: Any
    other_point: Any
    org: Any
    other_org: Any
    recorder: Any
    outsider: Any
    coordinator: Any
    viewer: Any
    admin: Any

    def count(
        self,
        *,
        day: dt.date,
        direction: str = "outbound",
        persons: int | None = None,
        cells: dict[str, int | None] | None = None,
        hour: int | None = None,
        method: str = "count",
        actor: Any = None,
        reason: str = "",
        point: Any = None,
    ) -> services.CountResult:
        return services.crossing_count_record(
            actor=actor or self.recorder,
            data=services.CountInput(
                crossing_point=point or self.point,
                date=day,
                direction=direction,
                hour=hour,
                cells=cells or {},
                persons=persons,
                organisation=self.org,
                method=method,
                source="test tally",
            ),
            reason=reason,
        )


def crossings_scene() -> Scene:
    areas = {
        key: AdminAreaFactory(code=f"ZC-{key}", names={"en": f"Area {key}"})
        for key in ("A", "B", "CP")
    }
    places = {
        "A1": PlaceFactory(code="ZC-PA1", admin1=areas["A"], names={"en": "Village A1"}),
        "A2": PlaceFactory(code="ZC-PA2", admin1=areas["A"], names={"en": "Village A2"}),
        "B1": PlaceFactory(code="ZC-PB1", admin1=areas["B"], names={"en": "Village B1"}),
        "CP": PlaceFactory(code="ZC-PCP", admin1=areas["CP"], names={"en": "Checkpoint site"}),
    }
    for key, value in (("A1", 1000), ("A2", 3000), ("B1", 500)):
        PopulationEstimate.objects.create(
            place=places[key], value=value, as_of=BASELINE_DAY, source="census"
        )
    point = FacilityFactory(
        code="ZC-CP1", kind="crossing_point", place=places["CP"], names={"en": "Bridge"}
    )
    other_point = FacilityFactory(
        code="ZC-CP2", kind="crossing_point", place=places["B1"], names={"en": "Ford"}
    )
    org = OrganisationFactory(acronym="ORG-F")
    admin = UserFactory(is_superuser=True)
    services.crossing_point_setting_set(
        actor=admin,
        crossing_point=point,
        catchment=[areas["A"]],
        outbound_labels={"en": "towards the river", "ru": "к реке"},
        inbound_labels={"en": "from the river"},
    )
    return Scene(
        area=areas,
        place=places,
        point=point,
        other_point=other_point,
        org=org,
        other_org=OrganisationFactory(acronym="ORG-X"),
        recorder=make_user("field", areas=[areas["CP"]], organisation=org),
        outsider=make_user("field", areas=[areas["B"]], organisation=org),
        coordinator=make_user("coordinator", organisation=OrganisationFactory(acronym="CHQ")),
        viewer=make_user("viewer", areas=[areas["CP"]], organisation=org),
        admin=admin,
    )

"""A small world with something to write in every area, built once per test class.

Areas (square outlines, so "which area holds this point" is plain arithmetic here):
``AZ`` (country) ⊃ ``AZ-WA`` (⊃ ``AZ-WA-1``), ``AZ-WB``, ``AZ-WC``; ``OUT`` is a
point outside every outline (records there have an unknown area). Two organisations:
``OWN`` (the acting user's) and ``OTHER``. In each area: a place, a school, two
warehouses (one per organisation) with stock, a road segment from the place to a
junction without a place, requests of both organisations in each workflow status,
pledges of both donors to their warehouse, 4W activities.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reliefops.coordination.models import Activity
from reliefops.needs.models import ClimateStation, Request, RequestLine
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea, Facility, Place, RoadNode, RoadSegment
from reliefops.stock import services as stock
from reliefops.stock.models import Item, Pledge, Warehouse
from tests.accounts.factories import UserFactory

#: Area key → (code, west longitude); every square spans latitude 40–41.
SQUARES = {"WA": ("AZ-WA", 40.0), "WB": ("AZ-WB", 41.0), "WC": ("AZ-WC", 42.0)}
KEYS = ["WA", "WB", "WC", "OUT"]
CODES = ["AZ", "AZ-WA", "AZ-WA-1", "AZ-WB", "AZ-WC"]
PARENT = {"AZ-WA": "AZ", "AZ-WB": "AZ", "AZ-WC": "AZ", "AZ-WA-1": "AZ-WA"}
STATUSES = ["draft", "submitted", "verified", "approved", "dispatched", "delivered"]
ORGS = ["OWN", "OTHER"]


def square(west: float, south: float, size: float) -> dict[str, Any]:
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def point(key: str, offset: float = 0.0) -> tuple[float, float]:
    """(latitude, longitude) inside area ``key`` (OUT: outside every area)."""
    if key == "OUT":
        return 40.5, 45.5 + offset
    west = SQUARES[key][1]
    return 40.6 + offset / 10, west + 0.7 + offset / 10  # outside AZ-WA-1 (40–40.5)


def area_at(latitude: float, longitude: float) -> str | None:
    """The level-1 area code at a point, by the squares (the oracle's own lookup)."""
    if not 40.0 <= latitude <= 41.0:
        return None
    for code, west in SQUARES.values():
        if west <= longitude <= west + 1.0:
            return code
    return None


class World:
    """Everything the probes write to, by area key and organisation key."""

    def __init__(self) -> None:
        self.admin = UserFactory(username="world-admin", is_superuser=True)
        self.spare = UserFactory(username="world-spare")  # someone to give a membership
        self.org = {
            key: Organisation.objects.create(acronym=key, kind="local_ngo", names={"en": key})
            for key in ORGS
        }
        self.areas: dict[str, AdminArea] = {}
        country = AdminArea.objects.create(
            code="AZ", level=0, names={"en": "Country"}, geometry=square(40.0, 40.0, 3.0)
        )
        self.areas["AZ"] = country
        for key, (code, west) in SQUARES.items():
            self.areas[code] = AdminArea.objects.create(
                code=code,
                level=1,
                parent=country,
                names={"en": key},
                geometry=square(west, 40.0, 1.0),
            )
        self.areas["AZ-WA-1"] = AdminArea.objects.create(
            code="AZ-WA-1",
            level=2,
            parent=self.areas["AZ-WA"],
            names={"en": "WA-1"},
            geometry=square(40.0, 40.0, 0.5),
        )
        self.item = Item.objects.create(
            code="ITM", names={"en": "Item"}, category="food", unit="kg"
        )
        self.kit = Item.objects.create(code="KIT", names={"en": "Kit"}, category="food", unit="kit")
        self.place: dict[str, Place] = {}
        self.facility: dict[str, Facility] = {}
        self.warehouse: dict[str, dict[str, Warehouse]] = {}
        self.segment: dict[str, RoadSegment] = {}
        self.request: dict[tuple[str, str, str], Request] = {}
        self.pledge: dict[tuple[str, str], Pledge] = {}
        self.activity: dict[tuple[str, str], Activity] = {}
        for key in KEYS:
            self._area(key)
        for org in ORGS:
            self.pledge[("NONE", org)] = Pledge.objects.create(
                donor=self.org[org],
                item=self.item,
                quantity=Decimal(10),
                expected_date=dt.date(2023, 11, 1),
                reference=f"PL-NONE-{org}",
            )
        self.lot = self.item.lots.get(code="L1")
        from tests.core.writescope.convoys import convoys_build

        convoys_build(self)
        from tests.core.writescope.people import people_build
        from tests.teams.write_paths_hospital import hospital_world
        from tests.teams.writescope_world import teams_build

        people_build(self)
        teams_build(self)
        hospital_world(self)
        from tests.crossings.writescope_world import crossings_build

        crossings_build(self)  # --- added for crossings
        from tests.dayplans.writescope_world import plans_build

        plans_build(self)  # --- added for commit and pages
        from tests.dayplans.writescope_world import plan_runs_build  # --- added for runs

        plan_runs_build(self)
        from tests.coordination.writescope_world import meetings_build  # --- added for meetings

        meetings_build(self)
        ClimateStation.objects.create(
            code="CLIM",
            name="Climate",
            latitude=40.5,
            longitude=41.5,
            monthly_mean_c=[-5, -3, 2, 8, 14, 19, 22, 21, 16, 10, 4, -2],
        )

    def area(self, key: str) -> AdminArea | None:
        return None if key == "OUT" else self.areas[SQUARES[key][0]]

    def _area(self, key: str) -> None:
        lat, lon = point(key)
        admin1 = self.area(key)
        place = Place.objects.create(
            code=f"AZ-P{key}",
            kind="village",
            names={"en": f"Village {key}"},
            latitude=lat,
            longitude=lon,
            admin0=self.areas["AZ"] if admin1 else None,
            admin1=admin1,
        )
        self.place[key] = place
        self.facility[key] = Facility.objects.create(
            code=f"F-{key}", kind="school", place=place, latitude=lat, longitude=lon
        )
        self.warehouse[key] = {}
        for org in ORGS:
            depot = Facility.objects.create(
                code=f"W-{key}-{org}", kind="warehouse", place=place, latitude=lat, longitude=lon
            )
            warehouse = Warehouse.objects.create(facility=depot, organisation=self.org[org])
            self.warehouse[key][org] = warehouse
            stock.stock_receive(
                actor=self.admin,
                warehouse=warehouse,
                item=self.item,
                quantity=Decimal(100),
                lot_code="L1",
            )
            self.pledge[(key, org)] = Pledge.objects.create(
                donor=self.org[org],
                item=self.item,
                quantity=Decimal(50),
                expected_date=dt.date(2023, 11, 1),
                warehouse=warehouse,
                reference=f"PL-{key}-{org}",
            )
            if admin1 is not None:
                self.activity[(key, org)] = Activity.objects.create(
                    reference=f"4W-{key}-{org}",
                    organisation=self.org[org],
                    area=admin1,
                    sector="food",
                )
            for status in STATUSES:
                self._request(key, org, status)
        node = RoadNode.objects.create(
            code=f"N-{key}", kind="place", place=place, latitude=lat, longitude=lon
        )
        jlat, jlon = point(key, 0.2)
        junction = RoadNode.objects.create(
            code=f"J-{key}", kind="junction", latitude=jlat, longitude=jlon
        )
        if key == "OUT":  # between two points outside every area, neither at a place
            node = RoadNode.objects.create(
                code="J-FAR", kind="junction", latitude=jlat, longitude=jlon + 0.3
            )
        self.segment[key] = RoadSegment.objects.create(
            code=f"S-{key}", from_node=node, to_node=junction, length_km=10
        )

    def _request(self, key: str, org: str, status: str) -> None:
        request = Request.objects.create(
            reference=f"R-{key}-{org}-{status}",
            requester_kind="facility",
            facility=self.facility[key],
            place=self.place[key],
            area=self.area(key),
            organisation=self.org[org],
            needed_from=dt.date(2023, 10, 1),
            needed_by=dt.date(2023, 10, 31),
            status=status,
        )
        sent = Decimal(5) if status in {"dispatched", "delivered"} else Decimal(0)
        RequestLine.objects.create(
            request=request,
            item=self.item,
            quantity=Decimal(5),
            unit="kg",
            quantity_planned=sent,
            quantity_dispatched=sent,
            quantity_delivered=sent if status == "delivered" else Decimal(0),
        )
        self.request[(key, org, status)] = request

"""Convoys of the write-scope world: per area and organisation, one in each status a
step starts from, loading from that organisation's warehouse there (built as the admin
through the real services). Spare vehicles per organisation plan new convoys; a
crossing point per area takes passages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reliefops.logistics import services
from reliefops.logistics.models import Vehicle
from reliefops.places.models import Facility

#: The status each convoy of the world is left in (``delivered``: arrived, stop confirmed).
CONVOY_STATUSES = ["planned", "loading", "departed", "arrived", "delivered"]


def convoys_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS, ORGS

    # One vehicle per organisation for the fleet probes, one spare per organisation to
    # plan new convoys with.
    world.vehicle = {
        org: Vehicle.objects.create(
            registration=f"WS-{org}",
            kind="truck",
            organisation=world.org[org],
            capacity_kg=Decimal(5000),
        )
        for org in ORGS
    }
    world.spare_vehicle = {
        org: Vehicle.objects.create(
            registration=f"SPARE-{org}",
            kind="truck",
            organisation=world.org[org],
            capacity_kg=Decimal(10000),
        )
        for org in ORGS
    }
    world.crossing = {}
    world.convoy = {}
    for key in KEYS:
        place = world.place[key]
        world.crossing[key] = Facility.objects.create(
            code=f"CP-{key}",
            kind="crossing_point",
            place=place,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        for org in ORGS:
            for status in CONVOY_STATUSES:
                world.convoy[(key, org, status)] = _convoy(world, key, org, status)


def _convoy(world: Any, key: str, org: str, status: str) -> Any:
    admin = world.admin
    vehicle = Vehicle.objects.create(
        registration=f"V-{key}-{org[:2]}-{status[:3]}",
        kind="truck",
        organisation=world.org[org],
        capacity_kg=Decimal(10000),
    )
    facility = world.facility[key]
    convoy = services.convoy_create(
        actor=admin,
        data=services.ConvoyInput(
            departure_date=dt.date.today(),
            origin=world.warehouse[key][org],
            organisation=world.org[org],
            stops=[services.StopInput(facility.place, facility)],
            carriers=[services.CarrierInput(vehicle)],
            cargo=[services.CargoInput(0, 0, world.item, Decimal(2))],
            segments=[world.segment[key]],
            code=f"CV-{key}-{org}-{status}",
        ),
    )
    steps = {
        "planned": [],
        "loading": ["load"],
        "departed": ["load", "depart"],
        "arrived": ["load", "depart", "arrive"],
        "delivered": ["load", "depart", "arrive"],
    }[status]
    for step in steps:
        services.convoy_transition(actor=admin, convoy=convoy, step=step)
    if status == "delivered":
        services.delivery_confirm(
            actor=admin,
            convoy=convoy,
            data=services.DeliveryInput(
                stop=convoy.stops.get(),
                receiver_name="Receiver",
                received_at=dt.datetime.now(dt.UTC),
                receipts={},
            ),
        )
    convoy.refresh_from_db()
    return convoy

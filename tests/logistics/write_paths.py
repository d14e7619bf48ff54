"""Write paths of the logistics domain for the write-scope property test (tests/core/writescope).

The fleet is scoped by owner organisation only (``vehicle.edit``, no area): each probe
writes a vehicle or driver of the drawn organisation, or changes a vehicle of one
organisation to another.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reliefops.logistics import services
from reliefops.logistics.models import Vehicle
from tests.core.writescope import Attempt, import_kind, not_a_write, service
from tests.core.writescope.world import ORGS

V = "reliefops.logistics.services.vehicles"
not_a_write(f"{V}.vehicle_import_check", "the check of vehicle imports (driven by the import)")


def vehicle(t: Attempt) -> Vehicle:
    """The world's vehicle of a drawn organisation (``WS-OWN`` or ``WS-OTHER``), read
    afresh: a probe that changed the shared instance was rolled back in the database only."""
    return Vehicle.objects.select_related("organisation").get(pk=t.world.vehicle[t.draw(ORGS)].pk)


def row(t: Attempt, registration: str) -> dict[str, Any]:
    return {
        "registration": registration,
        "kind": t.draw(["truck", "van"]),
        "organisation": t.world.org[t.org],
        "base": t.draw([None, t.world.facility[t.area]]),
        "capacity_kg": Decimal(3000),
        "status": "available",
    }


@service(f"{V}.vehicle_create")
def _vehicle_create(t: Attempt) -> None:
    services.vehicle_create(
        actor=t.actor,
        registration="WS-NEW",
        organisation=t.world.org[t.org],
        kind="truck",
        capacity_kg=Decimal(1000),
    )


@service(f"{V}.vehicle_update")
def _vehicle_update(t: Attempt) -> None:
    existing = vehicle(t)
    changes = t.draw([{"capacity_kg": Decimal(7000)}, {"organisation": t.world.org[t.org]}])
    services.vehicle_update(actor=t.actor, vehicle=existing, **changes)


@service(f"{V}.vehicle_upsert_bulk")
def _vehicle_upsert(t: Attempt) -> None:
    existing = vehicle(t)
    registration = t.draw([existing.registration, "WS-BULK"])
    services.vehicle_upsert_bulk(actor=t.actor, rows=[row(t, registration)])


@service(f"{V}.driver_create")
def _driver_create(t: Attempt) -> None:
    services.driver_create(
        actor=t.actor,
        organisation=t.world.org[t.org],
        name="Probe Driver",
        phone="+994 50 000 00 00",
        licence_number="AZ0000000",
    )


@import_kind("vehicles")
def _import_vehicles(t: Attempt) -> str:
    existing = vehicle(t)
    registration = t.draw([existing.registration, "WS-IMP"])
    return f"registration,kind,owner,capacity_kg\n{registration},truck,{t.org},4000\n"

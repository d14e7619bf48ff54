"""Write paths of the logistics domain for the write-scope property test
(tests/core/writescope; the world's convoys are in tests/core/writescope/convoys.py).

The fleet is scoped by owner organisation only (``vehicle.edit``, no area); convoys by
their area and organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reliefops.logistics import services
from reliefops.logistics.models import Vehicle
from tests.core.writescope import Attempt, api, import_kind, not_a_write, page, service
from tests.core.writescope.world import ORGS

C = "reliefops.logistics.services.convoys"
ST = "reliefops.logistics.services.steps"
PL = "reliefops.logistics.services.planning"
not_a_write(f"{C}.convoy_steps_allowed", "read (buttons)")
not_a_write(f"{C}.cargo_load", "arithmetic: what a quantity of an item takes of a vehicle")
not_a_write(f"{C}.vehicle_limits", "read: a vehicle's capacities")
not_a_write("reliefops.logistics.services.photos.photo_check", "the check of an uploaded photo")
not_a_write(
    "reliefops.logistics.services.photos.photo_without_metadata",
    "re-encodes an uploaded photo in memory (delivery_confirm stores it)",
)

#: Step → the status of the world's convoy it is tried on.
SOURCE = {
    "load": "planned",
    "depart": "loading",
    "passage": "departed",
    "arrive": "departed",
    "deliver": "arrived",
    "complete": "delivered",
    "abort": "loading",
}


def convoy(t: Attempt, step: str) -> Any:
    return t.world.convoy[(t.area, t.org, SOURCE[step])]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _passage(t: Attempt) -> services.PassageInput:
    target = convoy(t, "passage")
    line = target.vehicles.get().lines.first()
    outcome = t.draw(["passed", "partial", "turned_back"])
    held = {line.pk: Decimal(1)} if outcome == "partial" else {}
    return services.PassageInput(
        crossing_point=t.world.crossing[t.to], outcome=outcome, time_in=_now(), held=held
    )


def _delivery(t: Attempt) -> services.DeliveryInput:
    target = convoy(t, "deliver")
    line = target.vehicles.get().lines.first()
    receipt = services.Receipt(Decimal(1), damaged=Decimal(1), damage_reason="damaged_in_transit")
    return services.DeliveryInput(
        stop=target.stops.get(),
        receiver_name="Probe",
        received_at=_now(),
        receipts={line.pk: receipt},
    )


def _plan_input(t: Attempt) -> services.ConvoyInput:
    facility = t.world.facility[t.to]
    return services.ConvoyInput(
        departure_date=dt.date.today(),
        origin=t.world.warehouse[t.area][t.org],
        organisation=t.world.org[t.org],
        stops=[services.StopInput(facility.place, facility)],
        carriers=[services.CarrierInput(t.world.spare_vehicle[t.org])],
        cargo=[services.CargoInput(0, 0, t.world.item, Decimal(1))],
        segments=[t.world.segment[t.area]],
    )


@service(f"{C}.convoy_create")
def _create(t: Attempt) -> None:
    services.convoy_create(actor=t.actor, data=_plan_input(t))


@service(f"{PL}.convoy_from_requests")
def _from_requests(t: Attempt) -> None:
    services.convoy_from_requests(
        actor=t.actor,
        requests=[t.world.request[(t.area, t.org, "approved")]],
        origin=t.world.warehouse[t.area][t.org],
        organisation=t.world.org[t.org],
        departure_date=dt.date.today(),
        carriers=[services.CarrierInput(t.world.spare_vehicle[t.org])],
    )


@service(f"{ST}.convoy_load")
def _load(t: Attempt) -> None:
    services.convoy_load(actor=t.actor, convoy=convoy(t, "load"))


@service(f"{ST}.convoy_depart")
def _depart(t: Attempt) -> None:
    services.convoy_depart(actor=t.actor, convoy=convoy(t, "depart"))


@service(f"{ST}.convoy_arrive")
def _arrive(t: Attempt) -> None:
    services.convoy_arrive(actor=t.actor, convoy=convoy(t, "arrive"))


@service(f"{ST}.passage_record")
def _passage_record(t: Attempt) -> None:
    services.passage_record(actor=t.actor, convoy=convoy(t, "passage"), data=_passage(t))


@service(f"{ST}.delivery_confirm")
def _deliver(t: Attempt) -> None:
    services.delivery_confirm(actor=t.actor, convoy=convoy(t, "deliver"), data=_delivery(t))


@service(f"{ST}.convoy_complete")
def _complete(t: Attempt) -> None:
    services.convoy_complete(actor=t.actor, convoy=convoy(t, "complete"))


@service(f"{ST}.convoy_abort")
def _abort(t: Attempt) -> None:
    status = t.draw(["planned", "loading", "departed", "arrived"])
    services.convoy_abort(
        actor=t.actor, convoy=t.world.convoy[(t.area, t.org, status)], reason="probe"
    )


@service(f"{ST}.convoy_transition")
def _transition(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    data = services.StepData(
        reason="probe",
        passage=_passage(t) if step == "passage" else None,
        delivery=_delivery(t) if step == "deliver" else None,
    )
    services.convoy_transition(actor=t.actor, convoy=convoy(t, step), step=step, data=data)


@api("POST /api/v1/convoys/")
def _api_create(t: Attempt) -> None:
    t.api.post(
        "/api/v1/convoys/",
        {
            "origin": t.world.warehouse[t.area][t.org].code,
            "organisation": t.org,
            "departure_date": dt.date.today().isoformat(),
            "vehicles": [t.world.spare_vehicle[t.org].registration],
            "requests": [t.world.request[(t.area, t.org, "approved")].reference],
        },
        format="json",
    )


def _api_step(step: str) -> None:
    @api(f"POST /api/v1/convoys/{{code}}/{step}/")
    def probe(t: Attempt) -> None:
        target = convoy(t, step)
        body: dict[str, Any] = {"reason": "probe"}
        if step == "passage":
            body = {
                "crossing_point": t.world.crossing[t.to].code,
                "outcome": t.draw(["passed", "turned_back"]),
                "time_in": _now().isoformat(),
            }
        elif step == "deliver":
            body = {"stop": 1, "receiver_name": "Probe", "received_at": _now().isoformat()}
        t.api.post(f"/api/v1/convoys/{target.code}/{step}/", body, format="json")


for _step in SOURCE:
    _api_step(_step)

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


# --------------------------------------------------------------------------- pages

for _name in (
    "logistics:convoy_list",
    "logistics:convoy_detail",
    "logistics:convoy_road",  # its forms post to logistics:convoy_step
    "logistics:delivery_photo",
    "logistics:convoy_waybill",
):
    not_a_write(_name, "read-only page")


@page("logistics:convoy_create")
def _page_create(t: Attempt) -> None:
    t.page.post(
        "/logistics/convoys/new/",
        {
            "origin": t.world.warehouse[t.area][t.org].pk,
            "departure_date": dt.date.today().isoformat(),
            "organisation": t.world.org[t.org].pk,
            "vehicles": [t.world.spare_vehicle[t.org].pk],
            "requests": [t.world.request[(t.area, t.org, "approved")].pk],
        },
    )


@page("logistics:convoy_step")
def _page_step(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    target = convoy(t, step)
    body: dict[str, Any] = {"reason": "probe", "confirm": "on"}
    if step == "passage":
        local = dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
        body = {
            "passage-crossing_point": t.world.crossing[t.to].pk,
            "passage-outcome": t.draw(["passed", "turned_back"]),
            "passage-direction": "inbound",
            "passage-time_in": local,
        }
    elif step == "deliver":
        local = dt.datetime.now().strftime("%Y-%m-%dT%H:%M")
        line = target.vehicles.get().lines.first()
        body = {
            "stop": "1",
            "stop1-receiver_name": "Probe",
            "stop1-received_at": local,
            f"stop1-line_{line.pk}_delivered": "1",
        }
    t.page.post(f"/logistics/convoys/{target.code}/steps/{step}/", body)


# --- added for importers
not_a_write(
    f"{ST}.passage_check", "the checks of passage_record (importers report a row's problem)"
)
not_a_write(
    f"{ST}.delivery_check", "the checks of delivery_confirm (importers report a row's problem)"
)
not_a_write(f"{ST}.passage_step", "read: which step a passage takes (passage or passage_late)")
not_a_write(f"{ST}.convoy_arrived_at", "read: when a convoy arrived")


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


@import_kind("passages")
def _import_passages(t: Attempt) -> str:
    head = "convoy,tracking_number,crossing_point,time_in,outcome,held_items\n"
    point = t.world.crossing[t.to].code
    # On the road, or late: a passage made before the arrival of a convoy already arrived.
    status, time_in = t.draw([("departed", _now()), ("arrived", _now() - dt.timedelta(days=2))])
    target = t.world.convoy[(t.area, t.org, status)]
    outcome = t.draw(["passed", "partial", "turned_back"])
    held = f"{t.world.item.code}=1" if outcome == "partial" else ""
    return head + f"{target.code},,{point},{_iso(time_in)},{outcome},{held}\n"


@import_kind("deliveries")
def _import_deliveries(t: Attempt) -> str:
    target = t.world.convoy[(t.area, t.org, t.draw(["arrived", "departed"]))]
    receipts = t.draw(["", f"{t.world.item.code}=1:1:missing"])
    return (
        "convoy,stop,receiver_name,received_at,receipts\n"
        f"{target.code},1,Probe,{_iso(_now())},{receipts}\n"
    )


# the retention job (system, no actor; tests/core/test_retention.py)
not_a_write(
    "reliefops.logistics.services.retention.drivers_anonymise_inactive",
    "the retention job (system, no actor)",
)
not_a_write(
    "reliefops.logistics.services.retention.deliveries_anonymise",
    "the retention job (system, no actor)",
)

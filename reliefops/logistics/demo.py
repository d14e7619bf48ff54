"""Demo scenario data of the logistics domain (idempotent).

Drivers and vehicles of the MES (based at the Barda warehouse) and of the Red Crescent
(based at Goris); the Lachin crossing point's notice; two convoys taken through the real
services by the demo users, so every movement is in the stock ledger:

* the MES convoy left Barda yesterday for Khankendi by the Aghdam–Asgaran road with
  heating oil and diesel for a school and a kindergarten and fresh bread for both; the
  school's tank took the first 4,000 litres of its season's heating oil (the rest came
  back to Barda); the kindergarten signed for less diesel than was loaded (leaked) and
  some crushed bread; the convoy is completed;
* the Red Crescent convoy left Goris this morning with medicines for the Khankendi
  hospital and polyclinic; it passed the Lachin crossing point after an inspection (40
  minutes) and is on the road to Khankendi.

A convoy is recognised by its notes (the codes are numbered by day): nothing is done for
a demo convoy that exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from reliefops.accounts.models import User
from reliefops.core.demo import SCENARIO_DAY, scenario_date
from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine, Convoy, Driver, Vehicle
from reliefops.logistics.selectors import convoy_reconcile, convoy_route
from reliefops.needs import services as needs
from reliefops.needs.models import Request
from reliefops.organisations.models import Organisation
from reliefops.places.models import Facility
from reliefops.places.services import facility_update
from reliefops.stock.models import Item, StockTransaction, Warehouse
from reliefops.stock.services import stock_receive

CROSSING = "F-LAC-CP"
CROSSING_NOTICE = {
    "notice_hours": 24,
    "notice_to": "Liaison office of the crossing point, by phone; the manifest by e-mail",
}

# organisation, name, phone (fictional: the +994 50 555 01xx / +374 91 555 01xx ranges)
DRIVERS = [
    ("MES", "Rashad Mammadov", "+994 50 555 0101", "az, ru"),
    ("MES", "Elchin Huseynov", "+994 50 555 0102", "az, ru"),
    ("MES", "Vugar Aliyev", "+994 50 555 0103", "az"),
    ("MES", "Kamran Guliyev", "+994 50 555 0104", "az, ru"),
    ("MES", "Tural Ismayilov", "+994 50 555 0105", "az, ru, en"),
    ("MES", "Orkhan Hasanov", "+994 50 555 0106", "az"),
    ("RCS", "Farid Abbasov", "+994 50 555 0111", "az, ru, en"),
    ("RCS", "Samir Karimov", "+994 50 555 0112", "az, ru"),
    ("RCS", "Nijat Rzayev", "+994 50 555 0113", "az, ru, en"),
]

# registration, kind, organisation, base, kg, m3, litres, driver
VEHICLES = [
    ("10-FH-101", "fuel_tanker", "MES", "F-BAR-WH", 26000, None, 30000, "Rashad Mammadov"),
    ("10-FH-102", "fuel_tanker", "MES", "F-BAR-WH", 18000, None, 20000, "Elchin Huseynov"),
    ("10-FH-201", "truck", "MES", "F-BAR-WH", 10000, 40, None, "Vugar Aliyev"),
    ("10-FH-202", "truck", "MES", "F-BAR-WH", 10000, 40, None, "Kamran Guliyev"),
    ("10-FH-301", "bread_van", "MES", "F-BAR-WH", 1500, 9, None, "Tural Ismayilov"),
    ("10-FH-401", "4x4", "MES", "F-BAR-WH", 600, 2, None, "Orkhan Hasanov"),
    ("90-RC-011", "truck", "RCS", "F-GOR-WH", 12000, 45, None, "Farid Abbasov"),
    ("90-RC-012", "truck", "RCS", "F-GOR-WH", 12000, 45, None, "Samir Karimov"),
    ("90-RC-021", "refrigerated_truck", "RCS", "F-GOR-WH", 5000, 24, None, "Nijat Rzayev"),
]

CONVOY_1 = "Demo: winter fuel and bread for Khankendi kindergartens and schools (MES)."
CONVOY_2 = "Demo: medicines for the Khankendi hospital and polyclinic (Red Crescent)."
BREAD_LOT = "BRD-BAR-DEMO"


def _day(day: dt.date) -> dt.date:
    return scenario_date(day)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def fleet_load() -> int:
    """The demo drivers and vehicles (by name and registration), created through the
    vehicle services by each organisation's logistics officer."""
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    officers = {
        "MES": User.objects.get(username="logistics"),
        "RCS": User.objects.get(username="logistics-rc"),
    }
    bases = {f.code: f for f in Facility.objects.filter(code__in={v[3] for v in VEHICLES})}
    drivers = {}
    for org, name, phone, languages in DRIVERS:
        driver = Driver.objects.filter(organisation=orgs[org], name=name).first()
        if driver is None:
            driver = services.driver_create(
                actor=officers[org],
                organisation=orgs[org],
                name=name,
                phone=phone,
                languages=languages,
            )
        drivers[name] = driver
    for registration, kind, org, base, kg, m3, litres, driver_name in VEHICLES:
        if Vehicle.objects.filter(registration=registration).exists():
            continue
        services.vehicle_create(
            actor=officers[org],
            registration=registration,
            organisation=orgs[org],
            kind=kind,
            base=bases.get(base),
            capacity_kg=Decimal(kg),
            capacity_m3=Decimal(m3) if m3 is not None else None,
            capacity_litres=Decimal(litres) if litres is not None else None,
            driver=drivers[driver_name],
        )
    return len(VEHICLES)


def _approved(request: Request, coordinator: User) -> Request:
    """Take ``request`` to approved through the needs workflow (whatever step it is at)."""
    if request.status == "draft":
        request = needs.request_submit_draft(actor=coordinator, request=request)
    if request.status == "submitted":
        request = needs.request_verify(actor=coordinator, request=request)
    if request.status == "verified":
        request = needs.request_approve(actor=coordinator, request=request)
    return request


def _demo_request(
    reference: str,
    *,
    coordinator: User,
    organisation: Organisation,
    facility: Facility,
    lines: list[tuple[Item, str]],
    justification: str,
    priority: str = "urgent",
) -> Request:
    """A demo request (by reference), submitted, verified and approved."""
    request = Request.objects.filter(reference=reference).first()
    if request is None:
        start = _day(SCENARIO_DAY)
        request = needs.request_submit(
            actor=coordinator,
            data=needs.RequestInput(
                requester_kind="facility",
                organisation=organisation,
                facility=facility,
                reference=reference,
                lines=[needs.LineInput(quantity=Decimal(q), item=item) for item, q in lines],
                needed_from=start - dt.timedelta(days=1),
                needed_by=start + dt.timedelta(days=7),
                priority=priority,
                justification=justification,
                source="field_assessment",
            ),
            confirm_duplicate=True,
        )
    return _approved(request, coordinator)


def _heating_request(facility: Facility, item: Item, coordinator: User) -> Request | None:
    """The estimator's heating request of ``facility`` for ``item`` (needs demo), approved."""
    request = (
        Request.objects.filter(facility=facility, lines__item=item, source="estimator")
        .exclude(status__in=("rejected", "cancelled", "closed"))
        .order_by("created_at")
        .first()
    )
    return _approved(request, coordinator) if request is not None else None


def _carriers(*registrations: str) -> list[services.CarrierInput]:
    vehicles = {v.registration: v for v in Vehicle.objects.filter(registration__in=registrations)}
    return [services.CarrierInput(vehicles[r]) for r in registrations]


def _stop(convoy: Convoy, facility_code: str) -> Any:
    return convoy.stops.get(facility__code=facility_code)


def convoy_mes(*, stdout: TextIO) -> Convoy | None:
    """Convoy 1: Barda → Aghdam → Asgaran → Khankendi, delivered and completed."""
    existing = Convoy.objects.filter(notes=CONVOY_1).first()
    if existing is not None:
        return existing
    coordinator = User.objects.get(username="coordinator")
    officer = User.objects.get(username="logistics")
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    items = {i.code: i for i in Item.objects.filter(code__in=["DSL", "HOIL", "BRD"])}
    facilities = {
        f.code: f
        for f in Facility.objects.filter(code__in=["F-XA-SCH2", "F-XA-KG1"]).select_related(
            "place__admin1"
        )
    }
    origin = Warehouse.objects.select_related("facility__place").get(facility__code="F-BAR-WH")
    school, kindergarten = facilities["F-XA-SCH2"], facilities["F-XA-KG1"]
    departure = _day(SCENARIO_DAY - dt.timedelta(days=1))
    requests = [
        r
        for r in (
            _heating_request(school, items["HOIL"], coordinator),
            _heating_request(kindergarten, items["DSL"], coordinator),
        )
        if r is not None
    ]
    requests.append(
        _demo_request(
            "DEMO-BREAD-F-XA-KG1",
            coordinator=coordinator,
            organisation=orgs["UTIL"],
            facility=kindergarten,
            lines=[(items["BRD"], "150")],
            justification="Bread for 120 children, lunch and afternoon meal, 5 days.",
        )
    )
    requests.append(
        _demo_request(
            "DEMO-BREAD-F-XA-SCH2",
            coordinator=coordinator,
            organisation=orgs["UTIL"],
            facility=school,
            lines=[(items["BRD"], "400")],
            justification="Bread for the school canteen (700 pupils), 5 days.",
        )
    )
    # Fresh bread from the Barda bakery reaches the warehouse the evening before.
    if not StockTransaction.objects.filter(warehouse=origin, lot__code=BREAD_LOT).exists():
        stock_receive(
            actor=officer,
            warehouse=origin,
            item=items["BRD"],
            quantity=Decimal("800"),
            lot_code=BREAD_LOT,
            expiry_date=departure + dt.timedelta(days=3),
            donor=orgs["MES"],
            reference="DEMO-BAKERY-BARDA",
        )
    convoy = services.convoy_from_requests(
        actor=officer,
        requests=requests,
        origin=origin,
        organisation=orgs["MES"],
        departure_date=departure,
        carriers=_carriers("10-FH-101", "10-FH-102", "10-FH-301", "10-FH-401"),
        escort="Police escort from Aghdam",
        leader="Tural Ismayilov",
        notes=CONVOY_1,
    )
    services.convoy_load(actor=officer, convoy=convoy)
    services.convoy_depart(actor=officer, convoy=convoy)
    services.convoy_arrive(actor=officer, convoy=convoy)
    # The kindergarten: 40 litres of diesel short (a leaking valve) and 8 kg of bread
    # crushed; the head teacher signs for the rest.
    receipts: dict[Any, services.Receipt] = {}
    kg_stop = _stop(convoy, "F-XA-KG1")
    for line in ConsignmentLine.objects.filter(stop=kg_stop).select_related("item"):
        if line.item.code == "DSL":
            receipts[line.pk] = services.Receipt(
                line.quantity - Decimal("40"), short=Decimal("40"), short_reason="leaked"
            )
        elif line.item.code == "BRD":
            receipts[line.pk] = services.Receipt(
                line.quantity - Decimal("8"),
                damaged=Decimal("8"),
                damage_reason="damaged_in_transit",
            )
    # The school's season of heating oil left in one tanker; its tank takes the first
    # 4,000 litres and the rest goes back to Barda for the next deliveries (the request
    # stays partly delivered, the return is in the ledger).
    school_stop = _stop(convoy, "F-XA-SCH2")
    tank = Decimal(str(school.tank_capacity_litres or 4000))
    school_receipts = {
        line.pk: services.Receipt(min(tank, line.quantity))
        for line in ConsignmentLine.objects.filter(stop=school_stop, item__code="HOIL")
    }
    deliveries = [
        (
            "F-XA-SCH2",
            "School director",
            "Director",
            _at(departure, 11, 40),
            school_receipts,
            "Heating oil: the tank is full; the rest goes back to Barda.",
        ),
        (
            "F-XA-KG1",
            "Kindergarten head",
            "Head of kindergarten",
            _at(departure, 12, 25),
            receipts,
            "Diesel 40 l short: the tanker's valve leaked. 8 kg of bread crushed in a crate.",
        ),
    ]
    for code, name, role, at, stop_receipts, note in sorted(
        deliveries, key=lambda d: _stop(convoy, d[0]).sequence
    ):
        services.delivery_confirm(
            actor=officer,
            convoy=convoy,
            data=services.DeliveryInput(
                stop=_stop(convoy, code),
                receiver_name=name,
                receiver_role=role,
                received_at=at,
                receipts=stop_receipts,
                note=note,
            ),
        )
    return services.convoy_complete(actor=officer, convoy=convoy, note="All stops delivered.")


def convoy_red_crescent(*, stdout: TextIO) -> Convoy | None:
    """Convoy 2: Goris → Lachin crossing point → Khankendi, on the road today."""
    existing = Convoy.objects.filter(notes=CONVOY_2).first()
    if existing is not None:
        return existing
    coordinator = User.objects.get(username="coordinator")
    officer = User.objects.get(username="logistics-rc")
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    medkit = Item.objects.get(code="MEDKIT")
    facilities = {f.code: f for f in Facility.objects.filter(code__in=["F-XA-HOSP", "F-XA-POL"])}
    origin = Warehouse.objects.select_related("facility__place").get(facility__code="F-GOR-WH")
    today = _day(SCENARIO_DAY)
    requests = [
        _demo_request(
            "DEMO-MED-F-XA-HOSP",
            coordinator=coordinator,
            organisation=orgs["HEALTH"],
            facility=facilities["F-XA-HOSP"],
            lines=[(medkit, "8")],
            justification="Essential medicines for the wards and the emergency room, 3 months.",
            priority="life_saving",
        ),
        _demo_request(
            "DEMO-MED-F-XA-POL",
            coordinator=coordinator,
            organisation=orgs["HEALTH"],
            facility=facilities["F-XA-POL"],
            lines=[(medkit, "4")],
            justification="Essential medicines for the polyclinic's outpatients, 3 months.",
            priority="life_saving",
        ),
    ]
    convoy = services.convoy_from_requests(
        actor=officer,
        requests=requests,
        origin=origin,
        organisation=orgs["RCS"],
        departure_date=today,
        carriers=_carriers("90-RC-021"),
        leader="Nijat Rzayev",
        notes=CONVOY_2,
    )
    services.convoy_load(actor=officer, convoy=convoy)
    services.convoy_depart(actor=officer, convoy=convoy)
    services.passage_record(
        actor=officer,
        convoy=convoy,
        data=services.PassageInput(
            crossing_point=Facility.objects.get(code=CROSSING),
            outcome="passed",
            direction="inbound",
            time_in=_at(today, 9, 10),
            time_out=_at(today, 9, 50),
            delay_minutes=40,
            inspected=True,
            notes="Cargo inspected against the manifest; cold boxes sealed again.",
        ),
    )
    return convoy


def _report(convoy: Convoy, stdout: TextIO) -> None:
    convoy.refresh_from_db()
    route = convoy_route(convoy)
    rows = convoy_reconcile(convoy)
    balanced = "balanced" if all(r.balanced for r in rows) else "NOT balanced"
    stdout.write(
        f"  {convoy.code} {convoy.origin.code} → {convoy.stops.count()} stops, "
        f"{convoy.get_status_display().lower()}; {' · '.join(route.road_names)}; "
        f"reconcile {balanced}\n"
    )


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    if Warehouse.objects.filter(facility__code__in=["F-BAR-WH", "F-GOR-WH"]).count() != 2:
        stdout.write("logistics: the demo warehouses are missing, no convoys loaded\n")
        return
    with transaction.atomic():
        vehicles = fleet_load()
        crossing = Facility.objects.select_related("place").get(code=CROSSING)
        if any(getattr(crossing, k) != v for k, v in CROSSING_NOTICE.items()):
            facility_update(
                actor=User.objects.get(username="coordinator"),
                facility=crossing,
                place=crossing.place,
                names=crossing.names,
                values=dict(CROSSING_NOTICE),
            )
    with transaction.atomic():
        first = convoy_mes(stdout=stdout)
    with transaction.atomic():
        second = convoy_red_crescent(stdout=stdout)
    stdout.write(f"logistics: {len(DRIVERS)} drivers, {vehicles} vehicles, convoys:\n")
    for convoy in (first, second):
        if convoy is not None:
            _report(convoy, stdout)

"""The logistics exchange: exports of vehicles, convoys, consignments, passages and
deliveries (CSV and XLSX through ``reliefops export``), each user's export holding what
they may see, and the vehicle import (round trip, row errors, scope)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from reliefops.core import exchange as ex
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.logistics import services
from reliefops.logistics.fields import CONSIGNMENT, CONVOY, DELIVERY, PASSAGE, VEHICLE
from reliefops.logistics.models import ConvoySegment, Driver, PassageHold, Vehicle
from reliefops.needs.models import Request, RequestLine
from reliefops.places.models import RoadNode, RoadSegment, Route, RouteSegment
from reliefops.stock.models import Lot
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.logistics.factories import (
    ConsignmentLineFactory,
    ConvoyFactory,
    ConvoyStopFactory,
    ConvoyVehicleFactory,
    DeliveryFactory,
    DriverFactory,
    PassageFactory,
    VehicleFactory,
)
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory

pytestmark = pytest.mark.django_db
FORMATS = ["csv", "xlsx"]
KINDS = {
    "vehicles": VEHICLE,
    "convoys": CONVOY,
    "consignments": CONSIGNMENT,
    "passages": PASSAGE,
    "deliveries": DELIVERY,
}


# --------------------------------------------------------------------------- the world


def _request(reference: str, organisation: Any, area: Any, stop: Any, item: Any) -> RequestLine:
    request = Request.objects.create(
        reference=reference,
        requester_kind="facility",
        facility=stop.facility,
        place=stop.place,
        area=area,
        organisation=organisation,
        needed_from=dt.date(2026, 12, 1),
        needed_by=dt.date(2026, 12, 20),
        status="approved",
    )
    return RequestLine.objects.create(
        request=request, item=item, quantity=Decimal(500), unit=item.unit
    )


@pytest.fixture
def world() -> dict[str, Any]:
    """One convoy of MES from Barda along a tiny road graph (a named route of two
    segments, then an unnamed one) through a crossing point to two schools and a
    village, carrying flour for RC's request and diesel for OTH's."""
    area = AdminAreaFactory(code="AZ-T1")
    mes, rc, oth = (OrganisationFactory(acronym=a) for a in ("MES", "RC", "OTH"))
    origin_place = PlaceFactory(code="AZ-P-BARDA", admin1=area)
    crossing_place = PlaceFactory(code="AZ-P-ASG", admin1=area)
    village = PlaceFactory(code="AZ-P-VIL", admin1=area)
    warehouse = WarehouseFactory(
        facility=FacilityFactory(code="W-BARDA", place=origin_place), organisation=mes
    )
    crossing = FacilityFactory(code="CP-ASG", kind="crossing_point", place=crossing_place)
    school = FacilityFactory(code="F-SCH1", kind="school", place=PlaceFactory(admin1=area))
    kindergarten = FacilityFactory(code="F-KG2", kind="school", place=PlaceFactory(admin1=area))

    nodes = [
        RoadNode.objects.create(
            code=f"N{i}", kind="place", place=place, latitude=40.0 + i / 10, longitude=47.0
        )
        for i, place in enumerate([origin_place, crossing_place, village, None])
    ]
    segments = [
        RoadSegment.objects.create(
            code=f"S{i + 1}",
            from_node=nodes[i],
            to_node=nodes[i + 1],
            length_km=length,
            name=name,
        )
        for i, (length, name) in enumerate([(10, ""), (5.5, ""), (2, "Khankendi ring")])
    ]
    route = Route.objects.create(code="R-AA", names={"en": "Aghdam–Asgaran road"})
    for i, segment in enumerate(segments[:2]):
        RouteSegment.objects.create(route=route, segment=segment, sequence=i + 1)

    convoy = ConvoyFactory(
        code="CV-BARDA-1",
        departure_date=dt.date(2026, 12, 2),
        origin=warehouse,
        organisation=mes,
        escort="Police escort",
        leader="Rashad Mammadov",
        notes="Chains on board",
    )
    for i, segment in enumerate(segments):
        ConvoySegment.objects.create(convoy=convoy, segment=segment, sequence=i + 1)
    stops = [
        ConvoyStopFactory(convoy=convoy, sequence=1, facility=school, place=school.place),
        ConvoyStopFactory(
            convoy=convoy, sequence=2, facility=kindergarten, place=kindergarten.place
        ),
        ConvoyStopFactory(convoy=convoy, sequence=3, facility=None, place=village),
    ]
    truck = VehicleFactory(registration="10-AB-001", organisation=mes, capacity_kg=12000)
    tanker = VehicleFactory(
        registration="10-AB-002",
        kind="fuel_tanker",
        organisation=mes,
        capacity_kg=Decimal("9000"),
        capacity_litres=Decimal("8000"),
        item_classes=["fuel"],
        base=warehouse.facility,
        driver=DriverFactory(organisation=mes, name="Elvin Aliyev", phone="+994 50 000 00 00"),
    )
    VehicleFactory(registration="90-RC-100", kind="van", organisation=rc, capacity_kg=1500)
    VehicleFactory(  # categories stored out of order re-import unchanged
        registration="10-AB-003",
        kind="refrigerated_truck",
        organisation=mes,
        capacity_kg=Decimal("7500.5"),
        capacity_m3=Decimal("32.25"),
        item_classes=["water", "food"],
        notes="=cold chain, +4 °C",
    )
    carrier_1 = ConvoyVehicleFactory(convoy=convoy, vehicle=truck, tracking_number="TN-1")
    carrier_2 = ConvoyVehicleFactory(convoy=convoy, vehicle=tanker, tracking_number="TN-2")

    flour = ItemFactory(code="FLR", unit="kg")
    diesel = ItemFactory(code="DSL", category="fuel", unit="litre")
    lot = Lot.objects.create(item=flour, code="L-FLR-1", expiry_date=dt.date(2027, 6, 30))
    flour_line = ConsignmentLineFactory(
        carrier=carrier_1,
        stop=stops[0],
        request_line=_request("R-RC-1", rc, area, stops[0], flour),
        item=flour,
        lot=lot,
        quantity=Decimal("100"),
        delivered=Decimal("90"),
        short=Decimal("4"),
        short_reason="missing",
        damaged=Decimal("6"),
        damage_reason="damaged_in_transit",
    )
    diesel_line = ConsignmentLineFactory(
        carrier=carrier_2,
        stop=stops[1],
        request_line=_request("R-OTH-1", oth, area, stops[1], diesel),
        item=diesel,
        quantity=Decimal("500"),
        delivered=Decimal("400"),
        returned=Decimal("50"),
    )
    passage = PassageFactory(
        convoy=convoy,
        crossing_point=crossing,
        time_in=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC),
        time_out=dt.datetime(2026, 12, 2, 10, 30, tzinfo=dt.UTC),
        outcome="partial",
        delay_minutes=90,
        inspected=True,
        notes="Half the diesel held",
    )
    PassageHold.objects.create(passage=passage, line=diesel_line, quantity=Decimal("50"))
    PassageFactory(
        convoy=convoy,
        carrier=carrier_1,
        crossing_point=crossing,
        direction="outbound",
        time_in=dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC),
    )
    PassageFactory(
        convoy=convoy,
        carrier=carrier_2,
        crossing_point=crossing,
        direction="outbound",
        time_in=dt.datetime(2026, 12, 2, 19, 0, tzinfo=dt.UTC),
    )
    DeliveryFactory(
        stop=stops[0],
        receiver_name="Aysel Huseynova",
        receiver_role="Director",
        received_at=dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC),
        note="Six sacks torn",
        photo="deliveries/2026/12/note.jpg",
    )
    DeliveryFactory(
        stop=stops[1],
        receiver_name="Leyla Karimova",
        received_at=dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC),
    )
    return {
        "area": area,
        "mes": mes,
        "rc": rc,
        "convoy": convoy,
        "flour_line": flour_line,
        "diesel_line": diesel_line,
        "officer": make_user("logistics", areas=[area], organisation=mes, username="officer"),
        "partner": make_user("partner", areas=[area], organisation=rc, username="partner"),
    }


# --------------------------------------------------------------------------- helpers


def exported(kind: str, fmt: str, username: str, tmp_path: Path) -> tuple[list, list, list]:
    """``reliefops export KIND --format FMT --user USERNAME``: (header, HXL row, rows as
    dicts of text), read back from the file as a person would (plain CSV has no HXL row;
    HXL-tagged CSV and XLSX have it under the header)."""
    target = tmp_path / f"{kind}-{username}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    call_command(
        "export",
        kind,
        "--format",
        fmt,
        "--output",
        str(target),
        "--user",
        username,
        stderr=io.StringIO(),
    )
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(target, read_only=True).worksheets[0]
        table = [[ex.cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    header, *body = table
    tags = body.pop(0) if fmt != "csv" else []
    return header, tags, [dict(zip(header, row, strict=True)) for row in body]


def columns(fields: ex.Fields) -> tuple[list[str], list[str]]:
    cols = fields.columns()
    return [c.name for c in cols], [c.hxl for c in cols]


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_exports_its_declared_header_and_hxl_row(
    world: dict[str, Any], tmp_path: Path, kind: str, fmt: str
) -> None:
    header, tags, rows = exported(kind, fmt, "officer", tmp_path)
    names, hashtags = columns(KINDS[kind])
    assert header == names
    assert tags == ([] if fmt == "csv" else hashtags)
    assert all(t.startswith("#") for t in hashtags)
    assert rows and all(row.keys() == set(names) for row in rows), kind


@pytest.mark.parametrize("fmt", FORMATS)
def test_convoy_row_names_its_stops_roads_crossing_points_and_vehicles(
    world: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    _header, _tags, rows = exported("convoys", fmt, "officer", tmp_path)
    assert rows == [
        {
            "code": "CV-BARDA-1",
            "departure_date": "2026-12-02",
            "origin": "W-BARDA",
            "organisation": "MES",
            "status": "planned",
            "status_reason": "",
            "escort": "Police escort",
            "leader": "Rashad Mammadov",
            "stops": "F-SCH1 > F-KG2 > AZ-P-VIL",
            "route": "Aghdam–Asgaran road > Khankendi ring",
            "crossing_points": "CP-ASG",
            "length_km": "17.5",
            "vehicles": "10-AB-001;10-AB-002",
            "tracking_numbers": "TN-1;TN-2",
            "notes": "Chains on board",
        }
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_consignment_rows_carry_the_line_and_its_accounting(
    world: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    _header, _tags, rows = exported("consignments", fmt, "officer", tmp_path)
    by_item = {r["item"]: r for r in rows}
    assert sorted(by_item) == ["DSL", "FLR"]
    assert by_item["FLR"] == {
        "convoy": "CV-BARDA-1",
        "tracking_number": "TN-1",
        "vehicle": "10-AB-001",
        "stop": "1",
        "facility": "F-SCH1",
        "place": world["flour_line"].stop.place.code,
        "request": "R-RC-1",
        "item": "FLR",
        "lot": "L-FLR-1",
        "expiry_date": "2027-06-30",
        "quantity": "100",
        "unit": "kg",
        "delivered": "90",
        "short": "4",
        "short_reason": "missing",
        "damaged": "6",
        "damage_reason": "damaged_in_transit",
        "returned": "0",
        "on_board": "0",
    }
    diesel = by_item["DSL"]
    assert (diesel["stop"], diesel["unit"], diesel["lot"], diesel["expiry_date"]) == (
        "2",
        "litre",
        "",
        "",
    )
    assert (diesel["returned"], diesel["on_board"], diesel["request"]) == ("50", "50", "R-OTH-1")


def test_passage_and_delivery_rows(world: dict[str, Any], tmp_path: Path) -> None:
    _h, _t, passages = exported("passages", "csv", "officer", tmp_path)
    assert [(p["tracking_number"], p["direction"], p["outcome"]) for p in passages] == [
        ("", "inbound", "partial"),
        ("TN-1", "outbound", "passed"),
        ("TN-2", "outbound", "passed"),
    ]
    whole = passages[0]
    assert whole["convoy"] == "CV-BARDA-1" and whole["crossing_point"] == "CP-ASG"
    assert whole["time_in"].startswith("2026-12-02T09:00:00")
    assert whole["time_out"].startswith("2026-12-02T10:30:00")
    assert (whole["delay_minutes"], whole["inspected"], whole["held"]) == ("90", "true", "50")
    assert whole["notes"] == "Half the diesel held"
    assert passages[1]["held"] == "0" and passages[1]["time_out"] == ""

    _h, _t, deliveries = exported("deliveries", "csv", "officer", tmp_path)
    assert [(d["stop"], d["facility"], d["has_photo"]) for d in deliveries] == [
        ("1", "F-SCH1", "true"),
        ("2", "F-KG2", "false"),
    ]
    first = deliveries[0]
    assert (first["receiver_name"], first["receiver_role"], first["note"]) == (
        "Aysel Huseynova",
        "Director",
        "Six sacks torn",
    )
    assert (first["delivered"], first["short"], first["damaged"]) == ("90", "4", "6")
    assert "note.jpg" not in str(deliveries)  # whether there is a photo, never the photo
    assert deliveries[1]["delivered"] == "400"


def test_a_requesting_partner_exports_only_its_own_cargo(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """RC sees the convoy carrying its request: its own line, the vehicle carrying it,
    its stop's delivery and totals — none of OTH's diesel, none of the crew."""
    _h, _t, lines = exported("consignments", "csv", "partner", tmp_path)
    assert [(r["request"], r["item"]) for r in lines] == [("R-RC-1", "FLR")]
    _h, _t, convoys = exported("convoys", "csv", "partner", tmp_path)
    (convoy,) = convoys
    assert convoy["route"] == "Aghdam–Asgaran road > Khankendi ring"
    assert (convoy["vehicles"], convoy["tracking_numbers"]) == ("10-AB-001", "TN-1")
    assert convoy["leader"] == convoy["escort"] == convoy["notes"] == ""
    _h, _t, deliveries = exported("deliveries", "xlsx", "partner", tmp_path)
    assert [(d["stop"], d["delivered"]) for d in deliveries] == [("1", "90")]
    _h, _t, passages = exported("passages", "csv", "partner", tmp_path)
    assert [p["tracking_number"] for p in passages] == ["", "TN-1"]  # not the tanker's
    assert {p["held"] for p in passages} == {"0"}  # the hold is of OTH's diesel

    stranger = make_user("partner", areas=[world["area"]], organisation=OrganisationFactory())
    for kind in ("convoys", "consignments", "passages", "deliveries"):
        assert exported(kind, "csv", stranger.username, tmp_path)[2] == [], kind


def test_export_pages_offer_the_new_kinds_and_apply_list_filters(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["officer"])
    page = client.get("/intake/upload/").content.decode()
    for kind in KINDS:
        assert f"/intake/export/{kind}/?format=csv" in page, kind
    response = client.get("/intake/export/convoys/", {"format": "csv", "status": "planned"})
    assert response.status_code == 200 and b"CV-BARDA-1" in response.content
    response = client.get("/intake/export/convoys/", {"format": "csv", "status": "completed"})
    assert b"CV-BARDA-1" not in response.content
    response = client.get("/intake/export/vehicles/", {"format": "csv", "q": "AB-00"})
    body = response.content.decode("utf-8-sig")
    assert "10-AB-001" in body and "90-RC-100" not in body
    response = client.get(
        "/intake/export/consignments/", {"format": "csv", "tracking_number": "TN-2"}
    )
    body = response.content.decode("utf-8-sig")
    assert "DSL" in body and "FLR" not in body
    assert client.get("/intake/export/convoys/", {"status": "nonsense"}).status_code == 400


# --------------------------------------------------------------------------- vehicle import


def _vehicle_state() -> dict[str, tuple[Any, ...]]:
    return {
        v.registration: (
            v.kind,
            v.organisation.acronym,
            v.base_id,
            v.capacity_kg,
            v.capacity_m3,
            v.capacity_litres,
            v.item_classes,
            v.status,
            v.notes,
            v.driver_id,
        )
        for v in Vehicle.objects.select_related("organisation")
    }


def _import(path: Path, user: Any, **kwargs: Any) -> ex.ImportReport:
    return ex.import_file(kind="vehicles", path=path, actor=user, **kwargs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_vehicles_round_trip_updates_only_the_edited_vehicle(
    world: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    admin = UserFactory(username="admin", is_superuser=True)
    target = tmp_path / f"vehicles.{fmt}"
    call_command(
        "export", "vehicles", "--format", fmt, "--output", str(target), stderr=io.StringIO()
    )
    before = _vehicle_state()
    unchanged = _import(target, admin, dry_run=True)
    assert unchanged.ok and (unchanged.updated, unchanged.unchanged) == (0, 4)

    if fmt == "xlsx":
        book = openpyxl.load_workbook(target)
        sheet = book.worksheets[0]
        head = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=3):
            if row[head.index("registration")].value == "10-AB-002":
                row[head.index("capacity_kg")].value = 9500
        book.save(target)
    else:
        lines = target.read_text(encoding="utf-8-sig").splitlines()
        edited = "10-AB-002,fuel_tanker,MES,W-BARDA,"
        lines = [x.replace(f"{edited}9000,", f"{edited}9500,") for x in lines]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = _import(target, admin)
    assert report.ok, [e.as_dict() for e in report.errors]
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert [o.changes for o in report.outcomes if o.outcome == "updated"] == [
        {"capacity_kg": ("9000", "9500")}
    ]
    after = _vehicle_state()
    tanker = Vehicle.objects.get(registration="10-AB-002")
    assert tanker.capacity_kg == Decimal("9500")
    assert tanker.driver is not None and tanker.item_classes == ["fuel"]  # kept as it was
    assert {k: v for k, v in after.items() if k != "10-AB-002"} == {
        k: v for k, v in before.items() if k != "10-AB-002"
    }
    assert AuditEvent.objects.filter(action="vehicle.upsert_bulk").count() == 1


HEAD = "registration,kind,owner,base,capacity_kg,capacity_m3,capacity_litres,item_classes,status\n"


def test_a_bad_kind_on_row_3_is_named_and_nothing_is_written(
    world: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "vehicles.csv"
    path.write_text(
        HEAD
        + "10-AB-001,truck,MES,,13000,,,,available\n"
        + "10-XY-777,spaceship,MES,,3000,,,,available\n"
        + "10-XY-778,van,MES,W-BARDA,1200,8.5,,food;water,maintenance\n",
        encoding="utf-8",
    )
    before = _vehicle_state()
    report = _import(path, world["officer"])
    assert not report.ok
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "kind", "spaceship")]
    assert "truck" in report.errors[0].message  # the message lists the kinds
    assert _vehicle_state() == before

    out = io.StringIO()
    with pytest.raises(Exception, match="nothing was imported"):
        call_command("import", "vehicles", str(path), "--user", "officer", stdout=out)
    assert "row       3  kind" in out.getvalue()
    assert _vehicle_state() == before


def test_import_creates_vehicles_and_refuses_bad_rows_by_field(
    world: dict[str, Any], tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        HEAD + "10 xy 778,van,MES,W-BARDA,1200,8.5,,Water; food,maintenance\n", encoding="utf-8"
    )
    report = _import(good, world["officer"])
    assert report.ok and report.created == 1, [e.as_dict() for e in report.errors]
    van = Vehicle.objects.get(registration="10 XY 778")
    assert (van.organisation, van.base.code, van.item_classes, van.status) == (
        world["mes"],
        "W-BARDA",
        ["food", "water"],
        "maintenance",
    )
    assert van.created_by == world["officer"]

    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEAD
        + "10-ZZ-001,fuel_tanker,MES,,9000,,8000,food,available\n"  # 2: food in a tanker
        + "10-ZZ-002,truck,NOPE,,9000,,,,available\n"  # 3: unknown owner
        + "10-ZZ-003,truck,MES,NO-SUCH,9000,,,,available\n"  # 4: unknown base
        + "10-ZZ-004,truck,MES,,9000,,,fuel;gold,available\n"  # 5: unknown category
        + "90-RC-100,van,RC,,1600,,,,available\n"  # 6: RC's van, not MES's to edit
        + "10-ZZ-005,truck,MES,,0,,,,parked\n"  # 7: capacity, status
        + "10-ZZ-001,truck,MES,,9000,,,,available\n",  # 8: twice
        encoding="utf-8",
    )
    before = _vehicle_state()
    report = _import(bad, world["officer"])
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "item_classes"),
        (3, "owner"),
        (4, "base"),
        (5, "item_classes"),
        (6, "owner"),
        (7, "capacity_kg"),
        (7, "status"),
        (8, "registration"),
    ]
    assert "gold" in report.errors[3].message
    assert _vehicle_state() == before


def test_hxl_only_file_imports_by_hashtags(world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "fleet.hxl.csv"
    path.write_text(
        "#meta+vehicle+code,#meta+type+vehicle,#org+code,#capacity+kg+weight\n"
        "20-HX-001,ambulance,MES,800\n",
        encoding="utf-8",
    )
    report = _import(path, world["officer"])
    assert report.ok, [e.as_dict() for e in report.errors]
    assert Vehicle.objects.get(registration="20-HX-001").kind == "ambulance"


# --------------------------------------------------------------------------- services


def test_vehicle_services_check_the_owners_scope_and_audit(world: dict[str, Any]) -> None:
    officer, mes, rc = world["officer"], world["mes"], world["rc"]
    with pytest.raises(Forbidden):
        services.vehicle_create(
            actor=officer, registration="90-RC-200", organisation=rc, kind="van", capacity_kg=900
        )
    with pytest.raises(Forbidden):
        services.vehicle_create(
            actor=world["partner"],
            registration="90-RC-200",
            organisation=rc,
            kind="van",
            capacity_kg=900,
        )
    van = services.vehicle_create(
        actor=officer, registration=" 10-ab-900 ", organisation=mes, kind="van", capacity_kg=900
    )
    assert van.registration == "10-AB-900"
    with pytest.raises(InvalidInput) as refused:
        services.vehicle_update(actor=officer, vehicle=van, kind="bread_van", item_classes=["fuel"])
    assert refused.value.details["field"] == "item_classes"
    with pytest.raises(Forbidden):  # giving it away needs the right for the new owner too
        services.vehicle_update(actor=officer, vehicle=van, organisation=rc)
    services.vehicle_update(actor=officer, vehicle=van, status="maintenance")
    van.refresh_from_db()
    assert (van.status, van.organisation) == ("maintenance", mes)
    rc_van = Vehicle.objects.get(registration="90-RC-100")
    with pytest.raises(Forbidden):
        services.vehicle_update(actor=officer, vehicle=rc_van, capacity_kg=1)
    events = AuditEvent.objects.filter(object_id=str(van.pk)).order_by("at")
    assert [e.action for e in events] == ["vehicle.create", "vehicle.update"]
    assert events[1].before == {"status": "available"}


def test_driver_create_keeps_personal_data_out_of_the_audit(world: dict[str, Any]) -> None:
    officer, mes = world["officer"], world["mes"]
    with pytest.raises(Forbidden):
        services.driver_create(actor=officer, organisation=world["rc"], name="Someone")
    driver = services.driver_create(
        actor=officer,
        organisation=mes,
        name="Kamran Guliyev",
        phone="+994 55 111 22 33",
        licence_number="AZ1234567",
    )
    assert Driver.objects.get(pk=driver.pk).phone == "+994 55 111 22 33"
    event = AuditEvent.objects.get(action="driver.create")
    text = f"{event.object_repr} {event.before} {event.after}"
    assert "Kamran" not in text and "111" not in text and str(driver.pk) in text
    with pytest.raises(InvalidInput):
        services.driver_create(actor=officer, organisation=mes, name="  ")


def test_an_export_takes_every_value_of_a_repeated_filter(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["officer"])
    both = client.get("/intake/export/convoys/?format=csv&status=planned&status=completed")
    assert both.status_code == 200 and b"CV-BARDA-1" in both.content
    neither = client.get("/intake/export/convoys/?format=csv&status=aborted&status=completed")
    assert neither.status_code == 200 and b"CV-BARDA-1" not in neither.content

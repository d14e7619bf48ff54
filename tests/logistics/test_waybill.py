"""The convoy waybill PDF: rendered to an image, its QR code read back, its text extracted.

The PDF is turned into pixels with pypdfium2 and the QR code decoded with zxing-cpp, so the
test sees what a person at a crossing point sees: a code that scans to the tracking
number, labels in the reader's language and place names in their script (the embedded
font covers Latin, Cyrillic and Armenian).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import path
from django.utils.translation import gettext, override

from reliefops.logistics.models import (
    ConsignmentLine,
    Convoy,
    ConvoySegment,
    ConvoyStop,
    ConvoyVehicle,
    Driver,
    Vehicle,
)
from reliefops.logistics.waybill import waybill_pdf
from reliefops.logistics.waybill_views import waybill_download_view
from reliefops.needs.models import Request, RequestLine
from reliefops.places.models import RoadNode, RoadSegment, Route, RouteSegment
from reliefops.urls import urlpatterns as site_urlpatterns
from tests.accounts.factories import OrganisationFactory, make_user
from tests.stock.factories import (
    FacilityFactory,
    ItemFactory,
    LotFactory,
    PlaceFactory,
    WarehouseFactory,
)

pytestmark = pytest.mark.django_db

#: The lead wires the view into logistics/urls.py; these tests mount it themselves.
urlpatterns = [
    path("test/convoys/<str:code>/waybill.pdf", waybill_download_view, name="test_waybill"),
    *site_urlpatterns,
]

#: Page 1 of the English and Russian waybills is saved here to be looked at.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TRACKING = "WB-2026-000117"
PLACE_RU = "Ханкенди"
PLACE_HY = "Ստեփանակերտ"
CROSSING_RU = "Лачинский пункт пропуска"


@pytest.fixture
def scene() -> dict[str, Any]:
    org = OrganisationFactory(acronym="MES", names={"en": "Ministry of Emergencies"})
    warehouse = WarehouseFactory(
        facility__names={"en": "Central warehouse Barda", "ru": "Центральный склад Барда"},
        facility__place__names={"en": "Barda", "ru": "Барда"},
        organisation=org,
    )
    origin_place = warehouse.facility.place
    area = origin_place.admin1
    stop_place = PlaceFactory(
        names={"en": "Khankendi", "ru": PLACE_RU, "hy": PLACE_HY}, admin1=area
    )
    kindergarten = FacilityFactory(
        kind="kindergarten",
        place=stop_place,
        names={"en": "Kindergarten No 3", "ru": "Детский сад № 3"},
    )
    crossing_place = PlaceFactory(names={"en": "Lachin", "ru": "Лачин"}, admin1=area)
    FacilityFactory(
        kind="crossing_point",
        place=crossing_place,
        names={"en": "Lachin crossing point", "ru": CROSSING_RU},
        notice_hours=24,
        notice_to="Liaison office, +994 12 000 00 00",
    )
    nodes = [
        RoadNode.objects.create(
            code=f"N{i}", kind="place", place=place, latitude=40.0, longitude=46.5 + i / 10
        )
        for i, place in enumerate((origin_place, crossing_place, stop_place))
    ]
    segments = [
        RoadSegment.objects.create(
            code=f"S{i}", from_node=nodes[i], to_node=nodes[i + 1], length_km=30.5 + i
        )
        for i in range(2)
    ]
    road = Route.objects.create(
        code="R-LK", names={"en": "Lachin–Khankendi road", "ru": "Дорога Лачин–Ханкенди"}
    )
    for i, segment in enumerate(segments):
        RouteSegment.objects.create(route=road, segment=segment, sequence=i)

    item = ItemFactory(
        code="FLOUR50",
        names={"en": "Wheat flour, 50 kg sack", "ru": "Мука пшеничная, мешок 50 кг"},
        unit="piece",
        weight_kg=Decimal("50.2"),
        volume_m3=Decimal("0.065"),
    )
    lot = LotFactory(item=item, code="LOT-F-0931", expiry_date=dt.date(2027, 6, 30))
    driver = Driver.objects.create(
        organisation=org, name="Rashad Aliyev", phone="+994501234567", licence_number="AZ 0912345"
    )
    vehicle = Vehicle.objects.create(
        registration="10-AB-123", kind="truck", organisation=org, capacity_kg=Decimal("20000")
    )
    convoy = Convoy.objects.create(
        code="CV-2026-0042",
        departure_date=dt.date(2026, 12, 3),
        origin=warehouse,
        organisation=org,
        area=area,
        leader="Elvin Mammadov",
        escort="Two escort vehicles of the peacekeeping contingent",
    )
    for i, segment in enumerate(segments):
        ConvoySegment.objects.create(convoy=convoy, segment=segment, sequence=i)
    stop = ConvoyStop.objects.create(
        convoy=convoy, sequence=1, place=stop_place, facility=kindergarten
    )
    carrier = ConvoyVehicle.objects.create(
        convoy=convoy, vehicle=vehicle, driver=driver, tracking_number=TRACKING
    )
    request = Request.objects.create(
        reference="REQ-2026-0815",
        requester_kind="facility",
        facility=kindergarten,
        place=stop_place,
        area=area,
        organisation=OrganisationFactory(acronym="KGNGO"),
        needed_from=dt.date(2026, 12, 1),
        needed_by=dt.date(2026, 12, 20),
    )
    request_line = RequestLine.objects.create(
        request=request, item=item, quantity=Decimal("400"), unit="piece"
    )
    ConsignmentLine.objects.create(
        carrier=carrier,
        stop=stop,
        request_line=request_line,
        item=item,
        lot=lot,
        quantity=Decimal("240"),
    )
    return {"org": org, "area": area, "convoy": convoy, "carrier": carrier, "item": item}


def page_image(pdf: bytes, page: int = 0) -> Any:
    return pypdfium2.PdfDocument(pdf)[page].render(scale=3).to_pil()


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    texts = []
    for page in document:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
    return "\n".join(texts)


def test_the_qr_code_decodes_to_the_tracking_number(scene) -> None:
    pdf = waybill_pdf(scene["convoy"], language="en")
    assert pdf.startswith(b"%PDF")
    image = page_image(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "waybill-en.png")
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [TRACKING]


def test_the_waybill_lists_cargo_route_driver_and_signature_blocks(scene) -> None:
    text = pdf_text(waybill_pdf(scene["convoy"], language="en"))
    for expected in (
        TRACKING,
        "CV-2026-0042",
        "FLOUR50",
        "Wheat flour, 50 kg sack",
        "LOT-F-0931",
        "REQ-2026-0815",
        "10-AB-123",
        "Rashad Aliyev",
        "+994501234567",  # decrypted on read
        "Elvin Mammadov",
        "Lachin–Khankendi road",
        "Lachin crossing point",
        "Kindergarten No 3, Khankendi",
        "Central warehouse Barda",
    ):
        assert expected in text, expected
    # 240 sacks × 50.2 kg = 12,048.0 kg; × 0.065 m³ = 15.600 m³; the route is 30.5 + 31.5 km.
    assert "12,048.0" in text
    assert "15.600" in text
    assert "62.0" in text
    for label in ("Dispatched from", "Crossing point: Lachin", "Received at stop", "Signature"):
        assert label in text, label


def test_russian_waybill_has_translated_labels_and_cyrillic_names(scene) -> None:
    pdf = waybill_pdf(scene["convoy"], language="ru")
    image = page_image(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "waybill-ru.png")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [TRACKING]
    text = pdf_text(pdf)
    with override("ru"):
        for label in ("Waybill", "Cargo", "Route", "Signatures"):
            assert gettext(label) in text, label
    assert PLACE_RU in text
    assert CROSSING_RU in text
    assert "Мука пшеничная" in text
    assert "FLOUR50" in text and "LOT-F-0931" in text


def test_armenian_names_render_in_the_embedded_font(scene) -> None:
    text = pdf_text(waybill_pdf(scene["convoy"], language="hy"))
    assert PLACE_HY in text


def test_each_vehicle_has_its_own_waybill_pages(scene) -> None:
    convoy, org = scene["convoy"], scene["org"]
    other = ConvoyVehicle.objects.create(
        convoy=convoy,
        vehicle=Vehicle.objects.create(
            registration="99-ZZ-999", kind="van", organisation=org, capacity_kg=Decimal("1500")
        ),
        tracking_number="WB-2026-000118",
    )
    pdf = waybill_pdf(convoy, language="en")
    document = pypdfium2.PdfDocument(pdf)
    codes = [
        [r.text for r in zxingcpp.read_barcodes(page.render(scale=3).to_pil())] for page in document
    ]
    first_pages = [c for c in codes if c]
    assert first_pages == [[TRACKING], [other.tracking_number]]
    only = waybill_pdf(convoy, carriers=[other], language="en")
    assert "No cargo is loaded on this vehicle." in pdf_text(only)
    assert TRACKING not in pdf_text(only)


def test_command_writes_the_pdf_for_the_convoy_staff(scene, tmp_path) -> None:
    area, org = scene["area"], scene["org"]
    make_user("logistics", areas=[area], organisation=org, username="logi")
    output = tmp_path / "waybill.pdf"
    call_command(
        "waybill",
        "CV-2026-0042",
        "--vehicle",
        "10-ab-123",
        "--output",
        str(output),
        "--user",
        "logi",
        "--language",
        "ru",
    )
    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert PLACE_RU in pdf_text(data)


def test_command_refuses_a_convoy_the_user_may_not_see(scene, tmp_path) -> None:
    make_user("logistics", areas=[scene["area"]], organisation=OrganisationFactory(), username="x")
    output = tmp_path / "waybill.pdf"
    with pytest.raises(CommandError, match="CV-2026-0042"):
        call_command("waybill", "CV-2026-0042", "--output", str(output), "--user", "x")
    assert not output.exists()


def test_command_names_an_unknown_vehicle(scene, tmp_path) -> None:
    make_user("logistics", areas=[scene["area"]], organisation=scene["org"], username="logi")
    with pytest.raises(CommandError, match="NO-SUCH"):
        call_command(
            "waybill",
            "CV-2026-0042",
            "--vehicle",
            "NO-SUCH",
            "--output",
            str(tmp_path / "w.pdf"),
            "--user",
            "logi",
        )


@pytest.mark.urls(__name__)
def test_view_gives_the_logistics_staff_the_pdf(scene) -> None:
    user = make_user("logistics", areas=[scene["area"]], organisation=scene["org"])
    client = Client()
    client.force_login(user)
    response = client.get("/test/convoys/CV-2026-0042/waybill.pdf", {"vehicle": "10-AB-123"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="waybill-CV-2026-0042-10-AB-123.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    whole = client.get("/test/convoys/CV-2026-0042/waybill.pdf")
    assert whole.status_code == 200
    assert whole["Content-Disposition"] == 'attachment; filename="waybill-CV-2026-0042.pdf"'
    unknown = client.get("/test/convoys/CV-2026-0042/waybill.pdf", {"vehicle": "NO-SUCH"})
    assert unknown.status_code == 404
    assert client.get("/test/convoys/NO-SUCH-CONVOY/waybill.pdf").status_code == 404


@pytest.mark.urls(__name__)
def test_view_refuses_other_organisations_and_the_requester(scene) -> None:
    client = Client()
    outsider = make_user("partner", areas=[scene["area"]], organisation=OrganisationFactory())
    client.force_login(outsider)
    response = client.get("/test/convoys/CV-2026-0042/waybill.pdf")
    assert response.status_code in (403, 404)
    assert not response.content.startswith(b"%PDF")
    # The requesting organisation sees the convoy for its own cargo, not the drivers.
    requester = make_user(
        "partner",
        areas=[scene["area"]],
        organisation=scene["convoy"].vehicles.get().lines.get().request_line.request.organisation,
    )
    client.force_login(requester)
    response = client.get("/test/convoys/CV-2026-0042/waybill.pdf")
    assert response.status_code == 403
    assert b"+994501234567" not in response.content


@pytest.mark.urls(__name__)
def test_view_needs_a_login(scene) -> None:
    response = Client().get("/test/convoys/CV-2026-0042/waybill.pdf")
    assert response.status_code == 302

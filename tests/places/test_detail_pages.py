"""Place and facility pages that connect: open requests and stock (panels registered by
needs and stock), the small map, "new request", edit forms through the services, the note
saying why a form is missing, status history labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import OrganisationFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    """Two areas with a warehouse facility each, a request from each and stock in each."""
    from reliefops.needs import services as needs
    from reliefops.stock.services import stock_receive
    from tests.places.factories import AdminAreaFactory
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory

    admin = UserFactory(is_superuser=True)
    org = OrganisationFactory(acronym="DETAIL")
    flour = ItemFactory(code="FLR", names={"en": "Wheat flour"}, unit="kg")
    out: dict[str, Any] = {"org": org}
    for tag in ("IN", "OUT"):
        area = AdminAreaFactory(code=f"ZD-{tag}", names={"en": f"Area {tag}"})
        place = PlaceFactory(code=f"ZDP-{tag}", admin1=area, names={"en": f"Town {tag}"})
        facility = FacilityFactory(code=f"ZDF-{tag}", place=place, names={"en": f"Depot {tag}"})
        warehouse = WarehouseFactory(facility=facility, organisation=org)
        stock_receive(
            actor=admin,
            warehouse=warehouse,
            item=flour,
            quantity=Decimal(1234 if tag == "IN" else 9876),
            lot_code=f"LOT-{tag}",
            expiry_date=dt.date(2099, 1, 1),
        )
        request = needs.request_submit(
            actor=admin,
            data=needs.RequestInput(
                requester_kind="facility",
                organisation=org,
                facility=facility,
                lines=[needs.LineInput(quantity=Decimal(50), item=flour)],
                needed_from=dt.date(2023, 10, 1),
                needed_by=dt.date(2023, 10, 31),
                justification=f"Bread for {tag}",
            ),
        )
        out[tag] = {"area": area, "place": place, "facility": facility, "request": request}
    return out


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_facility_and_place_pages_show_open_requests_and_stock_in_the_users_areas(world) -> None:  # type: ignore[no-untyped-def]
    user = make_user("coordinator", areas=[world["IN"]["area"]], organisation=world["org"])
    client = _client(user)
    for url in ("/places/facilities/ZDF-IN/", "/places/ZDP-IN/"):
        page = client.get(url).content.decode()
        assert world["IN"]["request"].reference in page, url
        assert 'data-panel="reliefops.needs.panels' in page
        assert "LOT-IN" in page and "1,234" in page.replace("\u202f", ",").replace("\xa0", ",")
        assert 'id="detail-map"' in page and 'id="detail-geometry"' in page
    facility_page = client.get("/places/facilities/ZDF-IN/").content.decode()
    assert "/needs/requests/new/?facility=ZDF-IN" in facility_page
    # Reference data is readable everywhere, but what is scoped is not shown out of scope.
    for url in ("/places/facilities/ZDF-OUT/", "/places/ZDP-OUT/"):
        page = client.get(url).content.decode()
        assert world["OUT"]["request"].reference not in page, url
        assert "LOT-OUT" not in page and "9876" not in page
        assert "No open requests here in your areas." in page
    assert "?facility=ZDF-OUT" not in client.get("/places/facilities/ZDF-OUT/").content.decode()


def test_a_viewer_sees_no_new_request_button_and_no_edit_forms(world) -> None:  # type: ignore[no-untyped-def]
    page = _client(make_user("viewer", areas=[world["IN"]["area"]])).get(
        "/places/facilities/ZDF-IN/"
    )
    body = page.content.decode()
    assert world["IN"]["request"].reference in body
    assert "?facility=" not in body and 'name="form"' not in body


def test_the_edit_forms_write_through_the_services_and_refuse_out_of_scope(world) -> None:  # type: ignore[no-untyped-def]
    from reliefops.core.models import AuditEvent
    from reliefops.places.models import Facility, Place

    client = _client(make_user("coordinator", areas=[world["IN"]["area"]]))
    facility_form = {
        "form": "facility",
        "facility-name_en": "Depot IN (renamed)",
        "facility-name_ru": "Склад",
        "facility-place": "ZDP-IN",
        "facility-kind": "warehouse",
        "facility-latitude": "40.01",
        "facility-longitude": "47.02",
        "facility-capacity_people": "300",
    }
    saved = client.post("/places/facilities/ZDF-IN/edit/", facility_form)
    assert saved.status_code == 302
    facility = Facility.objects.get(code="ZDF-IN")
    assert facility.names == {"en": "Depot IN (renamed)", "ru": "Склад"}
    assert (facility.capacity_people, facility.latitude) == (300, 40.01)
    assert AuditEvent.objects.filter(action="facility.update").count() == 1
    # Moving the facility to a place out of scope is refused, and so is editing one there.
    moved = client.post(
        "/places/facilities/ZDF-IN/edit/", {**facility_form, "facility-place": "ZDP-OUT"}
    )
    assert moved.status_code == 403
    assert Facility.objects.get(code="ZDF-IN").place.code == "ZDP-IN"
    outside = client.post("/places/facilities/ZDF-OUT/edit/", facility_form)
    assert outside.status_code == 403
    assert Facility.objects.get(code="ZDF-OUT").names == {"en": "Depot OUT"}
    # A bad form is re-shown with its errors (a 400), nothing written.
    bad = client.post(
        "/places/facilities/ZDF-IN/edit/", {**facility_form, "facility-latitude": "99"}
    )
    assert bad.status_code == 400 and "facility-latitude" in bad.content.decode()
    # The status form, and its history shown with the status's label.
    status = client.post(
        "/places/facilities/ZDF-IN/edit/",
        {"form": "status", "status-status": "damaged", "status-reason": "Roof"},
    )
    assert status.status_code == 302
    ru = _client(make_user("viewer"))
    ru.cookies["django_language"] = "ru"
    history = ru.get("/places/facilities/ZDF-IN/").content.decode()
    assert "— damaged" not in history and ": Roof" in history

    place_form = {
        "form": "place",
        "place-kind": "town",
        "place-latitude": "40.2",
        "place-longitude": "47.1",
        "place-area": "ZD-IN",
    }
    assert client.post("/places/ZDP-IN/edit/", place_form).status_code == 302
    assert Place.objects.get(code="ZDP-IN").latitude == 40.2
    assert (
        client.post("/places/ZDP-IN/edit/", {**place_form, "place-area": "ZD-OUT"}).status_code
        == 403
    )
    assert Place.objects.get(code="ZDP-IN").admin1.code == "ZD-IN"
    assert client.post("/places/ZDP-OUT/edit/", place_form).status_code == 403
    name = {
        "form": "name",
        "name-name": "Шахар",
        "name-language": "ru",
        "name-name_type": "alternate",
    }
    assert client.post("/places/ZDP-IN/edit/", name).status_code == 302
    assert "Шахар" in client.get("/places/ZDP-IN/").content.decode()
    figure = {
        "form": "population",
        "population-value": "5000",
        "population-as_of": "2023-01-01",
        "population-source": "Count",
    }
    assert client.post("/places/ZDP-IN/edit/", figure).status_code == 302
    page = client.get("/places/ZDP-IN/").content.decode()
    assert "5,000" in page and "Count" in page and "2023-01-01" in page


def test_a_form_missing_for_scope_says_why(world) -> None:  # type: ignore[no-untyped-def]
    from reliefops.places.models import RoadNode, RoadSegment

    nodes = [
        RoadNode.objects.create(
            code=f"ZDN-{i}", kind="place", place=world[tag]["place"], latitude=40, longitude=47 + i
        )
        for i, tag in enumerate(("OUT", "IN"))
    ]
    RoadSegment.objects.create(code="ZDR-1", from_node=nodes[0], to_node=nodes[1], length_km=5)
    officer = _client(make_user("logistics", areas=[world["IN"]["area"]]))
    road = officer.get("/places/roads/ZDR-1/").content.decode()
    assert "road-status-form" not in road
    assert "You can change roads in ZD-IN Area IN; this road is in ZD-OUT Area OUT" in road
    coordinator = _client(make_user("coordinator", areas=[world["IN"]["area"]]))
    facility = coordinator.get("/places/facilities/ZDF-OUT/").content.decode()
    assert (
        "You can change facilities in ZD-IN Area IN; this facility is in ZD-OUT Area OUT."
        in facility
    )
    assert (
        "this facility is in" not in coordinator.get("/places/facilities/ZDF-IN/").content.decode()
    )
    # A user who may not change roads anywhere gets no note (nothing to explain).
    viewer = _client(make_user("viewer", areas=[world["IN"]["area"]]))
    assert "scope-note" not in viewer.get("/places/roads/ZDR-1/").content.decode()


def test_the_place_page_shows_where_its_population_comes_from(world) -> None:  # type: ignore[no-untyped-def]
    from reliefops.places.models import PopulationEstimate

    place = world["IN"]["place"]
    PopulationEstimate.objects.create(place=place, value=2100, source="GeoNames cities500")
    PopulationEstimate.objects.create(
        place=place,
        value=55200,
        as_of=dt.date(2015, 10, 1),
        source="2015 census",
        notes="Predates 2023",
    )
    page = _client(make_user("viewer")).get("/places/ZDP-IN/").content.decode()
    assert "55,200" in page and "(2015 census, 2015-10-01)" in page.replace(
        "Oct. 1, 2015", "2015-10-01"
    )
    assert "Predates 2023" in page and "GeoNames cities500" in page

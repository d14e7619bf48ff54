"""Pages and API of needs, stock and intake: render, scope, error format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.needs import services
from reliefops.needs.models import Request
from reliefops.stock import services as stock
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    org = OrganisationFactory(acronym="KGNGO")
    facility = FacilityFactory(kind="kindergarten")
    area = facility.place.admin1
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    partner = make_user("partner", areas=[area], organisation=org)
    return {
        "org": org,
        "facility": facility,
        "area": area,
        "diesel": diesel,
        "partner": partner,
        "coordinator": make_user("coordinator"),
    }


def submit(scene) -> Request:
    return services.request_submit(
        actor=scene["partner"],
        data=services.RequestInput(
            requester_kind="facility",
            organisation=scene["org"],
            facility=scene["facility"],
            lines=[services.LineInput(quantity=Decimal(900), item=scene["diesel"])],
            needed_from=dt.date(2023, 10, 1),
            needed_by=dt.date(2023, 10, 31),
        ),
    )


def test_pages_render_for_a_coordinator(scene) -> None:
    request = submit(scene)
    client = Client()
    client.force_login(scene["coordinator"])
    for url in [
        "/needs/requests/",
        f"/needs/requests/{request.pk}/",
        "/needs/gap/",
        "/needs/estimators/",
        "/stock/",
        "/stock/items/",
        "/stock/ledger/",
        "/stock/pledges/",
        "/intake/upload/",
        "/needs/requests/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert request.reference in client.get("/needs/requests/").content.decode()


def test_partner_submits_through_the_page_and_sees_duplicate_warning(scene) -> None:
    client = Client()
    client.force_login(scene["partner"])
    form = {
        "requester_kind": "facility",
        "facility": scene["facility"].pk,
        "organisation": scene["org"].pk,
        "priority": "urgent",
        "source": "partner",
        "needed_from": "2023-10-01",
        "needed_by": "2023-10-31",
        "line0_item": scene["diesel"].pk,
        "line0_quantity": "1200",
    }
    response = client.post("/needs/requests/new/", form)
    assert response.status_code == 302
    again = client.post("/needs/requests/new/", form)
    assert again.status_code == 409 and "duplicate-warning" in again.content.decode()
    assert Request.objects.count() == 1
    confirmed = client.post("/needs/requests/new/", {**form, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302 and Request.objects.count() == 2


def test_api_workflow_and_error_format(scene) -> None:
    api = APIClient()
    api.force_authenticate(scene["partner"])
    body = {
        "requester_kind": "facility",
        "facility": scene["facility"].code,
        "organisation": "KGNGO",
        "needed_from": "2023-10-01",
        "needed_by": "2023-10-31",
        "priority": "urgent",
        "lines": [{"item": "DSL", "quantity": "500"}],
    }
    created = api.post("/api/v1/requests/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = api.post(f"/api/v1/requests/{pk}/approve/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    coordinator = APIClient()
    coordinator.force_authenticate(scene["coordinator"])
    wrong_order = coordinator.post(f"/api/v1/requests/{pk}/approve/", {}, format="json")
    assert wrong_order.status_code == 409
    assert wrong_order.json()["error"]["code"] == "invalid_transition"
    assert coordinator.post(f"/api/v1/requests/{pk}/verify/", {}, format="json").status_code == 200
    approved = coordinator.post(f"/api/v1/requests/{pk}/approve/", {}, format="json")
    assert approved.json()["status"] == "approved"
    gap = coordinator.get("/api/v1/needs/gap/").json()
    assert [(r["item"], r["requested"]) for r in gap["rows"]] == [("DSL", 500.0)]


def test_stock_movement_api_refuses_negative_stock() -> None:
    admin = UserFactory(is_superuser=True)
    warehouse, item = WarehouseFactory(), ItemFactory(code="FLR")
    stock.stock_receive(actor=admin, warehouse=warehouse, item=item, quantity=Decimal(5))
    api = APIClient()
    api.force_authenticate(admin)
    response = api.post(
        "/api/v1/stock/movements/",
        {"kind": "dispatch", "warehouse": warehouse.facility.code, "item": "FLR", "quantity": "6"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert response.json()["error"]["details"]["available"] == "5.000"
    ok = api.post(
        "/api/v1/stock/movements/",
        {"kind": "dispatch", "warehouse": warehouse.facility.code, "item": "FLR", "quantity": "5"},
        format="json",
    )
    assert ok.status_code == 201


def test_requests_of_other_areas_are_invisible(scene) -> None:
    request = submit(scene)
    outsider = make_user("partner", areas=[FacilityFactory().place.admin1])
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get("/api/v1/requests/").json()["count"] == 0
    assert api.get(f"/api/v1/requests/{request.pk}/").status_code == 404
    assert api.get("/api/v1/needs/gap/").json()["rows"] == []


def test_import_api_reports_rows(scene, tmp_path) -> None:
    admin = UserFactory(is_superuser=True)
    api = APIClient()
    api.force_authenticate(admin)
    bad = tmp_path / "items.csv"
    bad.write_text("code,category,unit\nDSL,fuel,gallon\n", encoding="utf-8")
    with bad.open("rb") as handle:
        response = api.post("/api/v1/imports/items/", {"file": handle}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["errors"][0]["column"] == "unit"
    export = api.get("/api/v1/exports/items/?format=hxl")
    assert export.status_code == 200 and b"#item+code" in export.content


def test_pledge_api_shows_and_takes_warehouse_codes() -> None:
    admin = UserFactory(is_superuser=True)
    warehouse = WarehouseFactory()
    ItemFactory(code="HYG", unit="kit")
    OrganisationFactory(acronym="ECHO")
    api = APIClient()
    api.force_authenticate(admin)
    created = api.post(
        "/api/v1/pledges/",
        {
            "donor": "ECHO",
            "item": "HYG",
            "quantity": "100",
            "expected_date": "2023-10-10",
            "warehouse": warehouse.facility.code,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    listed = api.get("/api/v1/pledges/").json()["results"]
    assert listed[0]["warehouse"] == warehouse.facility.code
    wrong = api.post(
        "/api/v1/pledges/",
        {
            "donor": "ECHO",
            "item": "HYG",
            "quantity": "1",
            "expected_date": "2023-10-10",
            "warehouse": "NOPE",
        },
        format="json",
    )
    assert wrong.status_code == 400 and "warehouse" in wrong.json()["error"]["details"]

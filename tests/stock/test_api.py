"""Stock API: balances and pledges from the declared field lists, donors named by acronym.

Must hold (issue 9): stock counts and pledges declare their fields once (stock/fields.py)
and the API and the files agree on every field both carry; the stock API and pages name
donors through the stock selectors (no import of another app's models), with the same
answers as before: an unknown acronym is a 400 naming the field, never a 500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.stock import services
from reliefops.stock.fields import PLEDGE, STOCK_COUNT
from reliefops.stock.models import Lot, Pledge
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.places.field_agreement import disagreements, exported_rows
from tests.stock.factories import FacilityFactory, ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


@pytest.fixture
def world(admin):
    donor = OrganisationFactory(acronym="WFP")
    barda = WarehouseFactory(facility=FacilityFactory(code="W-BRD"), organisation=donor)
    goris = WarehouseFactory(facility=FacilityFactory(code="W-GRS"))
    flour, diesel = ItemFactory(code="FLR"), ItemFactory(code="DSL", unit="litre")
    services.stock_receive(
        actor=admin,
        warehouse=barda,
        item=flour,
        quantity=Decimal("120.5"),
        lot_code="F-1",
        expiry_date=dt.date(2024, 3, 1),
        donor=donor,
    )
    services.stock_receive(actor=admin, warehouse=goris, item=diesel, quantity=Decimal(900))
    for i, (item, warehouse) in enumerate([(flour, barda), (diesel, None)]):
        services.pledge_create(
            actor=admin,
            donor=donor,
            item=item,
            quantity=Decimal(10 + i),
            expected_date=dt.date(2023, 10, 1 + i),
            warehouse=warehouse,
            reference=f"P-{i}",
            notes="by the Lachin road" if i else "",
        )
    return {"donor": donor, "warehouse": barda, "item": diesel}


@pytest.fixture
def api(admin):
    client = APIClient()
    client.force_authenticate(admin)
    return client


@pytest.mark.parametrize(
    ("kind", "fields", "url", "key"),
    [
        ("stock", STOCK_COUNT, "/api/v1/stock/balances/", ("warehouse", "item", "lot")),
        ("pledges", PLEDGE, "/api/v1/pledges/", ("donor", "reference")),
    ],
)
def test_api_and_export_agree_on_every_shared_field(
    world, api, admin, tmp_path: Path, kind: str, fields, url: str, key: tuple[str, ...]
) -> None:
    api_rows = api.get(url).json()["results"]
    names = fields.api_names()
    assert [list(row) for row in api_rows] == [
        [*(["id"] if kind == "pledges" else []), *names]
    ] * len(api_rows)
    file_rows = exported_rows(kind, admin, tmp_path)
    assert list(file_rows[0]) == [c.name for c in fields.columns()]
    assert (
        disagreements(fields, api_rows, file_rows, key=lambda row: tuple(row[k] for k in key)) == []
    )


def test_pledge_donor_is_named_by_its_exact_acronym(world, api) -> None:
    body = {"item": "FLR", "quantity": "5", "expected_date": "2023-11-01", "warehouse": "W-BRD"}
    created = api.post("/api/v1/pledges/", {**body, "donor": "WFP"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["donor"] == "WFP" and created.json()["warehouse"] == "W-BRD"
    assert Pledge.objects.get(pk=created.json()["id"]).donor == world["donor"]
    before = Pledge.objects.count()
    for donor in ["NOPE", "wfp", ["WFP"], {"acronym": "WFP"}, "WF\x00P", True]:
        refused = api.post("/api/v1/pledges/", {**body, "donor": donor}, format="json")
        assert refused.status_code == 400, (donor, refused.content)
        assert list(refused.json()["error"]["details"]) == ["donor"]
    refused = api.post("/api/v1/pledges/", {**body, "donor": "NOPE"}, format="json")
    assert refused.json()["error"]["details"]["donor"] == [
        "Object with acronym=NOPE does not exist."
    ]
    unknown_warehouse = api.post(
        "/api/v1/pledges/", {**body, "donor": "WFP", "warehouse": "W-X"}, format="json"
    )
    assert unknown_warehouse.json()["error"]["details"] == {
        "warehouse": ["No warehouse with facility code W-X."]
    }
    assert Pledge.objects.count() == before


def test_receipt_names_its_donor_by_acronym(world, api) -> None:
    body = {"kind": "receipt", "warehouse": "W-BRD", "item": "DSL", "quantity": "7", "lot": "D1"}
    assert api.post("/api/v1/stock/movements/", {**body, "donor": "WFP"}).status_code == 201
    assert Lot.objects.get(item=world["item"], code="D1").donor == world["donor"]
    refused = api.post("/api/v1/stock/movements/", {**body, "lot": "D2", "donor": "NOPE"})
    assert refused.status_code == 400 and list(refused.json()["error"]["details"]) == ["donor"]
    assert not Lot.objects.filter(code="D2").exists()
    assert api.post("/api/v1/stock/movements/", {**body, "lot": "D3"}).status_code == 201
    assert Lot.objects.get(code="D3").donor is None


def test_movement_form_offers_the_active_organisations_as_donors(world, admin) -> None:
    OrganisationFactory(acronym="GONE", is_active=False)
    client = Client()
    client.force_login(admin)
    page = client.get("/stock/").content.decode()
    donors = page[page.index('name="donor"') : page.index("</select>", page.index('name="donor"'))]
    assert f'value="{world["donor"].pk}"' in donors and ">WFP<" in donors
    assert "GONE" not in donors
    posted = client.post(
        "/stock/",
        {
            "kind": "receipt",
            "warehouse": world["warehouse"].pk,
            "item": world["item"].pk,
            "quantity": "3",
            "lot": "PG",
            "donor": world["donor"].pk,
        },
    )
    assert posted.status_code == 302
    assert Lot.objects.get(code="PG").donor == world["donor"]

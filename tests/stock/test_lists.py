"""Stock lists on the list mechanism: balances (expired lots flagged, filtered, exported),
the ledger (paged, sorted; the API keeps its filter names), pledges, the catalogue."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from reliefops.stock import services
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.stock.factories import FacilityFactory, ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    admin = UserFactory(is_superuser=True)
    donor = OrganisationFactory(acronym="WFP")
    barda = WarehouseFactory(
        facility=FacilityFactory(code="W-BRD", names={"en": "Barda store", "ru": "Склад Барда"})
    )
    goris = WarehouseFactory(facility=FacilityFactory(code="W-GRS", names={"en": "Goris store"}))
    bread = ItemFactory(code="BRD", names={"en": "Bread", "ru": "Хлеб"})
    diesel = ItemFactory(code="DSL", unit="litre", names={"en": "Diesel fuel"})
    today = timezone.localdate()
    services.stock_receive(
        actor=admin,
        warehouse=barda,
        item=bread,
        quantity=Decimal(4000),
        lot_code="BRD-0928",
        expiry_date=today - dt.timedelta(days=1),
    )
    services.stock_receive(
        actor=admin,
        warehouse=barda,
        item=bread,
        quantity=Decimal(500),
        lot_code="BRD-1201",
        expiry_date=today + dt.timedelta(days=5),
    )
    for n in range(28):
        services.stock_receive(
            actor=admin, warehouse=goris, item=diesel, quantity=Decimal(1000 + n)
        )
    for i in range(3):
        services.pledge_create(
            actor=admin,
            donor=donor,
            item=diesel,
            quantity=Decimal(10 + i),
            expected_date=today + dt.timedelta(days=i),
            warehouse=goris,
            reference=f"P-{i}",
        )
    client = Client()
    client.force_login(admin)
    api = APIClient()
    api.force_authenticate(admin)
    return {"admin": admin, "client": client, "api": api}


def rows(client: Client, url: str, **params: Any) -> list[Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return list(response.context["lst"].rows)


def test_expired_lots_are_flagged_and_can_be_left_out(world: dict[str, Any]) -> None:
    client = world["client"]
    html = client.get("/stock/", {"item": "BRD"}).content.decode()
    assert html.count("expired-badge") == 1 and "4,000 kg" in html
    assert [b.lot.code for b in rows(client, "/stock/", expired="true")] == ["BRD-0928"]
    usable = rows(client, "/stock/", expired="false", item="BRD")
    assert [b.lot.code for b in usable] == ["BRD-1201"]
    export = client.get("/intake/export/stock/", {"expired": "false", "format": "csv"})
    lots = {r["lot"] for r in csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")))}
    assert "BRD-0928" not in lots and "BRD-1201" in lots


def test_balances_search_names_in_any_language_and_sort(world: dict[str, Any]) -> None:
    client = world["client"]
    found = rows(client, "/stock/", q="Склад Барда")
    assert {b.warehouse.facility.code for b in found} == {"W-BRD"}
    assert {b.item.code for b in rows(client, "/stock/", q="diesel")} == {"DSL"}
    by_quantity = rows(client, "/stock/", o="-quantity")
    quantities = [b.quantity for b in by_quantity]
    assert quantities == sorted(quantities, reverse=True)


def test_the_ledger_is_paged_not_cut_and_sorted(world: dict[str, Any]) -> None:
    client = world["client"]
    first = rows(client, "/stock/ledger/", page_size=25)
    second = rows(client, "/stock/ledger/", page_size=25, page=2)
    assert len(first) == 25 and len(second) == 30 - 25
    assert not {t.pk for t in first} & {t.pk for t in second}
    ascending = rows(client, "/stock/ledger/", o="quantity", item="DSL")
    assert [t.quantity for t in ascending] == sorted(t.quantity for t in ascending)
    assert len(rows(client, "/stock/ledger/", q="BRD-0928")) == 1


def test_the_ledger_api_keeps_its_filters_and_gains_sort(world: dict[str, Any]) -> None:
    api = world["api"]
    legacy = api.get("/api/v1/stock/transactions/", {"item__code": "BRD"}).json()
    assert legacy["count"] == 2
    same = api.get("/api/v1/stock/transactions/", {"item": "BRD", "o": "-quantity"}).json()
    assert [Decimal(r["quantity"]) for r in same["results"]] == [Decimal(4000), Decimal(500)]


def test_pledges_filter_and_export_the_same_rows(world: dict[str, Any]) -> None:
    client = world["client"]
    today = timezone.localdate()
    after = (today + dt.timedelta(days=1)).isoformat()
    listed = rows(client, "/stock/pledges/", expected_after=after)
    assert sorted(p.reference for p in listed) == ["P-1", "P-2"]
    export = client.get("/intake/export/pledges/", {"expected_after": after, "format": "csv"})
    exported = csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")))
    assert sorted(r["reference"] for r in exported) == ["P-1", "P-2"]
    api = world["api"].get("/api/v1/pledges/", {"expected_after": after}).json()
    assert api["count"] == 2


def test_the_catalogue_shows_names_and_searches_them(world: dict[str, Any]) -> None:
    client = world["client"]
    if connection.vendor == "postgresql":  # SQLite folds the case of ASCII letters only
        assert [i.code for i in rows(client, "/stock/items/", q="хлеб")] == ["BRD"]
    assert [i.code for i in rows(client, "/stock/items/", q="Хлеб")] == ["BRD"]
    assert [i.code for i in rows(client, "/stock/items/", q="Bread")] == ["BRD"]
    assert [i.code for i in rows(client, "/stock/items/", o="-code")][:2] == ["DSL", "BRD"]


def test_the_ledger_export_holds_the_filtered_lines(world: dict[str, Any]) -> None:
    client = world["client"]
    html = client.get("/stock/ledger/", {"item": "BRD"}).content.decode()
    assert "/intake/export/ledger/?item=BRD&amp;format=csv" in html
    export = client.get("/intake/export/ledger/", {"item": "BRD", "format": "csv"})
    lines = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert sorted(r["lot"] for r in lines) == ["BRD-0928", "BRD-1201"]
    assert {r["unit"] for r in lines} == {"kg"}

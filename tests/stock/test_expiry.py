"""Expired lots: on hand (physical) but not available — not issued, not in the gap's or
the planning input's stock; totals per item and warehouse say both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from reliefops.core.errors import InvalidInput
from reliefops.stock import services
from reliefops.stock.selectors import (
    planning_lots,
    stock_available,
    stock_balance_list,
    stock_by_area_item,
    stock_on_hand,
    stock_totals,
)
from tests.accounts.factories import UserFactory
from tests.stock.factories import ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
EXPIRED = TODAY - dt.timedelta(days=1)
FRESH = TODAY + dt.timedelta(days=60)


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


@pytest.fixture
def bread(admin):
    """4,000 kg of an expired bread lot (BRD-0928) and 600 kg fresh at one warehouse."""
    warehouse = WarehouseFactory()
    item = ItemFactory(code="BRD")
    for code, quantity, expiry in (("BRD-0928", 4000, EXPIRED), ("BRD-1015", 600, FRESH)):
        services.stock_receive(
            actor=admin,
            warehouse=warehouse,
            item=item,
            quantity=Decimal(quantity),
            lot_code=code,
            expiry_date=expiry,
        )
    return warehouse, item


def test_expired_lots_are_on_hand_but_not_available(admin, bread) -> None:
    warehouse, item = bread
    assert stock_on_hand(actor=admin, warehouse=warehouse, item=item) == 4600
    assert stock_available(actor=admin, warehouse=warehouse, item=item) == 600
    area = warehouse.facility.place.admin1_id
    assert stock_by_area_item() == [(area, "BRD", Decimal(600))]
    flags = {b.lot.code: b.expired for b in stock_balance_list(actor=admin)}
    assert flags == {"BRD-0928": True, "BRD-1015": False}
    # Usable on its expiry day.
    assert stock_by_area_item(EXPIRED) == [(area, "BRD", Decimal(4600))]


def test_totals_per_item_and_per_warehouse(admin, bread) -> None:
    warehouse, item = bread
    other = WarehouseFactory()
    water = ItemFactory(code="WTR", unit="litre")
    services.stock_receive(actor=admin, warehouse=other, item=item, quantity=Decimal(50))
    services.stock_receive(actor=admin, warehouse=other, item=water, quantity=Decimal(900))
    totals = stock_totals(actor=admin)
    by_item = {t.item.code: (t.on_hand, t.expired, t.available) for t in totals.by_item}
    assert by_item == {"BRD": (4650, 4000, 650), "WTR": (900, 0, 900)}
    by_warehouse = {
        (t.warehouse.code, t.item.code): (t.on_hand, t.expired, t.available)
        for t in totals.by_warehouse
    }
    assert by_warehouse == {
        (warehouse.code, "BRD"): (4600, 4000, 600),
        (other.code, "BRD"): (50, 0, 50),
        (other.code, "WTR"): (900, 0, 900),
    }
    one = stock_totals(actor=admin, warehouse_code=other.code)
    assert {t.item.code: t.on_hand for t in one.by_item} == {"BRD": 50, "WTR": 900}


def test_balances_page_shows_the_totals_and_the_expired_quantity(admin, bread) -> None:
    client = Client()
    client.force_login(admin)
    html = client.get("/stock/").content.decode()
    assert 'id="stock-totals"' in html
    assert "4,000" in html or "4000" in html  # the expired quantity of BRD
    assert "600" in html


def test_dispatch_skips_expired_lots_and_names_them_when_short(admin, bread) -> None:
    warehouse, item = bread
    lines = services.stock_dispatch(
        actor=admin, warehouse=warehouse, item=item, quantity=Decimal(500)
    )
    assert [(line.lot.code, line.quantity) for line in lines] == [("BRD-1015", Decimal(-500))]
    with pytest.raises(services.InsufficientStock) as refused:
        services.stock_dispatch(actor=admin, warehouse=warehouse, item=item, quantity=200)
    assert "BRD-0928" in str(refused.value.message)
    assert refused.value.details["expired_lots"] == ["BRD-0928"]
    assert stock_on_hand(actor=admin, warehouse=warehouse, item=item) == 4100


def test_issuing_from_an_expired_lot_is_a_validation_error_naming_it(admin, bread) -> None:
    warehouse, item = bread
    with pytest.raises(InvalidInput) as refused:
        services.stock_dispatch(
            actor=admin, warehouse=warehouse, item=item, quantity=10, lot_code="BRD-0928"
        )
    assert refused.value.code == "lot_expired"
    assert "BRD-0928" in str(refused.value.message)
    assert refused.value.details["lot"] == "BRD-0928"
    other = WarehouseFactory()
    with pytest.raises(services.InsufficientStock):  # a transfer leaves expired lots too
        services.stock_transfer(
            actor=admin, source=warehouse, destination=other, item=item, quantity=700
        )


def test_the_planning_input_holds_only_lots_usable_on_the_day(admin, bread) -> None:
    warehouse, _item = bread
    lots = planning_lots(actor=admin, day=TODAY)
    assert [(lot.depot, lot.item, lot.quantity, lot.expires_on) for lot in lots] == [
        (warehouse.code, "BRD", 600.0, FRESH)
    ]
    assert len(planning_lots(actor=admin, day=EXPIRED)) == 2

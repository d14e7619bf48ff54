"""Gap analysis: the need from requests follows the horizon, expired lots are not stock,
and the map shows one item at a time (``item``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.needs import services
from reliefops.needs.selectors import gap_analysis
from reliefops.needs.selectors.gap import horizon_share
from reliefops.stock import services as stock
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.stock.factories import ItemFactory, PlaceFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def test_horizon_share_spreads_what_is_left_over_the_days_left() -> None:
    assert horizon_share(day(0), day(59), TODAY, 7) == pytest.approx(7 / 60)
    assert horizon_share(day(0), day(59), TODAY, 30) == pytest.approx(30 / 60)
    assert horizon_share(day(0), day(59), TODAY, 90) == 1.0
    assert horizon_share(day(-100), day(-1), TODAY, 7) == 1.0  # overdue: due now
    assert horizon_share(day(-30), day(29), TODAY, 15) == pytest.approx(15 / 30)  # under way
    assert horizon_share(day(10), day(19), TODAY, 10) == 0.0  # starts after the horizon
    assert horizon_share(day(5), day(14), TODAY, 10) == pytest.approx(5 / 10)


@pytest.fixture
def scene():
    admin = UserFactory(is_superuser=True)
    place = PlaceFactory()
    area = place.admin1
    bread = ItemFactory(code="BRD")
    water = ItemFactory(code="WTR", unit="litre")
    warehouse = WarehouseFactory(facility__place=place)
    org = OrganisationFactory()

    def request(item, quantity, start, end):
        return services.request_submit(
            actor=admin,
            data=services.RequestInput(
                requester_kind="place",
                organisation=org,
                place=place,
                lines=[services.LineInput(quantity=Decimal(quantity), item=item)],
                needed_from=start,
                needed_by=end,
            ),
            confirm_duplicate=True,
        )

    return {
        "admin": admin,
        "area": area,
        "bread": bread,
        "water": water,
        "warehouse": warehouse,
        "request": request,
    }


def test_need_from_a_60_day_request_differs_between_7_and_30_days(scene) -> None:
    scene["request"](scene["bread"], 6000, day(0), day(59))
    week = {
        r.item_code: r
        for r in gap_analysis(actor=scene["admin"], days=7, include_estimates=False).rows
    }
    month = {
        r.item_code: r
        for r in gap_analysis(actor=scene["admin"], days=30, include_estimates=False).rows
    }
    assert week["BRD"].requested == pytest.approx(700)
    assert month["BRD"].requested == pytest.approx(3000)
    # A request that starts after the horizon is not in it.
    scene["request"](scene["water"], 500, day(40), day(49))
    assert "WTR" not in {r.item_code for r in gap_analysis(actor=scene["admin"], days=30).rows}
    assert {
        r.item_code: r.requested
        for r in gap_analysis(actor=scene["admin"], days=60, include_estimates=False).rows
    }["WTR"] == pytest.approx(500)


def test_expired_lots_are_left_out_of_the_gap(scene) -> None:
    admin, warehouse, bread = scene["admin"], scene["warehouse"], scene["bread"]
    scene["request"](bread, 5000, day(-10), day(-1))  # overdue: all of it is due
    stock.stock_receive(
        actor=admin,
        warehouse=warehouse,
        item=bread,
        quantity=Decimal(4000),
        lot_code="BRD-0928",
        expiry_date=day(-1),
    )
    stock.stock_receive(
        actor=admin,
        warehouse=warehouse,
        item=bread,
        quantity=Decimal(600),
        lot_code="BRD-1015",
        expiry_date=day(30),
    )
    report = gap_analysis(actor=admin, days=30, include_estimates=False)
    [row] = report.rows
    assert (row.requested, row.available, row.gap) == (5000, 600, 4400)
    [total] = report.totals
    assert total.available == 600


def test_gap_map_colours_one_item_at_a_time(scene) -> None:
    admin = scene["admin"]
    scene["request"](scene["bread"], 1000, day(-5), day(-1))
    scene["request"](scene["water"], 1000, day(-5), day(-1))
    stock.stock_receive(
        actor=admin, warehouse=scene["warehouse"], item=scene["water"], quantity=Decimal(1000)
    )
    api = APIClient()
    api.force_authenticate(admin)
    area = scene["area"]
    area.geometry = {
        "type": "Polygon",
        "coordinates": [[[46, 39], [47, 39], [47, 40], [46, 40], [46, 39]]],
    }
    area.save()

    def coverage(item: str) -> list[float]:
        url = f"/api/v1/needs/gap/?shape=geojson&days=30&item={item}"
        body = api.get(url).json()
        return [f["properties"]["coverage"] for f in body["features"]]

    assert coverage("WTR") == [1.0]
    assert coverage("BRD") == [0.0]
    bad = api.get("/api/v1/needs/gap/?shape=geojson&item=%3Cscript%3E")
    assert bad.status_code == 400 and "item" in bad.json()["error"]["details"]
    client = Client()
    client.force_login(admin)
    page = client.get("/needs/gap/?item=WTR").content.decode()
    assert '<option value="WTR" selected>' in page
    assert 'id="gap-legend"' in page
    # Without a choice, the page shows the item covered least.
    assert '<option value="BRD" selected>' in client.get("/needs/gap/").content.decode()

"""Write paths of the stock domain for the write-scope property test (tests/core/writescope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reliefops.stock import services
from tests.core.writescope import Attempt, api, import_kind, not_a_write, page, service
from tests.core.writescope.world import ORGS

C = "reliefops.stock.services.catalogue"
M = "reliefops.stock.services.movements"
P = "reliefops.stock.services.pledges"
not_a_write(f"{P}.pledge_import_check", "the check of pledge imports (driven by the import)")
not_a_write(f"{P}.pledges_by_key", "read")
not_a_write(f"{P}.warehouse_area", "read")
for name in ("stock:item_list", "stock:transaction_list", "stock:pledge_list"):
    not_a_write(name, "read-only page")
PLEDGE_STATUSES = ["in_transit", "cancelled", "received", "pledged"]  # first: a valid change
MOVEMENTS = ["receipt", "dispatch", "transfer", "loss", "count", "return"]


def warehouse(t: Attempt, key: str | None = None) -> Any:
    return t.world.warehouse[key or t.area][t.org]


@service(f"{C}.item_create")
def _item_create(t: Attempt) -> None:
    services.item_create(
        actor=t.actor, code="NEWITEM", names={"en": "N"}, category="food", unit="kg"
    )


@service(f"{C}.item_update")
def _item_update(t: Attempt) -> None:
    services.item_update(actor=t.actor, item=t.world.item, hxl_tags="#probe")


@service(f"{C}.item_upsert_bulk")
def _item_upsert(t: Attempt) -> None:
    services.item_upsert_bulk(
        actor=t.actor,
        rows=[{"code": "ITM", "names": {"en": "Renamed"}, "category": "food", "unit": "kg"}],
    )


@service(f"{C}.kit_set_components")
def _kit(t: Attempt) -> None:
    services.kit_set_components(
        actor=t.actor, kit=t.world.kit, components={t.world.item: Decimal(1)}
    )


@service(f"{C}.warehouse_create")
def _warehouse_create(t: Attempt) -> None:
    services.warehouse_create(actor=t.actor, facility=t.world.facility[t.area])


@service(f"{M}.stock_receive")
def _receive(t: Attempt) -> None:
    services.stock_receive(
        actor=t.actor, warehouse=warehouse(t), item=t.world.item, quantity=Decimal(1)
    )


@service(f"{M}.stock_return")
def _return(t: Attempt) -> None:
    services.stock_return(
        actor=t.actor, warehouse=warehouse(t), item=t.world.item, quantity=Decimal(1)
    )


@service(f"{M}.stock_dispatch")
def _dispatch(t: Attempt) -> None:
    services.stock_dispatch(
        actor=t.actor, warehouse=warehouse(t), item=t.world.item, quantity=Decimal(1)
    )


@service(f"{M}.stock_transfer")
def _transfer(t: Attempt) -> None:
    destination = t.world.warehouse[t.to][t.draw(ORGS[::-1])]
    services.stock_transfer(
        actor=t.actor,
        source=warehouse(t),
        destination=destination,
        item=t.world.item,
        quantity=Decimal(1),
    )


@service(f"{M}.stock_loss")
def _loss(t: Attempt) -> None:
    services.stock_loss(
        actor=t.actor, warehouse=warehouse(t), lot=t.world.lot, quantity=Decimal(1), reason="x"
    )


@service(f"{M}.stock_count")
def _count(t: Attempt) -> None:
    services.stock_count(actor=t.actor, warehouse=warehouse(t), lot=t.world.lot, counted=Decimal(7))


@service(f"{M}.stock_count_bulk")
def _count_bulk(t: Attempt) -> None:
    services.stock_count_bulk(
        actor=t.actor, counts=[services.StockCount(warehouse(t), t.world.lot, Decimal(8))]
    )


@service(f"{M}.stock_lots_ensure")
def _lots(t: Attempt) -> None:
    services.stock_lots_ensure(actor=t.actor, lots=[(t.world.item, "NEWLOT", None, None)])


@service(f"{P}.pledge_create")
def _pledge_create(t: Attempt) -> None:
    services.pledge_create(
        actor=t.actor,
        donor=t.world.org[t.org],
        item=t.world.item,
        quantity=Decimal(5),
        expected_date=dt.date(2023, 12, 1),
        warehouse=t.draw([None, t.world.warehouse[t.area][t.draw(ORGS)]]),
    )


def pledge(t: Attempt) -> Any:
    return t.world.pledge[(t.draw([t.area, "NONE"]), t.org)]


@service(f"{P}.pledge_set_status")
def _pledge_status(t: Attempt) -> None:
    services.pledge_set_status(actor=t.actor, pledge=pledge(t), status=t.draw(PLEDGE_STATUSES))


@service(f"{P}.pledge_receive")
def _pledge_receive(t: Attempt) -> None:
    destination = t.draw([None, t.world.warehouse[t.to][t.draw(ORGS)]])
    services.pledge_receive(actor=t.actor, pledge=pledge(t), warehouse=destination)


@service(f"{P}.pledge_upsert_bulk")
def _pledge_upsert(t: Attempt) -> None:
    existing = pledge(t)
    services.pledge_upsert_bulk(
        actor=t.actor,
        rows=[
            {
                "donor": existing.donor,
                "reference": existing.reference,
                "item": t.world.item,
                "quantity": Decimal(80000),
                "expected_date": dt.date(2023, 12, 1),
                "warehouse": t.draw([None, t.world.warehouse[t.to][t.org]]),
                "status": t.draw(PLEDGE_STATUSES),
                "notes": "",
            }
        ],
    )


@api("POST /api/v1/items/")
def _api_item_create(t: Attempt) -> None:
    t.api.post(
        "/api/v1/items/",
        {"code": "APIITEM", "names": {"en": "A"}, "category": "food", "unit": "kg"},
        format="json",
    )


@api("PATCH /api/v1/items/{code}/")
def _api_item_update(t: Attempt) -> None:
    t.api.patch("/api/v1/items/ITM/", {"hxl_tags": "#api"}, format="json")


@api("POST /api/v1/pledges/")
def _api_pledge(t: Attempt) -> None:
    t.api.post(
        "/api/v1/pledges/",
        {
            "donor": t.org,
            "item": "ITM",
            "quantity": "5",
            "expected_date": "2023-12-01",
            "warehouse": warehouse(t).facility.code,
        },
        format="json",
    )


def movement(t: Attempt) -> dict[str, Any]:
    return {
        "kind": t.draw(MOVEMENTS),
        "item": "ITM",
        "quantity": "2",
        "lot": "L1",
        "reason": "probe",
    }


@api("POST /api/v1/stock/movements/")
def _api_movement(t: Attempt) -> None:
    body = movement(t)
    body["warehouse"] = warehouse(t).facility.code
    body["destination"] = t.world.warehouse[t.to][t.draw(ORGS[::-1])].facility.code
    t.api.post("/api/v1/stock/movements/", body, format="json")


@page("stock:balance_list")
def _page_movement(t: Attempt) -> None:
    body = movement(t)
    body.update(
        warehouse=warehouse(t).pk,
        item=t.world.item.pk,
        destination=t.world.warehouse[t.to][t.draw(ORGS[::-1])].pk,
    )
    t.page.post("/stock/", body)


@import_kind("items")
def _import_items(t: Attempt) -> str:
    return "code,name_en,category,unit\nITM,Renamed,food,kg\nIMPITEM,New,food,kg\n"


@import_kind("stock")
def _import_stock(t: Attempt) -> str:
    return f"warehouse,item,lot,quantity\n{warehouse(t).facility.code},ITM,L1,3\n"


@import_kind("pledges")
def _import_pledges(t: Attempt) -> str:
    existing = pledge(t)
    target = t.draw(["", t.world.warehouse[t.to][t.org].facility.code])
    status = t.draw(PLEDGE_STATUSES)
    return (
        "donor,reference,item,quantity,expected_date,warehouse,status\n"
        f"{existing.donor.acronym},{existing.reference},ITM,80000,2023-12-01,{target},{status}\n"
    )


# --- added for logistics: reservations

RS = "reliefops.stock.services.reservations"


@service(f"{RS}.stock_reserve")
def _reserve(t: Attempt) -> None:
    services.stock_reserve(
        actor=t.actor, warehouse=warehouse(t), item=t.world.item, quantity=Decimal(1)
    )


def _reserved_pick(t: Attempt) -> tuple[Any, Any, Decimal]:
    return (t.world.item.pk, t.world.lot.pk, Decimal(2))


@service(f"{RS}.stock_reservation_release")
def _release(t: Attempt) -> None:
    # The world's loading convoys hold 2 of lot L1 at their warehouse.
    services.stock_reservation_release(
        actor=t.actor, warehouse=warehouse(t), picks=[_reserved_pick(t)]
    )


@service(f"{RS}.stock_issue_reserved")
def _issue_reserved(t: Attempt) -> None:
    item_id, lot_id, quantity = _reserved_pick(t)
    services.stock_issue_reserved(
        actor=t.actor,
        warehouse=warehouse(t),
        issues=[services.ReservedIssue(item_id, lot_id, quantity)],
    )

"""A convoy from plan to reconcile on PostgreSQL: stock reserved, dispatched through the
ledger, a passage that holds goods, a partial delivery with damage, the reconcile check
balancing, the requests partly delivered and the ledger equal to its snapshot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from reliefops.core.errors import ApplicationError
from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine
from reliefops.logistics.selectors import convoy_reconcile, convoy_route
from reliefops.needs.models import Request
from reliefops.stock.models import StockBalance, StockTransaction
from reliefops.stock.selectors import stock_reconcile
from tests.logistics import scene as world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _balance(scene: world.Scene, lot: str) -> StockBalance:
    return StockBalance.objects.get(warehouse=scene.origin, lot__code=lot)


def _at(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(world.DAY, dt.time(hour)))


def test_plan_load_depart_passage_partial_delivery_reconcile() -> None:
    scene = world.build()
    convoy = world.plan(scene, escort="Police escort", leader="Leader")
    lines = list(ConsignmentLine.objects.filter(carrier__convoy=convoy).select_related("item"))
    # Fuel on the tanker, bread on the truck; one stop per facility.
    assert {(ln.item.code, ln.carrier.vehicle.registration) for ln in lines} == {
        ("DSL", "10-MES-01"),
        ("BRD", "10-MES-02"),
    }
    assert convoy.stops.count() == 2
    route = convoy_route(convoy)
    assert route.road_names == ["Origin–Kendi road"]
    assert [c.facility.code for c in route.crossing_points] == ["F-CP"]
    assert route.crossing_points[0].notice_hours == 24

    # load: reserved first expiry first (600 of D-EARLY, 400 of D-LATE), nothing issued.
    services.convoy_load(actor=scene.officer, convoy=convoy)
    assert _balance(scene, "D-EARLY").reserved == Decimal("600")
    assert _balance(scene, "D-LATE").reserved == Decimal("400")
    assert _balance(scene, "B-1").reserved == Decimal("500")
    assert _balance(scene, "D-LATE").quantity == Decimal("5000")
    assert not StockTransaction.objects.filter(kind="dispatch").exists()
    diesel_lines = ConsignmentLine.objects.filter(carrier__convoy=convoy, item=scene.diesel)
    assert sorted((ln.lot.code, ln.quantity) for ln in diesel_lines) == [
        ("D-EARLY", Decimal("600")),
        ("D-LATE", Decimal("400")),
    ]

    # depart: the ledger dispatches what was reserved; the requests are dispatched.
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    assert _balance(scene, "D-EARLY").quantity == 0
    assert _balance(scene, "D-LATE").quantity == Decimal("4600")
    assert _balance(scene, "D-LATE").reserved == 0
    dispatched = StockTransaction.objects.filter(kind="dispatch")
    assert sum(t.quantity for t in dispatched) == Decimal("-1500")
    assert {t.reference for t in dispatched} == {c.tracking_number for c in convoy.vehicles.all()}
    assert {r.status for r in Request.objects.all()} == {"dispatched"}

    # passage: the crossing point holds 50 kg of bread for the school; it comes back.
    school_bread = ConsignmentLine.objects.get(carrier__convoy=convoy, stop__facility=scene.school)
    services.passage_record(
        actor=scene.officer,
        convoy=convoy,
        data=services.PassageInput(
            crossing_point=scene.crossing,
            outcome="partial",
            time_in=_at(9),
            time_out=_at(10),
            delay_minutes=45,
            inspected=True,
            held={school_bread.pk: Decimal("50")},
        ),
    )
    convoy.refresh_from_db()
    assert convoy.status == "at_crossing"
    school_bread.refresh_from_db()
    assert school_bread.returned == Decimal("50") and school_bread.on_board == Decimal("150")
    assert _balance(scene, "B-1").quantity == Decimal("350")  # 800 - 500 + 50

    # delivery at the kindergarten: 900 l of diesel (40 l short, leaked), bread 280 kg with
    # 20 kg damaged; the receiver signs.
    services.convoy_arrive(actor=scene.officer, convoy=convoy)
    kg_stop = convoy.stops.get(facility=scene.kindergarten)
    receipts = {}
    for line in ConsignmentLine.objects.filter(stop=kg_stop).select_related("lot"):
        if line.item_id == scene.bread.pk:
            receipts[line.pk] = services.Receipt(
                Decimal("280"), damaged=Decimal("20"), damage_reason="damaged_in_transit"
            )
        elif line.lot.code == "D-LATE":
            receipts[line.pk] = services.Receipt(
                Decimal("300"), short=Decimal("40"), short_reason="leaked"
            )
    services.delivery_confirm(
        actor=scene.officer,
        convoy=convoy,
        data=services.DeliveryInput(
            stop=kg_stop,
            receiver_name="Head teacher",
            receiver_role="Director",
            received_at=_at(14),
            receipts=receipts,
        ),
    )
    kg_request = Request.objects.get(reference="RQ-KG-1")
    assert kg_request.status == "partially_delivered"
    delivered = {ln.item.code: ln.quantity_delivered for ln in kg_request.lines.all()}
    assert delivered == {"DSL": Decimal("900"), "BRD": Decimal("280")}

    # The school receives what is left on board; then the convoy completes: the 60 l that
    # stayed on the tanker come back to the origin.
    school_stop = convoy.stops.get(facility=scene.school)
    services.delivery_confirm(
        actor=scene.officer,
        convoy=convoy,
        data=services.DeliveryInput(
            stop=school_stop, receiver_name="Caretaker", received_at=_at(15), receipts={}
        ),
    )
    services.convoy_complete(actor=scene.officer, convoy=convoy)
    convoy.refresh_from_db()
    assert convoy.status == "completed"
    assert Request.objects.get(reference="RQ-SC-1").status == "partially_delivered"

    rows = {row.item.code: row for row in convoy_reconcile(convoy)}
    assert all(row.balanced for row in rows.values()), rows
    assert rows["DSL"].dispatched == Decimal("1000")
    assert rows["DSL"].short == Decimal("40")
    assert rows["DSL"].returned == Decimal("60")
    assert rows["BRD"].damaged == Decimal("20") and rows["BRD"].returned == Decimal("50")
    assert rows["BRD"].delivered == Decimal("280") + Decimal("150")
    assert stock_reconcile() == []  # the snapshot equals the sum of the ledger
    assert _balance(scene, "D-LATE").quantity == Decimal("4660")


def test_loading_refuses_more_than_is_free_and_abort_releases() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    # Another issue may not take reserved stock: 800 bread on hand, 500 reserved.
    from reliefops.stock.services import InsufficientStock, stock_dispatch

    with pytest.raises(InsufficientStock):
        stock_dispatch(
            actor=scene.officer,
            warehouse=scene.origin,
            item=scene.bread,
            quantity=Decimal("301"),
        )
    services.convoy_abort(actor=scene.officer, convoy=convoy, reason="Road closed")
    assert _balance(scene, "B-1").reserved == 0
    assert {r.status for r in Request.objects.all()} == {"approved"}


def test_turned_back_vehicle_returns_its_load_and_the_request_waits_again() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    truck = convoy.vehicles.get(vehicle=scene.truck)
    services.passage_record(
        actor=scene.officer,
        convoy=convoy,
        data=services.PassageInput(
            crossing_point=scene.crossing, outcome="turned_back", time_in=_at(9), carrier=truck
        ),
    )
    truck.refresh_from_db()
    assert truck.carriage == "turned_back"
    assert all(ln.on_board == 0 for ln in truck.lines.all())
    # The school's request had only bread: all of it came back, so it waits again.
    assert Request.objects.get(reference="RQ-SC-1").status == "approved"
    assert Request.objects.get(reference="RQ-KG-1").status == "dispatched"
    assert _balance(scene, "B-1").quantity == Decimal("800")
    rows = convoy_reconcile(convoy)
    assert all(row.balanced for row in rows), rows


def test_steps_out_of_order_and_bad_input_are_refused_with_reasons() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    with pytest.raises(ApplicationError) as refused:
        services.convoy_depart(actor=scene.officer, convoy=convoy)
    assert refused.value.code == "invalid_transition"
    with pytest.raises(ApplicationError) as refused:
        services.convoy_abort(actor=scene.officer, convoy=convoy, reason=" ")
    assert refused.value.code == "reason_required"
    # A partner may not load another organisation's convoy.
    with pytest.raises(ApplicationError) as refused:
        services.convoy_load(actor=scene.partner, convoy=convoy)
    assert refused.value.status_code in (403, 404)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    stop = convoy.stops.first()
    line = ConsignmentLine.objects.filter(stop=stop).first()
    with pytest.raises(ApplicationError) as refused:
        services.delivery_confirm(
            actor=scene.officer,
            convoy=convoy,
            data=services.DeliveryInput(
                stop=stop,
                receiver_name="",
                received_at=_at(12),
                receipts={line.pk: services.Receipt(Decimal("1"), short=Decimal("5"))},
            ),
        )
    fields = refused.value.details["fields"]
    assert "receiver_name" in fields and f"lines.{line.pk}.short_reason" in fields
    assert ConsignmentLine.objects.get(pk=line.pk).delivered == 0  # nothing half-applied


def test_a_tanker_may_not_carry_bread_and_overload_is_named() -> None:
    scene = world.build()
    with pytest.raises(ApplicationError) as refused:
        services.convoy_create(
            actor=scene.officer,
            data=services.ConvoyInput(
                departure_date=world.DAY,
                origin=scene.origin,
                organisation=scene.mes,
                stops=[services.StopInput(scene.kindergarten.place, scene.kindergarten)],
                carriers=[services.CarrierInput(scene.tanker)],
                cargo=[
                    services.CargoInput(0, 0, scene.bread, Decimal("10")),
                    services.CargoInput(0, 0, scene.diesel, Decimal("20000")),
                ],
                segments=scene.segments,
            ),
        )
    fields = refused.value.details["fields"]
    assert "cargo.0.vehicle" in fields  # no bread in a fuel tanker
    assert any("overloaded" in str(m) for m in fields["vehicles.0"])

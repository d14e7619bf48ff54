"""A cargo line that names its lot (a committed plan's) is reserved from that lot only;
a coordinator may load a convoy (committing a plan loads its convoys)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reliefops.core.errors import InvalidInput
from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine
from reliefops.stock.models import Lot, StockBalance
from tests.accounts.factories import make_user
from tests.logistics import scene as world

pytestmark = pytest.mark.django_db


def _convoy(scene: world.Scene, actor: object, lot: object) -> object:
    return services.convoy_create(
        actor=actor,
        data=services.ConvoyInput(
            departure_date=world.DAY,
            origin=scene.origin,
            organisation=scene.mes,
            stops=[services.StopInput(scene.kindergarten.place, scene.kindergarten)],
            carriers=[services.CarrierInput(scene.tanker)],
            cargo=[services.CargoInput(0, 0, scene.diesel, Decimal("400"), lot=lot)],
            segments=scene.segments,
        ),
    )


def test_a_line_naming_its_lot_is_reserved_from_that_lot_not_first_expiry() -> None:
    scene = world.build()
    late = Lot.objects.get(item=scene.diesel, code="D-LATE")
    convoy = _convoy(scene, scene.officer, late)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    reserved = {
        b.lot.code: b.reserved
        for b in StockBalance.objects.filter(warehouse=scene.origin, item=scene.diesel)
    }
    assert reserved == {"D-EARLY": Decimal("0"), "D-LATE": Decimal("400")}
    (line,) = ConsignmentLine.objects.filter(carrier__convoy=convoy)
    assert (line.lot, line.quantity) == (late, Decimal("400"))


def test_a_line_without_a_lot_is_still_first_expiry_and_a_coordinator_may_load() -> None:
    scene = world.build()
    coordinator = make_user("coordinator", areas=[], organisation=scene.ngo)
    convoy = _convoy(scene, coordinator, None)
    services.convoy_load(actor=coordinator, convoy=convoy)
    early = StockBalance.objects.get(warehouse=scene.origin, lot__code="D-EARLY")
    assert early.reserved == Decimal("400")
    services.convoy_abort(actor=coordinator, convoy=convoy, reason="re-planned")
    early.refresh_from_db()
    assert early.reserved == Decimal("0")


def test_a_lot_of_another_item_is_refused_by_name() -> None:
    scene = world.build()
    bread_lot = Lot.objects.get(item=scene.bread, code="B-1")
    with pytest.raises(InvalidInput) as caught:
        _convoy(scene, scene.officer, bread_lot)
    assert "cargo.0.lot" in caught.value.details["fields"]

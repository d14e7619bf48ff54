"""Two convoys loading the same lot at the same moment, on two database connections,
cannot together reserve more than the lot holds (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from reliefops.core.errors import ApplicationError
from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine
from reliefops.stock.models import StockBalance
from tests.logistics import scene as world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _convoy(scene: world.Scene, vehicle: Any, quantity: str) -> Any:
    """A convoy of ``quantity`` kg of bread from the one bread lot (800 kg on hand)."""
    return services.convoy_create(
        actor=scene.officer,
        data=services.ConvoyInput(
            departure_date=world.DAY,
            origin=scene.origin,
            organisation=scene.mes,
            stops=[services.StopInput(scene.kindergarten.place, scene.kindergarten)],
            carriers=[services.CarrierInput(vehicle)],
            cargo=[services.CargoInput(0, 0, scene.bread, Decimal(quantity))],
            segments=scene.segments,
        ),
    )


def test_two_convoys_loading_one_lot_take_no_more_than_it_holds() -> None:
    scene = world.build()
    van = type(scene.truck).objects.create(
        registration="10-MES-03",
        kind="truck",
        organisation=scene.mes,
        capacity_kg=Decimal("5000"),
    )
    first, second = _convoy(scene, scene.truck, "500"), _convoy(scene, van, "500")
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}
    backends: set[int] = set()

    def load(convoy: Any) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(cursor.fetchone()[0])
            barrier.wait(timeout=30)
            services.convoy_load(actor=scene.officer, convoy=convoy)
            outcomes[convoy.code] = "loaded"
        except ApplicationError as exc:
            outcomes[convoy.code] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=load, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(backends) == 2  # really two connections
    assert sorted(outcomes.values()) == ["insufficient_stock", "loaded"], outcomes
    balance = StockBalance.objects.get(warehouse=scene.origin, lot__code="B-1")
    assert balance.reserved == Decimal("500") <= balance.quantity
    reserved_lines = ConsignmentLine.objects.filter(lot__isnull=False)
    assert sum(line.quantity for line in reserved_lines) == Decimal("500")

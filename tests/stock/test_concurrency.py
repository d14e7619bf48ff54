"""Two users dispatching the last units at once: exactly one succeeds (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from reliefops.stock import services
from reliefops.stock.models import StockBalance, StockTransaction
from reliefops.stock.selectors import stock_reconcile
from reliefops.stock.services import movements
from tests.accounts.factories import UserFactory
from tests.stock.factories import ItemFactory, WarehouseFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatch_of_the_last_units(monkeypatch) -> None:
    admin = UserFactory(is_superuser=True)
    other = UserFactory(is_superuser=True)
    warehouse = WarehouseFactory()
    item = ItemFactory(code="LAST")
    services.stock_receive(actor=admin, warehouse=warehouse, item=item, quantity=Decimal(10))

    # Hold each transaction open a moment after it read the balances, so that without row
    # locks both would see 10 units and both would dispatch.
    original = movements._ledger_post

    def slow_post(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(movements, "_ledger_post", slow_post)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    connection_ids: list[int] = []

    def dispatch(user) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                connection_ids.append(cursor.fetchone()[0])
            barrier.wait()
            services.stock_dispatch(
                actor=user,
                warehouse=warehouse,
                item=item,
                quantity=Decimal(10),
                reference=user.username,
            )
            outcomes.append("ok")
        except services.InsufficientStock as exc:
            outcomes.append(f"refused: {exc.message}")
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch, args=(u,)) for u in (admin, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(set(connection_ids)) == 2  # two real, separate database connections
    assert sorted(outcomes)[0] == "ok"
    assert outcomes.count("ok") == 1, outcomes
    assert "Not enough LAST" in next(o for o in outcomes if o.startswith("refused"))
    assert StockBalance.objects.get(warehouse=warehouse, item=item).quantity == 0
    assert StockTransaction.objects.filter(kind="dispatch").count() == 1
    assert stock_reconcile() == []

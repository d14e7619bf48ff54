"""Property-based tests of the ledger (hypothesis): any sequence of valid transactions
keeps balance = sum of ledger, never negative, transfers conserve totals, snapshot = ledger;
invalid ones are refused without changing anything."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliefops.core.errors import InvalidInput
from reliefops.stock import services
from reliefops.stock.models import StockBalance, StockTransaction
from reliefops.stock.selectors import stock_reconcile
from tests.accounts.factories import UserFactory
from tests.stock.factories import ItemFactory, LotFactory, WarehouseFactory

pytestmark = pytest.mark.django_db

quantity = st.integers(min_value=1, max_value=60).map(Decimal)
warehouse_index = st.integers(min_value=0, max_value=1)
lot_index = st.integers(min_value=0, max_value=2)

operation = st.one_of(
    st.tuples(st.just("receive"), warehouse_index, lot_index, quantity),
    st.tuples(st.just("dispatch"), warehouse_index, quantity),
    st.tuples(st.just("transfer"), warehouse_index, quantity),
    st.tuples(st.just("loss"), warehouse_index, lot_index, quantity),
    st.tuples(
        st.just("count"),
        warehouse_index,
        lot_index,
        st.integers(min_value=0, max_value=80).map(Decimal),
    ),
)


def ledger_state() -> tuple[int, dict[tuple, Decimal]]:
    balances = {(b.warehouse_id, b.lot_id): b.quantity for b in StockBalance.objects.all()}
    return StockTransaction.objects.count(), balances


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=25))
def test_any_sequence_keeps_the_ledger_invariants(operations) -> None:
    with transaction.atomic():
        admin = UserFactory(username="ledger-admin", is_superuser=True)
        warehouses = [WarehouseFactory(), WarehouseFactory()]
        item = ItemFactory(code="PROP")
        lots = [LotFactory(item=item, code=f"P{i}") for i in range(3)]
        model: dict[tuple[int, int], Decimal] = defaultdict(Decimal)

        for op in operations:
            kind, w = op[0], op[1]
            warehouse = warehouses[w]
            on_hand = sum((model[(w, i)] for i in range(3)), Decimal(0))
            before = ledger_state()
            total_before = sum(model.values(), Decimal(0))
            if kind == "receive":
                _, _, lot_i, qty = op
                services.stock_receive(
                    actor=admin,
                    warehouse=warehouse,
                    item=item,
                    quantity=qty,
                    lot_code=lots[lot_i].code,
                )
                model[(w, lot_i)] += qty
            elif kind in {"dispatch", "transfer"}:
                qty = op[2]

                def call(kind=kind, warehouse=warehouse, w=w, qty=qty) -> None:
                    if kind == "dispatch":
                        services.stock_dispatch(
                            actor=admin, warehouse=warehouse, item=item, quantity=qty
                        )
                    else:
                        services.stock_transfer(
                            actor=admin,
                            source=warehouse,
                            destination=warehouses[1 - w],
                            item=item,
                            quantity=qty,
                        )

                if qty > on_hand:
                    with pytest.raises(services.InsufficientStock):
                        call()
                    assert ledger_state() == before
                    continue
                call()
                left = qty
                for i in range(3):  # no expiry on these lots: FEFO falls back to lot code
                    take = min(model[(w, i)], left)
                    model[(w, i)] -= take
                    if kind == "transfer":
                        model[(1 - w, i)] += take
                    left -= take
                if kind == "transfer":
                    assert sum(model.values(), Decimal(0)) == total_before
            elif kind == "loss":
                _, _, lot_i, qty = op
                if qty > model[(w, lot_i)]:
                    with pytest.raises(services.InsufficientStock):
                        services.stock_loss(
                            actor=admin,
                            warehouse=warehouse,
                            lot=lots[lot_i],
                            quantity=qty,
                            reason="damaged",
                        )
                    assert ledger_state() == before
                    continue
                services.stock_loss(
                    actor=admin,
                    warehouse=warehouse,
                    lot=lots[lot_i],
                    quantity=qty,
                    reason="damaged",
                )
                model[(w, lot_i)] -= qty
            else:
                _, _, lot_i, counted = op
                services.stock_count(
                    actor=admin, warehouse=warehouse, lot=lots[lot_i], counted=counted
                )
                model[(w, lot_i)] = counted

            # Invariants after every step.
            for (wi, li), expected in model.items():
                balance = StockBalance.objects.filter(
                    warehouse=warehouses[wi], lot=lots[li]
                ).first()
                assert (balance.quantity if balance else Decimal(0)) == expected
                ledger_sum = StockTransaction.objects.filter(
                    warehouse=warehouses[wi], lot=lots[li]
                ).aggregate(s=Sum("quantity"))["s"]
                assert (ledger_sum or Decimal(0)) == expected
            assert not StockBalance.objects.filter(quantity__lt=0).exists()
            assert stock_reconcile() == []
        transaction.set_rollback(True)


def test_invalid_quantities_are_refused_without_change() -> None:
    admin = UserFactory(is_superuser=True)
    warehouse = WarehouseFactory()
    item = ItemFactory()
    for bad in (Decimal(0), Decimal(-3), Decimal("NaN")):
        with pytest.raises(InvalidInput):
            services.stock_receive(actor=admin, warehouse=warehouse, item=item, quantity=bad)
    assert StockTransaction.objects.count() == 0
    assert StockBalance.objects.filter(quantity__gt=0).count() == 0

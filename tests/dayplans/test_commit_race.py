"""Exactly once on PostgreSQL: two coordinators commit the same draft at the same moment
on two database connections; one commits, the other is refused (409, invalid transition)
and nothing is created twice. A draft whose input changed after the run is refused stale,
even when two commit it at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from reliefops.core.errors import ApplicationError
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.services.commit import plan_commit
from reliefops.logistics.models import ConsignmentLine, Convoy
from reliefops.stock.models import Lot, StockBalance
from reliefops.stock.selectors import reserved_by_lot
from reliefops.stock.services import stock_count
from reliefops.teams.models import Round
from tests.dayplans.drafts import day_build, draft_save, planned_per_lot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("connection_burst"),
]


def _at_once(calls: list[Callable[[], Any]]) -> tuple[list[str], set[int]]:
    """Run ``calls`` on their own threads (own connections) released together; the outcome
    of each ("ok" or the error code) and the backends used."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    backends: set[int] = set()
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            with lock:
                backends.add(pid)
            barrier.wait(timeout=30)
            call()
            outcome = "ok"
        except ApplicationError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes), backends


def test_two_coordinators_committing_one_draft_at_once_commit_it_once() -> None:
    day = day_build()
    run = draft_save(day)
    outcomes, backends = _at_once(
        [
            lambda: plan_commit(actor=day.coordinator, run=run),
            lambda: plan_commit(actor=day.other_coordinator, run=run),
        ]
    )
    assert len(backends) == 2  # really two connections
    assert outcomes == ["invalid_transition", "ok"]
    run.refresh_from_db()
    assert run.status == PlanStatus.COMMITTED
    assert sorted(Convoy.objects.values_list("code", flat=True)) == sorted(
        run.commitment["convoys"]
    )
    assert sorted(Round.objects.values_list("reference", flat=True)) == sorted(
        run.commitment["rounds"]
    )
    lines = sum(
        len(s.get("deliveries", []))
        for r in run.plan["routes"]
        for t in r["trips"]
        for s in t["stops"]
    )
    assert ConsignmentLine.objects.count() == lines
    # MUST HOLD 3: reserved per (warehouse, lot) is exactly the plan's deliveries per lot.
    assert reserved_by_lot(warehouses=[day.scene.origin]) == planned_per_lot(run)


def test_a_stale_draft_committed_by_two_at_once_creates_nothing() -> None:
    day = day_build()
    run = draft_save(day)
    stock_count(
        actor=day.coordinator,
        warehouse=day.scene.origin,
        lot=Lot.objects.get(code="D-LATE"),
        counted=Decimal("4000"),
    )
    outcomes, _backends = _at_once(
        [
            lambda: plan_commit(actor=day.coordinator, run=run),
            lambda: plan_commit(actor=day.other_coordinator, run=run),
        ]
    )
    assert outcomes == ["plan_stale", "plan_stale"]
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT
    assert not Convoy.objects.exists() and not Round.objects.exists()
    assert not StockBalance.objects.filter(reserved__gt=0).exists()

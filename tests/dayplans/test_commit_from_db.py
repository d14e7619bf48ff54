"""End to end: a run planned from the database (dayplans.problem, plan_run_start inline)
commits into loaded convoys whose reservations are exactly the plan's deliveries per lot."""

from __future__ import annotations

from typing import Any

import pytest

from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services.commit import plan_commit
from reliefops.dayplans.services.runs import plan_run_start
from reliefops.logistics.models import Convoy
from reliefops.stock.selectors import reserved_by_lot
from tests.dayplans.drafts import DAY, day_build, planned_per_lot

pytestmark = pytest.mark.django_db


def test_a_run_from_the_database_commits_with_exactly_its_lots_reserved(
    django_capture_on_commit_callbacks: Any,
) -> None:
    day = day_build()
    for vehicle in (day.scene.tanker, day.scene.truck):
        vehicle.base = day.scene.origin.facility
        vehicle.save(update_fields=["base"])
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_start(actor=day.coordinator, day=DAY, seconds=5, iterations=100)
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT, run.error
    assert any(t["stops"] for r in run.plan["routes"] for t in r["trips"]), run.index["notes"]
    committed = plan_commit(actor=day.coordinator, run=run)
    assert committed.status == PlanStatus.COMMITTED
    assert Convoy.objects.count() == len(committed.commitment["convoys"]) > 0
    assert reserved_by_lot(warehouses=[day.scene.origin]) == planned_per_lot(committed)


def test_a_replan_from_the_database_replaces_what_is_still_to_come(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from reliefops.dayplans.services.commit import plan_replan

    day = day_build()
    for vehicle in (day.scene.tanker, day.scene.truck):
        vehicle.base = day.scene.origin.facility
        vehicle.save(update_fields=["base"])
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_start(actor=day.coordinator, day=DAY, seconds=5, iterations=100)
    base = plan_commit(actor=day.coordinator, run=PlanRun.objects.get(pk=run.pk))
    with django_capture_on_commit_callbacks(execute=True):
        replan = plan_replan(actor=day.coordinator, run=base, seconds=5)
    replan.refresh_from_db()
    assert replan.status == PlanStatus.DRAFT, replan.error
    assert replan.based_on == base
    committed = plan_commit(actor=day.coordinator, run=replan)
    base.refresh_from_db()
    assert base.status == PlanStatus.SUPERSEDED
    for code in base.commitment["convoys"]:
        convoy = Convoy.objects.get(code=code)
        assert (convoy.status, convoy.status_reason) == ("aborted", "re-planned")
    assert reserved_by_lot(warehouses=[day.scene.origin]) == planned_per_lot(committed)

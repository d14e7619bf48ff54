"""MUST HOLD 2 of issue 14: a plan run through two real Celery workers on Redis gives the
same plan as the inline run for the same seed and iteration limit (CI: Redis + PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reliefops.dayplans.choices import PartStatus, PlanStatus
from reliefops.dayplans.models import PlanPart, PlanRun
from reliefops.dayplans.services.runs import plan_run_start
from tests.celery_workers import celery_workers, wait_for

DAY = date(2026, 3, 3)
FAKE = "tests.dayplans.fake_problem"


def _comparable(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan without what depends on the clock (the stats' seconds)."""
    summary = {k: v for k, v in plan["summary"].items() if not k.startswith("seconds")}
    return {**plan, "summary": summary}


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_give_the_inline_plan(coordinator: Any, settings: Any) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = FAKE
    parameters = {"seconds": 60, "seed": 5, "iterations": 2000, "workers": 2}
    inline = plan_run_start(actor=coordinator, day=DAY, **parameters)  # eager: runs on commit
    inline.refresh_from_db()
    assert inline.status == PlanStatus.DRAFT, inline.error

    queue = settings.CELERY_TASK_ROUTES["reliefops.dayplans.*"]["queue"]
    with celery_workers(queue, count=2, env={"RELIEFOPS_PLAN_PROBLEM": FAKE}) as workers:
        run = plan_run_start(actor=coordinator, day=DAY, **parameters)
        wait_for(lambda: PlanRun.objects.get(pk=run.pk).finished, workers, seconds=240)
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT, run.error
    assert run.violations == [] and run.progress == 1.0
    parts = list(PlanPart.objects.filter(run=run))
    assert len(parts) == run.parts_total == run.parts_done > 1
    assert {p.status for p in parts} == {PartStatus.DONE}
    hosts = {p.worker for p in parts}
    assert len(hosts) == 2, f"one worker solved every sub-problem: {hosts}"
    assert all(h.startswith(("w0-", "w1-")) for h in hosts)
    assert _comparable(run.plan) == _comparable(inline.plan)
    print(f"[reliefops] plan {run.reference}: {len(parts)} sub-problems on {sorted(hosts)}")

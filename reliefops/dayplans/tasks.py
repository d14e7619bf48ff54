"""Background jobs of the day-plans domain (thin: ``dayplans.services.runs`` does the work).

All of them go to the ``plans`` queue (``CELERY_TASK_ROUTES``); start workers with
``-Q plans,celery`` (docs/operations.md). ``acks_late`` is on: a task whose worker died is
delivered again, and each of these is safe to run twice.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services.runs import plan_part_solve, plan_run_execute, plan_run_merge


@shared_task(name="reliefops.dayplans.plan_run")
def plan_run_task(run_id: str) -> dict[str, Any]:
    """Build and prepare a queued run, then send its sub-problems out as a chord."""
    run = PlanRun.objects.select_related("created_by", "area", "based_on").filter(pk=run_id).first()
    if run is None:
        return {"run": run_id, "status": "missing"}
    run = plan_run_execute(run)
    return {"run": run_id, "status": run.status}


@shared_task(name="reliefops.dayplans.plan_part", bind=True)
def plan_part_task(self: Any, part_id: int) -> dict[str, Any]:
    """Solve one sub-problem of a run on this worker."""
    hostname = getattr(self.request, "hostname", None) or ""
    return {"part": part_id, "status": plan_part_solve(part_id, worker=hostname)}


@shared_task(name="reliefops.dayplans.plan_merge")
def plan_merge_task(run_id: str) -> dict[str, Any]:
    """Merge, check and save the draft once every sub-problem is solved."""
    run = plan_run_merge(run_id)
    return {"run": run_id, "status": run.status if run is not None else "missing"}

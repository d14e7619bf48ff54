"""Write paths of the day-plans domain for the write-scope property test (the world's plan
runs are in tests/dayplans/writescope_world.py).

A run is written in its area (``plan.run``; ``plan.commit`` to commit): start, cancel,
edit and discard through the services, the API and the pages. The job's own steps
(execute, the sub-problems, merge, fail) act as the user who started the run, whose
scope ``plan_run_start`` checked. Starting and cancelling through the service are probed in
write_paths_runs.py, committing and re-planning in write_paths_commit.py.
"""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services import edits
from tests.core.writescope import Attempt, api, not_a_write, page, service
from tests.dayplans.plans import DAY
from tests.dayplans.writescope_world import FAKE

R = "reliefops.dayplans.services.runs"
E = "reliefops.dayplans.services.edits"
C = "reliefops.dayplans.services.commit"
not_a_write(f"{C}.plan_quantity", "pure: a plan quantity as a Decimal")
for _name in ("dayplans:plan_list", "dayplans:plan_detail", "dayplans:plan_progress"):
    not_a_write(_name, "a read-only page")


def _queued(t: Attempt) -> PlanRun:
    return PlanRun.objects.get(pk=t.world.plan_queued[t.area].pk)


def _draft(t: Attempt) -> PlanRun:
    return PlanRun.objects.get(pk=t.world.plan_draft[t.area].pk)


def _pin(t: Attempt) -> dict[str, Any]:
    return {"kind": "pin", "vehicle": t.world.plan_vehicle, "trip": 1, "position": 1}


@service(f"{E}.plan_edit")
def _edit(t: Attempt) -> None:
    with override_settings(RELIEFOPS_PLAN_PROBLEM=FAKE):
        edits.plan_edit(actor=t.actor, run=_draft(t), edit=_pin(t))


@service(f"{E}.plan_discard")
def _discard(t: Attempt) -> None:
    edits.plan_discard(actor=t.actor, run=_draft(t))


def _area_code(t: Attempt) -> str | None:
    area = t.world.area(t.area)
    return area.code if area is not None else None


@api("POST /api/v1/plans/")
def _api_start(t: Attempt) -> None:
    body = {"date": DAY.isoformat(), "seconds": 1}
    if _area_code(t):
        body["area"] = _area_code(t)
    t.api.post("/api/v1/plans/", body, format="json")


@api("POST /api/v1/plans/{reference}/cancel/")
def _api_cancel(t: Attempt) -> None:
    t.api.post(f"/api/v1/plans/{_queued(t).reference}/cancel/")


@api("POST /api/v1/plans/{reference}/edit/")
def _api_edit(t: Attempt) -> None:
    with override_settings(RELIEFOPS_PLAN_PROBLEM=FAKE):
        t.api.post(f"/api/v1/plans/{_draft(t).reference}/edit/", _pin(t), format="json")


@api("POST /api/v1/plans/{reference}/discard/")
def _api_discard(t: Attempt) -> None:
    t.api.post(f"/api/v1/plans/{_draft(t).reference}/discard/")


@page("dayplans:plan_start")
def _page_start(t: Attempt) -> None:
    form = {"day": DAY.isoformat(), "seconds": "1", "seed": "1"}
    if _area_code(t):
        form["area"] = _area_code(t)
    t.page.post("/dayplans/new/", form)


@page("dayplans:plan_step")
def _page_step(t: Attempt) -> None:
    run, step = (_queued(t), "cancel") if t.draw([True, False]) else (_draft(t), "discard")
    t.page.post(f"/dayplans/{run.reference}/steps/{step}/")


@page("dayplans:plan_edit")
def _page_edit(t: Attempt) -> None:
    with override_settings(RELIEFOPS_PLAN_PROBLEM=FAKE):
        t.page.post(f"/dayplans/{_draft(t).reference}/edit/", _pin(t))


@api("POST /api/v1/plans/{reference}/commit/")
def _api_commit(t: Attempt) -> None:
    run = PlanRun.objects.get(pk=t.world.plan_commit_draft[t.area].pk)
    t.api.post(f"/api/v1/plans/{run.reference}/commit/")


@api("POST /api/v1/plans/{reference}/replan/")
def _api_replan(t: Attempt) -> None:
    run = PlanRun.objects.get(pk=t.world.plan_committed[t.area].pk)
    t.api.post(f"/api/v1/plans/{run.reference}/replan/")

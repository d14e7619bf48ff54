"""A re-plan keeps the stops its base plan had pinned (on their vehicle, pinned again)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services.edits import plan_edit
from reliefops.dayplans.services.runs import plan_run_start

DAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fake_problem(settings: Any) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = "tests.dayplans.fake_problem"


def _run(actor: Any, capture: Any, **kwargs: Any) -> PlanRun:
    with capture(execute=True):
        run = plan_run_start(actor=actor, day=DAY, seconds=5, seed=3, iterations=150, **kwargs)
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT, run.error
    return run


def _stop(run: PlanRun, vehicle: str, trip: int, position: int) -> dict[str, Any]:
    assert run.plan is not None
    route = next(r for r in run.plan["routes"] if r["vehicle"] == vehicle)
    stop: dict[str, Any] = route["trips"][trip - 1]["stops"][position - 1]
    return stop


@pytest.mark.django_db
def test_a_replan_puts_a_pinned_stop_back_on_its_vehicle(
    coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    base = _run(coordinator, django_capture_on_commit_callbacks)
    assert base.plan is not None
    source = base.plan["routes"][0]
    target = base.plan["routes"][1]["vehicle"]  # another vehicle with a route
    site = source["trips"][0]["stops"][0]["site"]
    # The solver (same seed, same day) puts another stop first on the target vehicle.
    assert _stop(base, target, 1, 1)["site"] != site
    move = {
        "kind": "move",
        "vehicle": source["vehicle"],
        "trip": 1,
        "position": 1,
        "to_vehicle": target,
        "to_trip": 1,
        "to_position": 1,
    }
    base = plan_edit(actor=coordinator, run=base, edit=move)
    base = plan_edit(
        actor=coordinator,
        run=base,
        edit={"kind": "pin", "vehicle": target, "trip": 1, "position": 1},
    )
    assert _stop(base, target, 1, 1)["site"] == site and _stop(base, target, 1, 1)["pinned"]
    PlanRun.objects.filter(pk=base.pk).update(status=PlanStatus.COMMITTED)
    base.refresh_from_db()

    replan = _run(coordinator, django_capture_on_commit_callbacks, based_on=base)
    assert replan.based_on_id == base.pk
    # The pin keeps the stop on the coordinator's vehicle, pinned again.
    kept = _stop(replan, target, 1, 1)
    assert kept["site"] == site and kept["pinned"] is True
    assert "pins_lost" not in replan.index
    assert replan.edits == []

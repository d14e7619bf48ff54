"""The day plans of the write-scope world: in each area (and OUT: a run for everywhere) a
queued run (to cancel), a draft run (to edit or discard) whose problem is a generated day
stored as tests/dayplans/fake_problem.py stores it (probes that load it name that module
in the setting ``RELIEFOPS_PLAN_PROBLEM``), and for the commit probes a draft and a
committed run with an empty plan and the day's real input hash (committing writes the run
only; the convoys and rounds go through services probed in their own apps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reliefops import planning
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.problem import input_hash_current
from tests.dayplans import fake_problem
from tests.dayplans.plans import DAY

FAKE = "tests.dayplans.fake_problem"
EMPTY_PLAN = {"routes": [], "rounds": [], "unmet": [], "unvisited": []}


def plans_build(world: Any) -> None:
    built = fake_problem.problem_build(actor=None, day=DAY)
    plan = planning.solve(built.problem, planning.StopRule(max_iterations=30), seed=1)
    document = planning.plan_to_json(plan, list(planning.check(built.problem, plan)))
    data = fake_problem.problem_store(built)
    world.plan_queued, world.plan_draft = {}, {}
    from tests.core.writescope.world import KEYS

    for key in KEYS:
        area = world.area(key)
        world.plan_queued[key] = PlanRun.objects.create(
            reference=f"PL-WS-Q-{key}", date=DAY, area=area, status=PlanStatus.QUEUED
        )
        world.plan_draft[key] = PlanRun.objects.create(
            reference=f"PL-WS-D-{key}",
            date=DAY,
            area=area,
            status=PlanStatus.DRAFT,
            problem=data,
            index=built.index,
            input_hash=built.input_hash,
            plan=document,
            violations=document.get("violations", []),
            kpis=dict(document["summary"]),
            progress=1.0,
        )
    world.plan_vehicle = plan.routes[0].vehicle if plan.routes else ""
    world.plan_commit_draft, world.plan_committed = {}, {}
    for key in KEYS:
        area = world.area(key)
        for status, table in (
            ("draft", world.plan_commit_draft),
            ("committed", world.plan_committed),
        ):
            table[key] = PlanRun.objects.create(
                reference=f"PL-WS-{key}-{status}",
                date=DAY,
                area=area,
                status=status,
                plan=EMPTY_PLAN,
                input_hash=input_hash_current(actor=world.admin, day=DAY, area=area),
            )


# --- added for runs: one queued run per area key (``OUT``: every area)
def plan_runs_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS

    world.plan_run = {
        key: PlanRun.objects.create(
            reference=f"PL-20260101-{n + 1}",
            date=dt.date(2026, 1, 1),
            area=world.area(key),
            parameters={"seconds": 1, "seed": 1, "iterations": 1, "workers": 1},
            created_by=world.admin,
        )
        for n, key in enumerate(KEYS)
    }

"""The day plans of the write-scope world: in each area (and OUT: a run for everywhere) a
queued run (to cancel) and a draft run (to edit or discard) whose problem is a generated
day stored as tests/dayplans/fake_problem.py stores it (probes that load it name that
module in the setting ``RELIEFOPS_PLAN_PROBLEM``)."""

from __future__ import annotations

from typing import Any

from reliefops import planning
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from tests.dayplans import fake_problem
from tests.dayplans.plans import DAY

FAKE = "tests.dayplans.fake_problem"


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

"""The day-plans part of the write-scope world (tests/core/writescope): per area key a
queued plan run, a draft and a committed one (``OUT``: every area). The draft and the
committed run have an empty plan (committing writes the run only; the convoys and rounds
go through services probed in their own apps)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.problem import input_hash_current

DAY = dt.date(2026, 12, 3)
EMPTY_PLAN = {"routes": [], "rounds": [], "unmet": [], "unvisited": []}


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


def plans_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS

    world.plan_draft, world.plan_committed = {}, {}
    for key in KEYS:
        area = world.area(key)
        for status, table in (("draft", world.plan_draft), ("committed", world.plan_committed)):
            table[key] = PlanRun.objects.create(
                reference=f"PL-WS-{key}-{status}",
                date=DAY,
                area=area,
                status=status,
                plan=EMPTY_PLAN,
                input_hash=input_hash_current(actor=world.admin, day=DAY, area=area),
            )


# --- added for edits: a draft with one delivery to edit (a tiny problem of its own)
def _tiny_problem() -> Any:
    from reliefops import planning as core

    b = core.ProblemBuilder(DAY)
    b.add_site(core.Site("F:WS-DEPOT", 40.0, 46.9))
    b.add_site(core.Site("F:WS-SITE", 40.05, 46.95))
    b.add_item(core.Item("WS-FLOUR", "food", kg=1.0))
    b.add_depot(core.Depot("WS-WH", "F:WS-DEPOT"))
    b.add_lot(core.Lot("WS-WH/1", "WS-WH", "WS-FLOUR", 100.0))
    b.add_demand(core.Demand("WS-D1", "F:WS-SITE", "WS-FLOUR", 10.0))
    b.add_vehicle(core.Vehicle("WS-TRUCK", "WS-WH", 1000.0, 10.0, 0.0, frozenset({"food"})))
    b.set_speed_model()
    return b.build()


def plans_editable_build(world: Any) -> None:
    from reliefops import planning as core
    from reliefops.dayplans.problem import BuiltProblem, problem_store
    from tests.core.writescope.world import KEYS

    problem = _tiny_problem()
    plan = core.solve(problem, core.StopRule(max_iterations=50), seed=1)
    stored = problem_store(BuiltProblem(problem=problem, index={}, input_hash="", notes=[]))
    world.plan_editable = {
        key: PlanRun.objects.create(
            reference=f"PL-WS-{key}-edit",
            date=DAY,
            area=world.area(key),
            status="draft",
            problem=stored,
            plan=core.plan_to_json(plan, core.check(problem, plan)),
        )
        for key in KEYS
    }

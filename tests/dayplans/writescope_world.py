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

"""The write-scope world's plan runs: one queued run per area key (``OUT``: every area)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reliefops.dayplans.models import PlanRun


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

"""The day plans' part of the page contract (tests/core/test_page_contract.py): a draft
plan in each of the world's areas; the out-of-scope marker is the area's name, which only
the plan's own page shows (its reference is in the URL, so the 404 page shows it too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _plans_world(world: Any) -> None:
    if "plan" in world.objects:
        return
    from tests.dayplans.plans import plan_run

    refs = [plan_run(area=area).reference for area in (world.area_in, world.area_out)]
    world.objects["plan"] = (refs[0], refs[1], "Outside")


def plan_registry(ids: Any) -> dict[str, Callable[[Any], Any]]:
    def plan(world: Any) -> Any:
        _plans_world(world)
        inside, outside, marker = world.objects["plan"]
        return ids(inside, "PL-NOPE", outside, True, marker)

    def plan_step(world: Any) -> Any:
        return ids("discard", "no-such-step", None)

    return {
        "dayplans:plan_detail.reference": plan,
        "dayplans:plan_progress.reference": plan,
        "dayplans:plan_edit.reference": plan,
        "dayplans:plan_step.reference": plan,
        "dayplans:plan_step.step": plan_step,
    }

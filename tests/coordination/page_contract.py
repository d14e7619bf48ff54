"""The 4W part of the page contract (tests/core/test_page_contract.py): an activity in
each of the world's areas; the out-of-scope marker is the activity's text, which only the
activity's own page shows (its 4W ID is in the URL, so the 404 page shows that)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _activities_world(world: Any) -> None:
    if "activity" in world.objects:
        return
    from tests.accounts.factories import OrganisationFactory
    from tests.coordination.factories import make_activity

    organisation = OrganisationFactory(acronym="ZORG4W")
    refs = [
        make_activity(
            reference=f"4W-Z{tag}", organisation=organisation, area=area, activity=f"Probe {tag}"
        ).reference
        for tag, area in (("IN", world.area_in), ("OUT", world.area_out))
    ]
    world.objects["activity"] = (refs[0], refs[1], "Probe OUT")


def activity_registry(ids: Any) -> dict[str, Callable[[Any], Any]]:
    def activity(world: Any) -> Any:
        _activities_world(world)
        inside, outside, marker = world.objects["activity"]
        return ids(inside, "4W-NOPE", outside, True, marker)

    def activity_step(world: Any) -> Any:
        return ids("start", "no-such-step", None)

    return {
        "coordination:activity_detail.reference": activity,
        "coordination:activity_step.reference": activity,
        "coordination:activity_step.step": activity_step,
    }

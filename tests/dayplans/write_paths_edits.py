"""Write paths of editing and discarding a draft plan, for the write-scope property test.

A draft is edited or discarded in its area by who may run plans (``plan.run``). The edit
probe pins the one stop of the world's editable draft (tests/dayplans/writescope_world.py);
the discard probe discards it."""

from __future__ import annotations

from typing import Any

from reliefops.dayplans.services import edits as services
from tests.core.writescope import Attempt, service

M = "reliefops.dayplans.services.edits"


@service(f"{M}.plan_edit")
def _edit(t: Attempt) -> Any:
    run = t.world.plan_editable[t.area]
    return services.plan_edit(
        actor=t.actor,
        run=run,
        edit={"kind": "pin", "vehicle": "WS-TRUCK", "trip": 1, "position": 1},
    )


@service(f"{M}.plan_discard")
def _discard(t: Attempt) -> Any:
    return services.plan_discard(actor=t.actor, run=t.world.plan_editable[t.area])

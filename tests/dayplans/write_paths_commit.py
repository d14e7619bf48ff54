"""Write paths of committing a plan and re-planning, for the write-scope property test.

A plan run is scoped by its area (``plan.run`` / ``plan.commit``: coordinators, any
organisation). The probes commit the world's draft of the target area, or re-plan its
committed run (tests/dayplans/writescope_world.py)."""

from __future__ import annotations

from typing import Any

from reliefops.dayplans.services import commit as services
from tests.core.writescope import Attempt, not_a_write, service

M = "reliefops.dayplans.services.commit"
RP = "reliefops.dayplans.services.replan"
not_a_write(f"{RP}.plan_changes", "read: what a re-plan changes, for the page")


@service(f"{M}.plan_commit")
def _commit(t: Attempt) -> Any:
    return services.plan_commit(actor=t.actor, run=t.world.plan_commit_draft[t.area])


@service(f"{RP}.plan_replan")
def _replan(t: Attempt) -> Any:
    return services.plan_replan(actor=t.actor, run=t.world.plan_committed[t.area], seconds=1)

"""Write paths of plan runs for the write-scope property test (world: writescope_world.py).

A run is scoped by its area (every area when empty: a whole-installation grant). Starting
one and cancelling one are the scoped writes; the job's own steps run later as the user
who started the run, through ``PLAN_WORKFLOW`` (the scope was checked at the start)."""

from __future__ import annotations

import datetime as dt

from tests.core.writescope import Attempt, not_a_write, service

R = "reliefops.dayplans.services.runs"


@service(f"{R}.plan_run_start")
def _start(t: Attempt) -> None:
    from reliefops.dayplans.services.runs import plan_run_start

    # The job is queued on commit; the property test's transaction never commits.
    plan_run_start(
        actor=t.actor, day=dt.date(2026, 1, 2), area=t.world.area(t.area), seconds=1, iterations=1
    )


@service(f"{R}.plan_run_cancel")
def _cancel(t: Attempt) -> None:
    from reliefops.dayplans.services.runs import plan_run_cancel

    plan_run_cancel(actor=t.actor, run=t.world.plan_run[t.area])


for _name in ("plan_run_execute", "plan_part_solve", "plan_run_merge", "plan_run_fail"):
    not_a_write(
        f"{R}.{_name}",
        "the job of a started run: its steps are taken as the run's own user through "
        "PLAN_WORKFLOW (scope checked by plan_run_start); no actor of its own",
    )
not_a_write(f"{R}.run_parameters", "validates a run's parameters (no write)")
not_a_write(f"{R}.plan_kpis", "computes a plan's figures (no write)")
not_a_write(f"{R}.plan_progress_observed", "an in-process progress observer (no write)")

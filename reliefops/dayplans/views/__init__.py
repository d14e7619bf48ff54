"""Pages of the day-plans domain: the run list, "Plan a day", a run's page (progress while
it runs; the draft review with map, manifest, timeline, unmet and edits; commit, discard,
re-plan) — thin: they call ``dayplans.services`` and read ``dayplans.selectors``."""

from reliefops.dayplans.views.lists import plan_list_view, plan_start_view
from reliefops.dayplans.views.run import (
    plan_detail_view,
    plan_edit_view,
    plan_progress_view,
    plan_step_view,
)

__all__ = [
    "plan_detail_view",
    "plan_edit_view",
    "plan_list_view",
    "plan_progress_view",
    "plan_start_view",
    "plan_step_view",
]

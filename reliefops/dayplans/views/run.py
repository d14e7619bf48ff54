"""A run's page: its progress while it runs (HTMX polls the fragment every second), then
the draft review (figures, map, manifest, timeline, unmet and unmade with their reasons,
checker violations, edits), the workflow's buttons, the records a commit created and, for
a re-plan, what changed against the plan it re-plans."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import Conflict, NotFound
from reliefops.core.htmx import render
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.permissions import UNSCOPED, can_write
from reliefops.core.sessions import passive
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.forms import PlanEditForm
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.selectors import (
    plan_edit_rows,
    plan_review,
    plan_run_get,
    plan_run_replans,
    timings_rows,
)
from reliefops.dayplans.steps import STEP_SERVICES, service
from reliefops.dayplans.workflow import PLAN_WORKFLOW

#: Which phase the progress bar names (the job's ``run.phase``).
PHASES = {
    "": gettext_lazy("Waiting for a worker…"),
    "load": gettext_lazy("Reading the day's data…"),
    "build": gettext_lazy("Building the problem…"),
    "prepare": gettext_lazy("Allocating stock…"),
    "solve": gettext_lazy("Routing vehicles and teams…"),
    "routing": gettext_lazy("Routing vehicles and teams…"),
    "merge": gettext_lazy("Merging the sub-problems…"),
    "check": gettext_lazy("Checking the plan…"),
    "save": gettext_lazy("Saving the draft…"),
    "done": gettext_lazy("Done."),
}


def _steps(request: HttpRequest, run: PlanRun) -> list[dict[str, Any]]:
    """The workflow's buttons open to the user, then Re-plan for a committed run."""
    steps = [
        {"name": name, "label": t.label, "style": t.style, "confirm": t.confirm}
        for name in PLAN_WORKFLOW.allowed(actor=request.user, record=run)
        for t in [PLAN_WORKFLOW.transitions[name]]
    ]
    if run.status == PlanStatus.COMMITTED and can_write(
        request.user, Action.PLAN_COMMIT, area=run.area, organisation=UNSCOPED
    ):
        steps.append(
            {
                "name": "replan",
                "label": _("Re-plan the rest of the day"),
                "style": "secondary",
                "confirm": _(
                    "Re-plan this day? Convoys that departed and visits made stay as they are."
                ),
            }
        )
    return steps


def _changes(run: PlanRun) -> list[dict[str, Any]]:
    if run.based_on is None or run.plan is None:
        return []
    try:
        changes = service("commit", "plan_changes")
    except Conflict:  # no comparison in this installation: the page shows the plan alone
        return []
    return list(changes(run.based_on, run))


def _context(request: HttpRequest, run: PlanRun) -> dict[str, Any]:
    review = plan_review(run) if run.plan else None
    can_edit = run.status == PlanStatus.DRAFT and can_write(
        request.user, Action.PLAN_RUN, area=run.area, organisation=UNSCOPED
    )
    return {
        "run": run,
        "review": review,
        "phase_label": PHASES.get(run.phase, run.phase),
        "steps": _steps(request, run),
        "can_edit": can_edit,
        "changes": _changes(run),
        "replans": plan_run_replans(run),
        "edit_rows": plan_edit_rows(run),
        "commitment": run.commitment or {},
        "timings": timings_rows(run.timings or {}),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@login_required
def plan_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    run = plan_run_get(request.user, reference)
    return render(request, "dayplans/plan_detail.html", _context(request, run))


@passive
@login_required
def plan_progress_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The progress fragment HTMX polls; once the run has stopped, the whole page reloads."""
    run = plan_run_get(request.user, reference)
    response = render(
        request,
        "dayplans/partials/plan_progress.html",
        {"run": run, "phase_label": PHASES.get(run.phase, run.phase)},
    )
    if run.finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def plan_step_view(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    """Cancel, discard, commit or re-plan (the service checks; a refusal shows on the page
    with its 4xx)."""
    run = plan_run_get(request.user, reference)
    if step not in STEP_SERVICES:
        raise NotFound(step=step)
    form_page(request, "dayplans/plan_detail.html", lambda: _context(request, run))
    module, name = STEP_SERVICES[step]
    result = service(module, name)(actor=request.user, run=run)
    if step == "replan":
        messages.success(
            request, _("Re-plan %(reference)s started.") % {"reference": result.reference}
        )
        return redirect("dayplans:plan_detail", reference=result.reference)
    done = {
        "cancel": _("The run is cancelled."),
        "discard": _("The draft is discarded."),
        "commit": _("The plan is committed: its convoys and rounds are created."),
    }
    messages.success(request, done[step])
    return redirect("dayplans:plan_detail", reference=reference)


@login_required
@require_POST
def plan_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    """One edit of the draft (move, drop, pin or unpin a stop; swap a vehicle), re-checked
    by the service at once; the page shows the new figures and any violation."""
    run = plan_run_get(request.user, reference)
    form_page(request, "dayplans/plan_detail.html", lambda: _context(request, run))
    form = PlanEditForm(request.POST)
    if not form.is_valid():
        raise form_invalid(form)
    service("edits", "plan_edit")(actor=request.user, run=run, edit=form.edit())
    messages.success(request, _("The draft is changed and checked again."))
    return redirect("dayplans:plan_detail", reference=reference)

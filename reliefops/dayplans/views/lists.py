"""The plan-run list and the "Plan a day" form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from reliefops.core.actions import Action
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.filtersets import PlanRunFilterSet
from reliefops.dayplans.forms import PlanStartForm
from reliefops.dayplans.selectors import plan_area_choices, plan_runs
from reliefops.dayplans.steps import service


@login_required
def plan_list_view(request: HttpRequest) -> HttpResponse:
    """The plan runs the user may see: filtered, sorted and paged (core.lists)."""
    require(request.user, Action.PLAN_RUN)
    lst = list_page(
        request,
        PlanRunFilterSet,
        plan_runs(request.user),
        target="#plan-list",
        form_id="plan-filters",
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "statuses": PlanStatus.choices,
        "areas": plan_area_choices(request.user),
        "can_run": user_can(request.user, Action.PLAN_RUN),
    }
    return render(
        request, "dayplans/plan_list.html", context, partial="dayplans/partials/plan_rows.html"
    )


@login_required
def plan_start_view(request: HttpRequest) -> HttpResponse:
    """Plan a day: the run starts (a background job) and its page shows the progress."""
    require(request.user, Action.PLAN_RUN)
    form = PlanStartForm(request.POST or None, areas=plan_area_choices(request.user))
    page = form_page(request, "dayplans/plan_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        data = form.cleaned_data
        run = service("runs", "plan_run_start")(
            actor=request.user,
            day=data["day"],
            area=data["area"],
            seconds=data["seconds"],
            seed=data["seed"],
        )
        messages.success(request, _("Plan %(reference)s started.") % {"reference": run.reference})
        return redirect("dayplans:plan_detail", reference=run.reference)
    return page.render(request)

"""Pages of rounds and visits: the round list, planning a round, the round page a team
uses on a phone (a visit in a few taps, the stop updated in place by HTMX), the steps of
the round's workflow, and the visits list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.offline import offline_context
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.permissions import require, user_can
from reliefops.teams import services
from reliefops.teams.choices import RoundStatus, VisitOutcome
from reliefops.teams.filtersets import RoundFilterSet, VisitFilterSet
from reliefops.teams.forms import FOLLOW_UP_DAYS, RoundForm, StepForm, VisitForm
from reliefops.teams.selectors import (
    outcome_choices,
    round_get,
    round_list,
    round_stop_view,
    round_stops_view,
    service_choices,
    stop_get,
    team_list,
    visit_list,
)

OPEN = (RoundStatus.PLANNED, RoundStatus.IN_PROGRESS)


@login_required
def round_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        RoundFilterSet,
        round_list(actor=request.user),
        target="#round-list",
        export_kind="rounds",
        form_id="round-filters",
    )
    return render(
        request,
        "teams/round_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "statuses": RoundStatus.choices,
            "teams": team_list(actor=request.user),
            "can_plan": user_can(request.user, Action.ROUND_PLAN),
        },
        partial="teams/partials/round_rows.html",
    )


@login_required
def round_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ROUND_PLAN)
    form = RoundForm(
        request.POST or None,
        initial={"date": timezone.localdate()},
        teams=team_list(actor=request.user).filter(is_active=True),
    )
    page = form_page(request, "teams/round_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        rnd = services.round_create(
            actor=request.user, team=form.cleaned_data["team"], date=form.cleaned_data["date"]
        )
        messages.success(request, _("Round %(ref)s created.") % {"ref": rnd.reference})
        return redirect("teams:round_detail", reference=rnd.reference)
    return page.render(request)


def _stop_context(request: HttpRequest, rnd: Any, view: Any, form: Any = None) -> dict[str, Any]:
    can_record = (
        rnd.status in OPEN
        and not view.done
        and user_can(
            request.user, Action.VISIT_RECORD, area=view.person.area if view.person else None
        )
    )
    return {
        "round": rnd,
        "s": view,
        "form": form or (VisitForm(services=view.stop.services) if can_record else None),
        "can_record": can_record,
        "outcomes": outcome_choices(),
        "services": service_choices(),
        "follow_up_days": FOLLOW_UP_DAYS[1:],
        "visited_outcome": VisitOutcome.VISITED,
    }


def _round_context(request: HttpRequest, rnd: Any, bound: Any = None) -> dict[str, Any]:
    on = timezone.localdate()
    views = round_stops_view(actor=request.user, round=rnd, on=on)
    stops = []
    for view in views:
        form = bound[1] if bound is not None and bound[0] == view.stop.sequence else None
        stops.append(_stop_context(request, rnd, view, form))
    allowed = services.round_steps_allowed(actor=request.user, round=rnd)
    steps = [
        {"name": n, "transition": services.TRANSITIONS[n], "form": StepForm()} for n in allowed
    ]
    return {
        "round": rnd,
        "stops": stops,
        "steps": steps,
        "done": sum(1 for s in views if s.done),
        "total": len(views),
        "can_edit_stops": rnd.status in ("draft", "planned")
        and user_can(request.user, Action.ROUND_PLAN, area=rnd.area),
        "offline": _offline(request),
    }


def _offline(request: HttpRequest) -> dict[str, Any]:
    """The page's offline queue (docs/offline.md): visits wait on the phone until sent."""
    return offline_context(
        request,
        labels={"visits": _("Visit"), "rounds": _("Round")},
        strings={
            "stop": _("Stop %(n)s"),
            "kept": _("Recorded on this phone: %(what)s. Waiting to send."),
            "kept_sent": _("Recorded: %(what)s. Sent, waiting on the server."),
            "kept_refused": _("Not recorded: %(error)s"),
            "follow_up": _("follow-up %(date)s"),
        },
    )


@login_required
def round_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    rnd = round_get(actor=request.user, reference=reference)
    return render(request, "teams/round_detail.html", _round_context(request, rnd))


@login_required
@require_POST
def round_step_view(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    rnd = round_get(actor=request.user, reference=reference)
    if step not in services.TRANSITIONS:
        raise NotFound(step=step)
    form = StepForm(request.POST)
    form_page(request, "teams/round_detail.html", lambda: _round_context(request, rnd))
    form.is_valid()
    services.round_transition(
        actor=request.user, round=rnd, step=step, reason=form.cleaned_data.get("reason", "")
    )
    messages.success(request, _("Done: %(step)s.") % {"step": services.STEP_LABELS[step]})
    return redirect("teams:round_detail", reference=rnd.reference)


@login_required
@require_POST
def stop_visit_view(request: HttpRequest, reference: str, sequence: int) -> HttpResponse:
    """Record the visit at a stop (one submit); an HTMX request gets the stop back."""
    rnd = round_get(actor=request.user, reference=reference)
    stop = stop_get(actor=request.user, round=rnd, sequence=sequence)
    form = VisitForm(request.POST, services=stop.services)
    on = timezone.localdate()
    htmx = bool(getattr(request, "htmx", False))

    def context() -> dict[str, Any]:
        if htmx:
            view = round_stop_view(actor=request.user, stop=stop, on=on)
            return _stop_context(request, rnd, view, form)
        return _round_context(request, rnd, bound=(sequence, form))

    form_page(
        request,
        "teams/round_detail.html",
        context,
        form=form,
        partial="teams/partials/round_stop.html",
    )
    if not form.is_valid():
        raise form_invalid(form)
    data = form.cleaned_data
    days = data.get("follow_up_days") or 0
    services.visit_record(
        actor=request.user,
        person=stop.person,
        team=rnd.team,
        stop=stop,
        visited_at=timezone.now(),
        outcome=data["outcome"],
        services=data["services"],
        follow_up_due=on + dt.timedelta(days=days) if days else None,
        client_id=data.get("client_id"),
    )
    if htmx:
        view = round_stop_view(actor=request.user, stop=stop, on=on)
        return render(
            request,
            "teams/partials/round_stop.html",
            _stop_context(request, rnd, view),
        )
    messages.success(request, _("Visit recorded."))
    return redirect("teams:round_detail", reference=rnd.reference)


@login_required
def visit_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_READ)
    lst = list_page(
        request,
        VisitFilterSet,
        visit_list(actor=request.user),
        target="#visit-list",
        export_kind="visits",
        form_id="visit-filters",
    )
    return render(
        request,
        "teams/visit_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "outcomes": VisitOutcome.choices,
            "teams": team_list(actor=request.user),
        },
        partial="teams/partials/visit_rows.html",
    )

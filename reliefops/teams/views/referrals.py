"""Referral pages: the list (filters shared with the API and the export), a referral's
page with its workflow buttons, referring a person (from a visit or by reference) and
the one step view the buttons post to."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require
from reliefops.teams import selectors, services
from reliefops.teams.choices import ReferralStatus, Urgency
from reliefops.teams.filtersets import ReferralFilterSet
from reliefops.teams.forms import ReferralForm, ReferralStepForm

STYLE_ORDER = {"primary": 0, "secondary": 1, "danger": 2}


def referral_steps(
    request: HttpRequest, referral: Any, *, origin: str = "", bound: Any = None
) -> list[dict[str, Any]]:
    """The steps the user may take now, as the table describes them (for buttons)."""
    allowed = services.referral_steps_allowed(actor=request.user, referral=referral)
    facilities = selectors.referral_facility_choices(actor=request.user).exclude(
        pk=referral.facility_id
    )
    steps = []
    for name in allowed:
        t = services.REFERRAL_TRANSITIONS[name]
        form = (
            bound
            if bound is not None and bound.step == name
            else ReferralStepForm(step=name, transition=t, facilities=facilities)
        )
        steps.append({"name": name, "transition": t, "form": form, "origin": origin})
    return sorted(steps, key=lambda s: STYLE_ORDER[s["transition"].style])


@login_required
def referral_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        ReferralFilterSet,
        selectors.referral_list(actor=request.user),
        target="#referral-list",
        export_kind="referrals",
        form_id="referral-filters",
    )
    return render(
        request,
        "teams/referral_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "statuses": ReferralStatus.choices,
            "urgencies": Urgency.choices,
            "facilities": selectors.referral_facility_choices(actor=request.user),
            "can_refer": selectors.referral_can_create(request.user),
        },
        partial="teams/partials/referral_rows.html",
    )


def _detail_context(request: HttpRequest, referral: Any, bound: Any = None) -> dict[str, Any]:
    return {
        "referral": referral,
        "steps": referral_steps(request, referral, bound=bound),
        "history": list(referral.history.order_by("history_date")),
    }


@login_required
def referral_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    referral = selectors.referral_get(actor=request.user, reference=reference)
    return render(request, "teams/referral_detail.html", _detail_context(request, referral))


@login_required
def referral_create_view(request: HttpRequest) -> HttpResponse:
    """Refer a person: ``?visit=<id>`` (from a round: person and team from the visit) or
    ``?person=<reference>``."""
    require(request.user, Action.REFERRAL_CREATE)
    visit = None
    initial: dict[str, Any] = {}
    source = request.POST.get("visit") or request.GET.get("visit", "")
    if source:
        visit = selectors.referral_visit(request.user, source)
        initial["person"] = visit.person.reference
    elif request.GET.get("person"):
        initial["person"] = request.GET["person"][:16]
    facilities = selectors.referral_facility_choices(actor=request.user)
    form = ReferralForm(request.POST or None, initial=initial, facilities=facilities)
    context = {"form": form, "visit": visit}
    page = form_page(request, "teams/referral_form.html", context, form=form)
    if request.method != "POST":
        return page.render(request)
    if not form.is_valid():
        return page.render(request, status=400)
    data = form.cleaned_data
    person = selectors.referral_person(request.user, data["person"])
    referral = services.referral_create(
        actor=request.user,
        person=person,
        facility=data["facility"],
        reason=data["reason"],
        urgency=data["urgency"],
        transport=data["transport"],
        visit=visit,
        referred_at=data["referred_at"],
        client_id=data["client_id"],
    )
    messages.success(request, _("Referral %(ref)s sent.") % {"ref": referral.reference})
    return redirect("teams:referral_detail", reference=referral.reference)


@login_required
@require_POST
def referral_step_view(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    """One step of a referral (a confirmation, the facility of a transfer). From the
    hospital page (``from=hospital``) it returns there."""
    referral = selectors.referral_get(actor=request.user, reference=reference)
    if step not in services.REFERRAL_TRANSITIONS:
        raise NotFound(step=step)
    t = services.REFERRAL_TRANSITIONS[step]
    facilities = selectors.referral_facility_choices(actor=request.user).exclude(
        pk=referral.facility_id
    )
    form = ReferralStepForm(request.POST, step=step, transition=t, facilities=facilities)
    context = _detail_context(request, referral, bound=form)
    shown = step in [s["name"] for s in context["steps"]]
    page = form_page(request, "teams/referral_detail.html", context, form=form if shown else None)
    if not form.is_valid():
        if not shown:  # not open to this user now: the one check says why
            services.REFERRAL_WORKFLOW.check(actor=request.user, record=referral, step=step)
        return page.render(request, status=400)
    services.referral_transition(
        actor=request.user,
        referral=referral,
        step=step,
        transferred_to=form.cleaned_data.get("transferred_to"),
    )
    messages.success(
        request, _("Done: %(step)s.") % {"step": services.REFERRAL_STEP_LABELS.get(step, step)}
    )
    if request.POST.get("from") == "hospital":
        return redirect("teams:hospital_detail", code=referral.facility.code)
    return redirect("teams:referral_detail", reference=reference)

"""Pages of the needs domain: requests, their workflow, gap analysis, estimators."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.core.queries import query_params
from reliefops.needs import services
from reliefops.needs.choices import Priority, RequestStatus
from reliefops.needs.estimators import ESTIMATOR_LABELS, PARAMETER_LABELS
from reliefops.needs.filtersets import DaysQuery, RequestCreateQuery, RequestFilterSet
from reliefops.needs.forms import CommentForm, EstimatorForm, RequestForm, StepForm
from reliefops.needs.selectors import (
    climate_station_by_code,
    climate_station_list,
    dispatch_warehouse_list,
    estimator_parameters,
    gap_analysis,
    gap_geojson,
    heated_facility_list,
    heating_draft_facilities,
    heating_fuel_for_facility,
    heating_fuel_items,
    request_form_choices,
    request_get,
    request_history,
    request_list_choices,
    request_list_rows,
    request_place,
)


@login_required
def request_list_view(request: HttpRequest) -> HttpResponse:
    """The requests in the actor's areas: filtered, searched, sorted and paged (core.lists)."""
    lst = list_page(
        request,
        RequestFilterSet,
        request_list_rows(actor=request.user),
        target="#request-list",
        export_kind="requests",
        form_id="request-filters",
    )
    choices = request_list_choices(actor=request.user)
    return render(
        request,
        "needs/request_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "statuses": RequestStatus.choices,
            "priorities": Priority.choices,
            "choices": choices,
            "can_submit": user_can(request.user, Action.REQUEST_SUBMIT),
        },
        partial="needs/partials/request_rows.html",
    )


@login_required
def request_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REQUEST_SUBMIT)
    choices = request_form_choices(actor=request.user)
    initial: dict[str, Any] = {"needed_from": timezone.localdate()}
    preselect = query_params(request, RequestCreateQuery).get("facility")
    if preselect:
        initial["facility"] = choices.facilities.filter(code=preselect).first()
        initial["requester_kind"] = "facility"
    form = RequestForm(
        request.POST or None,
        facilities=choices.facilities,
        organisations=choices.organisations,
        items=choices.items,
        initial=initial,
    )
    # A service error (a possible duplicate, a facility out of scope…) re-shows the form
    # with the error and its status; the duplicates are in ``error_outcome.details``.
    page = form_page(request, "needs/request_form.html", {"form": form}, form=form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = request_place(data["place"])
        lines = [
            services.LineInput(
                quantity=line["quantity"] or Decimal(0),
                item=line["item"],
                service_type=line["service_type"],
            )
            for line in form.lines()
        ]
        created = services.request_submit(
            actor=request.user,
            data=services.RequestInput(
                requester_kind=data["requester_kind"],
                organisation=data["organisation"],
                lines=lines,
                needed_from=data["needed_from"],
                needed_by=data["needed_by"],
                place=place,
                facility=data["facility"],
                priority=data["priority"],
                justification=data["justification"],
                source=data["source"],
                decision_reference=data["decision_reference"],
                people_count=data["people_count"],
            ),
            confirm_duplicate=data["confirm_duplicate"],
        )
        messages.success(request, _("Request %(ref)s submitted.") % {"ref": created.reference})
        return redirect("needs:request_detail", pk=created.pk)
    return page.render(request)


def _detail_context(request: HttpRequest, target: Any) -> dict[str, Any]:
    warehouses = dispatch_warehouse_list(actor=request.user)
    return {
        "req": target,
        "steps": services.transitions_allowed(actor=request.user, request=target),
        "step_form": StepForm(warehouses=warehouses),
        "comment_form": CommentForm(),
        "can_comment": user_can(request.user, Action.COMMENT_ADD, area=target.area),
        "history": request_history(request=target),
        "needs_reason": services.REQUEST_WORKFLOW.needs_reason(),
    }


@login_required
def request_detail_view(request: HttpRequest, pk: Any) -> HttpResponse:
    target = request_get(actor=request.user, pk=pk)
    return render(request, "needs/request_detail.html", _detail_context(request, target))


@login_required
@require_POST
def request_step_view(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    """One workflow step; a refused step re-shows the request with the error and status."""
    target = request_get(actor=request.user, pk=pk)
    context = _detail_context(request, target)
    form_page(request, "needs/request_detail.html", context)
    if step not in services.REQUEST_WORKFLOW.transitions:
        raise NotFound(step=step)  # no such step: no such page
    form = StepForm(request.POST, warehouses=dispatch_warehouse_list(actor=request.user))
    form.is_valid()
    services.request_transition(
        actor=request.user,
        request=target,
        step=step,
        reason=form.cleaned_data.get("reason", ""),
        warehouse=form.cleaned_data.get("warehouse"),
    )
    messages.success(request, _("Done: %(step)s.") % {"step": services.STEP_LABELS.get(step, step)})
    return redirect("needs:request_detail", pk=pk)


@login_required
@require_POST
def request_comment_view(request: HttpRequest, pk: Any) -> HttpResponse:
    target = request_get(actor=request.user, pk=pk)
    form_page(request, "needs/request_detail.html", _detail_context(request, target))
    form = CommentForm(request.POST)
    if form.is_valid():
        services.request_comment_add(
            actor=request.user, request=target, text=form.cleaned_data["text"]
        )
    return redirect(reverse("needs:request_detail", args=[pk]) + "#comments")


def gap_chart_shares(totals: list[Any]) -> dict[str, Any]:
    """Per item, the need split into what stock, pipeline and plans cover and the gap (%).

    Unit-free, so litres of diesel and parcels of food sit on one chart.
    """
    chart: dict[str, Any] = {"labels": [], "stock": [], "pipeline": [], "planned": [], "gap": []}
    for total in totals:
        need = total.need
        if need <= 0:
            continue
        left = need
        shares = []
        for value in (total.available, total.pipeline, total.planned):
            covered = min(value, left)
            shares.append(round(covered / need * 100, 1))
            left -= covered
        chart["labels"].append(total.item_code)
        chart["stock"].append(shares[0])
        chart["pipeline"].append(shares[1])
        chart["planned"].append(shares[2])
        chart["gap"].append(round(left / need * 100, 1))
    return chart


@login_required
def gap_view(request: HttpRequest) -> HttpResponse:
    days = query_params(request, DaysQuery)["days"]
    report = gap_analysis(actor=request.user, days=days)
    rows = [r.as_dict(days) for r in report.rows]
    totals = [r.as_dict(days) for r in report.totals]
    chart = gap_chart_shares(report.totals)
    return render(
        request,
        "needs/gap.html",
        {
            "days": days,
            "rows": rows,
            "totals": totals,
            "chart": chart,
            "geojson": gap_geojson(actor=request.user, report=report),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


def _season_start() -> tuple[int, int]:
    today = timezone.localdate()
    return (today.year if today.month >= 7 else today.year - 1, 10)


def _climate_station_update(request: HttpRequest) -> HttpResponse:
    """Replace a station's 12 monthly means (°C), typed as one comma-separated line."""
    station = climate_station_by_code(request.POST.get("code", ""))
    if station is None:
        raise InvalidInput(_("Unknown climate station."), field="code")
    try:
        values = [float(v) for v in request.POST.get("monthly_mean_c", "").split(",")]
    except ValueError:
        values = []
    if not values or not all(math.isfinite(v) and -90 < v < 70 for v in values):
        raise InvalidInput(_("Write 12 numbers separated by commas."), field="monthly_mean_c")
    services.climate_station_save(
        actor=request.user,
        code=station.code,
        name=station.name,
        latitude=station.latitude,
        longitude=station.longitude,
        monthly_mean_c=values,
        source=request.POST.get("source", "") or station.source,
        elevation_m=station.elevation_m,
    )
    messages.success(request, _("Climate table saved."))
    return redirect("needs:estimators")


def _heating_drafts_generate(request: HttpRequest) -> HttpResponse:
    """Draft fuel requests for the season for the heated facilities in the user's areas."""
    require(request.user, Action.ESTIMATOR_EDIT)
    facilities = list(heating_draft_facilities(actor=request.user))
    skipped: list[tuple[Any, str]] = []
    created = services.heating_requests_generate(
        actor=request.user,
        facilities=facilities,
        season_start=_season_start(),
        organisation=None,
        item_by_fuel=heating_fuel_items(),
        on_error=skipped,
    )
    messages.success(
        request,
        _(
            "%(n)s draft requests created (%(s)s facilities skipped: "
            "no data, no operator or an open request exists)."
        )
        % {"n": len(created), "s": len(facilities) - len(created)},
    )
    return redirect("needs:estimators")


#: Column heads of the climate table (Django's own abbreviations are ambiguous in Armenian).
MONTH_SHORT = [
    pgettext_lazy("month, short", "Jan"),
    pgettext_lazy("month, short", "Feb"),
    pgettext_lazy("month, short", "Mar"),
    pgettext_lazy("month, short", "Apr"),
    pgettext_lazy("month, short", "May"),
    pgettext_lazy("month, short", "Jun"),
    pgettext_lazy("month, short", "Jul"),
    pgettext_lazy("month, short", "Aug"),
    pgettext_lazy("month, short", "Sep"),
    pgettext_lazy("month, short", "Oct"),
    pgettext_lazy("month, short", "Nov"),
    pgettext_lazy("month, short", "Dec"),
]


@login_required
def estimators_view(request: HttpRequest) -> HttpResponse:
    can_edit = user_can(request.user, Action.ESTIMATOR_EDIT)
    key = request.POST.get("key", "heating_fuel")
    forms_by_key = {
        k: EstimatorForm(
            request.POST if request.method == "POST" and key == k else None,
            initial={"parameters": json.dumps(estimator_parameters(k), indent=1)},
            prefix=k,
        )
        for k in ("heating_fuel", "sphere")
    }
    # A refused POST re-shows this page with the error (next to the parameters form).
    page = form_page(
        request,
        "needs/estimators.html",
        lambda: _estimators_context(request, forms_by_key, can_edit),
        form=forms_by_key.get(key),
    )
    if request.method == "POST" and key == "generate":
        return _heating_drafts_generate(request)
    if request.method == "POST" and key == "climate":
        return _climate_station_update(request)
    if request.method == "POST" and key in forms_by_key:
        form = forms_by_key[key]
        if form.is_valid():
            services.estimator_parameters_set(
                actor=request.user, key=key, parameters=form.cleaned_data["parameters"]
            )
            messages.success(request, _("Parameters saved."))
            return redirect("needs:estimators")
    return page.render(request)


def _estimators_context(
    request: HttpRequest, forms_by_key: dict[str, Any], can_edit: bool
) -> dict[str, Any]:
    season = _season_start()
    facilities = heated_facility_list(actor=request.user).order_by("kind", "code")[:100]
    assessments, problems = [], []
    for facility in facilities:
        try:
            assessments.append(heating_fuel_for_facility(facility=facility, season_start=season))
        except ValueError as exc:
            problems.append((facility, str(exc)))
    return {
        "estimators": [
            {
                "key": k,
                "label": ESTIMATOR_LABELS.get(k, k),
                "form": form,
                "parameters": [
                    (name, PARAMETER_LABELS.get(name, "")) for name in estimator_parameters(k)
                ],
            }
            for k, form in forms_by_key.items()
        ],
        "can_edit": can_edit,
        "assessments": assessments,
        "problems": problems,
        "season": f"{season[0]}-{season[1]:02d}",
        "stations": climate_station_list(),
        "months": MONTH_SHORT,
    }

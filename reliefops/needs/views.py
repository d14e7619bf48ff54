"""Pages of the needs domain: requests, their workflow, gap analysis, estimators."""

from __future__ import annotations

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
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.core.queries import query_filter, query_params
from reliefops.needs import services
from reliefops.needs.choices import Priority, RequestStatus
from reliefops.needs.estimators import ESTIMATORS
from reliefops.needs.filtersets import GapQuery, RequestCreateQuery, RequestFilterSet
from reliefops.needs.forms import (
    ClimateRowForm,
    CommentForm,
    EstimatorForm,
    RequestForm,
    StepForm,
    parameter_field_name,
)
from reliefops.needs.selectors import (
    climate_station_list,
    dispatch_warehouse_list,
    estimator_values,
    gap_analysis,
    gap_geojson,
    heated_facility_list,
    heating_draft_facilities,
    heating_fuel_for_facility,
    heating_fuel_items,
    request_form_choices,
    request_get,
    request_history,
    request_list,
    request_place,
)


@login_required
def request_list_view(request: HttpRequest) -> HttpResponse:
    filters = query_filter(request, RequestFilterSet, request_list(actor=request.user))
    values = filters.form.cleaned_data
    return render(
        request,
        "needs/request_list.html",
        {
            "rows": filters.qs[:200],
            "statuses": RequestStatus.choices,
            "priorities": Priority.choices,
            "status": values.get("status") or "",
            "priority": values.get("priority") or "",
            "q": values.get("q") or "",
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


def gap_map_item(report: Any, wanted: str | None) -> str:
    """The item the gap map shows: the one asked for when it has a need, else the item
    covered least (the one a coordinator looks at first)."""
    codes = report.item_codes()
    if wanted in codes:
        return str(wanted)
    worst = sorted(
        report.totals, key=lambda t: (t.coverage if t.coverage is not None else 2.0, t.item_code)
    )
    return worst[0].item_code if worst else ""


@login_required
def gap_view(request: HttpRequest) -> HttpResponse:
    query = query_params(request, GapQuery)
    days = query["days"]
    report = gap_analysis(actor=request.user, days=days)
    rows = [r.as_dict(days) for r in report.rows]
    totals = [r.as_dict(days) for r in report.totals]
    chart = gap_chart_shares(report.totals)
    item = gap_map_item(report, query.get("item"))
    return render(
        request,
        "needs/gap.html",
        {
            "days": days,
            "rows": rows,
            "totals": totals,
            "chart": chart,
            "map_item": item,
            "map_item_total": next((t for t in totals if t["item"] == item), None),
            "geojson": gap_geojson(actor=request.user, report=report, item=item or None),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


def _season_start() -> tuple[int, int]:
    today = timezone.localdate()
    return (today.year if today.month >= 7 else today.year - 1, 10)


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


def _climate_rows(request: HttpRequest, posted_code: str | None) -> list[ClimateRowForm]:
    """One form per climate station; the one posted is bound (its errors shown in place)."""
    return [
        ClimateRowForm(
            request.POST if station.code == posted_code else None,
            station=station,
            month_labels=MONTH_SHORT,
        )
        for station in climate_station_list()
    ]


@login_required
def estimators_view(request: HttpRequest) -> HttpResponse:
    """Estimates, and for coordinators the settings: one form per estimator (a field per
    parameter) and the climate table edited in place (a row saved at a time, HTMX)."""
    can_edit = user_can(request.user, Action.ESTIMATOR_EDIT)
    posted = request.method == "POST"
    if posted:
        require(request.user, Action.ESTIMATOR_EDIT)
    key = request.POST.get("key", "")
    forms_by_key = {
        k: EstimatorForm(
            request.POST if posted and key == k else None,
            estimator=estimator,
            initial={parameter_field_name(n): v for n, v in estimator_values(k).items()},
            prefix=k,
        )
        for k, estimator in ESTIMATORS.items()
    }
    posted_code = request.POST.get("code", "") if posted and key == "climate" else None
    rows = _climate_rows(request, posted_code)
    row = next((r for r in rows if r.station.code == posted_code), None)
    extra: dict[str, Any] = {"row": row, "saved": False}
    # A refused POST re-shows this page (an HTMX row save: that row) with the errors.
    page = form_page(
        request,
        "needs/estimators.html",
        lambda: {**_estimators_context(request, forms_by_key, rows, can_edit), **extra},
        form=forms_by_key.get(key) or row,
        partial="needs/partials/climate_row.html" if row is not None else None,
    )
    if posted and key == "generate":
        return _heating_drafts_generate(request)
    if posted and key == "climate":
        if row is None:
            raise InvalidInput(_("Unknown climate station."), field="code")
        if not row.is_valid():
            return page.render(request, status=400)
        station = services.climate_station_months_set(
            actor=request.user, station=row.station, monthly_mean_c=row.values
        )
        if getattr(request, "htmx", False):
            extra["row"] = ClimateRowForm(station=station, month_labels=MONTH_SHORT)
            extra["saved"] = True
            return page.render(request)
        messages.success(request, _("Climate table saved."))
        return redirect("needs:estimators")
    if posted and key in forms_by_key:
        form = forms_by_key[key]
        if not form.is_valid():
            return page.render(request, status=400)
        services.estimator_parameters_set(actor=request.user, key=key, parameters=form.parsed)
        messages.success(request, _("Parameters saved."))
        return redirect(reverse("needs:estimators") + f"#parameters-{key}")
    if posted:
        raise InvalidInput(field="key")
    return page.render(request)


def _estimators_context(
    request: HttpRequest, forms_by_key: dict[str, Any], rows: list[Any], can_edit: bool
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
            {"key": k, "label": ESTIMATORS[k].label, "form": form}
            for k, form in forms_by_key.items()
        ],
        "can_edit": can_edit,
        "assessments": assessments,
        "problems": problems,
        "season": f"{season[0]}-{season[1]:02d}",
        "climate_rows": rows,
        "climate_source": rows[0].station.source if rows else "",
        "months": MONTH_SHORT,
    }

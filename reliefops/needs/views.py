"""Pages of the needs domain: requests, their workflow, gap analysis, estimators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.panels import detail_panels
from reliefops.core.permissions import require, user_can
from reliefops.core.queries import query_params
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
    request_list_choices,
    request_list_rows,
    request_sources_allowed,
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


#: Under a request, what happens next in its status (who acts, then what follows).
NEXT_STEPS = {
    RequestStatus.DRAFT: gettext_lazy(
        "This is a draft (an estimator's, or saved for later). Check the lines and submit "
        "it; a coordinator or field officer of the area then verifies it."
    ),
    RequestStatus.SUBMITTED: gettext_lazy(
        "Next: a coordinator or field officer of the area verifies the need (who, how much, "
        "when). Then a coordinator approves it, logistics plans the quantities and date, and "
        "the goods are dispatched from a warehouse."
    ),
    RequestStatus.VERIFIED: gettext_lazy(
        "Next: a coordinator approves it. Then logistics plans the quantities and the date, "
        "and dispatches the goods from a warehouse."
    ),
    RequestStatus.APPROVED: gettext_lazy(
        "Next: logistics plans it (the quantity per line and the delivery date), then "
        "dispatches the goods from a warehouse."
    ),
    RequestStatus.PLANNED: gettext_lazy(
        "Next: logistics dispatches the planned goods from a warehouse; the receiving team "
        "then confirms what arrived."
    ),
    RequestStatus.DISPATCHED: gettext_lazy(
        "Next: the receiving team confirms what arrived, line by line."
    ),
    RequestStatus.PARTIALLY_DELIVERED: gettext_lazy(
        "Part has arrived: the rest can be dispatched and confirmed, or a coordinator "
        "closes the request."
    ),
    RequestStatus.DELIVERED: gettext_lazy(
        "Everything has arrived: a coordinator closes the request."
    ),
    RequestStatus.CLOSED: gettext_lazy("The request is closed; nothing more happens to it."),
    RequestStatus.REJECTED: gettext_lazy(
        "The request was rejected (see the reason); nothing more happens to it."
    ),
    RequestStatus.CANCELLED: gettext_lazy(
        "The request was cancelled (see the reason); nothing more happens to it."
    ),
}
#: The usual road of a request, shown as a row of steps on its page.
MAIN_PATH = [
    RequestStatus.SUBMITTED,
    RequestStatus.VERIFIED,
    RequestStatus.APPROVED,
    RequestStatus.PLANNED,
    RequestStatus.DISPATCHED,
    RequestStatus.DELIVERED,
    RequestStatus.CLOSED,
]


def _request_form(
    request: HttpRequest, data: Any, choices: Any = None, **kwargs: Any
) -> RequestForm:
    choices = choices or request_form_choices(actor=request.user)
    return RequestForm(
        data,
        facilities=choices.facilities,
        organisations=choices.organisations,
        items=choices.items,
        sources=request_sources_allowed(actor=request.user),
        **kwargs,
    )


@login_required
def request_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REQUEST_SUBMIT)
    if request.method == "POST" and "add_line" in request.POST:
        # Without JavaScript, "Add a line" posts the form back: shown again, one line more.
        indexes = RequestForm.indexes_in(request.POST)
        indexes.append(max(indexes, default=-1) + 1)
        form = _request_form(request, None, initial=request.POST.dict(), line_indexes=indexes)
        return render(request, "needs/request_form.html", {"form": form})
    choices = request_form_choices(actor=request.user)
    initial: dict[str, Any] = {"needed_from": timezone.localdate()}
    preselect = query_params(request, RequestCreateQuery).get("facility")
    if preselect:
        initial["facility"] = choices.facilities.filter(code=preselect).first()
        initial["requester_kind"] = "facility"
    form = _request_form(request, request.POST or None, choices, initial=initial)
    # A service error (a possible duplicate, a fuel the facility does not use, a facility
    # out of scope…) re-shows the form: messages next to the fields they name, the rest at
    # the top; the duplicates and the fuel are in ``error_outcome.details``.
    page = form_page(request, "needs/request_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        data = form.cleaned_data
        created = services.request_submit(
            actor=request.user,
            data=form.request_input(),
            confirm_duplicate=data["confirm_duplicate"],
            confirm_fuel=data["confirm_fuel"],
        )
        messages.success(request, _("Request %(ref)s submitted.") % {"ref": created.reference})
        return redirect("needs:request_detail", pk=created.pk)
    return page.render(request)


def _step_form(request: HttpRequest, target: Any, step: str, data: Any = None) -> StepForm:
    transition = services.TRANSITIONS[step]
    warehouses = (
        dispatch_warehouse_list(actor=request.user) if "warehouse" in transition.needs else None
    )
    return StepForm(data, step=step, transition=transition, request=target, warehouses=warehouses)


def _detail_context(
    request: HttpRequest, target: Any, bound: StepForm | None = None
) -> dict[str, Any]:
    """The request's page: its facts, the steps open to the user (each with the form the
    transition table says it needs), what happens next, comments and history."""
    steps = []
    allowed = services.transitions_allowed(actor=request.user, request=target)
    # The usual next step first, side steps after, destructive ones last.
    order = {"primary": 0, "secondary": 1, "danger": 2}
    allowed.sort(key=lambda name: order.get(services.TRANSITIONS[name].style, 1))
    for name in allowed:
        form = bound if bound is not None and bound.step == name else None
        form = form or _step_form(request, target, name)
        steps.append({"name": name, "transition": services.TRANSITIONS[name], "form": form})
    status = target.status
    reached = MAIN_PATH.index(status) if status in MAIN_PATH else -1
    if status == RequestStatus.PARTIALLY_DELIVERED:
        reached = MAIN_PATH.index(RequestStatus.DISPATCHED)
    return {
        "req": target,
        "steps": steps,
        "comment_form": CommentForm(),
        "can_comment": user_can(request.user, Action.COMMENT_ADD, area=target.area),
        "history": request_history(request=target),
        "next_text": NEXT_STEPS.get(status, ""),
        "path": [
            {"status": s, "label": s.label, "done": i < reached, "current": i == reached}
            for i, s in enumerate(MAIN_PATH)
        ],
        "off_path": reached < 0 and status != RequestStatus.DRAFT,
        "panels": detail_panels(request, "request", target),
    }


@login_required
def request_detail_view(request: HttpRequest, pk: Any) -> HttpResponse:
    target = request_get(actor=request.user, pk=pk)
    return render(request, "needs/request_detail.html", _detail_context(request, target))


@login_required
@require_POST
def request_step_view(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    """One workflow step with what its row of the table asks for (a reason, quantities, a
    date, a warehouse, a confirmation); a refused step re-shows the request with the
    messages next to the step's fields and the error's status."""
    target = request_get(actor=request.user, pk=pk)
    if step not in services.REQUEST_WORKFLOW.transitions:
        raise NotFound(step=step)  # no such step: no such page
    form = _step_form(request, target, step, request.POST)
    context = _detail_context(request, target, bound=form)
    shown = step in [s["name"] for s in context["steps"]]
    # The error goes next to the step's form when the page shows it, else atop the page.
    page = form_page(request, "needs/request_detail.html", context, form=form if shown else None)
    if not form.is_valid():
        if not shown:
            # Not open to this user now: the one check says why (403, 404 or 409).
            services.REQUEST_WORKFLOW.check(
                actor=request.user, record=target, step=step, reason=form.data.get("reason", "")
            )
        return page.render(request, status=400)
    services.request_transition(
        actor=request.user,
        request=target,
        step=step,
        reason=form.cleaned_data.get("reason", ""),
        warehouse=form.cleaned_data.get("warehouse"),
        quantities=form.quantities(),
        planned_for=form.cleaned_data.get("planned_for"),
    )
    messages.success(request, _("Done: %(step)s.") % {"step": services.STEP_LABELS.get(step, step)})
    return redirect("needs:request_detail", pk=pk)


@login_required
@require_POST
def request_comment_view(request: HttpRequest, pk: Any) -> HttpResponse:
    target = request_get(actor=request.user, pk=pk)
    form = CommentForm(request.POST)
    context = _detail_context(request, target)
    context["comment_form"] = form
    page = form_page(request, "needs/request_detail.html", context, form=form)
    if not form.is_valid():
        return page.render(request, status=400)
    services.request_comment_add(actor=request.user, request=target, text=form.cleaned_data["text"])
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
        chart["labels"].append(total.item_name or total.item_code)
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

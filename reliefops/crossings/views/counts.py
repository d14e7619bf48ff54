"""Flow-count pages: the list (filters shared with the API and the export), recording a
count, and a count's page with its history and the correction form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core.actions import Action
from reliefops.core.demography import AgeBand, Sex
from reliefops.core.errors import Forbidden
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require
from reliefops.crossings import selectors, services
from reliefops.crossings.choices import CountMethod, Direction, cell_field
from reliefops.crossings.filtersets import CrossingCountFilterSet
from reliefops.crossings.forms import CountForm, count_initial

OUTCOME_MESSAGES = {
    services.CREATED: gettext_lazy("The count is recorded."),
    services.UPDATED: gettext_lazy(
        "The count is corrected; its history keeps what it said before."
    ),
    services.UNCHANGED: gettext_lazy("This count was already recorded with these figures."),
}


@login_required
def count_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        CrossingCountFilterSet,
        selectors.crossing_count_list(actor=request.user),
        target="#count-list",
        export_kind="crossing-counts",
        form_id="count-filters",
    )
    return render(
        request,
        "crossings/count_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "points": selectors.crossing_points(actor=request.user),
            "directions": Direction.choices,
            "methods": CountMethod.choices,
            "can_record": selectors.can_record(request.user),
        },
        partial="crossings/partials/count_rows.html",
    )


def _form(request: HttpRequest, data: Any = None, **kwargs: Any) -> CountForm:
    point = kwargs.pop("point", None)
    setting = selectors.crossing_point_setting(point) if point is not None else None
    return CountForm(
        data,
        points=selectors.recording_points(actor=request.user),
        organisations=selectors.recording_organisations(actor=request.user),
        setting=setting,
        **kwargs,
    )


@login_required
def count_create_view(request: HttpRequest) -> HttpResponse:
    """Record a count (``?point=<code>`` preselects the crossing point)."""
    require(request.user, Action.CROSSING_COUNT_RECORD)
    point = None
    code = request.GET.get("point", "")[:32]
    if code:
        point = selectors.recording_points(actor=request.user).filter(code=code).first()
    initial: dict[str, Any] = {
        "organisation": selectors.recording_organisation_default(actor=request.user)
    }
    if point is not None:
        initial["crossing_point"] = point
    form = _form(request, request.POST or None, initial=initial, point=point)
    page = form_page(
        request, "crossings/count_form.html", {"form": form, "point": point}, form=form
    )
    if request.method != "POST":
        return page.render(request)
    if not form.is_valid():
        return page.render(request, status=400)
    result = services.crossing_count_record(
        actor=request.user, data=form.to_input(), reason=form.cleaned_data["reason"]
    )
    messages.success(request, OUTCOME_MESSAGES[result.outcome])
    return redirect("crossings:count_detail", pk=result.count.pk)


def _detail_context(request: HttpRequest, count: Any, form: CountForm | None) -> dict[str, Any]:
    setting = selectors.crossing_point_setting(count.crossing_point)
    return {
        "count": count,
        "direction_label": selectors.direction_label(setting, count.direction),
        "cells": form.cell_rows() if form is not None else [],
        "grid": _grid(count),
        "sex_labels": [str(label) for label in Sex.labels],
        "history": selectors.crossing_count_history(count),
        "form": form,
    }


def _grid(count: Any) -> list[dict[str, Any]]:
    return [
        {"band": label, "values": [getattr(count, cell_field(sex, band)) for sex in Sex.values]}
        for band, label in AgeBand.choices
    ]


@login_required
def count_detail_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """GET: the count, its history and (for those who record there) the correction form.
    POST: correct it (a reason is required)."""
    count = selectors.crossing_count_get(actor=request.user, pk=pk)
    may_correct = selectors.can_record(request.user, count.crossing_point)
    if request.method != "POST":
        form = (
            _form(
                request, initial=count_initial(count), point=count.crossing_point, correcting=True
            )
            if may_correct
            else None
        )
        return render(request, "crossings/count_detail.html", _detail_context(request, count, form))
    if not may_correct:
        raise Forbidden(_("Only those who record counts at this crossing point correct them."))
    form = _form(request, request.POST, point=count.crossing_point, correcting=True)
    page = form_page(
        request,
        "crossings/count_detail.html",
        lambda: _detail_context(request, count, form),
        form=form,
    )
    if not form.is_valid():
        return page.render(request, status=400)
    result = services.crossing_count_correct(
        actor=request.user, count=count, data=form.to_input(), reason=form.cleaned_data["reason"]
    )
    messages.success(request, OUTCOME_MESSAGES[result.outcome])
    return redirect("crossings:count_detail", pk=result.count.pk)

"""Pages of the coordination domain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.coordination.choices import ActivityStatus, AgeGroup, Sector
from reliefops.coordination.filtersets import ActivityFilterSet, OrganisationFilterSet
from reliefops.coordination.forms import ActivityForm
from reliefops.coordination.selectors import (
    activity_admin1,
    activity_area_choices,
    activity_area_counts,
    activity_get,
    activity_list,
    activity_list_areas,
    activity_list_organisations,
    activity_map_geojson,
    activity_matrix,
    activity_organisation_choices,
    activity_partner_choices,
    activity_people,
    activity_place_by_code,
    partner_organisation_list,
    partner_sectors,
)
from reliefops.coordination.services import (
    ACTIVITY_FIELDS,
    ACTIVITY_WORKFLOW,
    activity_create,
    activity_step,
    activity_steps_allowed,
    activity_update,
)
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import can_write, require, require_write, user_can
from reliefops.core.queries import query_filter


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """The partner organisations (reference data every signed-in user sees) and their sectors."""
    lst = list_page(
        request,
        OrganisationFilterSet,
        partner_organisation_list(actor=request.user),
        target="#organisation-list",
        export_kind="partners",
        form_id="organisation-filters",
    )
    rows = partner_sectors(actor=request.user, organisations=lst.rows)
    return render(
        request,
        "coordination/organisation_list.html",
        {"lst": lst, "values": lst.values, "rows": rows, "sectors": Sector.choices},
        partial="coordination/partials/organisation_rows.html",
    )


# --- added for fourw
def _activity_form(request: HttpRequest, **kwargs: Any) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        areas=activity_area_choices(actor=request.user),
        organisations=activity_organisation_choices(actor=request.user),
        partners=activity_partner_choices(actor=request.user),
        place_by_code=lambda code: activity_place_by_code(request.user, code),
        **kwargs,
    )


def _filter_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "sectors": Sector.choices,
        "statuses": ActivityStatus.choices,
        "areas": activity_list_areas(actor=request.user),
        "organisations": activity_list_organisations(actor=request.user),
        "can_edit": user_can(request.user, Action.ACTIVITY_EDIT),
    }


@login_required
def activity_list_view(request: HttpRequest) -> HttpResponse:
    """The 4W list: filters shared with the API and the export, people reached in total."""
    lst = list_page(
        request,
        ActivityFilterSet,
        activity_list(actor=request.user),
        target="#activity-list",
        export_kind="activities",
        form_id="activity-filters",
    )
    rows = [
        {
            "activity": a,
            "admin1": activity_admin1(a.area),
            "planned": activity_people(a, "planned"),
            "reached": activity_people(a, "reached"),
        }
        for a in lst.rows
    ]
    context = {
        "lst": lst,
        "values": lst.values,
        "rows": rows,
        "query": lst.query(page=None, page_size=None, o=None),
        **_filter_context(request),
    }
    return render(
        request,
        "coordination/activity_list.html",
        context,
        partial="coordination/partials/activity_rows.html",
    )


@login_required
def activity_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ACTIVITY_EDIT)
    form = _activity_form(request)
    page = form_page(
        request, "coordination/activity_form.html", {"form": form, "activity": None}, form=form
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        activity = activity_create(actor=request.user, **values)
        messages.success(request, _("Activity %(ref)s recorded.") % {"ref": activity.reference})
        return redirect("coordination:activity_detail", reference=activity.reference)
    return page.render(request, status=400 if form.is_bound else 200)


def _steps(request: HttpRequest, activity: Any) -> list[dict[str, Any]]:
    return [
        {"name": name, "transition": ACTIVITY_WORKFLOW.transitions[name]}
        for name in activity_steps_allowed(actor=request.user, activity=activity)
    ]


def _initial(activity: Any) -> dict[str, Any]:
    initial = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    initial["place"] = activity.place.code if activity.place else ""
    return initial


@login_required
def activity_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    """One activity: its facts, its workflow steps and (for who may edit it) the form."""
    activity = activity_get(actor=request.user, reference=reference)
    editable = can_write(
        request.user,
        Action.ACTIVITY_EDIT,
        area=activity.area,
        organisation=activity.organisation,
    )
    form = _activity_form(request, initial=_initial(activity)) if editable else None
    context = {
        "activity": activity,
        "form": form,
        "steps": _steps(request, activity),
        "people": activity_people_grid(activity),
        "planned": activity_people(activity, "planned"),
        "reached": activity_people(activity, "reached"),
    }
    page = form_page(request, "coordination/activity_detail.html", context, form=form)
    if request.method == "POST":
        if form is None:  # the one check says why
            require_write(
                request.user,
                Action.ACTIVITY_EDIT,
                area=activity.area,
                organisation=activity.organisation,
            )
        elif form.is_valid():
            activity_update(actor=request.user, activity=activity, changes=form.cleaned_data)
            messages.success(request, _("Activity %(ref)s saved.") % {"ref": reference})
            return redirect("coordination:activity_detail", reference=reference)
        return page.render(request, status=400)
    return page.render(request)


@login_required
@require_POST
def activity_step_view(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    """One workflow step of an activity (the buttons of its page post here)."""
    activity = activity_get(actor=request.user, reference=reference)
    if step not in ACTIVITY_WORKFLOW.transitions:
        raise NotFound(step=step)
    context = {
        "activity": activity,
        "form": None,
        "steps": _steps(request, activity),
        "people": activity_people_grid(activity),
        "planned": activity_people(activity, "planned"),
        "reached": activity_people(activity, "reached"),
    }
    form_page(request, "coordination/activity_detail.html", context)
    activity_step(
        actor=request.user,
        activity=activity,
        step=step,
        reason=request.POST.get("reason", "")[:500],
    )
    label = ACTIVITY_WORKFLOW.transitions[step].label
    messages.success(request, _("Done: %(step)s.") % {"step": label})
    return redirect("coordination:activity_detail", reference=reference)


def activity_people_grid(activity: Any) -> list[dict[str, Any]]:
    """Planned and reached per sex (rows) and age group (columns) for the facts table."""
    rows = []
    for measure, label in (("planned", _("Planned")), ("reached", _("Reached"))):
        for sex, sex_label in (("female", _("female")), ("male", _("male"))):
            rows.append(
                {
                    "label": f"{label}, {sex_label}",
                    "cells": [getattr(activity, f"{measure}_{sex}_{g}") for g in AgeGroup.values],
                }
            )
    return rows


def _filtered(request: HttpRequest) -> Any:
    """The actor's activities under the list's filters (the map and the matrix)."""
    return query_filter(request, ActivityFilterSet, activity_list(actor=request.user))


@login_required
def activity_map_view(request: HttpRequest) -> HttpResponse:
    """The 4W map: level-1 areas shaded by organisations or activities, and the counts
    as a table (the same numbers)."""
    filters = _filtered(request)
    measure = "activities" if request.GET.get("measure") == "activities" else "organisations"
    counts = activity_area_counts(actor=request.user, activities=filters.qs)
    context = {
        "values": dict(filters.form.cleaned_data),
        "measure": measure,
        "counts": counts,
        "geometry": activity_map_geojson(actor=request.user, activities=filters.qs),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "query": request.GET.urlencode(),
        **_filter_context(request),
    }
    return render(request, "coordination/activity_map.html", context)


@login_required
def activity_matrix_view(request: HttpRequest) -> HttpResponse:
    """Organisations × areas: which organisation works where (sector filter and the
    list's other filters)."""
    filters = _filtered(request)
    matrix = activity_matrix(actor=request.user, activities=filters.qs)
    context = {
        "values": dict(filters.form.cleaned_data),
        "matrix": matrix,
        "sector_labels": dict(Sector.choices),
        "query": request.GET.urlencode(),
        **_filter_context(request),
    }
    return render(request, "coordination/activity_matrix.html", context)

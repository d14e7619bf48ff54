"""The populations page: every place with a baseline — the baseline with its source and
date, the estimated current population with its low–high range and the net flow it
includes — and, for those who edit populations, a form to add a baseline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.crossings import selectors, services
from reliefops.crossings.filtersets import PopulationFilterSet
from reliefops.crossings.forms import BaselineForm


def _pct(fraction: float) -> str:
    return f"{fraction * 100:g}"


def _uncertainty() -> dict[str, Any]:
    u = selectors.population_uncertainty()
    return {
        "ages": [(f"{years:g}", _pct(f)) for years, f in u.baseline_by_age],
        "older": _pct(u.baseline_older),
        "counted": _pct(u.counted),
        "estimated": _pct(u.estimated),
    }


def _context(request: HttpRequest, form: BaselineForm | None) -> dict[str, Any]:
    lst = list_page(
        request,
        PopulationFilterSet,
        selectors.population_place_list(actor=request.user),
        target="#population-list",
        export_kind="populations",
        form_id="population-filters",
    )
    places = list(lst.rows)
    on = timezone.localdate()
    estimates = selectors.population_current([p.pk for p in places], on=on)
    return {
        "lst": lst,
        "values": lst.values,
        "rows": [(p, estimates.get(p.pk)) for p in places],
        "on": on,
        "uncertainty": _uncertainty(),
        "form": form,
    }


@login_required
def population_list_view(request: HttpRequest) -> HttpResponse:
    """GET: the list. POST: add (or replace) a baseline."""
    can_edit = selectors.can_edit_populations(request.user)
    if request.method != "POST":
        form = BaselineForm() if can_edit else None
        return render(
            request,
            "crossings/population_list.html",
            _context(request, form),
            partial="crossings/partials/population_rows.html",
        )
    if not can_edit:
        raise Forbidden(_("Only those who edit populations add a baseline."))
    form = BaselineForm(request.POST)
    page = form_page(
        request, "crossings/population_list.html", lambda: _context(request, form), form=form
    )
    if not form.is_valid():
        return page.render(request, status=400)
    data = form.cleaned_data
    place = selectors.lookup_place(data["place"])
    if place is None:
        raise InvalidInput(_("No place with this P-code."), field="place")
    services.population_baseline_record(
        actor=request.user,
        place=place,
        value=data["population"],
        as_of=data["as_of"],
        source=data["source"],
        notes=data["notes"],
    )
    messages.success(request, _("The baseline of %(place)s is saved.") % {"place": place.name})
    return redirect(f"{request.path}?q={place.code}")

"""The crossings overview (a map of crossing points sized by the persons counted over the
last 14 days; a daily and cumulative chart per crossing point and direction, each with
its figures as a table) and a crossing point's page (its flows over a chosen span, its
latest counts, its catchment's estimated populations and, for those who edit
populations, its setting)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.forms import DateInput
from reliefops.core.htmx import render
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.queries import query_params
from reliefops.crossings import selectors, services
from reliefops.crossings.estimates import AreaEstimate
from reliefops.crossings.filtersets import SpanQuery
from reliefops.crossings.forms import SettingForm, setting_initial

#: The catchment's places listed on a crossing point's page (the largest by baseline).
CATCHMENT_ROWS = 10


def _map_settings() -> dict[str, Any]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


@login_required
def overview_view(request: HttpRequest) -> HttpResponse:
    days = selectors.OVERVIEW_DAYS
    rows = selectors.crossing_point_rows(actor=request.user, days=days)
    flowing = [r.point for r in rows if r.total]
    series = selectors.flow_series(flowing, days=days)
    return render(
        request,
        "crossings/overview.html",
        {
            "days": days,
            "end": timezone.localdate(),
            "rows": sorted(rows, key=lambda r: (-r.total, r.point.code)),
            "geojson": selectors.crossing_points_geojson(rows, get_language()),
            "series": series,
            "charts": [c for s in series for c in s.charts()],
            "can_record": selectors.can_record(request.user),
            **_map_settings(),
        },
    )


def _span(request: HttpRequest, point: Any) -> tuple[int, dt.date]:
    query = query_params(request, SpanQuery)
    days, end = query["days"], query["end"]
    if end is None:
        end = timezone.localdate()
        span = selectors.flow_span(point)
        if span is not None and span[1] < end - dt.timedelta(days=days - 1):
            end = span[1]  # the last counts are older than the span: show them
    return days, end


def _context(request: HttpRequest, point: Any, form: SettingForm | None) -> dict[str, Any]:
    days, end = _span(request, point)
    series = selectors.flow_series([point], days=days, end=end)[0]
    setting = series.setting
    estimates = selectors.population_current(on=end)
    held = [
        (place, estimates[place.pk])
        for place in selectors.population_place_list(actor=request.user).filter(
            pk__in=[pk for pk, e in estimates.items() if point.code in e.crossing_points]
        )
    ]
    held.sort(key=lambda pe: (-pe[1].baseline, pe[0].code))
    total = AreaEstimate()
    for _place, estimate in held:
        total = total.add(estimate)
    return {
        "point": point,
        "setting": setting,
        "catchment_areas": list(setting.catchment.all()) if setting else [],
        "series": series,
        "charts": series.charts(),
        "table": series.table(),
        "labels": series.labels(),
        "days": days,
        "end": end,
        "end_input": DateInput().render("end", end),
        "counts": list(
            selectors.crossing_count_list(actor=request.user).filter(crossing_point=point)[:20]
        ),
        "catchment": held[:CATCHMENT_ROWS],
        "catchment_total": total,
        "form": form,
        "can_record": selectors.can_record(request.user, point),
        "geojson": selectors.crossing_points_geojson(
            [r for r in selectors.crossing_point_rows(actor=request.user) if r.point == point],
            get_language(),
        ),
        **_map_settings(),
    }


def _setting_form(request: HttpRequest, point: Any, data: Any = None) -> SettingForm | None:
    if not selectors.can_edit_populations(request.user, point.place.admin1):
        return None
    setting = selectors.crossing_point_setting(point)
    return SettingForm(
        data,
        initial=setting_initial(setting),
        areas=selectors.catchment_choices(actor=request.user).filter(level__lte=2),
    )


@login_required
def point_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the page. POST (``form=setting``): save the crossing point's setting."""
    point = selectors.crossing_point_get(actor=request.user, code=code)
    if request.method != "POST":
        form = _setting_form(request, point)
        return render(request, "crossings/point_detail.html", _context(request, point, form))
    if request.POST.get("form") != "setting":
        raise InvalidInput(_("Say which form is sent."), field="form")
    form = _setting_form(request, point, request.POST)
    if form is None:
        raise Forbidden(_("Only those who edit populations set a crossing point’s catchment."))
    form_page(
        request, "crossings/point_detail.html", lambda: _context(request, point, form), form=form
    )
    if not form.is_valid():
        raise form_invalid(form)
    services.crossing_point_setting_set(
        actor=request.user,
        crossing_point=point,
        catchment=form.cleaned_data["catchment"],
        outbound_labels=form.labels("outbound"),
        inbound_labels=form.labels("inbound"),
    )
    messages.success(request, _("The crossing point’s setting is saved."))
    return redirect("crossings:point_detail", code=point.code)

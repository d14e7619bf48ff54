"""Pages of the reports domain: the overview (home page) and the map."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from reliefops.core.htmx import render
from reliefops.core.queries import query_params
from reliefops.reports.filtersets import AdminAreaLayerQuery, ReportDayQuery, SitrepQuery
from reliefops.reports.selectors import (
    CONTENT_TYPES,
    actor_role_labels,
    admin_area_geojson,
    awaiting_action,
    dashboard_charts,
    dashboard_report,
    dashboard_summary,
    heating_cover_geojson,
    open_request_geojson,
    request_priority_legend,
    sitrep_filename,
    sitrep_render,
)


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """The overview: first what waits for the user's action, then open requests,
    warehouses, blocked roads, latest requests — all in the user's scope."""
    actor = request.user
    return render(
        request,
        "reports/home.html",
        {
            "summary": dashboard_summary(actor=actor),
            "awaiting": awaiting_action(actor=actor),
            "role_labels": actor_role_labels(actor=actor),
        },
    )


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/map.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "priorities": request_priority_legend(),
        },
    )


@login_required
def admin_areas_geojson_view(request: HttpRequest) -> JsonResponse:
    level = query_params(request, AdminAreaLayerQuery).get("level")
    return JsonResponse(admin_area_geojson(actor=request.user, level=level))


@login_required
@require_GET
def open_requests_geojson_view(request: HttpRequest) -> JsonResponse:
    """The map's layer of open requests (scoped like the request list), coloured by priority;
    with ``?date``, those made on or before that day (the dashboard's figure)."""
    day = query_params(request, ReportDayQuery)["date"] if "date" in request.GET else None
    data = open_request_geojson(actor=request.user, lang=get_language(), day=day)
    for feature in data["features"]:
        props = feature["properties"]
        props["url"] = reverse("needs:request_detail", args=[props["id"]])
    return JsonResponse(data)


# --- added for dashboard: the dashboard and the situation report


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """The dashboard of a day (default today): every report section in the user's scope,
    charts with their numbers as tables, and a map with toggleable layers."""
    day = query_params(request, ReportDayQuery)["date"]
    report = dashboard_report(actor=request.user, day=day)
    return render(
        request,
        "reports/dashboard.html",
        {
            "report": report,
            "charts": dashboard_charts(report),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
@require_GET
def heating_geojson_view(request: HttpRequest) -> JsonResponse:
    """The map's layer of facilities watched for heating fuel (red below 7 days)."""
    day = query_params(request, ReportDayQuery)["date"]
    return JsonResponse(heating_cover_geojson(actor=request.user, day=day))


@login_required
@require_GET
def sitrep_view(request: HttpRequest) -> HttpResponse:
    """Generate the situation report: preview it (HTML) or, with ``format``, download it."""
    params = query_params(request, SitrepQuery)
    day, fmt = params["date"], params["format"]
    language = params["language"] or get_language()
    if fmt:
        body = sitrep_render(request.user, day, fmt, language)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        name = sitrep_filename(day, fmt, language)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    with translation.override(language):
        preview = mark_safe(sitrep_render(request.user, day, "html_fragment", language).decode())  # noqa: S308
    return render(
        request,
        "reports/sitrep.html",
        {
            "day": day,
            "language": language,
            "languages": settings.LANGUAGES,
            "formats": [("pdf", "PDF"), ("html", "HTML"), ("md", "Markdown")],
            "preview": preview,
        },
    )

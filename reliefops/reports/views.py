"""Pages of the reports domain: the overview (home page) and the map."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from reliefops.core.htmx import render
from reliefops.core.queries import query_params
from reliefops.reports.filtersets import AdminAreaLayerQuery
from reliefops.reports.selectors import (
    actor_role_labels,
    admin_area_geojson,
    awaiting_action,
    dashboard_summary,
    open_request_geojson,
    request_priority_legend,
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
    """The map's layer of open requests (scoped like the request list), coloured by priority."""
    data = open_request_geojson(actor=request.user, lang=get_language())
    for feature in data["features"]:
        props = feature["properties"]
        props["url"] = reverse("needs:request_detail", args=[props["id"]])
    return JsonResponse(data)

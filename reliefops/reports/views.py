"""Pages of the reports domain: the overview (home page) and the map."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reliefops.core.htmx import render
from reliefops.core.pages import form_page
from reliefops.core.queries import query_params
from reliefops.core.replica import replica_reads
from reliefops.reports.filtersets import AdminAreaLayerQuery, ReportDayQuery, SitrepQuery
from reliefops.reports.forms import SitrepSubscriptionForm
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
    sitrep_subscription_get,
)
from reliefops.reports.services import sitrep_subscribe, sitrep_unsubscribe


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
@replica_reads
def admin_areas_geojson_view(request: HttpRequest) -> JsonResponse:
    level = query_params(request, AdminAreaLayerQuery).get("level")
    return JsonResponse(admin_area_geojson(actor=request.user, level=level))


@login_required
@require_GET
@replica_reads
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
@replica_reads
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
@replica_reads
def heating_geojson_view(request: HttpRequest) -> JsonResponse:
    """The map's layer of facilities watched for heating fuel (red below 7 days)."""
    day = query_params(request, ReportDayQuery)["date"]
    return JsonResponse(heating_cover_geojson(actor=request.user, day=day))


def _sitrep_context(
    request: HttpRequest, day: Any, language: str, form: SitrepSubscriptionForm | None = None
) -> dict[str, Any]:
    """The sitrep page: the preview of ``day`` in ``language``, the downloads and the
    "weekly by e-mail" form (``form``: the one posted, with its errors)."""
    with translation.override(language):
        preview = mark_safe(sitrep_render(request.user, day, "html_fragment", language).decode())  # noqa: S308
    subscription = sitrep_subscription_get(actor=request.user)
    if form is None:
        form = SitrepSubscriptionForm(
            initial=SitrepSubscriptionForm.initial_for(subscription, language)
        )
    return {
        "day": day,
        "language": language,
        "languages": settings.LANGUAGES,
        "formats": [("pdf", "PDF"), ("html", "HTML"), ("md", "Markdown")],
        "preview": preview,
        "subscription": subscription if subscription and subscription.active else None,
        "subscription_form": form,
        "has_email": bool((getattr(request.user, "email", "") or "").strip()),
    }


@login_required
@require_GET
@replica_reads
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
    return render(request, "reports/sitrep.html", _sitrep_context(request, day, language))


@login_required
@require_POST
def sitrep_subscription_view(request: HttpRequest) -> HttpResponse:
    """The sitrep page's "weekly by e-mail" form: subscribe oneself (language, attachment),
    change it, or (``action=unsubscribe``) stop it. Errors are shown on the sitrep page."""
    form = SitrepSubscriptionForm(request.POST)
    language = get_language()
    day = timezone.localdate()
    page = form_page(
        request,
        "reports/sitrep.html",
        lambda: _sitrep_context(request, day, language, form),
        form=form,
    )
    if request.POST.get("action") == "unsubscribe":
        if sitrep_unsubscribe(actor=request.user) is not None:
            messages.success(request, _("You no longer receive the weekly situation report."))
        return redirect("reports:sitrep")
    if not form.is_valid():
        return page.render(request, status=400)
    subscription = sitrep_subscribe(
        actor=request.user,
        language=form.cleaned_data["language"],
        attachment=form.cleaned_data["attachment"],
    )
    messages.success(
        request,
        _("The weekly situation report will be e-mailed to %(email)s.")
        % {"email": subscription.user.email},
    )
    return redirect("reports:sitrep")

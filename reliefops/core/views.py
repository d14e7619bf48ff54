"""Endpoints of the core: health check, language switch, password change, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.error_path import TITLES, ErrorOutcome, error_outcome
from reliefops.core.jobs import broker_check, broker_inline
from reliefops.core.middleware import activate_for_user
from reliefops.core.offline import WORKER_SOURCE, worker_config
from reliefops.core.pages import error_response


def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status as JSON; 503 when something required is down."""
    checks: dict[str, Any] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # health check must report, not raise
        healthy = False
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    if broker_inline():
        checks["broker"] = {"ok": True, "mode": "inline"}
    elif error := broker_check():
        healthy = False
        checks["broker"] = {
            "ok": False,
            "mode": "celery",
            "error": error,
            "message": _(
                "The job queue (broker) cannot be reached: background jobs are refused "
                "and recorded as failed until it is back."
            ),
        }
    else:
        checks["broker"] = {"ok": True, "mode": "celery"}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    lang = request.POST.get("language", "")
    supported = {code for code, _label in settings.LANGUAGES}
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if lang in supported:
        activate_for_user(request, lang)
        user: Any = request.user
        if user.is_authenticated and getattr(user, "language", None) != lang:
            user.language = lang
            user.save(update_fields=["language"])
    response = redirect(next_url)
    if lang in supported:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: the service worker of the offline phone pages (docs/offline.md).

    Served from the site's root with ``Service-Worker-Allowed: /`` so its scope is the
    whole site, and ``Cache-Control: no-cache`` so a phone checks for a new one on every
    visit. Its source is the static file ``core/offline/sw.js`` preceded by its
    configuration (:func:`reliefops.core.offline.worker_config`). Public: it names static
    files and page addresses, no data.
    """
    config = json.dumps(worker_config(), separators=(",", ":"))
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    response = HttpResponse(
        f"self.RELIEFOPS_OFFLINE = {config};\n{source}",
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: browsers ask for it on every site; the icon is the static SVG."""
    return redirect(static("reliefops/favicon.svg"), permanent=True)


def _api_names(patterns: Sequence[Any], namespace: str) -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _api_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}"


class ApiRootView(APIView):
    """``/api/v1/``: what the API offers — every operation reached without a path argument
    (collections such as ``requests``, and operations such as ``needs/gap``), with links,
    and where the documentation and the OpenAPI schema are. Public, like the schema: it
    names endpoints and holds no data.

    ``patterns`` are the API's URL patterns (``reliefops.urls`` passes them), so an
    endpoint added in any app is listed without editing this view.
    """

    permission_classes = [AllowAny]
    patterns: Sequence[Any] = ()
    namespace = "api"

    def _endpoints(self, request: Request) -> dict[str, str]:
        root = reverse(f"{self.namespace}:root")
        found: dict[str, str] = {}
        for name in _api_names(self.patterns, self.namespace):
            try:
                url = reverse(name)
            except NoReverseMatch:  # needs a path argument: see the documentation
                continue
            key = url.removeprefix(root).strip("/")
            if key and key not in found:
                found[key] = request.build_absolute_uri(url)
        return dict(sorted(found.items()))

    @extend_schema(
        summary="The API root: its endpoints and documentation",
        responses=inline_serializer(
            "ApiRoot",
            {
                "name": serializers.CharField(),
                "version": serializers.CharField(),
                "docs": serializers.URLField(),
                "schema": serializers.URLField(),
                "endpoints": serializers.DictField(child=serializers.URLField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS.get("TITLE", "API"),
                "version": settings.SPECTACULAR_SETTINGS.get("VERSION", ""),
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "endpoints": self._endpoints(request),
            }
        )


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: Any = self.request.user
        if getattr(user, "must_change_password", False):
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password was changed."))
        return response


def _handler(
    request: HttpRequest, exception: BaseException | None, fallback: ErrorOutcome
) -> HttpResponse:
    """Django's error handlers answer through the same rendering as the middleware."""
    outcome = error_outcome(exception) if exception is not None else None
    return error_response(request, outcome or fallback)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _handler(request, exception, ErrorOutcome(400, "bad_request", TITLES[400]))


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _handler(request, exception, ErrorOutcome(403, "forbidden", TITLES[403]))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django's resolver message names the URL patterns tried: never shown.
    return _handler(request, None, ErrorOutcome(404, "not_found", TITLES[404]))


def error_500(request: HttpRequest) -> HttpResponse:
    outcome = ErrorOutcome(500, "server_error", TITLES[500])
    return error_response(request, outcome)

"""Endpoints of the core: health check, language switch, password change, errors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.error_path import TITLES, ErrorOutcome, error_outcome
from reliefops.core.middleware import activate_for_user
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
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = {"ok": True, "mode": "inline"}
    else:
        try:
            from reliefops.celery import app

            with app.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = {"ok": True, "mode": "celery"}
        except Exception as exc:
            healthy = False
            checks["broker"] = {"ok": False, "mode": "celery", "error": exc.__class__.__name__}
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

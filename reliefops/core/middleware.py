"""Request middleware: the user's chosen language, forced password changes, the error path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from reliefops.core.error_path import error_outcome
from reliefops.core.pages import error_response

LANGUAGE_SESSION_KEY = "reliefops_language"


class UserLanguageMiddleware:
    """Activate the language chosen with the switcher (session), else the user's own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = None
        if hasattr(request, "session"):
            lang = request.session.get(LANGUAGE_SESSION_KEY)
        supported = {code for code, _ in settings.LANGUAGES}
        if lang in supported:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = lang
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """Users created by an administrator must set their own password before anything else."""

    ALLOWED = ("password_change", "logout", "set_language", "favicon")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(settings.STATIC_URL)
            and not request.path.startswith("/api/")
            and request.path not in {reverse(name) for name in self.ALLOWED}
        ):
            return redirect("password_change")
        return self.get_response(request)


class ErrorPageMiddleware:
    """The page side of the one error path (the API side is ``core.api.exception_handler``).

    An exception a view lets through is looked up in ``core.error_path.TABLE``: a service's
    ``NotFound`` becomes a 404, ``Forbidden`` a 403, ``Conflict`` a 409, other application
    errors a 400 (and so on for Django's and the database's expected errors), rendered by
    ``core.pages.error_response``: the form re-shown, the error page in the layout, the
    HTMX fragment, or the JSON body under ``/api/``. Unknown exceptions stay 500s.

    A URL argument with a control character names no object: a 404 before the view runs
    (PostgreSQL cannot even compare a text with NUL in it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, str) and any(ord(ch) < 32 for ch in value):
                return self.process_exception(request, Http404())
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        outcome = error_outcome(exception)
        if outcome is None:
            return None
        return error_response(request, outcome)


def activate_for_user(request: HttpRequest, lang: str) -> None:
    if hasattr(request, "session"):
        request.session[LANGUAGE_SESSION_KEY] = lang
    translation.activate(lang)

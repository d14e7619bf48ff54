"""Request middleware: the user's chosen language, and forced password changes."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

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

    ALLOWED = ("password_change", "logout", "set_language")

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


def activate_for_user(request: HttpRequest, lang: str) -> None:
    if hasattr(request, "session"):
        request.session[LANGUAGE_SESSION_KEY] = lang
    translation.activate(lang)

"""Signing in to the API: expiring tokens, and the one answer to a locked-out sign-in.

* API tokens (DRF's ``Token``, ``Authorization: Token …``) are valid for
  ``settings.API_TOKEN_TTL_HOURS`` from the moment they were issued. An expired token is a
  401 in the API's error format; ``POST /api/v1/auth/token/`` then issues a new one and
  ``DELETE`` on it revokes the caller's token (``reliefops.accounts.services``).
* django-axes counts failed sign-ins per username and client address. When a combination
  is locked out, :func:`lockout_response` answers: the JSON error (429, ``Retry-After``)
  under ``/api/``, the error page in the app's layout elsewhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from reliefops.core.errors import ApplicationError


def token_ttl() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_expires_at(token: Token) -> datetime:
    return token.created + token_ttl()


def token_is_expired(token: Token, *, now: datetime | None = None) -> bool:
    return token_expires_at(token) <= (now or timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses tokens older than ``API_TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("The API token has expired; request a new one at /api/v1/auth/token/."),
                code="token_expired",
            )
        return user, token


class LockedOut(ApplicationError):
    """Too many failed sign-ins for this username from this address."""

    status_code = 429
    code = "locked_out"
    default_message = _(
        "Too many failed sign-ins for this username from your address. "
        "Try again in %(minutes)d minutes."
    )


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def locked_out_error() -> LockedOut:
    seconds = cooloff_seconds()
    minutes = max(1, -(-seconds // 60))
    return LockedOut(LockedOut.default_message % {"minutes": minutes}, retry_after=seconds)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' ``AXES_LOCKOUT_CALLABLE``: the answer to a locked-out sign-in."""
    error = locked_out_error()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": error.as_dict()}, status=error.status_code)
    else:
        context = {"status": error.status_code, "title": error.message}
        response = render(request, "core/error.html", context, status=error.status_code)
    response["Retry-After"] = str(cooloff_seconds())
    return response

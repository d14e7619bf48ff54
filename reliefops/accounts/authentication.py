"""Signing in to the API: expiring tokens, and the one answer to a locked-out sign-in.

* API tokens (DRF's ``Token``, ``Authorization: Token …``) are valid for
  ``settings.API_TOKEN_TTL_HOURS`` from the moment they were issued. An expired token is a
  401 in the API's error format; ``POST /api/v1/auth/token/`` then issues a new one and
  ``DELETE`` on it revokes the caller's token (``reliefops.accounts.services``).
* Scoped API tokens (:class:`~reliefops.accounts.models.ApiToken`, keys ``ro_pat_…``, sent
  as ``Token …`` or ``Bearer …``) act only with the owner's memberships in the token's
  organisation (:func:`reliefops.core.permissions.limit_actor`, applied in the one place
  grants are computed); a ``read`` token is refused any unsafe method (403
  ``token_read_only``); expired, revoked and unknown keys are a 401 (``token_expired``,
  ``token_revoked``, ``authentication_failed``). Token requests skip the second factor:
  the token was created by a signed-in, verified user.
* django-axes counts failed sign-ins per username and client address. When a combination
  is locked out, :func:`lockout_response` answers: the JSON error (429, ``Retry-After``)
  under ``/api/``, the error page in the app's layout elsewhere.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.authtoken.models import Token
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from reliefops.accounts.choices import TokenScope
from reliefops.core.errors import ApplicationError
from reliefops.core.permissions import ActorLimit, limit_actor

#: How every scoped token's key starts (recognisable in logs and by secret scanners).
TOKEN_PREFIX = "ro_pat_"  # noqa: S105 (a public prefix, not a secret)
#: ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_EVERY = timedelta(minutes=1)


def hash_key(key: str) -> str:
    """What is stored of a scoped token's key: its SHA-256, in hex."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_ttl() -> timedelta:
    return timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_expires_at(token: Token) -> datetime:
    return token.created + token_ttl()


def token_is_expired(token: Token, *, now: datetime | None = None) -> bool:
    return token_expires_at(token) <= (now or timezone.now())


def _password_token_verified() -> bool:
    """A password-obtained token was issued after the second factor, when one was needed."""
    return True


class ExpiringTokenAuthentication(TokenAuthentication):
    """API tokens: the password-obtained token (``API_TOKEN_TTL_HOURS``) and scoped tokens.

    ``Authorization: Token <key>`` or ``Authorization: Bearer <key>``.
    """

    keywords = ("token", "bearer")

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the keyword and the key, with one space.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: the key contains invalid characters.")
            ) from None
        if key.startswith(TOKEN_PREFIX):
            return self.authenticate_scoped(request, key)
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("The API token has expired; request a new one at /api/v1/auth/token/."),
                code="token_expired",
            )
        user.is_verified = _password_token_verified
        return user, token

    def authenticate_scoped(self, request: Request, key: str) -> tuple[Any, Any]:
        from reliefops.accounts.models import ApiToken

        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("The API token has been revoked."), code="token_revoked"
            )
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("The API token has expired; create a new one on the API tokens page."),
                code="token_expired",
            )
        read_only = token.scope == TokenScope.READ
        if read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                _("This API token is read-only: it cannot change anything."),
                code="token_read_only",
            )
        if token.last_used_at is None or token.last_used_at <= now - LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        user = token.user
        limit_actor(user, ActorLimit(organisation_id=token.organisation_id, read_only=read_only))
        user.api_token = token  # type: ignore[attr-defined]  # this request's token
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


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

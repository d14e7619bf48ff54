"""A second factor at sign-in: TOTP (RFC 6238) through django-otp.

Who needs it: every user holding a role of ``RELIEFOPS_OTP_ROLES`` (production default:
administrators, coordinators and data-protection officers; superusers count as
administrators), every user whose ``otp_required`` flag is set (the demo sets it for the
data-protection officer), and every user who has set up a device of their own accord.

After the password, such a user is sent to set up an authenticator app (QR code and the
secret) or to enter its current code; until then every page redirects there and the API
answers 403 ``second_factor_required``. The API token endpoint asks for the code too
(``otp``). django-otp throttles wrong codes (the wait doubles with each failure).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from reliefops.accounts.choices import Role
from reliefops.core.audit import audit_record
from reliefops.core.error_path import error_outcome
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.pages import error_response
from reliefops.core.permissions import user_roles

#: Pages an unverified user may still open (besides static files).
ALLOWED = (
    "accounts:two_factor",
    "accounts:two_factor_setup",
    "logout",
    "set_language",
    "favicon",
)


class SecondFactorRequired(Forbidden):
    code = "second_factor_required"
    default_message = _("Enter the code of your authenticator app first (second factor).")


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_needed(user: Any) -> bool:
    """Whether ``user`` signs in with a second factor (see the module's text)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(user_roles(user))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return (
        bool(getattr(user, "otp_required", False))
        or bool(roles & set(settings.RELIEFOPS_OTP_ROLES))
        or confirmed_device(user) is not None
    )


def device_secret(device: TOTPDevice) -> str:
    """The device's key as the base32 text authenticator apps accept."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def two_factor_begin(*, actor: Any) -> TOTPDevice:
    """The actor's device being set up (created unconfirmed on first call)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=actor, name="ReliefOps", confirmed=False)
    return device


def _check(device: TOTPDevice, code: str) -> None:
    allowed, why = device.verify_is_allowed()
    if not allowed:
        wait = (why or {}).get("locked_until")
        raise InvalidInput(
            _("Too many wrong codes: wait a moment and try again."),
            field="otp",
            locked_until=wait,
        )
    if not device.verify_token("".join(code.split())):
        raise InvalidInput(_("The code is wrong or has expired."), field="otp")


def two_factor_confirm(*, actor: Any, code: str) -> TOTPDevice:
    """Confirm the device being set up with a code it shows; audited."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        raise InvalidInput(_("Start the set-up again."), field="otp")
    _check(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=actor, action="two_factor.enrol", obj=actor)
    return device


def two_factor_verify(*, actor: Any, code: str) -> TOTPDevice:
    """Check a sign-in code against the actor's device; a wrong one is audited."""
    device = confirmed_device(actor)
    if device is None:
        raise InvalidInput(_("Set up your authenticator app first."), field="otp")
    try:
        _check(device, code)
    except InvalidInput:
        audit_record(actor=actor, action="two_factor.failure", obj=actor)
        raise
    return device


class SecondFactorMiddleware:
    """Hold a signed-in user who needs a second factor at its page until verified (after
    django-otp's ``OTPMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(settings.STATIC_URL)
            or user.is_verified()
            or not two_factor_needed(user)
        ):
            return self.get_response(request)
        # held at the gate: the pages it may open show no navigation and no notices bell
        request.account_held = True  # type: ignore[attr-defined]
        if request.path in {reverse(name) for name in ALLOWED}:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            outcome = error_outcome(SecondFactorRequired())
            assert outcome is not None  # a Forbidden: in the error table
            return error_response(request, outcome)
        target = "accounts:two_factor" if confirmed_device(user) else "accounts:two_factor_setup"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))

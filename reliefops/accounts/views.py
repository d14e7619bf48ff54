"""Pages of the accounts domain: the second factor at sign-in (set up, enter the code)."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from reliefops.accounts import two_factor as tf
from reliefops.core.forms import GuidedForm
from reliefops.core.pages import form_page


class CodeForm(GuidedForm):
    otp = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6 digits your authenticator app shows for ReliefOps now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else "/"


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Enter the authenticator app's code after the password."""
    user: Any = request.user
    if tf.confirmed_device(user) is None:
        return redirect("accounts:two_factor_setup")
    if user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    context = {"form": form, "next": _next(request)}
    page = form_page(request, "accounts/two_factor.html", context, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        device = tf.two_factor_verify(actor=user, code=form.cleaned_data["otp"])
        otp_login(request, device)
        return redirect(_next(request))
    return page.render(request)


@login_required
def two_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), enter a code."""
    user: Any = request.user
    if tf.confirmed_device(user) is not None:
        return redirect("accounts:two_factor")
    device = tf.two_factor_begin(actor=user)
    form = CodeForm(request.POST or None)

    def context() -> dict[str, Any]:
        return {
            "form": form,
            "next": _next(request),
            "secret": tf.device_secret(device),
            "qr": segno.make(device.config_url, error="m").svg_inline(
                scale=5, title=str(_("QR code of the authenticator set-up"))
            ),
            "needed": tf.two_factor_needed(user),
        }

    page = form_page(request, "accounts/two_factor_setup.html", context, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        device = tf.two_factor_confirm(actor=user, code=form.cleaned_data["otp"])
        otp_login(request, device)
        messages.success(request, _("Your authenticator app is set up."))
        return redirect(_next(request))
    return page.render(request)

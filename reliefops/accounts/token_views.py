"""Pages of scoped API tokens: the user's own (list, create, revoke) and, for
administrators, every user's (list, revoke)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reliefops.accounts.choices import TokenScope, TokenStatus
from reliefops.accounts.models import ApiToken
from reliefops.accounts.selectors import api_token_get, api_token_list, api_token_organisations
from reliefops.accounts.services import (
    TOKEN_DEFAULT_DAYS,
    api_token_create,
    api_token_revoke,
)
from reliefops.core.actions import Action
from reliefops.core.forms import GuidedForm
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can

EXPIRY_CHOICES = [
    (7, _("7 days")),
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("365 days")),
]


class TokenForm(GuidedForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Kobo sync, Tovuz office”."),
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_("A read-only token is refused any change."),
    )
    organisation = forms.ChoiceField(
        label=_("Organisation"),
        help_text=_("The token acts only with your roles in this organisation."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires in"), choices=EXPIRY_CHOICES, coerce=int, initial=TOKEN_DEFAULT_DAYS
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        field: Any = self.fields["organisation"]
        field.choices = [(str(o.pk), f"{o.acronym} · {o.name}") for o in organisations]
        if len(organisations) == 1:
            field.initial = str(organisations[0].pk)


def _rows(tokens: Any) -> list[dict[str, Any]]:
    return [{"token": t, "status": t.status()} for t in tokens]


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens; the form creates one and shows its key once."""
    organisations = api_token_organisations(actor=request.user)
    form = TokenForm(request.POST or None, organisations=organisations)
    context: dict[str, Any] = {
        "form": form,
        "organisations": organisations,
        "statuses": TokenStatus,
        "is_admin": _is_admin(request),
    }

    def build() -> dict[str, Any]:
        context["rows"] = _rows(api_token_list(actor=request.user))
        return context

    page = form_page(request, "accounts/tokens.html", build, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        data = form.cleaned_data
        token, key = api_token_create(
            actor=request.user,
            name=data["name"],
            description=data["description"],
            scope=data["scope"],
            organisation=form.organisations[data["organisation"]],
            expires_in_days=data["expires_in_days"],
        )
        context["created"] = token
        context["key"] = key
        context["form"] = page.form = TokenForm(organisations=organisations)
        response = page.render(request, status=201)
        response["Cache-Control"] = "no-store"
        return response
    return page.render(request)


def _is_admin(request: HttpRequest) -> bool:
    return user_can(request.user, Action.USER_MANAGE)


@login_required
def tokens_admin_view(request: HttpRequest) -> HttpResponse:
    """Every user's API tokens (administrators), newest first; filter by status."""
    require(request.user, Action.USER_MANAGE)
    tokens = api_token_list(actor=request.user, everyone=True)
    status = request.GET.get("status", "")
    rows = _rows(tokens)
    if status in TokenStatus.values:
        rows = [r for r in rows if r["status"] == status]
    context = {"rows": rows, "statuses": TokenStatus, "status": status}
    return form_page(request, "accounts/tokens_admin.html", context).render(request)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """Revoke a token (the owner's own; an administrator's: anyone's)."""
    token: ApiToken = api_token_get(actor=request.user, pk=pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    back = "accounts:tokens_admin" if request.POST.get("from") == "admin" else "accounts:tokens"
    if back == "accounts:tokens_admin" and not _is_admin(request):
        back = "accounts:tokens"
    return redirect(back)

"""Pages of the accounts domain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from reliefops.accounts.selectors import organisation_list
from reliefops.core.htmx import render


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    organisations = organisation_list(actor=request.user).prefetch_related("presences__area")
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})

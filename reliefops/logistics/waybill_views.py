"""Placeholder for the waybill download (the waybill helper writes the real module):
until then there is no waybill to download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import NotFound


@login_required
def waybill_download_view(request: HttpRequest, code: str) -> HttpResponse:
    raise NotFound(_("No waybill for this convoy yet."), code_value=code)

"""The waybill download: the PDF of a convoy's vehicles, for its logistics staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from reliefops.logistics.waybill import convoy_waybill


@login_required
@require_GET
def waybill_download_view(request: HttpRequest, code: str) -> HttpResponse:
    """``?vehicle=REG`` for one vehicle; in the user's language. A convoy the user sees
    only for its own cargo is a 403 (the waybill holds the drivers' contacts), one it
    does not see a 404, both through the shared error path."""
    filename, pdf = convoy_waybill(
        actor=request.user,
        code=code,
        registration=request.GET.get("vehicle") or None,
        language=getattr(request, "LANGUAGE_CODE", "en"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response

"""Upload and export pages of the bulk exchange (thin: they call reliefops.core.exchange)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.exchange.limits import limits, size_text
from reliefops.core.exchange.uploads import upload_refusal_raise
from reliefops.core.pages import form_page
from reliefops.core.permissions import Actor, require
from reliefops.core.queries import query_validate

CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "hxl": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "geojson": ("application/geo+json", "geojson"),
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File (CSV, HXL-tagged CSV, XLSX or GeoJSON)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(e.kind, e.label) for e in ex.registry_kinds() if e.importer is not None]
        self.fields["file"].help_text = _("At most %(limit)s.") % {
            "limit": size_text(limits().upload_bytes)
        }


def import_uploaded(*, actor: Actor, kind: str, upload: Any, dry_run: bool) -> ex.ImportReport:
    """Spool the upload to a temporary file (imports stream from disk) and import it."""
    suffix = Path(upload.name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return ex.import_file(kind=kind, path=handle.name, actor=actor, dry_run=dry_run)


def _exchange_columns(entry: ex.Exchange) -> Any:
    side = entry.importer or entry.exporter
    return side.columns if side is not None else ()


@login_required
def upload_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.IMPORT_RUN)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "report": None, "kinds": _kinds()}
    # A refused file (an application error) re-shows the form with the error and status.
    page = form_page(request, "intake/upload.html", context, form=form)
    status = 200
    if request.method == "POST":
        upload_refusal_raise(request)
        if form.is_valid():
            context["report"] = import_uploaded(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
            status = 200 if context["report"].ok else 400
        else:
            status = 400
    return page.render(request, status=status)


def _kinds() -> list[dict[str, Any]]:
    return [
        {
            "kind": e.kind,
            "label": e.label,
            "exporter": e.exporter is not None,
            "columns": list(_exchange_columns(e)),
        }
        for e in ex.registry_kinds()
    ]


class ExportQuery(serializers.Serializer[Any]):
    """``?format=``; the other parameters are the filters the exporter of the kind declares."""

    format = serializers.ChoiceField(choices=list(CONTENT_TYPES), default="csv")


def export_response(*, actor: Actor, kind: str, params: Any) -> HttpResponse:
    """The export of ``kind`` as a file; ``params`` are the query parameters (validated)."""
    fmt = query_validate(params, ExportQuery)["format"]
    filters = {k: v for k, v in params.items() if k != "format"}
    buffer = io.BytesIO()
    ex.export_write(kind=kind, stream=buffer, actor=actor, fmt=fmt, filters=filters)
    content_type, extension = CONTENT_TYPES[fmt]
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    suffix = "-hxl" if fmt == "hxl" else ""
    response["Content-Disposition"] = (
        f'attachment; filename="reliefops-{kind}-{stamp}{suffix}.{extension}"'
    )
    return response


@login_required
def export_view(request: HttpRequest, kind: str) -> HttpResponse:
    return export_response(actor=request.user, kind=kind, params=request.GET)

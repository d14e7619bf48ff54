"""Upload and export pages of the bulk exchange (thin: they call reliefops.core.exchange);
the list of field submissions."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.exchange.limits import limits, size_text
from reliefops.core.exchange.uploads import upload_refusal_raise
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import Actor, require, user_can
from reliefops.core.queries import query_validate
from reliefops.core.sessions import passive
from reliefops.intake.choices import RunSource, RunStatus, SubmissionSource, SubmissionStatus
from reliefops.intake.filtersets import ImportRunFilterSet, SubmissionFilterSet
from reliefops.intake.models import ImportRun
from reliefops.intake.selectors import import_run_get, import_run_list, submission_list
from reliefops.intake.services import import_run_start

CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "hxl": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "geojson": ("application/geo+json", "geojson"),
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File (CSV, HXL-tagged CSV, XLSX or GeoJSON)"))
    dry_run = forms.BooleanField(
        label=_("Check only, write nothing"),
        required=False,
        help_text=_("Shows what each row would create or change."),
    )
    create_only = forms.BooleanField(
        label=_("New records only"),
        required=False,
        help_text=_("Refuse rows whose key (reference, code) exists instead of updating them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(e.kind, e.label) for e in ex.registry_kinds() if e.importer is not None]
        self.fields["file"].help_text = _("At most %(limit)s.") % {
            "limit": size_text(limits().upload_bytes)
        }


def import_uploaded(
    *,
    actor: Actor,
    kind: str,
    upload: Any,
    dry_run: bool,
    source: str,
    mode: str = ex.MODE_UPSERT,
) -> ImportRun:
    """Spool the upload to a temporary file (imports stream from disk) and run it."""
    suffix = Path(upload.name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        return import_run_start(
            actor=actor,
            kind=kind,
            path=handle.name,
            file_name=Path(upload.name).name,
            source=source,
            mode=mode,
            dry_run=dry_run,
        )


def run_context(run: ImportRun) -> dict[str, Any]:
    """What the report of a run shows: counts, errors, the per-row outcomes."""
    return {
        "run": run,
        "outcomes": [ex.RowOutcome.from_dict(o) for o in run.outcomes],
        "ok": run.status == RunStatus.SUCCEEDED,
    }


def _exchange_columns(entry: ex.Exchange) -> Any:
    side = entry.importer or entry.exporter
    return side.columns if side is not None else ()


@login_required
def upload_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.IMPORT_RUN)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "run": None, "kinds": _kinds()}
    # A refused file (an application error) re-shows the form with the error and status.
    page = form_page(request, "intake/upload.html", context, form=form)
    status = 200
    if request.method == "POST":
        upload_refusal_raise(request)
        if form.is_valid():
            run = import_uploaded(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                source=RunSource.PAGE,
                mode=ex.MODE_CREATE if form.cleaned_data["create_only"] else ex.MODE_UPSERT,
            )
            if run.background:
                return redirect("intake:run_detail", pk=run.pk)
            context.update(run_context(run))
            status = 200 if run.status == RunStatus.SUCCEEDED else 400
        else:
            status = 400
    return page.render(request, status=status)


def _has_geometry(entry: ex.Exchange) -> bool:
    """GeoJSON is offered for kinds with a point or a shape (their importer says so, or
    their columns hold coordinates or a geometry)."""
    if entry.importer is not None and entry.importer.geometry:
        return True
    names = {c.name for c in _exchange_columns(entry)}
    return {"lat", "lon"} <= names or ex.GEOMETRY_COLUMN in names


def _kinds() -> list[dict[str, Any]]:
    return [
        {
            "kind": e.kind,
            "label": e.label,
            "exporter": e.exporter is not None,
            "geojson": _has_geometry(e),
            "columns": list(_exchange_columns(e)),
        }
        for e in ex.registry_kinds()
    ]


@login_required
def run_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        ImportRunFilterSet,
        import_run_list(actor=request.user),
        target="#run-list",
        form_id="run-filters",
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "statuses": RunStatus.choices,
        "kinds": [(e.kind, e.label) for e in ex.registry_kinds() if e.importer is not None],
    }
    return render(request, "intake/run_list.html", context, partial="intake/partials/run_rows.html")


@passive
@login_required
def run_detail_view(request: HttpRequest, pk: Any) -> HttpResponse:
    """A run's report; while it runs, HTMX polls the progress fragment until it is done."""
    run = import_run_get(actor=request.user, pk=pk)
    return render(
        request,
        "intake/run_detail.html",
        run_context(run),
        partial="intake/partials/run_progress.html",
    )


class ExportQuery(serializers.Serializer[Any]):
    """``?format=``; the other parameters are the filters the exporter of the kind declares."""

    format = serializers.ChoiceField(choices=list(CONTENT_TYPES), default="csv")


def export_response(*, actor: Actor, kind: str, params: Any) -> HttpResponse:
    """The export of ``kind`` as a file; ``params`` are the query parameters (validated)."""
    fmt = query_validate(params, ExportQuery)["format"]
    # Every value of a repeated parameter (``?status=a&status=b``), as the list page sends.
    getlist = getattr(params, "getlist", None)
    filters: dict[str, Any] = {}
    for key, value in params.items():
        values = getlist(key) if getlist else [value]
        if key != "format":
            filters[key] = values if len(values) > 1 else value
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


# --- added for submissions: the field submissions a user may see
@login_required
def submission_list_view(request: HttpRequest) -> HttpResponse:
    """Field submissions with their status, waiting reason or refusal (own, own
    organisation's, a coordinator's areas'); filters shared with the GET API."""
    lst = list_page(
        request,
        SubmissionFilterSet,
        submission_list(actor=request.user),
        target="#submission-list",
        form_id="submission-filters",
    )
    counts = dict(
        submission_list(actor=request.user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "statuses": SubmissionStatus.choices,
        "sources": SubmissionSource.choices,
        "counts": [
            (value, label, counts.get(value, 0)) for value, label in SubmissionStatus.choices
        ],
        "kinds": [(e.kind, e.label) for e in ex.submission_kinds()],
        "can_import": user_can(request.user, Action.IMPORT_RUN),
    }
    return render(
        request,
        "intake/submission_list.html",
        context,
        partial="intake/partials/submission_rows.html",
    )

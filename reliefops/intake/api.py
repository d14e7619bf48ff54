"""API of the bulk exchange: import a file (all-or-nothing, row report), the history of
imports, and export a kind."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core import exchange as ex
from reliefops.core.api import Pagination
from reliefops.core.exchange.uploads import upload_refusal_raise
from reliefops.intake.choices import RunMode, RunSource, RunStatus
from reliefops.intake.filtersets import ImportRunFilterSet
from reliefops.intake.models import ImportRun
from reliefops.intake.selectors import import_run_get, import_run_list
from reliefops.intake.views import ExportQuery, export_response, import_uploaded


class ImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)
    mode = serializers.ChoiceField(
        choices=RunMode.choices,
        required=False,
        default=ex.MODE_UPSERT,
        help_text="upsert: create new records and update existing ones; create: new only",
    )


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    """One import run; ``ok`` and the counts are those of its report."""

    user: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organisation: Any = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    ok = serializers.SerializerMethodField()
    progress = serializers.IntegerField(source="percent", read_only=True)

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "file_name",
            "sha256",
            "size_bytes",
            "format",
            "mode",
            "dry_run",
            "source",
            "background",
            "status",
            "ok",
            "user",
            "organisation",
            "created_at",
            "started_at",
            "finished_at",
            "seconds",
            "rows",
            "created",
            "updated",
            "unchanged",
            "refused",
            "written",
            "error_count",
            "error_summary",
            "stage",
            "rows_done",
            "rows_total",
            "progress",
        ]
        read_only_fields = fields

    def get_ok(self, run: ImportRun) -> bool:
        return run.status == RunStatus.SUCCEEDED


class ImportRunDetailSerializer(ImportRunSerializer):
    """A run with its row errors and per-row outcomes (both bounded)."""

    class Meta(ImportRunSerializer.Meta):
        fields = [*ImportRunSerializer.Meta.fields, "errors", "outcomes", "outcomes_left_off"]
        read_only_fields = fields


def run_report(run: ImportRun) -> dict[str, Any]:
    """The report of a finished run (the import's JSON answer)."""
    return {
        **ImportRunDetailSerializer(run).data,
        "run": str(run.pk),
    }


class ImportApi(APIView):
    """Import a CSV/HXL/XLSX/GeoJSON file of ``kind``. Rows naming an existing record by its
    key update it (``mode=create``: refused instead). 200 with the report (counts created /
    updated / unchanged / refused, written, per-row outcomes with the changed fields) when
    every row is valid (and written unless ``dry_run``); 202 with the run when a large file
    goes to a background job (poll ``/api/v1/import-runs/{id}/``); 400 with the per-row
    errors otherwise; 413 when the file is over the upload limit; 400 for a file refused
    whole (not an XLSX, an XLSX that unpacks too big)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={200: ImportRunDetailSerializer, 202: ImportRunSerializer, 400: dict, 413: dict},
    )
    def post(self, request: Request, kind: str) -> Response:
        data = request.data  # reads the body through the upload limit handler
        upload_refusal_raise(request)
        serializer = ImportSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        run = import_uploaded(
            actor=request.user,
            kind=kind,
            upload=serializer.validated_data["file"],
            dry_run=serializer.validated_data["dry_run"],
            mode=serializer.validated_data["mode"],
            source=RunSource.API,
        )
        if run.background and not run.finished:
            return Response(ImportRunSerializer(run).data, status=202)
        if run.status != RunStatus.SUCCEEDED:
            raise ex.ImportRejected(**run_report(run))
        return Response(run_report(run))


class ImportRunListApi(generics.ListAPIView[ImportRun]):
    """The imports the caller may see (own, own organisation's; all for coordinators and
    administrators), newest first."""

    serializer_class = ImportRunSerializer
    pagination_class = Pagination
    filterset_class = ImportRunFilterSet

    def get_queryset(self) -> Any:
        return import_run_list(actor=self.request.user)


class ImportRunDetailApi(generics.RetrieveAPIView[ImportRun]):
    """One import run with its progress, row errors and per-row outcomes."""

    serializer_class = ImportRunDetailSerializer

    def get_object(self) -> ImportRun:
        return import_run_get(actor=self.request.user, pk=self.kwargs["pk"])


class ExportApi(APIView):
    """Export ``kind`` as CSV, HXL-tagged CSV, XLSX or GeoJSON (``?format=``)."""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # ``?format=`` names the file format here, not a DRF renderer.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            ExportQuery,
            OpenApiParameter(
                "days", int, description="gap: horizon in days (1-365)", required=False
            ),
        ],
        responses={200: bytes},
    )
    def get(self, request: Request, kind: str) -> Any:
        return export_response(actor=request.user, kind=kind, params=request.query_params)

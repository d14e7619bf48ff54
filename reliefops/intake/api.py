"""API of the bulk exchange: import a file (all-or-nothing, row report), the history of
imports, export a kind; field submissions (one record each, idempotent by client id)."""

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
from reliefops.core.idempotency import REPLAYED_HEADER
from reliefops.intake.choices import (
    RunMode,
    RunSource,
    RunStatus,
    SubmissionOutcome,
    SubmissionSource,
    SubmissionStatus,
)
from reliefops.intake.filtersets import ImportRunFilterSet, SubmissionFilterSet
from reliefops.intake.models import ImportRun, Submission
from reliefops.intake.selectors import (
    import_run_get,
    import_run_list,
    submission_get,
    submission_list,
)
from reliefops.intake.submissions import (
    SubmissionAnswer,
    submission_batch_receive,
    submission_receive,
)
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
            # A run that failed whole (row 0: the broker down, the database gone) says why.
            whole = run.error_count == 1 and run.errors and run.errors[0].get("row") == 0
            raise ex.ImportRejected(run.error_summary if whole else None, **run_report(run))
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


# --- added for submissions: idempotent field submissions (reliefops.intake.submissions)
class SubmissionSerializer(serializers.Serializer[Any]):
    """One field submission: a record of ``kind`` named like its export columns."""

    id = serializers.UUIDField(
        help_text="made by the client (a UUID); the same id = the same record"
    )
    kind = serializers.CharField(max_length=40, help_text="an export kind that takes submissions")
    # DRF's metaclass takes declared fields off the class, so ``data`` stays the property.
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="the record: the kind's export column names → JSON values (lists for "
        "list columns)"
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[(SubmissionSource.OFFLINE.value, SubmissionSource.OFFLINE.label)],
        required=False,
        help_text="offline: sent from an offline page's queue (shown in the list)",
    )


class SubmissionBatchSerializer(serializers.Serializer[Any]):
    submissions = SubmissionSerializer(many=True)


class SubmissionAnswerSerializer(serializers.Serializer[Any]):
    """The answer to a submission (201 applied, 200 its replay, 202 waiting)."""

    id = serializers.UUIDField()
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=SubmissionStatus.choices)
    outcome = serializers.ChoiceField(choices=SubmissionOutcome.choices, required=False)
    record = serializers.CharField(required=False, help_text="the record's key")
    reason = serializers.CharField(required=False, help_text="why it waits")
    field = serializers.CharField(required=False, help_text="the field naming what is awaited")
    received_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(required=False)
    expires_at = serializers.DateTimeField(
        required=False, help_text="when a waiting submission is refused"
    )
    warnings = serializers.ListField(child=serializers.CharField(), required=False)


class SubmissionBatchAnswerSerializer(serializers.Serializer[Any]):
    """One answer per submission, in order: the single endpoint's body with its status."""

    results = serializers.ListField(child=serializers.DictField())


class SubmissionListSerializer(serializers.ModelSerializer[Submission]):
    """A submission as its list shows it (never the record's values)."""

    id = serializers.UUIDField(source="client_id", read_only=True)
    record = serializers.CharField(source="record_key", read_only=True)
    user: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organisation: Any = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "kind",
            "source",
            "status",
            "outcome",
            "record",
            "reason",
            "error",
            "attempts",
            "user",
            "organisation",
            "area",
            "received_at",
            "attempted_at",
            "waiting_since",
            "applied_at",
        ]
        read_only_fields = fields


def submission_response(answer: SubmissionAnswer) -> Response:
    """The HTTP answer of one submission (a refusal goes through the error path)."""
    if answer.error is not None:
        raise answer.error
    response = Response(answer.body, status=answer.status_code)
    if answer.replayed:
        response[REPLAYED_HEADER] = "true"
    return response


def batch_result(answer: SubmissionAnswer) -> dict[str, Any]:
    result = {"http_status": answer.status_code, **answer.body}
    if answer.replayed:
        result["replayed"] = True
    if answer.error is not None:
        result["id"] = answer.error.details.get("id")
    return result


class SubmissionApi(generics.ListAPIView[Submission]):
    """``GET``: the submissions the caller may see (own, own organisation's; a
    coordinator's areas'), newest first. ``POST``: one field submission, idempotent by
    its ``id`` — 201 applied, 200 the original answer again (``Idempotent-Replayed:
    true``), 202 waiting for a record it names (retried later; poll
    ``/api/v1/submissions/{id}/``), 409 ``submission_id_reused`` (the id with another
    body), 400 invalid (naming the field), 403 not allowed, 404 unknown kind."""

    serializer_class = SubmissionListSerializer
    pagination_class = Pagination
    filterset_class = SubmissionFilterSet

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return submission_list(actor=self.request.user)

    @extend_schema(
        request=SubmissionSerializer,
        responses={
            201: SubmissionAnswerSerializer,
            200: SubmissionAnswerSerializer,
            202: SubmissionAnswerSerializer,
            400: dict,
            403: dict,
            404: dict,
            409: dict,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = SubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer = submission_receive(
            actor=request.user,
            client_id=serializer.validated_data["id"],
            kind=serializer.validated_data["kind"],
            data=dict(request.data)["data"],  # as sent (the serializer copies it)
            source=serializer.validated_data.get("source") or SubmissionSource.API,
        )
        return submission_response(answer)


class SubmissionBatchApi(APIView):
    """Many field submissions at once (at most ``SUBMISSION_BATCH_MAX``), each applied on
    its own and answered in order in ``results``: the single endpoint's answer body plus
    its ``http_status`` (and ``replayed`` for a replay); one bad record does not stop the
    others. 400 only for a body that is not ``{"submissions": [...]}`` of that size."""

    @extend_schema(
        request=SubmissionBatchSerializer,
        responses={200: SubmissionBatchAnswerSerializer, 400: dict, 403: dict},
    )
    def post(self, request: Request) -> Response:
        body = request.data
        items = body.get("submissions") if isinstance(body, dict) else None
        answers = submission_batch_receive(
            actor=request.user, submissions=items or [], source=SubmissionSource.BATCH
        )
        return Response({"results": [batch_result(a) for a in answers]})


class SubmissionDetailApi(generics.RetrieveAPIView[Submission]):
    """One submission by its client id: its status, outcome, waiting reason or error."""

    serializer_class = SubmissionListSerializer

    def get_object(self) -> Submission:
        return submission_get(actor=self.request.user, client_id=self.kwargs["client_id"])

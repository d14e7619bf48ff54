"""API of the bulk exchange: import a file (all-or-nothing, row report) and export a kind."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core import exchange as ex
from reliefops.core.exchange.uploads import upload_refusal_raise
from reliefops.intake.views import ExportQuery, export_response, import_uploaded


class ImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)


class ImportApi(APIView):
    """Import a CSV/HXL/XLSX/GeoJSON file of ``kind``. 200 with the report when every row is
    valid (and written unless ``dry_run``); 400 with the per-row errors otherwise; 413 when
    the file is over the upload limit; 400 for a file refused whole (not an XLSX, an XLSX
    that unpacks too big)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={200: dict, 400: dict, 413: dict},
    )
    def post(self, request: Request, kind: str) -> Response:
        data = request.data  # reads the body through the upload limit handler
        upload_refusal_raise(request)
        serializer = ImportSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        report = import_uploaded(
            actor=request.user,
            kind=kind,
            upload=serializer.validated_data["file"],
            dry_run=serializer.validated_data["dry_run"],
        )
        if not report.ok:
            raise ex.ImportRejected(**report.as_dict())
        return Response(report.as_dict())


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

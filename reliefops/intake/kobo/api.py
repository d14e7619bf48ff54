"""The webhook KoboToolbox REST services and ODK Central send submissions to (thin).

``POST /api/v1/kobo/<form key>/`` — authenticated by the form's shared secret, not by a
user's session or token: ``Authorization: Token <secret>`` (or ``Bearer``; KoboToolbox
REST services send it as a custom header), basic authentication with the secret as the
password (Kobo's "basic authentication" option; the user name is not checked — use the
form key), or ``?token=<secret>``. The submissions then act as the form's user.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.exchange.uploads import upload_refusal_raise
from reliefops.intake.kobo.choices import AnswerStatus
from reliefops.intake.kobo.services import Delivery, form_instance_receive

XML_PART = "xml_submission_file"


class RawParser(BaseParser):
    """Any body, untouched: the service reads JSON itself (so that 'not JSON' and 'not an
    object' are answered in its words)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read() if stream is not None else b""


class KoboAnswerSerializer(serializers.Serializer[Any]):
    """What became of one form instance."""

    form = serializers.CharField()
    instance_id = serializers.CharField()
    root_id = serializers.CharField(help_text="the first instance of the edit chain")
    submission = serializers.UUIDField(help_text="the field submission's id (uuid5)")
    kind = serializers.CharField()
    status = serializers.ChoiceField(choices=AnswerStatus.choices)
    outcome = serializers.CharField(allow_null=True, help_text="created, updated or unchanged")
    record = serializers.CharField(allow_null=True, help_text="the record's key")
    received_at = serializers.DateTimeField()


class KoboUploadSerializer(serializers.Serializer[Any]):
    """An OpenRosa upload: the instance XML and its media files (any other part names)."""

    xml_submission_file = serializers.FileField()


def form_secret(request: Request) -> str | None:
    """The shared secret the request carries (module docstring), or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme in ("token", "bearer") and value.strip():
        return value.strip()
    if scheme == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        _user, _colon, password = decoded.partition(":")
        return password or None
    token = request.query_params.get("token")
    return token or None


class KoboSubmissionApi(APIView):
    """Receive one KoboToolbox/ODK submission of the form ``key`` and apply it as a field
    submission through the form's mapping. 201 applied, 202 waiting for a record it names,
    200 for an instance already received (its original answer, ``Idempotent-Replayed:
    true``) or one a later edit replaced; 400 for a body that cannot be read, a missing
    instance id, answers that do not fit the mapping (naming source path and field) or
    attachments over the form's limits; 403 for a wrong secret, an inactive form or a user
    without the rights; 404 for an unknown form key; 413 for an upload over the limit."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, RawParser]

    @extend_schema(
        operation_id="kobo_submission_receive",
        auth=[],
        request={
            "application/json": OpenApiTypes.OBJECT,
            "multipart/form-data": KoboUploadSerializer,
        },
        responses={
            200: KoboAnswerSerializer,
            201: KoboAnswerSerializer,
            202: KoboAnswerSerializer,
            400: OpenApiResponse(description="the reason, in the error format"),
            403: OpenApiResponse(description="wrong secret, inactive form, no rights"),
            404: OpenApiResponse(description="unknown form key"),
        },
    )
    def post(self, request: Request, key: str) -> Response:
        secret = form_secret(request)
        if request.content_type.startswith("multipart/"):
            files = dict(request.FILES)  # reads the body through the upload limit handler
            upload_refusal_raise(request)
            xml = request.FILES.get(XML_PART)
            delivery = Delivery(
                key=key,
                secret=secret,
                xml=xml.read() if xml is not None else b"",
                files=[
                    f for name in files if name != XML_PART for f in request.FILES.getlist(name)
                ],
            )
        else:
            delivery = Delivery(key=key, secret=secret, body=request.body)
        answer = form_instance_receive(delivery=delivery)
        response = Response(answer.body, status=answer.status)
        if answer.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

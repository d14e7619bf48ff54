"""API plumbing shared by every app: pagination and the one error format."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from reliefops.core.errors import ApplicationError

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.NotFound(detail=str(exc.detail)) from exc


RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure


def _is_retryable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES


def _error(code: str, message: str, details: Any, status_code: int) -> Response:
    return Response(
        {"error": {"code": code, "message": message, "details": details}}, status=status_code
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every expected error as ``{"error": {"code", "message", "details"}}``."""
    if isinstance(exc, ApplicationError):
        body = exc.as_dict()
        return _error(body["code"], body["message"], body["details"], exc.status_code)
    if isinstance(exc, OperationalError) and _is_retryable(exc):
        # Two writers collided (deadlock or serialisation failure): PostgreSQL rolled one
        # back; nothing of it was written and the client may simply try again.
        logger.warning("concurrent write rendered as 409: %s", exc.__class__.__name__)
        response = _error(
            "retry",
            _(
                "Another change to the same records happened at the same time; nothing was "
                "written. Please try again."
            ),
            {},
            status.HTTP_409_CONFLICT,
        )
        response["Retry-After"] = "1"
        return response
    if isinstance(exc, DataError):
        # The database refused a value it cannot store (a NUL character, a number out of
        # range): the input is invalid and nothing was written.
        logger.warning("data error rendered as 400: %s", exc.__class__.__name__)
        return _error(
            "invalid",
            _("The input contains a value that cannot be stored."),
            {},
            status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, IntegrityError):
        # A database constraint refused the input (a duplicate, a missing value): the
        # transaction was rolled back and nothing was written. Log it: a serializer or
        # service should have caught it with a clearer message.
        logger.warning("integrity error rendered as 409: %s", exc.__class__.__name__)
        return _error(
            "conflict",
            _("The data conflicts with existing records or misses a required value."),
            {},
            status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        return _error("not_found", _("Not found."), {}, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return _error(
            "forbidden",
            str(exc) or _("You are not allowed to do this."),
            {},
            status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, DjangoValidationError):
        details: Any = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field": exc.messages}
        )
        return _error("invalid", _("The input is not valid."), details, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = str(int(wait))
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:  # a 401 names the scheme to authenticate with (RFC 9110)
            headers["WWW-Authenticate"] = str(auth_header)
        detail = exc.detail
        if isinstance(exc, exceptions.ValidationError):
            message = _("The input is not valid.")
            details = detail if isinstance(detail, dict) else {"non_field": detail}
        else:
            message = str(detail)
            details = {}
        code = exc.get_codes() if not isinstance(exc, exceptions.ValidationError) else "invalid"
        if not isinstance(code, str):
            code = exc.default_code
        response = _error(str(code), message, details, exc.status_code)
        for key, value in headers.items():
            response[key] = value
        return response
    return None

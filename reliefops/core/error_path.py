"""The one table from an exception to what the user gets: status, code, message, details.

Pages (``core.middleware.ErrorPageMiddleware``) and the API (``core.api.exception_handler``)
both ask :func:`error_outcome` and only differ in how they render the answer (the error
page in the layout, the form re-shown, an HTMX fragment, or the JSON error body
``{"error": {"code", "message", "details"}}``). An exception the table does not know is a
bug: it stays a 500 and is logged by Django.

    ApplicationError subclass     its own status (NotFound 404, Forbidden 403, Conflict 409,
                                  InvalidInput and the others 400)
    Http404                       404 not_found
    PermissionDenied (Django)     403 forbidden
    BadRequest, SuspiciousOp.     400 bad_request
    ValidationError (Django)      400 invalid, with the messages per field
    IntegrityError                409 conflict (a constraint refused the write)
    DataError                     400 invalid (a value the database cannot store)
    OperationalError, retryable   409 retry + ``Retry-After`` (deadlock, serialisation)
    DRF APIException              its status and code (401 with ``WWW-Authenticate``)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf

from reliefops.core.errors import ApplicationError, _jsonable

logger = logging.getLogger(__name__)

#: PostgreSQL SQLSTATEs of a collision between two writers that a retry resolves.
RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock detected, serialization failure

#: Page titles per status (the message says what went wrong, the title what kind of error).
TITLES: dict[int, Any] = {
    400: _("Bad request"),
    403: _("You are not allowed to see this page"),
    404: _("Page not found"),
    409: _("This conflicts with the current state."),
    500: _("Something went wrong on our side"),
}


@dataclass(frozen=True)
class ErrorOutcome:
    """What an error becomes: one status, one code, a translatable message, details."""

    status: int
    code: str
    message: Any
    details: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> Any:
        return TITLES.get(self.status, TITLES[400 if self.status < 500 else 500])

    def body(self) -> dict[str, Any]:
        """The JSON error body (messages rendered in the active language)."""
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "details": _jsonable(self.details),
            }
        }


def is_retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def _application(exc: ApplicationError) -> ErrorOutcome:
    return ErrorOutcome(exc.status_code, exc.code, exc.message, exc.details)


def _operational(exc: OperationalError) -> ErrorOutcome | None:
    if not is_retryable(exc):
        return None  # the database is down or misconfigured: a real 500
    # Two writers collided (deadlock or serialisation failure): PostgreSQL rolled one back;
    # nothing of it was written and the client may simply try again.
    logger.warning("concurrent write rendered as 409: %s", exc.__class__.__name__)
    return ErrorOutcome(
        409,
        "retry",
        _(
            "Another change to the same records happened at the same time; nothing was "
            "written. Please try again."
        ),
        headers={"Retry-After": "1"},
    )


def _data(exc: DataError) -> ErrorOutcome:
    # The database refused a value it cannot store (a NUL character, a number out of
    # range): the input is invalid and nothing was written.
    logger.warning("data error rendered as 400: %s", exc.__class__.__name__)
    return ErrorOutcome(400, "invalid", _("The input contains a value that cannot be stored."))


def _integrity(exc: IntegrityError) -> ErrorOutcome:
    # A database constraint refused the input (a duplicate, a missing value): the
    # transaction was rolled back and nothing was written. Logged: a form, serializer or
    # service should have caught it with a clearer message.
    logger.warning("integrity error rendered as 409: %s", exc.__class__.__name__)
    return ErrorOutcome(
        409,
        "conflict",
        _("The data conflicts with existing records or misses a required value."),
    )


def _not_found(exc: Http404) -> ErrorOutcome:
    return ErrorOutcome(404, "not_found", _("Not found."))


def _permission_denied(exc: DjangoPermissionDenied) -> ErrorOutcome:
    return ErrorOutcome(403, "forbidden", str(exc) or _("You are not allowed to do this."))


def _bad_request(exc: Exception) -> ErrorOutcome:
    return ErrorOutcome(400, "bad_request", _("The request could not be understood."))


def _validation(exc: DjangoValidationError) -> ErrorOutcome:
    details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field": exc.messages}
    return ErrorOutcome(400, "invalid", _("The input is not valid."), details)


def _drf(exc: drf.APIException) -> ErrorOutcome:
    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = str(auth_header)
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    if isinstance(exc, drf.ValidationError):
        detail = exc.detail
        details = detail if isinstance(detail, dict) else {"non_field": detail}
        return ErrorOutcome(exc.status_code, "invalid", _("The input is not valid."), details)
    code = exc.get_codes()
    return ErrorOutcome(
        exc.status_code,
        code if isinstance(code, str) else str(exc.default_code),
        str(exc.detail),
        headers=headers,
    )


#: The table, most specific first: the first row whose type matches decides.
TABLE: list[tuple[type[BaseException], Callable[[Any], ErrorOutcome | None]]] = [
    (ApplicationError, _application),
    (OperationalError, _operational),
    (DataError, _data),
    (IntegrityError, _integrity),
    (Http404, _not_found),
    (DjangoPermissionDenied, _permission_denied),
    (BadRequest, _bad_request),
    (SuspiciousOperation, _bad_request),
    (DjangoValidationError, _validation),
    (drf.APIException, _drf),
]


def error_outcome(exc: BaseException) -> ErrorOutcome | None:
    """The outcome of an expected error, or None for a bug (which stays a 500)."""
    for kind, outcome in TABLE:
        if isinstance(exc, kind):
            return outcome(exc)
    return None

"""The one error family services raise; the API and pages render it one way.

A service raises a subclass of :class:`ApplicationError` with a translatable message and
structured details. The API renders ``{"error": {"code", "message", "details"}}`` with
``status_code``; pages show the message next to the form. Nothing becomes a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """Base of every expected, user-facing error."""

    status_code = 400
    code = "application_error"
    default_message: Any = _("The request could not be completed.")

    def __init__(self, message: Any = None, *, code: str | None = None, **details: Any) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": _jsonable(self.details)}


class InvalidInput(ApplicationError):
    status_code = 400
    code = "invalid"
    default_message = _("The input is not valid.")


class Forbidden(ApplicationError):
    status_code = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class NotFound(ApplicationError):
    status_code = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status_code = 409
    code = "conflict"
    default_message = _("This conflicts with the current state.")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)

"""API plumbing shared by every app: pagination and the one error format."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import set_rollback

from reliefops.core.error_path import error_outcome


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.NotFound(detail=str(exc.detail)) from exc


LANGUAGE_KEY = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


class NamesField(serializers.DictField):
    """Names per language: a JSON object of language code → text (``{"en": "Diesel"}``).

    Anything else (a string, a list, a number as a name, a key that is no language code)
    is a 400 naming the field, not a row the rest of the system cannot read.
    """

    child = serializers.CharField(max_length=200)
    default_error_messages = {"language": _("“{name}” is not a language code (en, az, ru, hy…).")}

    def to_internal_value(self, data: Any) -> dict[str, str]:
        value: dict[str, str] = super().to_internal_value(data)
        for key in value:
            if not LANGUAGE_KEY.match(key):
                self.fail("language", name=key[:20])
        return value


@extend_schema_field(OpenApiTypes.STR)
class CodeLookupField(serializers.Field[Any, str, str, Any]):
    """Another app's object named by its code (a P-code, an acronym …), in and out.

    ``lookup(user, code)`` is the app's own selector: it returns the object the request's
    user may name, or None (a 400 naming the field); ``code_of(obj)`` is what goes out. So
    an API names another app's objects without importing its models. The messages are
    DRF's own (already translated); ``error_messages=`` rewords them.
    """

    default_error_messages = {
        "does_not_exist": serializers.SlugRelatedField.default_error_messages["does_not_exist"],
        "invalid": serializers.SlugRelatedField.default_error_messages["invalid"],
    }

    def __init__(
        self, lookup: Callable[[Any, str], Any], *, code_of: Callable[[Any], str], **kwargs: Any
    ) -> None:
        self.lookup = lookup
        self.code_of = code_of
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(self.code_of(value))

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        user = getattr(self.context.get("request"), "user", None)
        try:
            found = self.lookup(user, str(data))
        except (TypeError, ValueError):  # a NUL byte: a code the database cannot hold
            self.fail("invalid")
        if found is None:
            self.fail("does_not_exist", slug_name="code", value=str(data)[:64])
        return found


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render every expected error as ``{"error": {"code", "message", "details"}}``.

    The status, code and message come from the one table in ``core.error_path`` that the
    pages use too; an exception it does not know stays a 500.
    """
    outcome = error_outcome(exc)
    if outcome is None:
        return None
    set_rollback()
    response = Response(outcome.body(), status=outcome.status)
    for key, value in outcome.headers.items():
        response[key] = value
    return response

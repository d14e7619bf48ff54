"""API plumbing shared by every app: pagination and the one error format."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.filters import OrderingFilter
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


def _model_path(model: type[Model], path: str) -> bool:
    """Whether ``path`` (``place__admin1__code``) names a field of ``model``'s rows."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return True


class ModelOrderingFilter(OrderingFilter):
    """``?ordering=``: by default DRF offers every serializer field, including fields
    computed outside the queryset (``on``, an estimate), which the database cannot sort by
    and answered with a 500. Only the fields the queryset's model really has are offered
    (a view may still name its own ``ordering_fields``)."""

    def get_default_valid_fields(
        self, queryset: Any, view: Any, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        fields = super().get_default_valid_fields(queryset, view, context)
        model = getattr(queryset, "model", None)
        if model is None:
            return []
        annotated = set(getattr(queryset.query, "annotations", {}) or {})
        return [
            (name, label)
            for name, label in fields
            if name == "pk" or name.split("__")[0] in annotated or _model_path(model, name)
        ]


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
class CodeLookupField(serializers.Field):  # type: ignore[type-arg]
    """A related object named by its code (a P-code, an item code, an acronym …), in and out.

    ``lookup(actor, code)`` finds the object or returns None (a 400 naming the field; the
    actor is the request's user, None without a request), so the lookup can scope what the
    caller may name; ``code_of(obj)`` is its code on the way out (default: the attribute
    ``code_name``). The app hands in its own selector, so an API names another app's
    objects without importing their models. ``code_name`` words the refusal the way DRF's
    slug fields do ("Object with acronym=X does not exist."); ``error_messages`` can
    replace it. A read-only field needs no lookup.
    """

    default_error_messages = {
        "does_not_exist": serializers.SlugRelatedField.default_error_messages["does_not_exist"],
        "invalid": serializers.SlugRelatedField.default_error_messages["invalid"],
    }

    def __init__(
        self,
        lookup: Callable[[Any, str], Any] | None = None,
        *,
        code_of: Callable[[Any], str] | None = None,
        code_name: str = "code",
        **kwargs: Any,
    ) -> None:
        if lookup is None and not kwargs.get("read_only"):
            raise TypeError("a writable CodeLookupField needs a lookup")
        self.lookup = lookup
        self.code_of = code_of or attrgetter(code_name)
        self.code_name = code_name
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        # As DRF's related fields: an empty text is no object (None, if allowed).
        return super().run_validation(None if data == "" else data)

    def to_representation(self, value: Any) -> str:
        return str(self.code_of(value))

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (str, int)) or self.lookup is None:
            self.fail("invalid")
        code = str(data)
        if "\x00" in code:  # no code holds one, and the database refuses to compare it
            self.fail("invalid")
        request = self.context.get("request")
        try:
            found = self.lookup(getattr(request, "user", None), code)
        except (TypeError, ValueError):
            self.fail("invalid")
        if found is None:
            self.fail("does_not_exist", slug_name=self.code_name, value=code[:64])
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

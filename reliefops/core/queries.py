"""Every query parameter is declared: one way to read them, for pages and the API.

A view never calls ``int(request.GET[...])``. It declares its parameters once, as a DRF
serializer (single values such as ``days``) or a django-filter ``FilterSet`` (a filtered
list, shared by the page and the API), and reads them here. A bad value is an
``InvalidInput`` (400) whose details name the parameter, on pages and in the API alike::

    {"error": {"code": "invalid", "message": "…", "details": {"days": ["…"]}}}

The same serializer documents the parameters in the OpenAPI schema
(``extend_schema(parameters=[TheSerializer])``); a FilterSet is documented by
django-filter's DRF backend.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from rest_framework import serializers

from reliefops.core.errors import InvalidInput

M = TypeVar("M", bound=Model)


def _params(request: Any) -> Any:
    return getattr(request, "query_params", None) or request.GET


def _messages(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _messages(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [m if isinstance(m, (dict, list)) else str(m) for m in value]
    return [str(value)]


def _invalid(errors: Any) -> InvalidInput:
    """An InvalidInput whose details name each bad parameter (``{"days": ["…"]}``)."""
    error = InvalidInput(_("A query parameter is not valid."))
    error.details = {str(name): _messages(messages) for name, messages in dict(errors).items()}
    return error


def query_validate(
    data: Any, serializer_class: type[serializers.Serializer[Any]], **context: Any
) -> dict[str, Any]:
    """``data`` (a QueryDict or a dict of texts) validated by a declared serializer."""
    serializer = serializer_class(data=data if data is not None else {}, context=context)
    if not serializer.is_valid():
        raise _invalid(serializer.errors)
    return dict(serializer.validated_data)


def query_params(
    request: HttpRequest | Any,
    serializer_class: type[serializers.Serializer[Any]],
    **context: Any,
) -> dict[str, Any]:
    """The declared query parameters of ``request``, validated (``InvalidInput`` if not)."""
    return query_validate(_params(request), serializer_class, request=request, **context)


def query_filter(
    request: HttpRequest | Any, filterset_class: type[FilterSet], queryset: QuerySet[M]
) -> FilterSet:
    """The FilterSet of ``request``'s declared filters over ``queryset``, validated.

    ``.qs`` is the filtered queryset, ``.form.cleaned_data`` the values (to show them on
    the page). It is the page side of the FilterSet the API view names as
    ``filterset_class``; ``InvalidInput`` names each bad parameter.
    """
    filterset = filterset_class(data=_params(request), queryset=queryset, request=request)
    if not filterset.is_valid():
        raise _invalid(filterset.errors)
    return filterset


class _ParamsRequest:
    """What a FilterSet reads of a request (``GET``, ``user``) when there is none."""

    def __init__(self, data: Any, actor: Any) -> None:
        self.GET = data if data is not None else {}
        self.user = actor


def filterset_apply(
    data: Any, filterset_class: type[FilterSet], queryset: QuerySet[M], *, actor: Any = None
) -> FilterSet:
    """``query_filter`` without a request: ``data`` (a dict of texts, or of lists of texts
    for filters that take several values) for ``actor``."""
    if isinstance(data, dict) and not isinstance(data, MultiValueDict):
        data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    return query_filter(_ParamsRequest(data, actor), filterset_class, queryset)

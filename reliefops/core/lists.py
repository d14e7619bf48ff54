"""Lists as one mechanism: filter, search, sort, page and export, for pages and the API.

A list is a FilterSet (``<app>/filtersets.py``) over a scoped selector. The FilterSet
declares everything a person can ask of the list, so the page, its API list and its export
read the same parameters:

* filters (area with its descendants: :func:`area_filter`; organisation, item, status,
  date ranges as django-filter filters),
* ``q``, a search over the fields a person searches (:func:`search_filter`: texts and
  names in every language held, ``icontains`` ORs that PostgreSQL and SQLite both run),
* ``o``, the sort, a :class:`ListOrdering` with a whitelist of columns (a field path or an
  expression such as a priority rank).

Paging is ``page`` and ``page_size``: the API's page-number pagination
(``core.api.Pagination``) reads the same names; a page offers :data:`PAGE_SIZES`.
:func:`list_page` runs it all for a page view and returns a :class:`ListPage` that the
partials under ``core/partials/`` and the ``lists`` template tags render (sortable headers,
pager, page sizes, export links carrying the filters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Expression, F, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from rest_framework import serializers

from reliefops.core.actions import Action
from reliefops.core.i18n import FALLBACK_ORDER
from reliefops.core.permissions import user_can
from reliefops.core.queries import query_filter, query_validate

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
PAGE_PARAM = "page"
PAGE_SIZE_PARAM = "page_size"
SORT_PARAM = "o"
SEARCH_PARAM = "q"
#: How deep an area filter looks below the area named (country → subdivision → below).
AREA_DEPTH = 3
EXPORT_FORMATS = ("csv", "xlsx", "hxl")


def name_languages() -> list[str]:
    """Languages whose names are searched: the UI languages and the fallback order."""
    codes = [code for code, _label in settings.LANGUAGES]
    return [*codes, *[code for code in FALLBACK_ORDER if code not in codes]]


def search_q(value: str, *, texts: Iterable[str] = (), names: Iterable[str] = ()) -> Q:
    """``icontains`` ORs of ``value`` over text fields and names maps in every language.

    ``names`` are paths to a ``{language: name}`` JSON field (``facility__names``); each
    language is its own key lookup, so SQLite (which stores the JSON escaped) matches
    Cyrillic and Armenian names as PostgreSQL does.
    """
    q = Q()
    for path in texts:
        q |= Q(**{f"{path}__icontains": value})
    for path in names:
        for lang in name_languages():
            q |= Q(**{f"{path}__{lang}__icontains": value})
    return q


def search_filter(
    queryset: QuerySet[Any], value: str, *, texts: Iterable[str] = (), names: Iterable[str] = ()
) -> QuerySet[Any]:
    """``queryset`` rows matching :func:`search_q`, once each (a subquery, no DISTINCT),
    so paths through many-valued relations (lines, alternate names) are fine."""
    value = (value or "").strip()
    if not value:
        return queryset
    model = queryset.model
    matching = model._base_manager.filter(search_q(value, texts=texts, names=names))
    return queryset.filter(pk__in=matching.values("pk"))


def area_q(path: str, code: str, depth: int = AREA_DEPTH) -> Q:
    """Rows whose area (``path`` to an AdminArea) is ``code`` or lies below it."""
    q = Q(**{f"{path}__code": code})
    for level in range(1, depth + 1):
        q |= Q(**{f"{path}{'__parent' * level}__code": code})
    return q


class AreaFilter(django_filters.CharFilter):
    """An area by its code, with every area below it (a district finds its villages)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", _("Area"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        return qs.filter(area_q(self.field_name, value))


def area_filter(path: str = "area", **kwargs: Any) -> AreaFilter:
    return AreaFilter(field_name=path, **kwargs)


class ListOrdering(django_filters.OrderingFilter):
    """The sort of a list: ``o=name`` or ``o=-name`` for a whitelisted column.

    ``columns`` maps the parameter value to a field path or an expression (a rank); the
    primary key breaks ties so that pages never overlap. Without ``o`` the selector's own
    order stays.
    """

    def __init__(self, *, columns: Mapping[str, str | Expression], **kwargs: Any) -> None:
        self.columns = dict(columns)
        kwargs.setdefault("label", _("Sort"))
        kwargs.setdefault("help_text", _("Sort by a column; a leading “-” sorts descending."))
        super().__init__(fields=[(name, name) for name in self.columns], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        ordering: list[Any] = []
        for param in value:
            descending = param.startswith("-")
            column = self.columns[param.lstrip("-")]
            expression = F(column) if isinstance(column, str) else column
            ordering.append(expression.desc() if descending else expression.asc())
        return qs.order_by(*ordering, "pk")


class PageQuery(serializers.Serializer[Any]):
    """``page`` and ``page_size`` of a list page (the API reads the same names)."""

    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.ChoiceField(choices=PAGE_SIZES, default=DEFAULT_PAGE_SIZE)


@dataclass
class ListPage:
    """One page of a filtered, sorted list and what its controls need to render."""

    filters: FilterSet
    page: Page[Any]
    page_size: int
    params: QueryDict
    url: str
    target: str
    export_kind: str | None = None
    export_url: str = ""
    can_export: bool = False
    form_id: str = "list-filters"

    @property
    def rows(self) -> Any:
        return self.page.object_list

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.filters.form.cleaned_data)

    @property
    def sort(self) -> str:
        value = self.params.get(SORT_PARAM, "")
        return value.split(",")[0] if value else ""

    def query(self, **changes: Any) -> str:
        """The query string with ``changes`` (None removes a parameter)."""
        params = self.params.copy()
        for key, value in changes.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = str(value)
        return params.urlencode()

    def page_query(self, number: int) -> str:
        return self.query(**{PAGE_PARAM: number if number > 1 else None})

    def sort_query(self, column: str) -> str:
        """The query that sorts by ``column``: ascending first, then descending."""
        value = f"-{column}" if self.sort == column else column
        return self.query(**{SORT_PARAM: value, PAGE_PARAM: None})

    def export_query(self, fmt: str) -> str:
        """The filters (not the page) with ``format``: the export holds every filtered row."""
        params = self.params.copy()
        for key in (PAGE_PARAM, PAGE_SIZE_PARAM, "format"):
            params.pop(key, None)
        params["format"] = fmt
        return params.urlencode()

    @property
    def page_numbers(self) -> list[int | None]:
        """Page links around the current one (None: a gap)."""
        last = self.page.paginator.num_pages
        current = self.page.number
        wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        numbers: list[int | None] = []
        for number in wanted:
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers

    @property
    def page_sizes(self) -> Sequence[int]:
        return PAGE_SIZES


def list_page(
    request: HttpRequest,
    filterset_class: type[FilterSet],
    queryset: QuerySet[Any],
    *,
    target: str,
    export_kind: str | None = None,
    form_id: str = "list-filters",
) -> ListPage:
    """Filter, sort and page ``queryset`` by ``request``'s declared parameters.

    ``target`` is the CSS selector of the element the HTMX controls swap (the partial the
    view renders for HTMX requests); ``export_kind`` names the exchange kind whose exporter
    declares the same FilterSet (its export link carries the filters); ``form_id`` is the
    filter form's id (the sort and page size travel with it as hidden inputs).
    """
    filters = query_filter(request, filterset_class, queryset)
    paging = query_validate(request.GET, PageQuery)
    paginator = Paginator(filters.qs, paging["page_size"])
    page = paginator.get_page(paging["page"])
    params = request.GET.copy()
    return ListPage(
        filters=filters,
        page=page,
        page_size=paging["page_size"],
        params=params,
        url=request.path,
        target=target,
        export_kind=export_kind,
        export_url=reverse("intake:export", kwargs={"kind": export_kind}) if export_kind else "",
        can_export=bool(export_kind) and user_can(request.user, Action.EXPORT_RUN),
        form_id=form_id,
    )

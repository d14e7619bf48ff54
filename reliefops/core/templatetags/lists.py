"""Template tags of the list mechanism (``{% load lists %}``; see ``core.lists``).

``{% sort_header list "reference" _("Reference") %}`` a sortable column header;
``{% list_pager list %}`` the row count, page links and page sizes;
``{% list_export list %}`` the export links carrying the list's filters;
``{{ value|number }}`` a quantity with the locale's separators (``45,877,050``; no
trailing zeros); ``{% page_query list 2 %}`` the query string of a page;
``{% options pairs selected %}`` the ``<option>`` elements of ``(value, label)`` pairs and
``{% table_rows rows "" "num" %}`` the ``<tr>`` of a table's body, one class per column:
long lists (a thousand villages) built in one pass rather than a template loop per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

from reliefops.core.forms import DateInput
from reliefops.core.lists import EXPORT_FORMATS, PAGE_SIZE_PARAM, ListPage

register = template.Library()


@register.filter
def number(value: Any, digits: int = 3) -> str:
    """``value`` grouped by the active locale, up to ``digits`` decimals, none if whole."""
    if value is None or value == "":
        return ""
    try:
        exact = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not exact.is_finite():
        return str(value)
    exponent = int(exact.normalize().as_tuple().exponent)
    places = max(0, min(int(digits), -exponent))
    return str(floatformat(exact, f"{places}g"))


@register.simple_tag
def page_query(lst: ListPage, number: int) -> str:
    return lst.page_query(int(number))


@register.simple_tag
def size_query(lst: ListPage, size: int) -> str:
    return lst.query(**{PAGE_SIZE_PARAM: size, "page": None})


@register.inclusion_tag("core/partials/sort_header.html")
def sort_header(lst: ListPage, column: str, label: str, css: str = "") -> dict[str, Any]:
    sort = lst.sort
    direction = "ascending" if sort == column else "descending" if sort == f"-{column}" else ""
    return {
        "lst": lst,
        "label": label,
        "css": css,
        "query": lst.sort_query(column),
        "direction": direction,
    }


@register.inclusion_tag("core/partials/list_pager.html")
def list_pager(lst: ListPage) -> dict[str, Any]:
    return {"lst": lst, "page": lst.page}


@register.inclusion_tag("core/partials/list_export.html")
def list_export(lst: ListPage) -> dict[str, Any]:
    links = []
    if lst.can_export and lst.export_url:
        links = [(fmt, f"{lst.export_url}?{lst.export_query(fmt)}") for fmt in EXPORT_FORMATS]
    return {"lst": lst, "links": links}


@register.simple_tag
def date_input(name: str, value: Any = None, element_id: str = "") -> str:
    """A list filter's date box, rendered by the shared ISO widget (``core.forms.DateInput``);
    ``element_id`` for a ``<label for>``."""
    return DateInput().render(name, value or None, attrs={"id": element_id} if element_id else None)


@register.simple_tag
def options(pairs: Iterable[tuple[Any, Any]], selected: Any = "") -> SafeString:
    """``<option value="…">label</option>`` per ``(value, label)``; ``selected`` marked."""
    chosen = str(selected if selected is not None else "")
    return mark_safe(  # noqa: S308 - values and labels escaped here
        "".join(
            f'<option value="{escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{escape(str(label))}</option>"
            for value, label in pairs
        )
    )


@register.simple_tag
def table_rows(rows: Iterable[Sequence[Any]], *classes: str) -> SafeString:
    """``<tr><td>…</td>…</tr>`` per row (escaped); ``classes``: each column's class."""
    opening = [f'<td class="{escape(css)}">' if css else "<td>" for css in classes]

    def cell(index: int, value: Any) -> str:
        start = opening[index] if index < len(opening) else "<td>"
        return f"{start}{escape(str(value))}</td>"

    body = "".join(
        "<tr>" + "".join(cell(i, value) for i, value in enumerate(values)) + "</tr>"
        for values in rows
    )
    return mark_safe(body)  # noqa: S308 - every cell escaped here

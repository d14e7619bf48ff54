"""``json_script`` for every template (a builtin, ``settings.TEMPLATES``): Django's filter,
the same output, in one pass of three ``str.replace`` instead of a ``str.translate`` with a
mapping, which walks a map's 200 KB of GeoJSON character by character (40 ms of the due
page's 200 ms).

``<``, ``>`` and ``&`` are escaped as ``\\u003C``, ``\\u003E`` and ``\\u0026``, exactly as
:func:`django.utils.html.json_script`, so the JSON cannot close the ``<script>`` element.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def json_text(value: Any) -> str:
    """``value`` as JSON safe inside a ``<script>`` element."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    return text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")


@register.filter(is_safe=True)
def json_script(value: Any, element_id: str | None = None) -> SafeString:
    """``<script id="…" type="application/json">…</script>``, as Django's filter."""
    data = mark_safe(json_text(value))  # noqa: S308 - <, > and & escaped above
    if element_id:
        return format_html('<script id="{}" type="application/json">{}</script>', element_id, data)
    return format_html('<script type="application/json">{}</script>', data)

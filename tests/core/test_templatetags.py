"""The template helpers that replace per-item template loops and Django's json_script:
the same HTML, escaped the same way."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils.html import json_script as django_json_script

from reliefops.core.templatetags.json_script import json_script
from reliefops.core.templatetags.lists import options, table_rows

HOSTILE = "</script><b onclick=\"x()\">Ağdam & 'Ağdərə'</b>"


@pytest.mark.parametrize(
    "value",
    [
        {"name": HOSTILE, "n": [1, 2.5, None, True], "nested": {"u": "ü\u2028<!--"}},
        [],
        "plain",
        {"type": "FeatureCollection", "features": [{"properties": {"label": "<5"}}]},
    ],
)
def test_json_script_is_django_s_byte_for_byte(value: object) -> None:
    assert json_script(value, "data") == django_json_script(value, "data")
    assert json_script(value) == django_json_script(value)
    assert "</script><b" not in json_script(value, "data")[:-9]


def test_every_template_gets_the_builtin_json_script() -> None:
    html = engines["django"].from_string('{{ v|json_script:"x" }}').render({"v": HOSTILE})
    assert html == django_json_script(HOSTILE, "x")


def test_options_escape_and_mark_the_chosen_one() -> None:
    html = options([("a&b", HOSTILE), ("P-2", "Two"), (3, "Three")], "P-2")
    assert html == (
        '<option value="a&amp;b">&lt;/script&gt;&lt;b onclick=&quot;x()&quot;&gt;'
        "Ağdam &amp; &#x27;Ağdərə&#x27;&lt;/b&gt;</option>"
        '<option value="P-2" selected>Two</option><option value="3">Three</option>'
    )
    assert options([(3, "Three")], 3) == '<option value="3" selected>Three</option>'
    assert options([], None) == ""


def test_table_rows_escape_every_cell_and_class_each_column() -> None:
    html = table_rows([(HOSTILE, "<5"), ("Kəlbəcər", 12)], "", "num")
    assert html == (
        "<tr><td>&lt;/script&gt;&lt;b onclick=&quot;x()&quot;&gt;Ağdam &amp; "
        '&#x27;Ağdərə&#x27;&lt;/b&gt;</td><td class="num">&lt;5</td></tr>'
        '<tr><td>Kəlbəcər</td><td class="num">12</td></tr>'
    )
    rendered = (
        engines["django"]
        .from_string(
            '{% load lists %}<select>{% options pairs "b" %}</select>'
            '<table><tbody>{% table_rows rows "" "num" %}</tbody></table>'
        )
        .render({"pairs": [("a", "A"), ("b", "B")], "rows": [("x", 1)]})
    )
    assert rendered == (
        '<select><option value="a">A</option><option value="b" selected>B</option></select>'
        '<table><tbody><tr><td>x</td><td class="num">1</td></tr></tbody></table>'
    )

"""The API and the files say the same thing for every field an entity declares for both.

Used by the field-list tests of places and stock: an entity's API rows and its exported
rows (as read back from a CSV) are joined by key, and every declared field with
``api`` and ``file`` must carry the same value on both sides (numbers compared as
numbers, a translated field's dict against its per-language columns).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reliefops.core import exchange as ex
from reliefops.core.exchange.fields import languages


def exported_rows(kind: str, actor: Any, tmp_path: Path) -> list[dict[str, str]]:
    """The rows of a CSV export of ``kind``, as the importer reads them (text cells)."""
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, fmt="csv")
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(stream.getvalue())
    return [row for _number, row in ex.TableReader(path)]


def _same(api_value: Any, cell: str) -> bool:
    text = ex.render_value(api_value)
    try:
        return Decimal(text) == Decimal(cell)
    except InvalidOperation:
        return text == cell


def disagreements(
    fields: ex.Fields,
    api_rows: Iterable[dict[str, Any]],
    file_rows: Iterable[dict[str, str]],
    key: Callable[[dict[str, Any]], Any],
) -> list[tuple[Any, str, Any, Any]]:
    """``(row key, field, API value, file value)`` for every shared field that differs."""
    by_key = {key(row): row for row in file_rows}
    found = []
    shared = [f for f in fields if f.api and f.file]
    assert shared, "no field is declared for both the API and the files"
    api_rows = list(api_rows)
    assert api_rows and set(by_key) == {key(row) for row in api_rows}
    for api_row in api_rows:
        cells = by_key[key(api_row)]
        for f in shared:
            value = api_row[f.name]
            if f.translated:
                texts = {
                    lang: cells[f"{f.translated}_{lang}"]
                    for lang in languages()
                    if cells[f"{f.translated}_{lang}"]
                }
                if texts != value:
                    found.append((key(api_row), f.name, value, texts))
            elif not _same(value, cells[f.column_name]):
                found.append((key(api_row), f.name, value, cells[f.column_name]))
    return found

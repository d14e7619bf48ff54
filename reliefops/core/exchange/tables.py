"""Tables in files: format detection, streaming readers and writers (CSV, HXL, XLSX, GeoJSON).

Every reader yields ``(row_number, {column: text})`` one row at a time and never loads the
whole file. ``row_number`` is the row a spreadsheet user sees (the header is row 1; the
hashtag row, when present, row 2). A row whose non-empty cells all start with ``#`` is the
HXL hashtag row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from reliefops.core.errors import InvalidInput
from reliefops.core.exchange.geojson import geojson_feature_row, geojson_features, geojson_write
from reliefops.core.exchange.parsing import Column, cell_text, hxl_normalize, is_hashtag_row

FORMATS = ("csv", "hxl", "xlsx", "geojson")
EXTENSION_FORMATS = {
    ".csv": "csv",
    ".hxl": "hxl",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
}

Row = dict[str, str]


@dataclass
class TableHead:
    """What a reader found above the data: header names and HXL tags (either may be empty)."""

    names: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _table_rows(
    cells: Iterator[list[str]],
) -> tuple[TableHead, int, Iterator[tuple[int, list[str]]]]:
    """Split a stream of cell rows into the head and numbered data rows."""
    head = TableHead()
    first = next(cells, None)
    if first is None:
        return head, 0, iter(())
    row_number = 1
    if is_hashtag_row(first):
        head.tags = first
    else:
        head.names = first
        second = next(cells, None)
        if second is not None:
            row_number = 2
            if is_hashtag_row(second):
                head.tags = second
            else:
                cells = _chain_one(second, cells)
                row_number = 1

    def numbered(start: int) -> Iterator[tuple[int, list[str]]]:
        number = start
        for row in cells:
            number += 1
            if not any(c.strip() for c in row):
                continue
            yield number, row

    return head, row_number, numbered(row_number)


def _chain_one(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


def _csv_cells(stream: IO[str]) -> Iterator[list[str]]:
    yield from csv.reader(stream)


def _xlsx_cells(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    finally:
        workbook.close()


def detect_format(path: Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InvalidInput(_("Unknown format %(fmt)s.") % {"fmt": fmt}, code="unknown_format")
        return fmt
    suffix = path.suffix.lower()
    if suffix not in EXTENSION_FORMATS:
        raise InvalidInput(
            _("Cannot tell the format of %(name)s; use .csv, .xlsx or .geojson.")
            % {"name": path.name},
            code="unknown_format",
        )
    return EXTENSION_FORMATS[suffix]


class TableReader:
    """Streams one file as ``(row_number, {header: text})``; knows its head after opening."""

    def __init__(self, path: str | Path, fmt: str | None = None) -> None:
        self.path = Path(path)
        self.format = detect_format(self.path, fmt)
        self.head = TableHead()
        self.header_rows = 0

    def __iter__(self) -> Iterator[tuple[int, Row]]:
        if self.format == "geojson":
            with self.path.open(encoding="utf-8-sig") as stream:
                self.head = TableHead()
                for number, feature in enumerate(geojson_features(stream), start=1):
                    yield number, geojson_feature_row(feature)
            return
        if self.format == "xlsx":
            yield from self._table(_xlsx_cells(self.path))
            return
        with self.path.open(encoding="utf-8-sig", newline="") as stream:
            yield from self._table(_csv_cells(stream))

    def _table(self, cells: Iterator[list[str]]) -> Iterator[tuple[int, Row]]:
        head, header_rows, rows = _table_rows(cells)
        self.head = head
        self.header_rows = header_rows
        keys = self.keys(head)
        for number, values in rows:
            yield (
                number,
                {key: (values[i] if i < len(values) else "") for i, key in enumerate(keys) if key},
            )

    @staticmethod
    def keys(head: TableHead) -> list[str]:
        """Key per column position: the header name, else ``hxl:<normalized tag>``."""
        width = max(len(head.names), len(head.tags))
        keys = []
        for i in range(width):
            name = head.names[i].strip() if i < len(head.names) else ""
            tag = hxl_normalize(head.tags[i]) if i < len(head.tags) else ""
            keys.append(name or (f"hxl:{tag}" if tag else ""))
        return keys


class TableWriter:
    """Writes rows of a column list in one format to a binary stream."""

    def __init__(self, stream: IO[bytes], columns: Sequence[Column], fmt: str) -> None:
        if fmt not in FORMATS:
            raise InvalidInput(_("Unknown format %(fmt)s.") % {"fmt": fmt}, code="unknown_format")
        self.stream = stream
        self.columns = list(columns)
        self.format = fmt
        self.count = 0

    def write(self, rows: Iterable[dict[str, Any]]) -> int:
        if self.format in {"csv", "hxl"}:
            self._write_csv(rows)
        elif self.format == "xlsx":
            self._write_xlsx(rows)
        else:
            self.count = geojson_write(self.stream, self.columns, rows)
        return self.count

    def _texts(self, row: dict[str, Any]) -> list[str]:
        return [column.render(row.get(column.name)) for column in self.columns]

    def _write_csv(self, rows: Iterable[dict[str, Any]]) -> None:
        text = io.TextIOWrapper(self.stream, encoding="utf-8", newline="", write_through=True)
        try:
            writer = csv.writer(text, lineterminator="\n")
            writer.writerow([c.name for c in self.columns])
            if self.format == "hxl":
                writer.writerow([c.hxl for c in self.columns])
            for row in rows:
                writer.writerow(self._texts(row))
                self.count += 1
            text.flush()
        finally:
            text.detach()

    def _write_xlsx(self, rows: Iterable[dict[str, Any]]) -> None:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([c.name for c in self.columns])
        sheet.append([c.hxl for c in self.columns])
        for row in rows:
            sheet.append(self._texts(row))
            self.count += 1
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.stream.write(buffer.getvalue())

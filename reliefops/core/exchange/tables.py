"""Tables in files: format detection, streaming readers and writers (CSV, HXL, XLSX, GeoJSON).

Every reader yields ``(row_number, {column: text})`` one row at a time and never loads the
whole file. ``row_number`` is the row a spreadsheet user sees (the header is row 1; the
hashtag row, when present, row 2). A row whose non-empty cells all start with ``#`` is the
HXL hashtag row.

Before a file is read, :mod:`.files` checks its size (and an XLSX's archive); a row that
cannot be read raises :class:`RowUnreadable` naming the row (and column when known). The
writers neutralise cells that would start a formula; the readers undo exactly that.
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
from reliefops.core.exchange.errors import NotXlsx, RowUnreadable
from reliefops.core.exchange.files import (
    csv_failure,
    decode_failure,
    file_size_check,
    text_encoding,
    xlsx_archive_check,
)
from reliefops.core.exchange.geojson import geojson_feature_row, geojson_features, geojson_write
from reliefops.core.exchange.parsing import (
    Column,
    cell_text,
    export_is_number,
    export_text,
    formula_neutralise,
    formula_restore,
    hxl_normalize,
    is_hashtag_row,
    is_native_number,
)

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


def _csv_cells(path: Path) -> Iterator[list[str]]:
    """Records of a CSV file; a row that cannot be decoded or parsed raises RowUnreadable."""
    with path.open(encoding=text_encoding(path), newline="") as stream:
        reader = csv.reader(stream)
        row, last_line = 0, 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise decode_failure(path) from None
            except csv.Error as exc:
                raise csv_failure(path, row + 1, last_line + 1, exc) from None
            row, last_line = row + 1, reader.line_num
            yield cells


def _xlsx_cells(path: Path) -> Iterator[list[str]]:
    """Rows of the first sheet, opened read-only after the archive check."""
    from openpyxl import load_workbook

    xlsx_archive_check(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds of error on a broken workbook
        raise NotXlsx(_("This is not an XLSX file: the workbook cannot be read.")) from None
    row = 0
    try:
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception:  # broken sheet XML, bad cell values
                raise RowUnreadable(
                    row + 1, _("This row of the XLSX sheet cannot be read.")
                ) from None
            row += 1
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
        file_size_check(self.path)
        if self.format == "geojson":
            yield from self._geojson()
            return
        cells = _xlsx_cells(self.path) if self.format == "xlsx" else _csv_cells(self.path)
        yield from self._table(cells)

    def _geojson(self) -> Iterator[tuple[int, Row]]:
        self.head = TableHead()
        with self.path.open(encoding=text_encoding(self.path)) as stream:
            try:
                for number, feature in enumerate(geojson_features(stream), start=1):
                    yield number, geojson_feature_row(feature)
            except UnicodeDecodeError:
                raise decode_failure(self.path, rows=False) from None

    def _table(self, cells: Iterator[list[str]]) -> Iterator[tuple[int, Row]]:
        keys: list[str] = []
        try:
            head, header_rows, rows = _table_rows(cells)
            self.head = head
            self.header_rows = header_rows
            keys = self.keys(head)
            for number, values in rows:
                yield (
                    number,
                    {
                        key: (formula_restore(values[i]) if i < len(values) else "")
                        for i, key in enumerate(keys)
                        if key
                    },
                )
        except RowUnreadable as exc:
            index = exc.column_index
            if index is not None and not exc.column:
                exc.column = keys[index] if index < len(keys) and keys[index] else f"#{index + 1}"
            raise

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
        return [export_text(column, row.get(column.name)) for column in self.columns]

    def _xlsx_cells(self, sheet: Any, texts: Sequence[Any]) -> list[Any]:
        """Cells of one row: numbers as numbers, every other cell a string (never a formula)."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cells = []
        for value in texts:
            if is_native_number(value):
                cells.append(WriteOnlyCell(sheet, value=value))
                continue
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))
            cell.data_type = "s"
            cells.append(cell)
        return cells

    def _xlsx_values(self, row: dict[str, Any]) -> list[Any]:
        values: list[Any] = []
        for column in self.columns:
            value = row.get(column.name)
            text = column.render(value)
            if export_is_number(column, value, text):
                values.append(value if is_native_number(value) else text)
            else:
                # XML keeps no carriage return (it reads back as a line feed): write one.
                values.append(formula_neutralise(text.replace("\r\n", "\n").replace("\r", "\n")))
        return values

    def _write_csv(self, rows: Iterable[dict[str, Any]]) -> None:
        text = io.TextIOWrapper(self.stream, encoding="utf-8", newline="", write_through=True)
        try:
            # RFC 4180 line ends: csv quotes a cell holding any character of the line
            # terminator, so a cell with a carriage return must see "\r" in it.
            writer = csv.writer(text, lineterminator="\r\n")
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
        sheet.append(self._xlsx_cells(sheet, [c.name for c in self.columns]))
        sheet.append(self._xlsx_cells(sheet, [c.hxl for c in self.columns]))
        for row in rows:
            sheet.append(self._xlsx_cells(sheet, self._xlsx_values(row)))
            self.count += 1
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.stream.write(buffer.getvalue())

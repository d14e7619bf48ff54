"""Bulk exchange: the ONE mechanism every domain uses to import and export tables.

Formats
    ``csv``      comma-separated, UTF-8 (a BOM is accepted), first row = column names.
    ``hxl``      CSV with an HXL hashtag row (https://hxlstandard.org) under the header, or
                 instead of it. On export the hashtag row is written under the header.
    ``xlsx``     first worksheet; read with openpyxl ``read_only`` (streamed), written
                 ``write_only`` with the header and the hashtag row (HXL-tagged XLSX).
    ``geojson``  a FeatureCollection; each feature is a row of its ``properties`` plus
                 ``lat``/``lon`` for points and ``geometry`` (GeoJSON text) for any shape.

Every reader yields ``(row_number, {column: text})`` one row at a time and never loads the
whole file: a 100,000-row file costs the memory of one chunk. ``row_number`` is the row a
spreadsheet user sees (the header is row 1; the hashtag row, when present, row 2).
Whether a CSV/XLSX carries hashtags is detected: a row whose non-empty cells all start with
``#`` is the hashtag row. Input columns are matched to an importer's columns by header name
first, then by HXL tag (attribute order does not matter: ``#item+code`` = ``#item+code``).

Declaring an exchange (in ``reliefops/<app>/exchange.py``, found automatically)::

    from reliefops.intake import exchange as ex

    ITEM_COLUMNS = [
        ex.Column("code", hxl="#item+code", required=True),
        ex.Column("name_en", hxl="#item+name+i_en"),
        ex.Column("weight_kg", hxl="#item+weight", parse=ex.parse_decimal, required=True),
    ]

    class ItemImporter(ex.Importer):
        columns = ITEM_COLUMNS
        permission = "item.edit"

        def prepare(self) -> None:             # once per pass: load lookups
            self.seen = set()

        def clean(self, data, row):            # cross-column rules; raise ex.CellError
            if data["code"] in self.seen:
                raise ex.CellError("code", "Duplicate code in this file.")
            self.seen.add(data["code"])
            return data

        def apply(self, rows):                 # one chunk of clean rows, inside the
            return item_upsert_bulk(actor=self.actor, rows=rows)   # transaction; a service

    class ItemExporter(ex.Exporter):
        columns = ITEM_COLUMNS

        def rows(self):                        # dicts of native values, scoped to actor
            for item in item_list(actor=self.actor):
                yield {"code": item.code, ...}

    ex.register("items", importer=ItemImporter, exporter=ItemExporter)

Running: :func:`import_file` (used by ``reliefops import KIND FILE [--dry-run]`` and the
upload page) makes two streaming passes. Pass 1 validates every row and collects every
:class:`RowError` (row, column, value, message). If there is any error nothing is written.
Otherwise pass 2 reads the file again and hands clean rows to ``Importer.apply`` in chunks
of ``chunk_size`` inside ONE ``transaction.atomic`` block, so the import commits whole or
not at all. :func:`export_write` (``reliefops export KIND [--format] [--output]``) streams
``Exporter.rows`` through a writer; an export of a kind re-imports to identical records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, ClassVar

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.permissions import require
from reliefops.core.queries import query_validate

FORMATS = ("csv", "hxl", "xlsx", "geojson")
EXTENSION_FORMATS = {
    ".csv": "csv",
    ".hxl": "hxl",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".geojson": "geojson",
    ".json": "geojson",
}
GEOMETRY_COLUMN = "geometry"

Row = dict[str, str]


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (``column`` may be empty for a whole-row problem)."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class CellError(Exception):
    """Raised by a parser (column given by the caller) or ``Importer.clean``."""

    def __init__(self, column: str, message: str, value: str | None = None) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.value = value


class ImportRejected(InvalidInput):
    code = "import_rejected"
    default_message = gettext_lazy("The file has errors; nothing was imported.")


class UnknownKind(NotFound):
    code = "unknown_exchange_kind"
    default_message = gettext_lazy("There is no import or export of this kind.")


# --------------------------------------------------------------------------- parsers
# A parser turns a non-empty cell text into a value or raises ValueError(message).


def parse_text(text: str) -> str:
    return text.strip()


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("Not a number.")) from None
    if not value.is_finite():
        raise ValueError(_("Not a number."))
    return value


def parse_non_negative_decimal(text: str) -> Decimal:
    value = parse_decimal(text)
    if value < 0:
        raise ValueError(_("Must not be negative."))
    return value


def parse_positive_decimal(text: str) -> Decimal:
    value = parse_decimal(text)
    if value <= 0:
        raise ValueError(_("Must be greater than zero."))
    return value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(_("Not a whole number."))
    return int(value)


def parse_float(text: str) -> float:
    return float(parse_decimal(text))


def parse_date(text: str) -> dt.date:
    value = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value[:10] if "T" in value else value, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("Not a date (use YYYY-MM-DD)."))


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "y", "x", "да", "bəli"}:
        return True
    if value in {"0", "false", "no", "n", "нет", "xeyr"}:
        return False
    raise ValueError(_("Not yes/no (use true or false)."))


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(_("Not valid JSON.")) from None


def parse_choice(choices: Any) -> Callable[[str], str]:
    """Parser accepting a TextChoices value (or its label, case-insensitive)."""
    by_key = {str(value).lower(): str(value) for value, _label in choices.choices}
    by_label = {str(label).lower(): str(value) for value, label in choices.choices}

    def parse(text: str) -> str:
        key = text.strip().lower()
        if key in by_key:
            return by_key[key]
        if key in by_label:
            return by_label[key]
        raise ValueError(_("Not one of: %(values)s.") % {"values": ", ".join(sorted(by_key))})

    return parse


# --------------------------------------------------------------------------- renderers


def render_value(value: Any) -> str:
    """Text of a native value as written to CSV (and read back by the parsers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if text != "-0" else "0"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of an exchange: its header name, HXL tag, parser and renderer."""

    name: str
    hxl: str = ""
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    default: Any = None
    render: Callable[[Any], str] = render_value
    help: str = ""


def hxl_normalize(tag: str) -> str:
    """``#Item +Code`` → ``#item+code``; attributes sorted so their order does not matter."""
    parts = [p.strip().lower() for p in tag.strip().split("+") if p.strip()]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0], *sorted(parts[1:])])


def _is_hashtag_row(cells: Sequence[str]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


# --------------------------------------------------------------------------- readers


@dataclass
class TableHead:
    """What a reader found above the data: header names and HXL tags (either may be empty)."""

    names: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _table_rows(
    cells: Iterator[list[str]],
) -> tuple[TableHead, int, Iterator[tuple[int, list[str]]]]:
    """Split a stream of cell rows into the head and numbered data rows."""
    head = TableHead()
    first = next(cells, None)
    if first is None:
        return head, 0, iter(())
    row_number = 1
    if _is_hashtag_row(first):
        head.tags = first
    else:
        head.names = first
        second = next(cells, None)
        if second is not None:
            row_number = 2
            if _is_hashtag_row(second):
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
    # A file that is not UTF-8 text, or not a CSV table Python can read, is refused (400).
    try:
        yield from csv.reader(stream)
    except UnicodeDecodeError as exc:
        raise ImportRejected(code="encoding", reason="not UTF-8 text") from exc
    except csv.Error as exc:
        raise ImportRejected(code="unreadable", reason=str(exc)) from exc


def _xlsx_cells(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _geojson_features(stream: IO[str], buffer_size: int = 1 << 16) -> Iterator[dict[str, Any]]:
    """Yield the features of a FeatureCollection one at a time (buffered raw_decode)."""
    decoder = json.JSONDecoder()
    buffer = ""
    position = 0
    eof = False

    def fill() -> bool:
        nonlocal buffer, position, eof
        if eof:
            return False
        chunk = stream.read(buffer_size)
        if not chunk:
            eof = True
            return False
        buffer = buffer[position:] + chunk
        position = 0
        return True

    def skip(chars: str) -> None:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in chars:
                position += 1
            if position < len(buffer) or not fill():
                return

    def expect(char: str) -> None:
        nonlocal position
        skip(" \t\r\n\ufeff")
        if position >= len(buffer) or buffer[position] != char:
            raise InvalidInput(_("Not a GeoJSON FeatureCollection."), code="invalid_geojson")
        position += 1

    def value() -> Any:
        nonlocal position
        skip(" \t\r\n")
        while True:
            try:
                obj, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                if not fill():
                    raise InvalidInput(
                        _("Not a GeoJSON FeatureCollection."), code="invalid_geojson"
                    ) from None
                continue
            # A number at the end of the buffer may be cut; make sure more is not coming.
            if end == len(buffer) and not eof and fill():
                continue
            position = end
            return obj

    fill()
    expect("{")
    while True:
        skip(" \t\r\n,")
        if position < len(buffer) and buffer[position] == "}":
            return
        key = value()
        expect(":")
        if key == "features":
            expect("[")
            while True:
                skip(" \t\r\n,")
                if position < len(buffer) and buffer[position] == "]":
                    position += 1
                    break
                if position >= len(buffer):
                    raise InvalidInput(
                        _("Not a GeoJSON FeatureCollection."), code="invalid_geojson"
                    )
                feature = value()
                if isinstance(feature, dict):
                    yield feature
        else:
            value()


def geojson_feature_row(feature: dict[str, Any]) -> Row:
    """A feature as a row: its properties, ``lat``/``lon`` of a point, ``geometry`` text."""
    row = {
        str(k): _cell_text(v) if not isinstance(v, (dict, list)) else json.dumps(v)
        for k, v in (feature.get("properties") or {}).items()
    }
    geometry = feature.get("geometry")
    if geometry:
        row[GEOMETRY_COLUMN] = json.dumps(geometry, separators=(",", ":"))
        if geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates") or []
            if len(coordinates) >= 2:
                row.setdefault("lon", _cell_text(float(coordinates[0])))
                row.setdefault("lat", _cell_text(float(coordinates[1])))
    return row


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
                for number, feature in enumerate(_geojson_features(stream), start=1):
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


# --------------------------------------------------------------------------- writers


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
            self._write_geojson(rows)
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

    def _write_geojson(self, rows: Iterable[dict[str, Any]]) -> None:
        write = self.stream.write
        write(b'{"type":"FeatureCollection","features":[\n')
        for row in rows:
            geometry = row.get(GEOMETRY_COLUMN)
            if isinstance(geometry, str) and geometry:
                geometry = json.loads(geometry)
            if (
                not geometry
                and row.get("lat") not in (None, "")
                and row.get("lon")
                not in (
                    None,
                    "",
                )
            ):
                geometry = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
            properties = {
                c.name: c.render(row.get(c.name))
                for c in self.columns
                if c.name not in {GEOMETRY_COLUMN, "lat", "lon"} or not geometry
            }
            feature = {"type": "Feature", "geometry": geometry or None, "properties": properties}
            if self.count:
                write(b",\n")
            write(json.dumps(feature, ensure_ascii=False).encode("utf-8"))
            self.count += 1
        write(b"\n]}\n")


# --------------------------------------------------------------------------- importers


class Importer:
    """Base of every importer: declares columns, validates rows, applies clean chunks.

    Subclasses set ``columns`` and ``permission`` and implement ``apply``; they may
    override ``prepare`` (load lookups once per pass; reset per-file state) and ``clean``
    (cross-column rules, lookups; raise :class:`CellError`). ``apply`` runs inside the
    import's transaction and must write through the domain's services.
    """

    columns: ClassVar[Sequence[Column]] = ()
    permission: ClassVar[str] = "import.run"
    chunk_size: ClassVar[int] = 2000
    description: ClassVar[str] = ""

    def __init__(self, *, actor: Any) -> None:
        self.actor = actor
        self._mapping: dict[str, str] = {}

    # hooks -----------------------------------------------------------------
    def check_permission(self) -> None:
        require(self.actor, "import.run")
        if self.permission != "import.run":
            require(self.actor, self.permission)

    def prepare(self) -> None:
        """Load lookups and reset per-file state; called before each pass."""

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        """Cross-column checks and lookups on one parsed row; raise CellError."""
        return data

    def apply(self, rows: list[dict[str, Any]]) -> int:
        """Write one chunk of clean rows (inside the import's transaction); return count."""
        raise NotImplementedError

    def finish(self) -> None:
        """Called once after the last chunk, still inside the transaction."""

    # machinery -------------------------------------------------------------
    def map_head(self, head: TableHead) -> list[RowError]:
        """Match the file's columns to ours; errors for missing required columns."""
        keys = TableReader.keys(head)
        by_tag = {hxl_normalize(c.hxl): c.name for c in self.columns if c.hxl}
        names = {c.name.lower(): c.name for c in self.columns}
        mapping: dict[str, str] = {}
        for key in keys:
            if not key:
                continue
            if key.lower() in names:
                mapping[key] = names[key.lower()]
            elif key.startswith("hxl:") and key[4:] in by_tag:
                mapping[key] = by_tag[key[4:]]
        # A header name we do not know may still carry a known hashtag.
        for i, key in enumerate(keys):
            if key and key not in mapping and i < len(head.tags):
                tag = hxl_normalize(head.tags[i])
                if tag in by_tag:
                    mapping[key] = by_tag[tag]
        self._mapping = mapping
        present = set(mapping.values())
        return [
            RowError(1, c.name, "", _("Required column is missing."))
            for c in self.columns
            if c.required and c.name not in present
        ]

    def validate_row(self, raw: Row, row: int) -> tuple[dict[str, Any] | None, list[RowError]]:
        """Clean data for one input row, or the list of its cell errors."""
        values: dict[str, str] = {}
        for key, text in raw.items():
            name = self._mapping.get(key)
            if name is not None:
                values[name] = text if isinstance(text, str) else _cell_text(text)
        data: dict[str, Any] = {}
        errors: list[RowError] = []
        for column in self.columns:
            text = values.get(column.name, "")
            if text is None or not str(text).strip():
                if column.required:
                    errors.append(RowError(row, column.name, "", _("A value is required.")))
                data[column.name] = column.default
                continue
            try:
                data[column.name] = column.parse(str(text))
            except ValueError as exc:
                errors.append(RowError(row, column.name, str(text), str(exc)))
            except CellError as exc:
                errors.append(RowError(row, column.name, str(text), exc.message))
        if errors:
            return None, errors
        try:
            return self.clean(data, row), []
        except CellError as exc:
            value = exc.value if exc.value is not None else values.get(exc.column, "")
            return None, [RowError(row, exc.column, str(value or ""), exc.message)]


@dataclass
class ImportReport:
    kind: str
    format: str
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "format": self.format,
            "rows": self.rows,
            "written": self.written,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "seconds": round(self.seconds, 3),
        }


def _map_head(importer: Importer, reader: TableReader) -> list[RowError]:
    if reader.format == "geojson":
        # Feature properties are named like our columns; a missing one is a missing value.
        importer.map_head(TableHead(names=[c.name for c in importer.columns]))
        return []
    return importer.map_head(reader.head)


def _validate_pass(
    importer: Importer, reader: TableReader, report: ImportReport, max_errors: int
) -> None:
    importer.prepare()
    mapped = False
    for number, raw in reader:
        if not mapped:
            head_errors = _map_head(importer, reader)
            mapped = True
            if head_errors:
                report.errors.extend(head_errors)
                report.error_count += len(head_errors)
                return
        report.rows += 1
        _data, errors = importer.validate_row(raw, number)
        if errors:
            report.error_count += len(errors)
            room = max_errors - len(report.errors)
            if room > 0:
                report.errors.extend(errors[:room])
    if not mapped:
        head_errors = _map_head(importer, reader)
        report.errors.extend(head_errors)
        report.error_count += len(head_errors)


def import_file(
    *,
    kind: str,
    path: str | Path,
    actor: Any,
    fmt: str | None = None,
    dry_run: bool = False,
    max_errors: int = 1000,
) -> ImportReport:
    """Import ``path`` as ``kind``: all rows or none; see the module docstring.

    Returns a report; nothing is written when ``report.ok`` is false or ``dry_run`` is
    set. Raises :class:`Forbidden` when ``actor`` may not import this kind.
    """
    started = time.perf_counter()
    entry = registry_get(kind)
    if entry.importer is None:
        raise UnknownKind(kind=kind, direction="import")
    importer = entry.importer(actor=actor)
    importer.check_permission()
    reader = TableReader(path, fmt)
    report = ImportReport(kind=kind, format=reader.format, dry_run=dry_run)
    _validate_pass(importer, reader, report, max_errors)
    if report.error_count or dry_run:
        report.seconds = time.perf_counter() - started
        return report
    importer.prepare()
    reader = TableReader(path, fmt)
    with transaction.atomic():
        chunk: list[dict[str, Any]] = []
        mapped = False
        for number, raw in reader:
            if not mapped:
                _map_head(importer, reader)
                mapped = True
            data, errors = importer.validate_row(raw, number)
            if errors or data is None:
                # The database changed between the passes; give up whole.
                report.errors.extend(errors)
                report.error_count += len(errors)
                transaction.set_rollback(True)
                report.written = 0
                report.seconds = time.perf_counter() - started
                return report
            chunk.append(data)
            if len(chunk) >= importer.chunk_size:
                report.written += importer.apply(chunk)
                chunk = []
        if chunk:
            report.written += importer.apply(chunk)
        importer.finish()
        from reliefops.core.audit import audit_record

        audit_record(
            actor=actor,
            action=f"import.{kind}",
            after={"rows": report.rows, "written": report.written, "format": reader.format},
        )
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- exporters


class Exporter:
    """Base of every exporter: ``rows()`` yields dicts of native values, scoped to actor.

    ``query`` declares the exporter's filters (a serializer, e.g. ``days``): the texts given
    by the page, the API or the CLI are validated by it (a bad value is a 400 naming it) and
    ``self.filters`` holds the parsed values. Without one, filters are ignored.
    """

    columns: ClassVar[Sequence[Column]] = ()
    permission: ClassVar[str] = "export.run"
    query: ClassVar[Any] = None

    def __init__(self, *, actor: Any, filters: dict[str, Any] | None = None) -> None:
        self.actor = actor
        self.filters = query_validate(filters or {}, self.query) if self.query else {}

    def check_permission(self) -> None:
        require(self.actor, self.permission)

    def rows(self) -> Iterator[dict[str, Any]]:
        raise NotImplementedError


def export_write(
    *,
    kind: str,
    stream: IO[bytes],
    actor: Any,
    fmt: str = "csv",
    filters: dict[str, Any] | None = None,
) -> int:
    """Write the ``kind`` export for ``actor`` to a binary stream; return the row count."""
    entry = registry_get(kind)
    if entry.exporter is None:
        raise UnknownKind(kind=kind, direction="export")
    exporter = entry.exporter(actor=actor, filters=filters)
    exporter.check_permission()
    return TableWriter(stream, exporter.columns, fmt).write(exporter.rows())


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Exchange:
    kind: str
    importer: type[Importer] | None
    exporter: type[Exporter] | None
    label: str


_REGISTRY: dict[str, Exchange] = {}
_discovered = False


def register(
    kind: str,
    *,
    importer: type[Importer] | None = None,
    exporter: type[Exporter] | None = None,
    label: str = "",
) -> None:
    """Make ``kind`` available to ``reliefops import/export`` and the upload page."""
    if importer is None and exporter is None:
        raise ValueError("register() needs an importer, an exporter or both")
    _REGISTRY[kind] = Exchange(kind, importer, exporter, label or kind)


def registry_discover() -> None:
    """Import ``exchange`` of every installed app so their ``register`` calls run."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("exchange")
    _discovered = True


def registry_kinds() -> list[Exchange]:
    registry_discover()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def registry_get(kind: str) -> Exchange:
    registry_discover()
    if kind not in _REGISTRY:
        raise UnknownKind(kind=kind, known=sorted(_REGISTRY))
    return _REGISTRY[kind]

"""Importers and the all-or-nothing run (:func:`import_file`).

:func:`import_file` makes two streaming passes. Pass 1 validates every row and collects
every :class:`RowError`. If there is any error nothing is written. Otherwise pass 2 reads
the file again and hands clean rows to ``Importer.apply`` in chunks of ``chunk_size``
inside ONE ``transaction.atomic`` block, so the import commits whole or not at all.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.utils.translation import gettext as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.exchange.errors import CellError, RowError, RowUnreadable, UnknownKind
from reliefops.core.exchange.limits import limits
from reliefops.core.exchange.parsing import Column, cell_text, hxl_normalize
from reliefops.core.exchange.registry import registry_get
from reliefops.core.exchange.tables import Row, TableHead, TableReader
from reliefops.core.permissions import Actor, require

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Importer:
    """Base of every importer: declares columns, validates rows, applies clean chunks.

    Subclasses set ``columns`` and ``permission`` and implement ``apply``; they may
    override ``prepare`` (load lookups once per pass; reset per-file state) and ``clean``
    (cross-column rules, lookups; raise :class:`CellError`). ``apply`` runs inside the
    import's transaction and must write through the domain's services.
    """

    columns: ClassVar[Sequence[Column]] = ()
    permission: ClassVar[Action] = Action.IMPORT_RUN
    chunk_size: ClassVar[int] = 2000
    description: ClassVar[str] = ""

    def __init__(self, *, actor: Actor) -> None:
        self.actor = actor
        self._mapping: dict[str, str] = {}
        self._cell_chars = limits().cell_chars

    # hooks -----------------------------------------------------------------
    def check_permission(self) -> None:
        require(self.actor, Action.IMPORT_RUN)
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

    def column_name(self, key: str) -> str:
        """Our name of the file's column ``key`` (the key itself when it is not ours)."""
        return self._mapping.get(key, key)

    def cell_errors(self, raw: Row, row: int) -> list[RowError]:
        """Cells no column may hold: longer than the limit, or with control characters."""
        errors = []
        for key, text in raw.items():
            if not isinstance(text, str):
                continue
            column = self.column_name(key)
            if len(text) > self._cell_chars:
                errors.append(
                    RowError(
                        row,
                        column,
                        text[:40] + "…",
                        _("The cell has %(length)s characters; the limit is %(limit)s.")
                        % {"length": f"{len(text):,}", "limit": f"{self._cell_chars:,}"},
                    )
                )
            elif control := _CONTROL.search(text):
                errors.append(
                    RowError(
                        row,
                        column,
                        _CONTROL.sub("\ufffd", text[:40]),
                        _("The cell contains the control character U+%(code)s.")
                        % {"code": f"{ord(control.group()):04X}"},
                    )
                )
        return errors

    def validate_row(self, raw: Row, row: int) -> tuple[dict[str, Any] | None, list[RowError]]:
        """Clean data for one input row, or the list of its cell errors."""
        refused = self.cell_errors(raw, row)
        if refused:
            return None, refused
        values: dict[str, str] = {}
        for key, text in raw.items():
            name = self._mapping.get(key)
            if name is not None:
                values[name] = text if isinstance(text, str) else cell_text(text)
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


def _read(
    importer: Importer, reader: TableReader, report: ImportReport
) -> Iterator[tuple[int, Row]]:
    """The reader's rows; a row it cannot read ends the file with that row's error."""
    try:
        yield from reader
    except RowUnreadable as exc:
        if not importer._mapping and reader.format != "geojson":
            importer.map_head(reader.head)  # the first data row failed: name its column
        exc.column = importer.column_name(exc.column)
        report.errors.append(exc.row_error())
        report.error_count += 1


def _validate_pass(
    importer: Importer, reader: TableReader, report: ImportReport, max_errors: int
) -> None:
    importer.prepare()
    mapped = False
    for number, raw in _read(importer, reader, report):
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
    if not mapped and not report.error_count:
        head_errors = _map_head(importer, reader)
        report.errors.extend(head_errors)
        report.error_count += len(head_errors)


def import_file(
    *,
    kind: str,
    path: str | Path,
    actor: Actor,
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
        for number, raw in _read(importer, reader, report):
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
        if report.error_count:  # the file changed between the passes
            transaction.set_rollback(True)
            report.written = 0
            report.seconds = time.perf_counter() - started
            return report
        if chunk:
            report.written += importer.apply(chunk)
        importer.finish()
        audit_record(
            actor=actor,
            action=f"import.{kind}",
            after={"rows": report.rows, "written": report.written, "format": reader.format},
        )
    report.seconds = time.perf_counter() - started
    return report

"""Importers and the all-or-nothing run (:func:`import_file`).

:func:`import_file` makes two streaming passes. Pass 1 validates every row, collects
every :class:`RowError` and decides each record's outcome (:mod:`.outcomes`): the row's
key names an existing record (:meth:`Importer.lookup`) or not; an existing one is
updated when :meth:`Importer.diff` finds a change and left alone otherwise; in the
"new records only" mode (``mode="create"``) an existing one is refused. If there is any
error nothing is written. Otherwise pass 2 reads the file again and hands the rows of
created records to ``Importer.create`` and of changed records to ``Importer.update``
(both default to ``apply``), whole records in chunks of about ``chunk_size`` rows,
inside ONE ``transaction.atomic`` block, so the import commits whole or not at all.
Unchanged records are not written.
"""

from __future__ import annotations

import re
import time
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.exchange.errors import (
    CellError,
    RowError,
    RowUnreadable,
    RowWarning,
    UnknownKind,
)
from reliefops.core.exchange.limits import limits
from reliefops.core.exchange.outcomes import (
    CREATED,
    MODE_CREATE,
    MODE_UPSERT,
    MODES,
    REFUSED,
    UNCHANGED,
    UPDATED,
    Change,
    RowOutcome,
    change_texts,
    changes,
    value_text,
)
from reliefops.core.exchange.parsing import Column, cell_text, hxl_normalize
from reliefops.core.exchange.registry import registry_get
from reliefops.core.exchange.reports import OUTCOME_ROWS, ImportReport, Progress
from reliefops.core.exchange.tables import Row, TableHead, TableReader
from reliefops.core.permissions import Actor, require

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Importer:
    """Base of every importer: declares columns, validates rows, applies clean chunks.

    Subclasses set ``columns`` and ``permission`` and implement ``apply``; they may
    override ``prepare`` (load lookups once per pass; reset per-file state) and ``clean``
    (cross-column rules, lookups; raise :class:`CellError`). ``apply`` runs inside the
    import's transaction and must write through the domain's services.

    Records that exist: ``key_columns`` names the row's key (the field list's ``key``);
    ``lookup(key)`` returns the existing record or None; ``current(record)`` its values
    in the shape of a clean row, which ``diff`` compares with the row. ``create(rows)`` and
    ``update(rows)`` write new and changed records (both ``apply`` by default, for the
    upsert services). An importer without ``lookup`` creates every row.

    Field submissions (:mod:`.records`): an importer with ``submissions = True`` also
    takes one record at a time from :func:`~reliefops.core.exchange.records.record_apply`
    (``self.client_id`` is then the submission's id; ``check_submission_permission``
    replaces ``check_permission``; ``applied_key``/``applied_area`` say which record was
    written and where). A :class:`CellError` with ``pending=True`` from ``clean`` makes the
    submission wait for the record it names.
    """

    columns: ClassVar[Sequence[Column]] = ()
    permission: ClassVar[Action] = Action.IMPORT_RUN
    chunk_size: ClassVar[int] = 2000
    description: ClassVar[str] = ""
    key_columns: ClassVar[tuple[str, ...]] = ()
    geometry: ClassVar[bool] = False
    """Whether the kind has a point or shape (offered as GeoJSON)."""
    submissions: ClassVar[bool] = False
    """Whether the kind accepts field submissions (one record at a time through
    :func:`reliefops.core.exchange.records.record_apply`, ``POST /api/v1/submissions/``)."""

    def __init__(self, *, actor: Actor, mode: str = MODE_UPSERT) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown import mode {mode!r}")
        self.actor = actor
        self.mode = mode
        self.client_id: str | None = None
        """The field submission's client id (a UUID text) when one record is applied by
        :func:`~reliefops.core.exchange.records.record_apply`; None for a file. Pass it to
        services that take ``client_id`` (``visit_record``, ``referral_create``)."""
        self._mapping: dict[str, str] = {}
        self._cell_chars = limits().cell_chars
        self._last: tuple[Hashable, Any] | None = None
        self._warnings: list[RowWarning] = []

    def warn(self, row: int, message: str, column: str = "") -> None:
        """Note something about ``row`` that does not refuse it (reported with the
        check pass, e.g. a possible duplicate); call from ``clean``."""
        self._warnings.append(RowWarning(row, column, message))

    def warnings_take(self) -> list[RowWarning]:
        taken, self._warnings = self._warnings, []
        return taken

    # existing records --------------------------------------------------------
    def record_key(self, data: dict[str, Any]) -> Hashable | None:
        """The row's record key (None: the row is always a new record)."""
        if not self.key_columns:
            return None
        values = tuple(data.get(c) for c in self.key_columns)
        if any(v in (None, "") for v in values):
            return None
        return tuple(value_text(v) for v in values)

    def lookup(self, key: Hashable) -> Any | None:
        """The existing record with this key, or None."""
        return None

    def existing_record(self, data: dict[str, Any]) -> Any | None:
        """The existing record a clean row names (cached for consecutive rows)."""
        key = self.record_key(data)
        if key is None:
            return None
        if self._last is None or self._last[0] != key:
            self._last = (key, self.lookup(key))
        return self._last[1]

    def current(self, record: Any) -> dict[str, Any]:
        """The record's values by the names of a clean row (what ``diff`` compares)."""
        return {}

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, Change]:
        """``{field: (old, new)}`` that writing ``data`` would change on ``record``."""
        return changes(self.current(record), data)

    def create(self, rows: list[dict[str, Any]]) -> int:
        """Write rows of new records; return what was written (records, ledger lines)."""
        return self.apply(rows)

    def update(self, rows: list[dict[str, Any]]) -> int:
        """Write rows of changed records; return what was written."""
        return self.apply(rows)

    # hooks -----------------------------------------------------------------
    def check_permission(self) -> None:
        require(self.actor, Action.IMPORT_RUN)
        require(self.actor, self.permission)

    def check_submission_permission(self) -> None:
        """May the actor send this kind's records as field submissions? (Not
        ``import.run``: a field worker sends records without importing files.) The
        services still check the scope of each record."""
        require(self.actor, Action.SUBMISSION_SEND)
        require(self.actor, self.permission)

    def applied_key(self, data: dict[str, Any]) -> str:
        """The key text of the record one clean row created or updated (the answer of a
        field submission). By default the row's own key; an importer whose records get
        their key when created (a referral's reference) returns the new one, e.g. kept
        by ``create``."""
        return key_text(self.record_key(data))

    def applied_area(self, data: dict[str, Any]) -> Any | None:
        """The admin area (a places ``AdminArea``) of the record one clean row wrote, or
        None when unknown; a field submission is filed under it, so the coordinators of
        the area see it. By default the clean row's ``area`` when it is a record, else the
        area of the first record in the row that has one: its ``area`` (a person, a team)
        or its place's ``admin1`` (a facility, a crossing point; a place's own)."""
        area = data.get("area")
        if isinstance(area, Model):
            return area
        for value in data.values():
            if not isinstance(value, Model):
                continue
            place = getattr(value, "place", None)
            for found in (
                getattr(value, "area", None),
                getattr(place, "admin1", None),
                getattr(value, "admin1", None),
            ):
                if isinstance(found, Model):
                    return found
        return None

    def prepare(self) -> None:
        """Load lookups and reset per-file state; called before each pass."""

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        """Cross-column checks and lookups on one parsed row; raise CellError."""
        return data

    def apply(self, rows: list[dict[str, Any]]) -> int:
        """Write one chunk of clean rows (inside the import's transaction); return count."""
        raise NotImplementedError

    def finish(self) -> int:
        """Called once after the last chunk, still inside the transaction; returns what
        it wrote."""
        return 0

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
                errors.append(
                    RowError(row, column.name, str(text), exc.message, pending=exc.pending)
                )
        if errors:
            return None, errors
        try:
            return self.clean(data, row), []
        except CellError as exc:
            value = exc.value if exc.value is not None else values.get(exc.column, "")
            return None, [
                RowError(row, exc.column, str(value or ""), exc.message, pending=exc.pending)
            ]


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
        report.refused += 1


def key_text(key: Hashable | None) -> str:
    """A record key as text (the parts of a composite key joined by `` / ``)."""
    if key is None:
        return ""
    if isinstance(key, tuple):
        return " / ".join(str(k) for k in key)
    return str(key)


def _decide(
    importer: Importer,
    data: dict[str, Any],
    number: int,
    records: dict[Hashable, str],
    report: ImportReport,
    note: str = "",
) -> RowError | None:
    """Decide the outcome of one clean row and of its record; an error in "create" mode."""
    key = importer.record_key(data)
    record = importer.existing_record(data) if key is not None else None
    if record is None:
        outcome, found = CREATED, {}
    elif importer.mode == MODE_CREATE:
        column = importer.key_columns[0]
        return RowError(
            number,
            column,
            key_text(key),
            _("This record exists; the import takes new records only."),
        )
    else:
        found = importer.diff(record, data)
        outcome = UPDATED if found else UNCHANGED
    report.keep(RowOutcome(number, outcome, key_text(key), change_texts(found), note))
    if key is None:
        key = ("row", number)
    before = records.get(key)
    if before is None:
        records[key] = outcome
    elif before == UNCHANGED and outcome == UPDATED:
        records[key] = UPDATED
    return None


def _validate_pass(
    importer: Importer,
    reader: TableReader,
    report: ImportReport,
    max_errors: int,
    progress: Progress | None = None,
) -> dict[Hashable, str]:
    """Check every row; return the outcome of each record (by key)."""
    importer.prepare()
    records: dict[Hashable, str] = {}
    mapped = False
    for number, raw in _read(importer, reader, report):
        if not mapped:
            head_errors = _map_head(importer, reader)
            mapped = True
            if head_errors:
                report.errors.extend(head_errors)
                report.error_count += len(head_errors)
                return records
        report.rows += 1
        data, errors = importer.validate_row(raw, number)
        warnings = importer.warnings_take()
        report.warnings.extend(warnings[: max(OUTCOME_ROWS - len(report.warnings), 0)])
        if data is not None and not errors:
            note = "; ".join(w.message for w in warnings)  # shown with the row's outcome
            refused = _decide(importer, data, number, records, report, note)
            errors = [refused] if refused is not None else []
        if errors:
            report.error_count += len(errors)
            report.refused += 1
            report.keep(
                RowOutcome(
                    number, REFUSED, message="; ".join(f"{e.column}: {e.message}" for e in errors)
                )
            )
            room = max_errors - len(report.errors)
            if room > 0:
                report.errors.extend(errors[:room])
        if progress is not None and report.rows % 500 == 0:
            progress("checking", report.rows, None)
    if not mapped and not report.error_count:
        head_errors = _map_head(importer, reader)
        report.errors.extend(head_errors)
        report.error_count += len(head_errors)
    return records


def _count(records: dict[Hashable, str], report: ImportReport) -> None:
    for outcome in records.values():
        if outcome == CREATED:
            report.created += 1
        elif outcome == UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1


class _Gave(Exception):
    """The file or the database changed between the passes: give up whole."""


def _write_pass(
    importer: Importer,
    reader: TableReader,
    report: ImportReport,
    records: dict[Hashable, str],
    progress: Progress | None,
) -> int:
    """Hand the rows of created and changed records to the importer, whole records at a
    time; return what it wrote. Raises :class:`_Gave` on a row that no longer passes."""
    importer.prepare()
    written = 0
    batch: list[dict[str, Any]] = []
    batch_outcome = ""
    batch_key: Hashable | None = None
    mapped = False
    done = 0

    def flush() -> int:
        if not batch:
            return 0
        rows = list(batch)
        batch.clear()
        return importer.create(rows) if batch_outcome == CREATED else importer.update(rows)

    errors_before = report.error_count
    for number, raw in _read(importer, reader, report):
        if not mapped:
            _map_head(importer, reader)
            mapped = True
        data, errors = importer.validate_row(raw, number)
        importer.warnings_take()  # reported by the check pass
        if errors or data is None:
            report.errors.extend(errors)
            report.error_count += len(errors)
            raise _Gave
        done += 1
        if progress is not None and done % 500 == 0:
            progress("writing", done, report.rows)
        key = importer.record_key(data)
        outcome = records.get(key if key is not None else ("row", number))
        if outcome is None:  # a row pass 1 did not see: the file changed
            raise _Gave
        if outcome == UNCHANGED:
            continue
        same_record = key is not None and key == batch_key
        if (
            batch
            and not same_record
            and (outcome != batch_outcome or len(batch) >= importer.chunk_size)
        ):
            written += flush()
        batch_outcome, batch_key = outcome, key
        batch.append(data)
    if report.error_count > errors_before:  # the file changed between the passes
        raise _Gave
    written += flush()
    written += importer.finish()
    return written


def import_file(
    *,
    kind: str,
    path: str | Path,
    actor: Actor,
    fmt: str | None = None,
    dry_run: bool = False,
    max_errors: int = 1000,
    mode: str = MODE_UPSERT,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``path`` as ``kind``: all rows or none; see the module docstring.

    ``mode`` is ``"upsert"`` (create new records, update changed ones) or ``"create"``
    (new records only: a row naming an existing record is an error). Returns a report;
    nothing is written when ``report.ok`` is false or ``dry_run`` is set. Raises
    :class:`Forbidden` when ``actor`` may not import this kind.
    """
    started = time.perf_counter()
    entry = registry_get(kind)
    if entry.importer is None:
        raise UnknownKind(kind=kind, direction="import")
    importer = entry.importer(actor=actor, mode=mode)
    importer.check_permission()
    reader = TableReader(path, fmt)
    report = ImportReport(kind=kind, format=reader.format, dry_run=dry_run, mode=mode)
    records = _validate_pass(importer, reader, report, max_errors, progress)
    if not report.error_count:
        _count(records, report)
    if report.error_count or dry_run:
        report.seconds = time.perf_counter() - started
        return report
    reader = TableReader(path, fmt)
    with transaction.atomic():
        try:
            report.written = _write_pass(importer, reader, report, records, progress)
        except _Gave:
            transaction.set_rollback(True)
            report.written = 0
            report.created = report.updated = report.unchanged = 0
            report.seconds = time.perf_counter() - started
            return report
        audit_record(
            actor=actor,
            action=f"import.{kind}",
            after={
                "rows": report.rows,
                "written": report.written,
                "format": reader.format,
                "mode": mode,
                **report.counts(),
            },
        )
    if progress is not None:
        progress("writing", report.rows, report.rows)
    report.seconds = time.perf_counter() - started
    return report

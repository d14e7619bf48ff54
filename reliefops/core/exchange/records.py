"""One record at a time through a kind's importer: the apply path of field submissions.

A field submission (``POST /api/v1/submissions/``, a KoboToolbox/ODK webhook, the
offline phone pages) carries ONE record of an exchange kind as a JSON object named like
the kind's export columns. :func:`record_apply` writes it with the kind's registered
:class:`~reliefops.core.exchange.importing.Importer` exactly as a file import writes a
row, so one field list drives files and submissions:

1. the kind must be registered with an importer whose ``submissions`` is true
   (:class:`UnknownKind` 404 / :class:`SubmissionsNotAccepted` 400 otherwise), and the
   actor must pass :meth:`Importer.check_submission_permission` (``submission.send`` and
   the importer's ``permission``; 403);
2. ``data``'s keys are matched to the importer's columns by :meth:`Importer.map_head` (a
   key that is neither an import nor an export column of the kind is a 400 naming it;
   export-only columns such as a derived area are ignored, as a file import ignores them);
3. each value becomes the cell text a file would hold (:func:`record_text`: a string as
   it is, ``null`` as an empty cell, a number or boolean as the export writes it, a list
   through the column's ``render``) and :meth:`Importer.validate_row` parses and cleans
   it (cell limits, control characters, parsers, ``clean``);
4. the record's key finds an existing record (:meth:`Importer.existing_record`); a new one
   is ``created`` (``Importer.create``), an existing one ``updated`` when
   :meth:`Importer.diff` finds a change (``Importer.update``) and ``unchanged`` otherwise
   (nothing written; ``mode="create"`` refuses it instead);
5. everything from ``prepare`` to ``finish`` runs inside ONE ``transaction.atomic`` (a
   savepoint inside the caller's transaction): a refusal leaves nothing behind.

The services the importer calls check the record's scope and write the audit events.
``Importer.client_id`` is set to ``client_id``, so importers pass it to services that take
one (``visit_record``, ``referral_create``). ``Importer.prepare`` runs for each record,
so importers that accept submissions should load what they need lazily.

Errors: a cell the importer refuses raises :class:`RecordInvalid` (400, ``details``:
``field`` — the first column at fault —, ``fields`` {column: [messages]} and ``errors``
[{column, value, message}]); when every refused cell is a :class:`CellError` with
``pending`` (it names a record that may arrive later: a round, a stop, a convoy) it
raises :class:`RecordPending` instead, which a caller that can wait (the submissions
service) stores and retries. Services' own errors (:class:`Forbidden`, :class:`Conflict`,
:class:`InvalidInput` …) propagate unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core.errors import InvalidInput
from reliefops.core.exchange.errors import CellError, RowError, UnknownKind
from reliefops.core.exchange.importing import Importer, key_text
from reliefops.core.exchange.outcomes import (
    CREATED,
    MODE_CREATE,
    MODE_UPSERT,
    UNCHANGED,
    UPDATED,
)
from reliefops.core.exchange.parsing import Column, render_value
from reliefops.core.exchange.registry import Exchange, registry_get, registry_kinds
from reliefops.core.exchange.tables import TableHead
from reliefops.core.permissions import Actor

#: The row number a record's errors carry inside the importer (not shown to the sender).
RECORD_ROW = 1


@dataclass(frozen=True)
class RecordResult:
    """What applying one record did: ``outcome`` (created, updated, unchanged), the
    record's key text, what the importer wrote (records, ledger lines …), the warnings
    ``clean`` noted, and the admin area of the record when the importer knows it
    (:meth:`Importer.applied_area`)."""

    outcome: str
    key: str
    written: int
    warnings: tuple[str, ...] = ()
    area: Any = None


class SubmissionsNotAccepted(InvalidInput):
    code = "kind_not_submittable"
    default_message = gettext_lazy("Records of this kind cannot be sent as field submissions.")


class RecordInvalid(InvalidInput):
    """The record's cells were refused; ``details`` name the fields (module docstring)."""

    code = "record_invalid"
    default_message = gettext_lazy("The record is not valid.")


class RecordPending(RecordInvalid):
    """The record names records that do not exist yet; it may be applied once they do."""

    code = "record_pending"
    default_message = gettext_lazy("The record refers to records that do not exist yet.")


def _refusal(errors: list[RowError]) -> RecordInvalid:
    """:class:`RecordPending` when every error is pending, else :class:`RecordInvalid`."""
    errors = errors or [RowError(RECORD_ROW, "", "", str(RecordInvalid.default_message))]
    pending = all(e.pending for e in errors)
    cls = RecordPending if pending else RecordInvalid
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(error.column or "non_field", []).append(error.message)
    first = errors[0]
    message = f"{first.column}: {first.message}" if first.column else first.message
    return cls(
        message,
        field=first.column or "non_field",
        fields=fields,
        errors=[{"column": e.column, "value": e.value, "message": e.message} for e in errors],
    )


def record_text(value: Any, column: Column | None = None) -> str:
    """The cell text of one JSON value, as a file would hold it.

    A string is kept as it is (no formula restoring: JSON is no spreadsheet), ``null`` is
    an empty cell, a boolean ``true``/``false``, a number its plain text; a list (of
    strings, numbers or booleans) or an object goes through the column's ``render``
    (``"a;b"`` for a list column). Raises ``ValueError`` for a list holding lists or
    objects.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, Decimal, dt.date)):
        return render_value(value)
    if isinstance(value, list):
        if any(isinstance(v, (list, dict)) for v in value):
            raise ValueError(_("A list of texts, numbers or booleans."))
        if column is None:
            return render_value(value)
        return column.render([v if isinstance(v, str) else record_text(v) for v in value])
    if isinstance(value, dict):
        return column.render(value) if column is not None else render_value(value)
    raise ValueError(_("Not a JSON value."))


def submission_importer(kind: str, *, actor: Actor, mode: str = MODE_UPSERT) -> Importer:
    """The kind's importer for one field submission, after the kind and permission checks
    (:class:`UnknownKind`, :class:`SubmissionsNotAccepted`, :class:`Forbidden`)."""
    entry = registry_get(kind)
    if entry.importer is None:
        raise UnknownKind(kind=kind, direction="import")
    if not entry.importer.submissions:
        raise SubmissionsNotAccepted(kind=kind, field="kind")
    importer = entry.importer(actor=actor, mode=mode)
    importer.check_submission_permission()
    return importer


def submission_kinds() -> list[Exchange]:
    """The kinds that accept field submissions (their importer's ``submissions``)."""
    return [e for e in registry_kinds() if e.importer is not None and e.importer.submissions]


def _cells(importer: Importer, entry: Exchange, data: Mapping[str, Any]) -> dict[str, str]:
    """``data`` as the cells of one row, keyed like a file's header; unknown keys,
    keys naming one column twice and unrenderable values are a :class:`RecordInvalid`."""
    keys = [str(k) for k in data]
    importer.map_head(TableHead(names=keys))
    exported = {c.name.lower() for c in (entry.exporter.columns if entry.exporter else ())}
    by_name = {c.name: c for c in importer.columns}
    errors: list[RowError] = []
    seen: dict[str, str] = {}
    cells: dict[str, str] = {}
    for key in keys:
        name = importer.column_name(key)
        column = by_name.get(name)
        if column is None:
            if key.lower() not in exported:
                errors.append(RowError(RECORD_ROW, key, "", _("Not a field of this kind.")))
            continue
        if name in seen:
            errors.append(RowError(RECORD_ROW, name, "", _("This field is given twice.")))
            continue
        seen[name] = key
        try:
            cells[key] = record_text(data[key], column)
        except (TypeError, ValueError) as exc:
            message = str(exc) if isinstance(exc, ValueError) else _("Not a valid value.")
            errors.append(RowError(RECORD_ROW, name, str(data[key])[:40], message))
    if errors:
        raise _refusal(errors)
    return cells


def record_apply(
    kind: str,
    *,
    actor: Actor,
    data: Mapping[str, Any],
    client_id: str | None = None,
    mode: str = MODE_UPSERT,
) -> RecordResult:
    """Create, update or leave alone the one record ``data`` describes; see the module
    docstring. Runs in a savepoint of the caller's transaction (or a transaction of its
    own); raises :class:`RecordInvalid`/:class:`RecordPending` for refused cells and the
    services' errors as they are."""
    importer = submission_importer(kind, actor=actor, mode=mode)
    importer.client_id = client_id
    entry = registry_get(kind)
    if not isinstance(data, Mapping):
        raise RecordInvalid(_("The record must be a JSON object."), field="data")
    with transaction.atomic():
        importer.prepare()
        cells = _cells(importer, entry, data)  # a required column left out: "required"
        clean, errors = importer.validate_row(cells, RECORD_ROW)
        warnings = tuple(w.message for w in importer.warnings_take())
        if errors or clean is None:
            raise _refusal(errors)
        key = importer.record_key(clean)
        record = importer.existing_record(clean) if key is not None else None
        if record is None:
            outcome = CREATED
        elif mode == MODE_CREATE:
            column = importer.key_columns[0]
            raise RecordInvalid(
                _("This record exists; only new records are taken."),
                field=column,
                fields={column: [_("This record exists.")]},
                key=key_text(key),
            )
        else:
            outcome = UPDATED if importer.diff(record, clean) else UNCHANGED
        written = 0
        try:
            if outcome == CREATED:
                written = importer.create([clean])
            elif outcome == UPDATED:
                written = importer.update([clean])
            written += importer.finish()
        except CellError as exc:
            raise _refusal(
                [RowError(RECORD_ROW, exc.column, str(exc.value or ""), exc.message, exc.pending)]
            ) from exc
        return RecordResult(
            outcome=outcome,
            key=importer.applied_key(clean),
            written=written,
            warnings=warnings,
            area=importer.applied_area(clean),
        )

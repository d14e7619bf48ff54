"""Errors of the exchange framework: a problem in one cell, and a refused run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.core.errors import ApplicationError, InvalidInput, NotFound


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (``column`` may be empty for a whole-row problem)."""

    row: int
    column: str
    value: str
    message: str
    pending: bool = False
    """From a :class:`CellError` with ``pending``: the cell names a record that may
    arrive later (a field submission waits; a file import reports it like any error)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class RowWarning:
    """A note about one row that does not stop the import (a possible duplicate …);
    importers add them with :meth:`Importer.warn` while checking the rows."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class CellError(Exception):
    """Raised by a parser (column given by the caller) or ``Importer.clean``."""

    def __init__(
        self, column: str, message: str, value: str | None = None, *, pending: bool = False
    ) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.value = value
        self.pending = pending
        """The cell names a record that does not exist yet but may arrive later (a round,
        a visit, a convoy stop): a field submission waits for it instead of being refused;
        a file import reports it as an error like any other."""


class ImportRejected(InvalidInput):
    code = "import_rejected"
    default_message = gettext_lazy("The file has errors; nothing was imported.")


class UnknownKind(NotFound):
    code = "unknown_exchange_kind"
    default_message = gettext_lazy("There is no import or export of this kind.")


class RowUnreadable(Exception):
    """A reader cannot go on at ``row`` (undecodable text, a cell over csv's own limit).

    ``column_index`` is the position of the cell at fault when known; the table reader
    turns it into the column's header name (:meth:`row_error`).
    """

    def __init__(
        self, row: int, message: str, *, value: str = "", column_index: int | None = None
    ) -> None:
        super().__init__(message)
        self.row = row
        self.message = message
        self.value = value
        self.column_index = column_index
        self.column = ""

    def row_error(self) -> RowError:
        return RowError(self.row, self.column, self.value, self.message)


class FileRefused(InvalidInput):
    """The file is refused as a whole, before its rows are read."""

    code = "file_refused"
    default_message = gettext_lazy("This file cannot be imported.")


class FileTooLarge(FileRefused):
    status_code = 413
    code = "file_too_large"
    default_message = gettext_lazy("The file is larger than the upload limit.")


class NotXlsx(FileRefused):
    code = "not_xlsx"
    default_message = gettext_lazy("This is not an XLSX file (not a readable zip archive).")


class XlsxTooLarge(FileRefused):
    code = "xlsx_too_large"
    default_message = gettext_lazy("The XLSX file unpacks to more than the limit.")


# A service's refusal as the row error of an import (or of a field submission): importers
# call the services' own checks while checking the rows, so a file reports every refused
# row before anything is written, and a submission is refused with the message a page
# would show. The field a service names becomes the column.
def cell_error(
    exc: ApplicationError, *, column: str, columns: Mapping[str, str] | None = None
) -> CellError:
    """``exc`` as a :class:`CellError` on the column of the field it names (``columns``
    maps a service's field names to the file's column names), or on ``column``."""
    rename = dict(columns or {})
    fields = exc.details.get("fields")
    if isinstance(fields, Mapping) and fields:
        name, messages = next(iter(fields.items()))
        if isinstance(messages, list | tuple) and messages:
            message = "; ".join(str(m) for m in messages)
        else:
            message = str(exc.message)
        name = str(name).split(".")[0]
    else:
        name, message = str(exc.details.get("field") or ""), str(exc.message)
    return CellError(rename.get(name, name) or column, message)

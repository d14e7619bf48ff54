"""Errors of the exchange framework: a problem in one cell, and a refused run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.core.errors import InvalidInput, NotFound


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

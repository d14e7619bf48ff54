"""What an import does to each record: created, updated (which fields), unchanged, refused.

An importer finds the record a row names by its key (:meth:`Importer.lookup`) and says
what the row would change (:meth:`Importer.diff`, by default :func:`changes` between
:meth:`Importer.current` and the row). The run counts records (rows sharing a key are one
record, e.g. the lines of a request) and keeps a bounded list of per-row outcomes for the
dry-run preview and the import history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
REFUSED = "refused"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REFUSED)

#: Import modes: create new records and update existing ones (default), or new ones only.
MODE_UPSERT = "upsert"
MODE_CREATE = "create"
MODES = (MODE_UPSERT, MODE_CREATE)

Change = tuple[Any, Any]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover - nan/inf
        return None


def values_equal(old: Any, new: Any) -> bool:
    """Equal as stored values: records by primary key, numbers by value, blanks alike,
    language dicts without their empty entries."""
    if _blank(old) and _blank(new):
        return True
    if hasattr(old, "pk") and hasattr(new, "pk"):
        return bool(old.pk == new.pk)
    a, b = _number(old), _number(new)
    if a is not None and b is not None:
        return a == b
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return {k: v for k, v in old.items() if not _blank(v)} == {
            k: v for k, v in new.items() if not _blank(v)
        }
    return bool(old == new)


def value_text(value: Any) -> str:
    """A value as a person reads it in the preview (codes for records)."""
    if _blank(value):
        return ""
    for attribute in ("code", "acronym", "reference"):
        text = getattr(value, attribute, None)
        if isinstance(text, str) and text:
            return text
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if not _blank(v))
    if isinstance(value, list | tuple | set):
        return "; ".join(value_text(v) for v in value)
    return str(value)


def changes(current: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Change]:
    """``{field: (old, new)}`` for each field of ``current`` the row gives another value."""
    return {
        name: (old, data[name])
        for name, old in current.items()
        if name in data and not values_equal(old, data[name])
    }


@dataclass
class RowOutcome:
    """One file row's outcome; ``changes`` holds ``{field: (old text, new text)}``."""

    row: int
    outcome: str
    key: str = ""
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "outcome": self.outcome,
            "key": self.key,
            "changes": {k: {"old": o, "new": n} for k, (o, n) in self.changes.items()},
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowOutcome:
        return cls(
            row=int(data.get("row", 0)),
            outcome=str(data.get("outcome", "")),
            key=str(data.get("key", "")),
            changes={
                k: (str(v.get("old", "")), str(v.get("new", "")))
                for k, v in (data.get("changes") or {}).items()
            },
            message=str(data.get("message", "")),
        )


def change_texts(found: Mapping[str, Change]) -> dict[str, tuple[str, str]]:
    return {name: (value_text(old), value_text(new)) for name, (old, new) in found.items()}

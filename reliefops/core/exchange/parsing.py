"""Cells: parsers (text → value), renderers (value → text), columns and HXL tags.

A parser turns a non-empty cell text into a value or raises ``ValueError(message)``; the
message becomes the row error. The same :class:`Column` renders a value on export, so an
export and its re-import agree.

Formula neutralisation (OWASP "CSV injection"): on export a text cell that would start a
formula in a spreadsheet (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading
``'`` (:func:`export_text`); on import exactly one leading ``'`` is removed when the rest
would start a formula (:func:`formula_restore`), so our own export re-imports exactly.
Numbers are not text: whether a cell is a number is decided by the column's type (its
parser, or ``Column.number``) and the value's type, never by how the text looks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# --------------------------------------------------------------------------- parsers


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


def cell_text(value: Any) -> str:
    """Text of a value read from a spreadsheet cell or a GeoJSON property."""
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


# --------------------------------------------------------------------------- columns


NUMBER_PARSERS: frozenset[Callable[[str], Any]] = frozenset(
    {parse_decimal, parse_non_negative_decimal, parse_positive_decimal, parse_int, parse_float}
)


@dataclass(frozen=True)
class Column:
    """One column of an exchange: its header name, HXL tag, parser and renderer.

    ``number``: whether the column holds numbers (exported unquoted, as numbers in XLSX);
    ``None`` infers it from ``parse`` (one of :data:`NUMBER_PARSERS`).
    """

    name: str
    hxl: str = ""
    parse: Callable[[str], Any] = parse_text
    required: bool = False
    default: Any = None
    render: Callable[[Any], str] = render_value
    help: str = ""
    number: bool | None = None

    @property
    def is_number(self) -> bool:
        return self.number if self.number is not None else self.parse in NUMBER_PARSERS


def hxl_normalize(tag: str) -> str:
    """``#Item +Code`` → ``#item+code``; attributes sorted so their order does not matter."""
    parts = [p.strip().lower() for p in tag.strip().split("+") if p.strip()]
    if not parts or not parts[0].startswith("#"):
        return ""
    return "+".join([parts[0], *sorted(parts[1:])])


def is_hashtag_row(cells: Sequence[str]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


# --------------------------------------------------------------------------- formulas

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_native_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _starts_formula(text: str) -> bool:
    # Leading quotes count as part of the prefix, so a text that itself starts with ``'=``
    # is quoted once more and re-imports unchanged.
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def formula_neutralise(text: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: a spreadsheet shows it as text."""
    return "'" + text if _starts_formula(text) else text


def formula_restore(text: str) -> str:
    """Undo :func:`formula_neutralise`: drop one ``'`` when the rest would start a formula."""
    if text.startswith("'") and _starts_formula(text[1:]):
        return text[1:]
    return text


def export_is_number(column: Column, value: Any, text: str) -> bool:
    """Whether an exported cell is a number: by the column's and the value's type."""
    return (column.is_number or is_native_number(value)) and bool(_NUMBER_TEXT.fullmatch(text))


def export_text(column: Column, value: Any) -> str:
    """The text of one exported cell, neutralised unless it is a number."""
    text = column.render(value)
    return text if export_is_number(column, value, text) else formula_neutralise(text)


# --- added for importers (field records: visits, passages, deliveries …)


def parse_datetime(text: str) -> dt.datetime:
    """An ISO 8601 date and time (``2023-09-28T10:15``, seconds and an offset or ``Z``
    optional; a space may replace the ``T``) as an aware datetime. Without an offset the
    time is read in the installation's time zone (``settings.TIME_ZONE``); a date alone is
    its midnight there (a spreadsheet cell of midnight reads as a date)."""
    from django.utils import timezone

    value = text.strip()
    try:
        if len(value) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(0, 0))
        else:
            parsed = dt.datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            _("Not a date and time (use YYYY-MM-DDTHH:MM, with the offset, e.g. +04:00).")
        ) from None
    if parsed.tzinfo is None:
        parsed = timezone.make_aware(parsed)
    return parsed

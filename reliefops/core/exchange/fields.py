"""One declared field list per entity: the API, the files and the services read it.

An entity (an item, a facility, a request …) declares its exchangeable fields once, in its
app's ``fields.py``::

    ITEM = ex.Fields(
        ex.Field("code", hxl="#item+code", required=True, key=True),
        ex.Field("names", hxl="#item+name", translated="name"),
        ex.Field("weight_kg", hxl="#item+weight+kg", parse=ex.parse_non_negative_decimal),
        ex.Field("components", hxl="#item+components", stored=False, api=False, ...),
    )

and every side derives from it:

* files (import, export, HXL tags, field submissions): :meth:`Fields.columns` — a
  ``translated`` field becomes one column per language (``name_en``, ``name_az`` …, HXL
  ``#item+name+i_en``), :meth:`Fields.row_values` folds those columns back into the
  ``{language: text}`` value and :meth:`Fields.row_cells` unfolds it for export;
* the API: :meth:`Fields.api_names` lists the serializer's fields (``api=False`` keeps a
  file-only field out);
* services: :meth:`Fields.stored_names` lists the model attributes a create/update/upsert
  may set (``stored=False`` for values a service handles itself, such as a kit's
  components; ``key=True`` for the natural key, which is not updated); ``file=False``
  keeps a derived value (a kit flag) out of the files.

A field whose file column has another name than its API/model name says so with
``column`` (a place's ``latitude`` is the file's ``lat``); :meth:`Fields.row_values`
returns values by field name and :meth:`Fields.row_cells` writes them by column name.

Adding a field is one line here; the serializer, the importer, the exporter and the
service accept it together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from reliefops.core.exchange.parsing import Column, parse_text, render_value


def languages() -> list[str]:
    """The languages a translated field holds, in the order of ``settings.LANGUAGES``."""
    return [code for code, _label in settings.LANGUAGES]


@dataclass(frozen=True)
class Field:
    """One field of an entity: its name on the model and the API, and its file column."""

    name: str
    hxl: str = ""
    parse: Callable[[str], Any] = parse_text
    render: Callable[[Any], str] = render_value
    required: bool = False
    default: Any = None
    help: str = ""
    translated: str = ""
    """Column stem of a ``{language: text}`` field: ``"name"`` gives ``name_en`` …"""
    column: str = ""
    """The file column's name when it is not the field's (``lat`` for ``latitude``)."""
    api: bool = True
    stored: bool = True
    file: bool = True
    key: bool = False

    @property
    def column_name(self) -> str:
        return self.column or self.name


class Fields:
    """The ordered field list of one entity (see the module docstring)."""

    def __init__(self, *fields: Field) -> None:
        names = [f.name for f in fields]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate field names in {names}")
        self.fields = fields

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def columns(self) -> list[Column]:
        """The file columns, translated fields expanded to one column per language."""
        result: list[Column] = []
        for f in self.fields:
            if not f.file:
                continue
            if f.translated:
                result.extend(
                    Column(f"{f.translated}_{lang}", hxl=f"{f.hxl}+i_{lang}" if f.hxl else "")
                    for lang in languages()
                )
            else:
                result.append(
                    Column(
                        f.column_name,
                        hxl=f.hxl,
                        parse=f.parse,
                        required=f.required,
                        default=f.default,
                        render=f.render,
                        help=f.help,
                    )
                )
        return result

    def api_names(self) -> list[str]:
        """The fields of the entity's API representation, in declared order."""
        return [f.name for f in self.fields if f.api]

    def stored_names(self) -> tuple[str, ...]:
        """Model attributes services may set from this list (the key excluded)."""
        return tuple(f.name for f in self.fields if f.stored and not f.key)

    def row_values(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A parsed file row → field values: columns renamed to their fields, language
        columns folded into one dict."""
        renamed = {f.column: f.name for f in self.fields if f.file and f.column}
        values = {renamed.get(key, key): value for key, value in data.items()}
        for f in self.fields:
            if f.translated:
                texts = {lang: values.pop(f"{f.translated}_{lang}", "") for lang in languages()}
                values[f.name] = {lang: text for lang, text in texts.items() if text}
        return values

    def row_cells(self, obj: Any, **extra: Any) -> dict[str, Any]:
        """An object → an export row (attributes by field name, language dicts unfolded);
        ``extra`` supplies the values that are not plain attributes."""
        row: dict[str, Any] = {}
        for f in self.fields:
            if not f.file:
                continue
            value = extra[f.name] if f.name in extra else getattr(obj, f.name, None)
            if f.translated:
                texts = value or {}
                row.update({f"{f.translated}_{lang}": texts.get(lang, "") for lang in languages()})
            else:
                row[f.column_name] = value
        return row

"""Bulk exchange: the ONE mechanism every domain uses to import and export tables.

Formats
    ``csv``      comma-separated, UTF-8 (a BOM is accepted) or UTF-16 with its BOM, first
                 row = column names.
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

Modules: :mod:`.parsing` (cell parsers, renderers, :class:`Column`), :mod:`.tables`
(format detection, readers, writers), :mod:`.geojson`, :mod:`.importing`
(:class:`Importer`, :func:`import_file`; its :class:`ImportReport` in :mod:`.reports`),
:mod:`.records` (one record at a time: field submissions), :mod:`.exporting`
(:class:`Exporter`, :func:`export_write`), :mod:`.registry` (kinds, discovered from ``settings.DOMAIN_APPS``),
:mod:`.fields` (one declared field list per entity, read by serializers, importers,
exporters and services), :mod:`.limits` and :mod:`.files` (hostile files: size, XLSX
archive, encodings, long cells), :mod:`.uploads` (the upload limit on web requests).

Declaring an exchange (in ``reliefops/<app>/exchange.py``, found automatically)::

    from reliefops.core import exchange as ex

    ITEM_COLUMNS = [
        ex.Column("code", hxl="#item+code", required=True),
        ex.Column("name_en", hxl="#item+name+i_en"),
        ex.Column("weight_kg", hxl="#item+weight", parse=ex.parse_decimal, required=True),
    ]

    class ItemImporter(ex.Importer):
        columns = ITEM_COLUMNS
        permission = Action.ITEM_EDIT

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

Hostile files (:mod:`.files`): a file over the upload limit, an XLSX that is no zip
workbook or unpacks too big, is refused whole (:class:`FileRefused`, before parsing);
undecodable text and cells too long or with control characters are row errors. Exports
neutralise text cells that would start a spreadsheet formula; imports undo exactly that.

Existing records (:mod:`.outcomes`): an importer names its key columns and implements
``lookup``/``current`` (and ``create``/``update`` when new and changed records are written
by different services); a row then creates, updates (the changed fields listed) or leaves
alone the record it names, and ``mode="create"`` refuses rows naming existing records.

Warnings: ``Importer.clean`` may note something about a row that does not refuse it
(``self.warn(row, message, column)``, e.g. a possible duplicate); the check pass
collects them in ``ImportReport.warnings`` (at most 1,000) and writes them as the
``message`` of the row's outcome, so the row report (page, CLI, API) shows them.

Field submissions (:mod:`.records`): :func:`record_apply` writes ONE record given as a
JSON object named like the kind's export columns through the kind's importer, exactly as
a file row (parse, ``clean``, lookup/diff, ``create``/``update`` in one transaction), for
importers that set ``submissions = True``; the sender needs ``submission.send`` and the
importer's ``permission`` (:meth:`Importer.check_submission_permission`), the submission's
client id is ``Importer.client_id``, and a :class:`CellError` with ``pending`` (a record
that does not exist yet) raises :class:`RecordPending` so the submission can wait.

Running: :func:`import_file` (used by ``reliefops import KIND FILE [--dry-run]`` and the
upload page) makes two streaming passes. Pass 1 validates every row and collects every
:class:`RowError` (row, column, value, message). If there is any error nothing is written.
Otherwise pass 2 reads the file again and hands clean rows to ``Importer.apply`` in chunks
of ``chunk_size`` inside ONE ``transaction.atomic`` block, so the import commits whole or
not at all. :func:`export_write` (``reliefops export KIND [--format] [--output]``) streams
``Exporter.rows`` through a writer (:func:`export_to_file`: to a file, whole or not at all —
a temporary file renamed into place, removed when the disk is full); an export of a kind re-imports to identical records.
"""

from reliefops.core.exchange.errors import (
    CellError,
    FileRefused,
    FileTooLarge,
    ImportRejected,
    NotXlsx,
    RowError,
    RowUnreadable,
    RowWarning,
    UnknownKind,
    XlsxTooLarge,
    cell_error,
)
from reliefops.core.exchange.exporting import (
    Exporter,
    ExportNotWritten,
    export_to_file,
    export_write,
)
from reliefops.core.exchange.fields import Field, Fields
from reliefops.core.exchange.geojson import (
    GEOMETRY_COLUMN,
    geojson_feature_row,
    geojson_features,
)
from reliefops.core.exchange.importing import Importer, import_file, key_text
from reliefops.core.exchange.outcomes import (
    CREATED,
    MODE_CREATE,
    MODE_UPSERT,
    MODES,
    OUTCOMES,
    REFUSED,
    UNCHANGED,
    UPDATED,
    Change,
    RowOutcome,
    changes,
    value_text,
    values_equal,
)
from reliefops.core.exchange.parsing import (
    Column,
    cell_text,
    export_text,
    formula_neutralise,
    formula_restore,
    hxl_normalize,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_float,
    parse_int,
    parse_json,
    parse_non_negative_decimal,
    parse_positive_decimal,
    parse_text,
    render_value,
)
from reliefops.core.exchange.records import (
    RecordInvalid,
    RecordPending,
    RecordResult,
    SubmissionsNotAccepted,
    record_apply,
    record_text,
    submission_importer,
    submission_kinds,
)
from reliefops.core.exchange.registry import (
    Exchange,
    register,
    registry_discover,
    registry_get,
    registry_kinds,
)
from reliefops.core.exchange.reports import ImportReport, Progress
from reliefops.core.exchange.tables import (
    EXTENSION_FORMATS,
    FORMATS,
    Row,
    TableHead,
    TableReader,
    TableWriter,
    detect_format,
)

__all__ = [
    "CREATED",
    "EXTENSION_FORMATS",
    "FORMATS",
    "GEOMETRY_COLUMN",
    "MODES",
    "MODE_CREATE",
    "MODE_UPSERT",
    "OUTCOMES",
    "REFUSED",
    "UNCHANGED",
    "UPDATED",
    "CellError",
    "Change",
    "Column",
    "Exchange",
    "ExportNotWritten",
    "Exporter",
    "Field",
    "Fields",
    "FileRefused",
    "FileTooLarge",
    "ImportRejected",
    "ImportReport",
    "Importer",
    "NotXlsx",
    "Progress",
    "RecordInvalid",
    "RecordPending",
    "RecordResult",
    "Row",
    "RowError",
    "RowOutcome",
    "RowUnreadable",
    "RowWarning",
    "SubmissionsNotAccepted",
    "TableHead",
    "TableReader",
    "TableWriter",
    "UnknownKind",
    "XlsxTooLarge",
    "cell_error",
    "cell_text",
    "changes",
    "detect_format",
    "export_text",
    "export_to_file",
    "export_write",
    "formula_neutralise",
    "formula_restore",
    "geojson_feature_row",
    "geojson_features",
    "hxl_normalize",
    "import_file",
    "key_text",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "parse_float",
    "parse_int",
    "parse_json",
    "parse_non_negative_decimal",
    "parse_positive_decimal",
    "parse_text",
    "record_apply",
    "record_text",
    "register",
    "registry_discover",
    "registry_get",
    "registry_kinds",
    "render_value",
    "submission_importer",
    "submission_kinds",
    "value_text",
    "values_equal",
]

"""The bulk exchange framework: readers, writers, HXL handling, all-or-nothing runs."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reliefops.core import exchange as ex

COLUMNS = [
    ex.Column("code", hxl="#item+code", required=True),
    ex.Column("quantity", hxl="#meta+quantity", parse=ex.parse_non_negative_decimal, required=True),
    ex.Column("needed_by", hxl="#date+needed", parse=ex.parse_date),
    ex.Column("urgent", hxl="#status+urgent", parse=ex.parse_bool, default=False),
]

WRITTEN: list[dict[str, Any]] = []


class ListImporter(ex.Importer):
    columns = COLUMNS
    chunk_size = 3

    def check_permission(self) -> None:
        return None

    def prepare(self) -> None:
        self.seen: set[str] = set()

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        if data["code"] in self.seen:
            raise ex.CellError("code", "Duplicate code in this file.")
        self.seen.add(data["code"])
        return data

    def apply(self, rows: list[dict[str, Any]]) -> int:
        WRITTEN.extend(rows)
        return len(rows)


class ListExporter(ex.Exporter):
    columns = COLUMNS

    def check_permission(self) -> None:
        return None

    def rows(self):
        yield from self.filters["rows"]


ex.register("test-list", importer=ListImporter, exporter=ListExporter)

ROWS = [
    {"code": "DSL", "quantity": Decimal("12.5"), "needed_by": None, "urgent": True},
    {"code": "FLR", "quantity": Decimal("1000"), "needed_by": None, "urgent": False},
]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read_all(path: Path) -> tuple[ex.TableReader, list[tuple[int, dict[str, str]]]]:
    reader = ex.TableReader(path)
    return reader, list(reader)


def test_csv_with_hashtag_row_under_header(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "code,quantity\n#item+code,#meta+quantity\nDSL,5\n\nFLR,7\n")
    reader, rows = read_all(path)
    assert reader.head.tags == ["#item+code", "#meta+quantity"]
    assert rows == [(3, {"code": "DSL", "quantity": "5"}), (5, {"code": "FLR", "quantity": "7"})]


def test_hashtags_instead_of_header_are_matched_in_any_attribute_order(tmp_path: Path) -> None:
    assert ex.hxl_normalize("#Item +name+i_en") == ex.hxl_normalize("#item+i_en+name")
    path = write(tmp_path, "a.csv", "#meta +Quantity,#item+code\n5,DSL\n")
    importer = ListImporter(actor=None)
    importer.prepare()
    reader, rows = read_all(path)
    assert importer.map_head(reader.head) == []
    data, errors = importer.validate_row(rows[0][1], rows[0][0])
    assert errors == [] and data is not None
    assert data["code"] == "DSL" and data["quantity"] == Decimal("5")


def test_unknown_header_with_known_hashtag_is_matched(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Item,Qty\n#item+code,#meta+quantity\nDSL,5\n")
    importer = ListImporter(actor=None)
    importer.prepare()
    reader, rows = read_all(path)
    assert importer.map_head(reader.head) == []
    data, _ = importer.validate_row(rows[0][1], rows[0][0])
    assert data is not None and data["code"] == "DSL"


def test_missing_required_column_is_reported(tmp_path: Path) -> None:
    importer = ListImporter(actor=None)
    importer.prepare()
    errors = importer.map_head(ex.TableHead(names=["code"]))
    assert [(e.row, e.column) for e in errors] == [(1, "quantity")]


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx", "geojson"])
def test_writer_output_reads_back_identically(tmp_path: Path, fmt: str) -> None:
    stream = io.BytesIO()
    ex.TableWriter(stream, COLUMNS, fmt).write(ROWS)
    path = tmp_path / f"out.{ {'hxl': 'csv'}.get(fmt, fmt) }"
    path.write_bytes(stream.getvalue())
    importer = ListImporter(actor=None)
    importer.prepare()
    reader = ex.TableReader(path)
    parsed = []
    for number, raw in reader:
        if not parsed:
            if fmt == "geojson":
                importer.map_head(ex.TableHead(names=[c.name for c in COLUMNS]))
            else:
                assert importer.map_head(reader.head) == []
        data, errors = importer.validate_row(raw, number)
        assert errors == []
        parsed.append(data)
    assert parsed == ROWS


def test_geojson_reader_streams_with_a_tiny_buffer(tmp_path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [46.75, 39.82]},
            "properties": {"code": f"P{i}", "population": 1234.5 + i},
        }
        for i in range(50)
    ]
    path = write(
        tmp_path,
        "p.geojson",
        json.dumps({"type": "FeatureCollection", "name": "x", "features": features, "crs": None}),
    )
    with path.open() as stream:
        got = list(ex.geojson_features(stream, buffer_size=7))
    assert got == features
    row = ex.geojson_feature_row(features[0])
    assert row["lat"] == "39.82" and row["lon"] == "46.75" and row["code"] == "P0"


def test_parsers_reject_bad_values() -> None:
    with pytest.raises(ValueError):
        ex.parse_decimal("abc")
    with pytest.raises(ValueError):
        ex.parse_non_negative_decimal("-1")
    with pytest.raises(ValueError):
        ex.parse_date("31/31/2023")
    assert ex.parse_decimal("1 000,5") == Decimal("1000.5")
    assert ex.parse_date("05.10.2023").isoformat() == "2023-10-05"


@pytest.mark.django_db
def test_one_bad_row_at_the_end_writes_nothing(tmp_path: Path) -> None:
    WRITTEN.clear()
    lines = ["code,quantity,needed_by"] + [f"C{i},{i},2023-10-01" for i in range(10)]
    lines.append("C99,minus five,2023-10-01")
    path = write(tmp_path, "bad.csv", "\n".join(lines) + "\n")
    report = ex.import_file(kind="test-list", path=path, actor=None)
    assert not report.ok
    assert [e.as_dict() for e in report.errors] == [
        {"row": 12, "column": "quantity", "value": "minus five", "message": "Not a number."}
    ]
    assert WRITTEN == []


@pytest.mark.django_db
def test_valid_file_is_written_in_chunks_and_duplicates_caught(tmp_path: Path) -> None:
    WRITTEN.clear()
    lines = ["code,quantity"] + [f"C{i},{i}" for i in range(7)]
    report = ex.import_file(
        kind="test-list", path=write(tmp_path, "ok.csv", "\n".join(lines)), actor=None
    )
    assert report.ok and report.written == 7 and len(WRITTEN) == 7
    WRITTEN.clear()
    dup = write(tmp_path, "dup.csv", "code,quantity\nA,1\nA,2\n")
    report = ex.import_file(kind="test-list", path=dup, actor=None)
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "code", "A")]
    assert WRITTEN == []


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    WRITTEN.clear()
    path = write(tmp_path, "ok.csv", "code,quantity\nA,1\n")
    report = ex.import_file(kind="test-list", path=path, actor=None, dry_run=True)
    assert report.ok and report.rows == 1 and WRITTEN == []


TEXT_COLUMNS = [
    ex.Column("note", hxl="#description"),
    ex.Column("quantity", hxl="#value", parse=ex.parse_decimal),
    ex.Column("reference", hxl="#meta+ref"),
]
STARTS = ["=1+2", "+1", "-1", "@A1", "\tx", "\rx", "'=x", "''+x", "'x", "x=1", "", "-"]


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx"])
def test_writer_neutralises_formulas_by_column_type(tmp_path: Path, fmt: str) -> None:
    rows = [{"note": text, "quantity": Decimal(-5), "reference": "-5"} for text in STARTS]
    rows.append({"note": "n", "quantity": "-7.5", "reference": 3})  # number by column type
    stream = io.BytesIO()
    ex.TableWriter(stream, TEXT_COLUMNS, fmt).write(rows)
    path = tmp_path / f"out.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    path.write_bytes(stream.getvalue())
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).worksheets[0]
        # A string cell reads back as "s" or "inlineStr"; never "f" (formula).
        raw = [
            [(c.value, "s" if c.data_type == "inlineStr" else c.data_type) for c in row]
            for row in sheet.iter_rows(min_row=3)
        ]
        assert {t for row in raw for _v, t in row} <= {"s", "n"}
        assert raw[0] == [("'=1+2", "s"), (-5, "n"), ("'-5", "s")]
        assert raw[-1] == [("n", "s"), ("-7.5", "s"), (3, "n")]
        notes = [row[0][0] or "" for row in raw[:-1]]
    else:
        with path.open(encoding="utf-8", newline="") as handle:
            raw = list(csv.reader(handle))[2 if fmt == "hxl" else 1 :]
        assert raw[0] == ["'=1+2", "-5", "'-5"]
        assert raw[-1] == ["n", "-7.5", "3"]
        notes = [row[0] for row in raw[:-1]]
    # XLSX is XML, which keeps no carriage return: it is written as a line feed.
    texts = [t.replace("\r", "\n") if fmt == "xlsx" else t for t in STARTS]
    assert notes == [
        "'" + t if t.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r") and t else t for t in texts
    ]
    assert [raw_row["note"] for _n, raw_row in ex.TableReader(path)][:-1] == texts


def test_formula_restore_removes_exactly_one_quote() -> None:
    assert ex.formula_restore("'=x") == "=x"
    assert ex.formula_restore("''=x") == "'=x"
    assert ex.formula_restore("'x") == "'x"
    assert ex.formula_restore("'") == "'"
    for text in STARTS:
        assert ex.formula_restore(ex.formula_neutralise(text)) == text

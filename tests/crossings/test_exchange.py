"""Exchange of counts and populations: CSV/XLSX/HXL in and out, re-import updates by the
key, row errors name the row and the field, the GeoJSON of crossing points, and the
importer applied one record at a time as field submissions use it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from reliefops.core import exchange as ex
from reliefops.core.errors import Forbidden
from reliefops.crossings.exchange.counts import CrossingCountImporter
from reliefops.crossings.models import CrossingCount
from reliefops.places.models import PopulationEstimate
from tests.crossings.scene import crossings_scene

pytestmark = pytest.mark.django_db


def _import(kind: str, path: Path, text: str, actor: object, **kwargs: object) -> ex.ImportReport:
    path.write_text(text, encoding="utf-8")
    return ex.import_file(kind=kind, path=path, actor=actor, **kwargs)  # type: ignore[arg-type]


def _export(kind: str, actor: object, fmt: str = "csv", **filters: str) -> bytes:
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, fmt=fmt, filters=filters)  # type: ignore[arg-type]
    return stream.getvalue()


def test_counts_import_then_reimport_updates_by_the_key(tmp_path: Path) -> None:
    scene = crossings_scene()
    path = tmp_path / "counts.csv"
    head = "crossing_point,date,hour,direction,female_18_59,male_18_59,persons,organisation\n"
    rows = "ZC-CP1,2023-09-25,,outbound,40,30,,ORG-F\nZC-CP1,2023-09-25,8,inbound,,,12,ORG-F\n"
    report = _import("crossing-counts", path, head + rows, scene.coordinator)
    assert report.ok and report.created == 2, report.errors
    assert CrossingCount.objects.get(direction="outbound").persons == 70
    again = _import("crossing-counts", path, head + rows, scene.coordinator)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = rows.replace(",40,30,,", ",45,30,,")
    updated = _import("crossing-counts", path, head + changed, scene.coordinator)
    assert updated.ok and updated.updated == 1 and updated.outcomes[0].changes
    count = CrossingCount.objects.get(direction="outbound")
    assert count.persons == 75
    assert count.history.latest().history_change_reason == "Corrected by an import"
    assert CrossingCount.objects.count() == 2


def test_row_errors_name_the_row_and_the_field(tmp_path: Path) -> None:
    """(Files are imported by coordinators; one limited to area B may not record at the
    crossing point of area CP.)"""
    from tests.accounts.factories import make_user

    scene = crossings_scene()
    limited = make_user("coordinator", areas=[scene.area["B"]])
    text = (
        "crossing_point,date,direction,female_18_59,persons,organisation\n"
        "ZC-CP1,2023-09-25,outbound,40,41,ORG-F\n"
        "ZC-NOPE,2023-09-25,outbound,,5,ORG-F\n"
        "ZC-CP1,2023-09-26,sideways,,5,ORG-F\n"
        "ZC-CP2,2023-09-27,outbound,,5,ORG-X\n"
        "ZC-CP2,2023-09-28,outbound,,,ORG-F\n"
        "ZC-CP2,2023-09-29,outbound,,5,NOPE\n"
        "ZC-CP1,2023-09-29,outbound,,5,ORG-F\n"
    )
    report = _import("crossing-counts", tmp_path / "bad.csv", text, limited)
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {
        (2, "persons"),
        (3, "crossing_point"),
        (4, "direction"),
        (6, "persons"),
        (7, "organisation"),
        (8, "crossing_point"),  # outside the importer's areas
    }
    assert not CrossingCount.objects.exists()


def test_hxl_import_by_tags_and_xlsx_export_round_trip(tmp_path: Path) -> None:
    scene = crossings_scene()
    text = (
        "Point,Day,Way,Women adults,Girls under 5,Total\n"
        "#loc+crossing+code,#date,#indicator+direction,#affected+f+adults,#affected+infants+f,#affected+num\n"
        "ZC-CP1,2023-09-25,outbound,100,7,\n"
    )
    report = _import("crossing-counts", tmp_path / "hxl.csv", text, scene.coordinator)
    assert report.ok, report.errors
    count = CrossingCount.objects.get()
    assert (count.female_18_59, count.female_0_4, count.persons) == (100, 7, 107)
    exported = _export("crossing-counts", scene.viewer, "hxl").decode("utf-8-sig")
    tags = list(csv.reader(io.StringIO(exported)))[1]
    assert (
        "#affected+f+infants" in tags
        and "#affected+num" in tags
        and "#affected+m+elderly+age70plus" in tags
    )
    xlsx = tmp_path / "counts.xlsx"
    xlsx.write_bytes(_export("crossing-counts", scene.viewer, "xlsx"))
    back = ex.import_file(kind="crossing-counts", path=xlsx, actor=scene.coordinator)
    assert back.ok and back.unchanged == 1 and back.written == 0


def test_crossing_points_geojson_export() -> None:
    scene = crossings_scene()
    scene.count(day=dt.date(2023, 9, 25), persons=400)
    data = json.loads(
        _export("crossing-points", scene.viewer, "geojson", days="10", end="2023-09-30")
    )
    bridge = next(f for f in data["features"] if f["properties"]["code"] == "ZC-CP1")
    assert bridge["geometry"]["type"] == "Point"
    assert bridge["properties"]["outbound"] == "400" and bridge["properties"]["catchment"] == "ZC-A"


def test_populations_import_export_round_trip(tmp_path: Path) -> None:
    scene = crossings_scene()
    text = (
        "Place,People,Date,Source\n"
        "#loc+code,#population+num,#date+baseline,#meta+source\n"
        "ZC-PB1,520,2023-09-01,rapid count\n"
        "ZC-PA1,,2023-09-01,rapid count\n"
    )
    bad = _import("populations", tmp_path / "p.csv", text, scene.coordinator)
    assert [(e.row, e.column) for e in bad.errors] == [(4, "population")]
    good = _import(
        "populations", tmp_path / "p.csv", text.replace(",,", ",990,"), scene.coordinator
    )
    assert good.ok and good.created == 2
    assert PopulationEstimate.objects.get(place__code="ZC-PB1", source="rapid count").value == 520
    with pytest.raises(Forbidden):  # a field worker imports no file
        _import("populations", tmp_path / "q.csv", text, scene.recorder)
    from tests.accounts.factories import make_user

    limited = make_user("coordinator", areas=[scene.area["B"]])
    outside = _import("populations", tmp_path / "r.csv", text.replace(",,", ",1,"), limited)
    assert [(e.row, e.column) for e in outside.errors] == [(4, "place")]
    exported = _export("populations", scene.coordinator, area="ZC-A").decode("utf-8-sig")
    rows = {r["place"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert rows["ZC-PA1"]["population"] == "990" and rows["ZC-PA1"]["source"] == "rapid count"
    assert rows["ZC-PA1"]["estimate"] == "990" and rows["ZC-PA1"]["net_flow"] == "0"
    path = tmp_path / "back.csv"
    path.write_text(exported, encoding="utf-8")
    back = ex.import_file(kind="populations", path=path, actor=scene.coordinator)
    assert back.ok and back.written == 0 and back.unchanged == 2


def test_the_importer_takes_field_submissions_one_record_at_a_time() -> None:
    """The way the submissions API applies a record: the export's column names as keys,
    one row validated and written through the importer (``submissions = True``)."""
    from django.db import transaction

    scene = crossings_scene()
    assert CrossingCountImporter.submissions is True
    record = {
        "crossing_point": "ZC-CP1",
        "date": "2023-09-25",
        "hour": "9",
        "direction": "outbound",
        "male_18_59": "12",
        "method": "estimate",
    }
    importer = CrossingCountImporter(actor=scene.recorder)
    importer.client_id = "0f1e2d3c-0000-4000-8000-000000000001"  # type: ignore[attr-defined]
    importer.prepare()
    importer.map_head(ex.TableHead(names=list(record)))
    data, errors = importer.validate_row(record, 1)
    assert errors == [] and data is not None and importer.existing_record(data) is None
    with transaction.atomic():
        assert importer.create([data]) == 1
    count = CrossingCount.objects.get()
    assert (count.hour, count.persons, count.method) == (9, 12, "estimate")
    importer.prepare()
    changed = {**record, "male_18_59": "14"}
    data, errors = importer.validate_row(changed, 1)
    assert errors == [] and importer.existing_record(data) == count
    with transaction.atomic():
        importer.update([data])
    count.refresh_from_db()
    assert count.persons == 14
    assert count.history.latest().history_change_reason == "Corrected by a field submission"

"""The ``activities`` kind (4W in OCHA's template layout, HXL-tagged): export → import
into an emptied database re-creates identical rows (CSV and HXL byte for byte, XLSX cell
for cell), an edited export updates by 4W ID, and rows are checked as the services
check them (scope, workflow, totals)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from reliefops.accounts.choices import Role
from reliefops.coordination.models import Activity
from reliefops.core.errors import Forbidden
from reliefops.core.exchange import export_write, import_file
from tests.accounts.factories import OrganisationFactory, make_user
from tests.coordination.factories import make_activity
from tests.places.factories import AdminAreaFactory, PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    country = AdminAreaFactory(code="QQ", level=0, names={"en": "Qland"})
    north = AdminAreaFactory(code="QQ-N", level=1, parent=country, names={"en": "North"})
    north_east = AdminAreaFactory(
        code="QQ-N-E", level=2, parent=north, names={"en": "North-East", "ru": "Северо-восток"}
    )
    south = AdminAreaFactory(code="QQ-S", level=1, parent=country, names={"en": "South"})
    village = PlaceFactory(code="QQ-V1", admin0=country, admin1=north, admin2=north_east)
    med = OrganisationFactory(acronym="MED", names={"en": "Medics Together"})
    cook = OrganisationFactory(acronym="COOK", names={"en": "Field Kitchens"})
    make_activity(
        reference="4W-00001",
        organisation=med,
        implementing_partner=cook,
        donor="ECHO",
        sector="health",
        activity='Mobile clinics, "joint" teams',
        activity_code="HLT-1",
        area=north_east,
        place=village,
        start_date=dt.date(2023, 9, 25),
        end_date=dt.date(2023, 12, 31),
        status="ongoing",
        planned_female_children=120,
        planned_male_children=110,
        planned_female_older=40,
        reached_female_children=60,
        reached_male_children=0,
    )
    make_activity(
        reference="4W-00002",
        organisation=cook,
        sector="food",
        activity="=Bread (starts like a formula)",
        area=south,
        status="suspended",
    )
    make_activity(reference="4W-00003", organisation=cook, sector="shelter", area=country)
    make_activity(
        reference="4W-00004",
        organisation=med,
        sector="wash",
        area=north,
        status="completed",
        start_date=dt.date(2023, 9, 1),
        end_date=dt.date(2023, 9, 30),
    )
    admin = make_user(Role.ADMIN)
    partner = make_user(Role.PARTNER, areas=[north], organisation=med)
    return {"admin": admin, "partner": partner, "med": med, "north": north}


def _export(fmt: str, actor: Any, **filters: Any) -> bytes:
    stream = io.BytesIO()
    export_write(kind="activities", stream=stream, actor=actor, fmt=fmt, filters=filters)
    return stream.getvalue()


def _cells(data: bytes) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx"])
def test_export_import_round_trip_is_identical(
    world: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    admin = world["admin"]
    first = _export(fmt, admin)
    path = tmp_path / f"activities.{fmt}"
    path.write_bytes(first)
    Activity.objects.all().delete()

    report = import_file(kind="activities", path=path, actor=admin, fmt=fmt)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (4, 0)
    again = _export(fmt, admin)
    if fmt == "xlsx":
        assert _cells(again) == _cells(first)
    else:
        assert again == first
    # the same file once more changes nothing
    unchanged = import_file(kind="activities", path=path, actor=admin, fmt=fmt)
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, 4)


def test_the_layout_is_ochas_with_hxl_tags(world: dict[str, Any]) -> None:
    lines = _export("hxl", world["admin"]).decode("utf-8-sig").splitlines()
    header, tags = next(csv.reader([lines[0]])), next(csv.reader([lines[1]]))
    tag = dict(zip(header, tags, strict=True))
    assert header[:3] == ["4W ID", "Organisation", "Organisation acronym"]
    assert tag["Implementing partner"] == "#org+impl"
    assert tag["Sector/Cluster"] == "#sector+cluster"
    assert tag["Activity"] == "#activity+name"
    assert (tag["Admin 1 P-code"], tag["Admin 1"]) == ("#adm1+code", "#adm1+name")
    assert (tag["Location"], tag["Start date"], tag["End date"]) == (
        "#loc+name",
        "#date+start",
        "#date+end",
    )
    assert tag["Status"] == "#status"
    assert tag["Reached female children (0-17)"] == "#reached+f+children"
    assert tag["Planned male older (60+)"] == "#targeted+m+elderly"
    rows = {r["4W ID"]: r for r in csv.DictReader(io.StringIO("\n".join([lines[0], *lines[2:]])))}
    clinic = rows["4W-00001"]
    assert (clinic["Admin 1 P-code"], clinic["Admin 2 P-code"]) == ("QQ-N", "QQ-N-E")
    assert (clinic["Location P-code"], clinic["Implementing partner"]) == ("QQ-V1", "COOK")
    assert (clinic["Planned total"], clinic["Reached total"]) == ("270", "60")
    assert rows["4W-00003"]["Country P-code"] == "QQ" and rows["4W-00003"]["Admin 1"] == ""
    assert rows["4W-00003"]["Reached total"] == ""  # not reported, unlike 0


def test_an_edited_export_updates_by_4w_id_and_new_rows_are_created(
    world: dict[str, Any], tmp_path: Path
) -> None:
    admin = world["admin"]
    text = _export("csv", admin).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["Reached female children (0-17)"] = "75"
    rows[0]["Reached total"] = "75"
    rows[1]["Status"] = "ongoing"  # suspended → ongoing: one step (resume)
    new = dict(rows[3], **{"4W ID": "", "Activity": "Water trucking"})
    path = tmp_path / "edited.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, new])
    report = import_file(kind="activities", path=path, actor=admin)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 2, 2)
    assert Activity.objects.get(reference="4W-00001").reached_female_children == 75
    assert Activity.objects.get(reference="4W-00002").status == "ongoing"
    assert Activity.objects.get(activity="Water trucking").reference == "4W-00005"


def test_rows_are_refused_as_the_services_refuse_them(
    world: dict[str, Any], tmp_path: Path
) -> None:
    text = _export("csv", world["admin"]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[0]["Reached total"] = "999"  # not the sum of its breakdown
    rows[3]["Status"] = "planned"  # completed → planned is no step
    path = tmp_path / "bad.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_file(kind="activities", path=path, actor=world["admin"])
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {(2, "Reached total"), (5, "Status")}
    assert Activity.objects.get(reference="4W-00001").reached_female_children == 60

    # a coordinator of the north imports rows of the north only; a partner imports none
    north = make_user(Role.COORDINATOR, areas=[world["north"]], organisation=world["med"])
    south_row = [dict(r, **{"4W ID": ""}) for r in rows if r["4W ID"] == "4W-00002"]
    north_row = [dict(r, **{"4W ID": ""}) for r in rows if r["4W ID"] == "4W-00004"]
    for name, chosen, ok in (("north", north_row, True), ("south", south_row, False)):
        chosen[0]["Status"] = "ongoing"
        path = tmp_path / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(chosen)
        report = import_file(kind="activities", path=path, actor=north)
        assert report.ok is ok, report.errors
        if not ok:
            assert [e.column for e in report.errors] == ["Organisation acronym"]
    assert Activity.objects.count() == 5
    with pytest.raises(Forbidden):
        import_file(kind="activities", path=path, actor=world["partner"])

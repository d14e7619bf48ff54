"""Places, facilities and roads through the bulk exchange (CSV, XLSX, HXL, GeoJSON).

Must hold (issue 4): a file with bad rows (unknown P-code, coordinates out of range,
ambiguous name) writes nothing and returns a per-row report; a valid file round-trips
export → import → export unchanged in every format.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reliefops.core.exchange import export_write, import_file
from reliefops.places.models import Facility, Place, PlaceName, RoadNode, RoadSegment
from reliefops.places.services import NameInput, place_create
from tests.accounts.factories import OrganisationFactory, make_user
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db

FORMATS = {"csv": "csv", "hxl": "csv", "xlsx": "xlsx", "geojson": "geojson"}


@pytest.fixture
def small_gazetteer(admin_user):  # type: ignore[no-untyped-def]
    """Two areas, three places (one with names in four scripts), facilities, two roads."""
    from reliefops.places.services import facility_upsert_bulk, road_upsert_bulk

    country = AdminAreaFactory(code="AZ", level=0, names={"en": "Testland"})
    area = AdminAreaFactory(code="AZ-TA", level=1, parent=country, names={"en": "Alpha"})
    names = [
        NameInput("Khankendi", "en", "official", is_preferred=True, source="test"),
        NameInput("Xankəndi", "az", "official", is_preferred=True, source="test"),
        NameInput("Степанакерт", "ru", "alternate", source="test b"),
        NameInput("Ստեփանակերտ", "hy", "alternate", is_preferred=True, source="test"),
    ]
    a = place_create(
        actor=admin_user,
        code="AZ-P0001",
        kind="city",
        latitude=39.8177,
        longitude=46.7528,
        names=names,
        admin_code="AZ-TA",
        source="unit test",
    )
    b = place_create(
        actor=admin_user,
        code="AZ-P0002",
        kind="village",
        latitude=39.9,
        longitude=46.8,
        names=[NameInput("Twin", "en")],
        admin_code="AZ-TA",
    )
    c = place_create(
        actor=admin_user,
        code="AZ-P0003",
        kind="village",
        latitude=40.1,
        longitude=46.9,
        names=[NameInput("Twin", "en")],
        admin_code="AZ",
    )
    import datetime as dt

    from reliefops.places.services import population_estimate_add

    population_estimate_add(
        actor=admin_user, place=a, value=55000, as_of=dt.date(2023, 1, 1), source="census"
    )
    operator = OrganisationFactory(acronym="ZRC")
    facility_upsert_bulk(
        actor=admin_user,
        rows=[
            {
                "code": "F-1",
                "kind": "school",
                "place": a,
                "latitude": 39.818,
                "longitude": 46.753,
                "names": {"en": "School 1", "hy": "Դպրոց 1"},
                "operator": operator,
                "capacity_pupils": 900,
                "heated_area_m2": 4200.5,
                "heating_fuel": "diesel",
                "boiler_kw": 350.0,
                "boiler_efficiency": 0.85,
                "tank_capacity_litres": 5000.0,
            },
            {
                "code": "F-2",
                "kind": "crossing_point",
                "place": b,
                "latitude": 39.9,
                "longitude": 46.8,
                "names": {"en": "Crossing"},
                "operator": None,
                "status": "closed",
                "status_reason": "Night",
                "operating_hours": "06-22",
            },
        ],
    )
    road_upsert_bulk(
        actor=admin_user,
        rows=[
            {
                "code": "R-1",
                "name": "Main road",
                "ref": "M1",
                "from_node": "N-1",
                "from_lat": 39.8177,
                "from_lon": 46.7528,
                "from_place": a,
                "to_node": "N-2",
                "to_lat": 39.9,
                "to_lon": 46.8,
                "to_place": b,
                "length_km": 12.5,
                "speed_truck_kmh": 40.0,
                "max_weight_t": 20.0,
            },
            {
                "code": "R-2",
                "name": "Track",
                "from_node": "N-2",
                "from_lat": 39.9,
                "from_lon": 46.8,
                "to_node": "J-9",
                "to_lat": 40.0,
                "to_lon": 46.85,
                "length_km": 11.0,
                "surface": "gravel",
                "oneway": True,
                "status": "restricted",
                "status_reason": "Light vehicles only",
            },
        ],
    )
    return {"area": area, "places": [a, b, c]}


def _export(kind: str, fmt: str, actor) -> bytes:  # type: ignore[no-untyped-def]
    stream = io.BytesIO()
    export_write(kind=kind, stream=stream, actor=actor, fmt=fmt)
    return stream.getvalue()


def _wipe(kind: str) -> None:
    if kind == "roads":
        RoadSegment.objects.all().delete()
        RoadNode.objects.all().delete()
    elif kind == "facilities":
        Facility.objects.all().delete()


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", ["places", "facilities", "roads"])
def test_export_import_round_trip(
    small_gazetteer,
    admin_user,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    kind: str,
    fmt: str,
) -> None:
    first = _export(kind, fmt, admin_user)
    path = tmp_path / f"{kind}.{fmt}"
    path.write_bytes(first)
    if kind == "places":
        # Re-create every place from the file: drop names first, then re-import.
        PlaceName.objects.all().delete()
        Place.objects.update(names={}, kind="site")
    else:
        _wipe(kind)
    report = import_file(
        kind=kind, path=path, actor=admin_user, fmt=FORMATS[fmt] if fmt != "hxl" else "hxl"
    )
    assert report.ok, report.as_dict()
    assert report.written == {"places": 3, "facilities": 2, "roads": 2}[kind]
    second = _export(kind, fmt, admin_user)
    if fmt == "xlsx":
        assert _xlsx_rows(first) == _xlsx_rows(second)
    else:
        assert first.decode() == second.decode()


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_round_trip_keeps_every_name(small_gazetteer, admin_user, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = sorted(
        PlaceName.objects.values_list(
            "name", "language", "script", "name_type", "is_preferred", "source"
        )
    )
    path = tmp_path / "places.csv"
    path.write_bytes(_export("places", "csv", admin_user))
    PlaceName.objects.all().delete()
    assert import_file(kind="places", path=path, actor=admin_user).ok
    after = sorted(
        PlaceName.objects.values_list(
            "name", "language", "script", "name_type", "is_preferred", "source"
        )
    )
    assert after == before and ("Ստեփանակերտ", "hy", "Armn", "alternate", True, "test") in after


def test_bad_place_rows_write_nothing_and_are_reported(
    small_gazetteer,
    admin_user,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,kind,name_en,lat,lon,admin1\n"
        "AZ-P0100,village,Good one,39.5,46.5,AZ-TA\n"
        "AZ-P0101,village,Unknown area,39.5,46.5,AZ-NOPE\n"
        "AZ-P0102,village,Too far north,91.5,46.5,AZ-TA\n"
        "zz p0103,village,Bad code,39.5,46.5,AZ-TA\n"
        "AZ-P0100,village,Twice,39.5,46.5,AZ-TA\n",
        encoding="utf-8",
    )
    count = Place.objects.count()
    report = import_file(kind="places", path=path, actor=admin_user)
    assert not report.ok and report.written == 0
    assert Place.objects.count() == count
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {(3, "admin1"), (4, "lat"), (5, "code"), (6, "code")}


def test_bad_facility_rows_write_nothing_and_are_reported(
    small_gazetteer,
    admin_user,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,kind,name_en,place,place_name,lat,lon\n"
        "F-10,school,Good,AZ-P0001,,,\n"
        "F-11,school,By name,,Stepanakert,,\n"
        "F-12,school,Unknown P-code,AZ-P9999,,,\n"
        "F-13,school,Out of range,AZ-P0001,,39.8,200\n"
        "F-14,school,Ambiguous,,Twin,,\n"
        "F-15,school,Unknown name,,Zorblatova,,\n",
        encoding="utf-8",
    )
    count = Facility.objects.count()
    report = import_file(kind="facilities", path=path, actor=admin_user)
    assert not report.ok and Facility.objects.count() == count
    by_row = {e.row: e for e in report.errors}
    assert set(by_row) == {4, 5, 6, 7}
    assert by_row[4].column == "place" and by_row[5].column == "lon"
    assert by_row[6].column == "place_name" and "AZ-P0002" in by_row[6].message
    assert by_row[7].column == "place_name"
    # Without the bad rows the same file imports, resolving "Stepanakert" by the matcher.
    good = tmp_path / "good.csv"
    good.write_text(
        "\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8"
    )
    assert import_file(kind="facilities", path=good, actor=admin_user).ok
    assert Facility.objects.get(code="F-11").place.code == "AZ-P0001"


def test_import_is_area_scoped(small_gazetteer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = AdminAreaFactory(code="AZ-TB", level=1, names={"en": "Beta"})
    coordinator_elsewhere = make_user("coordinator", areas=[other])
    path = tmp_path / "p.csv"
    path.write_text(
        "code,kind,name_en,lat,lon,admin1\nAZ-P0200,village,X,39.5,46.5,AZ-TA\n", encoding="utf-8"
    )
    report = import_file(kind="places", path=path, actor=coordinator_elsewhere)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "code")]
    assert not Place.objects.filter(code="AZ-P0200").exists()


def test_cod_style_hxl_file_without_names_json(
    small_gazetteer,
    admin_user,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    path = tmp_path / "cod.csv"
    path.write_text(
        "P-code,Name (en),Name (az),Latitude,Longitude,Type,Admin 1\n"
        "#loc+code,#loc+name+i_en,#loc+name+i_az,#geo+lat,#geo+lon,#loc+type,#adm1+code\n"
        "AZ-C001,Badara,Bədərə,39.90,46.77,village,AZ-TA\n",
        encoding="utf-8",
    )
    report = import_file(kind="places", path=path, actor=admin_user)
    assert report.ok, report.as_dict()
    place = Place.objects.get(code="AZ-C001")
    assert place.names == {"en": "Badara", "az": "Bədərə"} and place.admin1.code == "AZ-TA"
    assert set(place.place_names.values_list("script", flat=True)) == {"Latn"}

"""One declared field list per entity (places/fields.py): the API and the files agree.

Must hold (issue 9): places, facilities and roads declare their fields once; the
serializers, import/export columns and bulk services derive from that list, so a field
both sides carry has the same value in the API and in an export.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from reliefops.places.fields import FACILITY, PLACE, ROAD, NameInput
from tests.places.field_agreement import disagreements, exported_rows
from tests.places.test_exchange import small_gazetteer  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "fields", "url"),
    [
        ("places", PLACE, "/api/v1/places/"),
        ("facilities", FACILITY, "/api/v1/facilities/"),
        ("roads", ROAD, "/api/v1/road-segments/"),
    ],
)
def test_api_and_export_agree_on_every_shared_field(
    small_gazetteer,  # noqa: F811
    admin_user,
    tmp_path: Path,
    kind: str,
    fields,
    url: str,
) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(admin_user)
    api_rows = client.get(url, {"page_size": 100}).json()["results"]
    assert {tuple(row) for row in api_rows} == {("id", *fields.api_names())}
    file_rows = exported_rows(kind, admin_user, tmp_path)
    assert list(file_rows[0]) == [c.name for c in fields.columns()]
    assert disagreements(fields, api_rows, file_rows, key=lambda row: row["code"]) == []


def test_a_file_column_named_unlike_its_field_reads_and_writes_by_field_name() -> None:
    """``lat``/``lon``/``country``/``names`` in files are ``latitude``/``longitude``/
    ``admin0``/``all_names`` everywhere else; the ``name_*`` columns fold into ``names``."""
    names = [NameInput("Khankendi", "en")]
    values = PLACE.row_values(
        {"code": "AZ-P1", "lat": 39.8, "lon": 46.7, "country": "AZ", "names": names}
        | {"name_en": "Khankendi", "name_ru": "Ханкенди", "name_az": None, "name_hy": ""}
    )
    assert values == {
        "code": "AZ-P1",
        "latitude": 39.8,
        "longitude": 46.7,
        "admin0": "AZ",
        "all_names": names,
        "names": {"en": "Khankendi", "ru": "Ханкенди"},
    }

    class Point:
        code, kind, latitude, longitude, geonames_id, source = "AZ-P1", "city", 1.5, 2.5, 7, ""
        names = {"hy": "Ստեփանակերտ"}

    cells = PLACE.row_cells(Point(), all_names=[{"name": "x"}], admin0="AZ")
    assert list(cells) == [c.name for c in PLACE.columns()]
    assert (cells["lat"], cells["lon"], cells["country"], cells["names"]) == (
        1.5,
        2.5,
        "AZ",
        [{"name": "x"}],
    )
    assert (cells["name_hy"], cells["name_en"]) == ("Ստեփանակերտ", "")
    assert "latitude" not in cells and "name" not in cells


def test_services_set_exactly_the_stored_fields() -> None:
    """What the bulk upserts write is the declared list minus keys and derived values."""
    from reliefops.places import services

    assert services.PLACE_FIELDS == ("kind", "latitude", "longitude", "geonames_id", "source")
    assert "place_name" not in services.FACILITY_FIELDS
    assert {"place", "operator", "names", "status"} <= set(services.FACILITY_FIELDS)
    assert services.FACILITY_TEXT_FIELDS == (
        "status_reason",
        "heating_fuel",
        "operating_hours",
        "notice_to",
        "source",
    )
    assert not {"from_node", "to_lat", "geometry", "status_since"} & set(services.ROAD_FIELDS)

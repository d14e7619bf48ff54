"""The ``people`` export (pseudonymous, scoped) and import (registration lists with
duplicate candidates per row), and the selectors' fields by role and suppressed counts."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest

from reliefops.core import exchange as ex
from reliefops.people.fields import EXPORT_COLUMNS, IMPORT_COLUMNS
from reliefops.people.models import IDENTITY_FIELDS, Person
from reliefops.people.selectors import people_counts, person_fields_for, person_row
from tests.accounts.factories import OrganisationFactory, make_user
from tests.people.factories import PersonFactory, consent_all
from tests.stock.factories import PlaceFactory

pytestmark = pytest.mark.django_db

SECRETS = ("Zzyzx Qwertyova", "+994 50 999 1234", "Sunflower lane 7")


def _export(actor: Any, fmt: str = "csv") -> str:
    stream = io.BytesIO()
    ex.export_write(kind="people", stream=stream, actor=actor, fmt=fmt)
    return stream.getvalue().decode("utf-8-sig", errors="replace")


def test_export_is_pseudonymous_and_scoped_to_the_workers_areas() -> None:
    here, there = PlaceFactory(), PlaceFactory()
    mine = PersonFactory(place=here, full_name=SECRETS[0], phone=SECRETS[1], address=SECRETS[2])
    consent_all(mine)
    theirs = PersonFactory(place=there)
    field = make_user("field", areas=[here.admin1])
    for fmt in ("csv", "hxl"):
        text = _export(field, fmt)
        assert mine.reference in text and theirs.reference not in text
        for secret in (*SECRETS, "1950"):
            assert secret not in text
    header = _export(field).splitlines()[0].split(",")
    assert not set(header) & {"name", "full_name", "phone", "address", "year_of_birth"}
    assert "consent_visits" in header and "reference" in header
    assert {c.name for c in EXPORT_COLUMNS} & {*IDENTITY_FIELDS, "name"} == set()
    assert {"name", "phone", "address"} <= {c.name for c in IMPORT_COLUMNS}
    field_rows = list(csv.DictReader(io.StringIO(_export(field))))
    assert field_rows[0]["organisation"] == "" and field_rows[0]["place"] == here.code
    assert mine.reference not in _export(make_user("viewer", areas=[here.admin1]))
    coordinator_text = _export(make_user("coordinator"))
    assert mine.reference in coordinator_text and theirs.reference in coordinator_text
    row = next(
        r for r in csv.DictReader(io.StringIO(coordinator_text)) if r["reference"] == mine.reference
    )
    assert row["organisation"] == mine.organisation.acronym


def _import(actor: Any, text: str, *, dry_run: bool = False) -> ex.ImportReport:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        path.write_text(text, encoding="utf-8")
        return ex.import_file(kind="people", path=path, actor=actor, dry_run=dry_run)


def test_import_registers_all_rows_and_reports_duplicates_per_row_without_names() -> None:
    place = PlaceFactory()
    org = OrganisationFactory(acronym="HLT")
    known = PersonFactory(place=place, full_name="Məmmədov Rəşid", year_of_birth=1948, sex="male")
    coordinator = make_user("coordinator", organisation=org)
    head = "place,name,phone,year_of_birth,sex,languages,vulnerabilities,consent_registration,consent_visits\n"
    rows = (
        f"{place.code},Рашид Мамедов,+994 50 111 2233,1949,male,ru,diabetes,yes,yes\n"
        f"{place.code},Анаит Аветисян,,1940,female,hy;ru,,yes,no\n"
        f"{place.code},Anahit Avetisyan,,1941,female,hy,cardiac,yes,\n"
    )
    report = _import(coordinator, head + rows)
    assert report.ok and report.written == 3, report.as_dict()
    warnings = [(w.row, w.message) for w in report.warnings]
    assert [row for row, _m in warnings] == [2, 4]
    notes = {o.row: o.message for o in report.outcomes}
    assert notes[2] == warnings[0][1] and notes[3] == "" and notes[4] == warnings[1][1]
    assert known.reference in warnings[0][1]
    assert "row 3" in warnings[1][1]
    dump = repr(report.as_dict())
    for name in ("Мамедов", "Рашид", "Avetisyan", "Аветисян", "111 2233"):
        assert name not in dump
    assert Person.objects.count() == 4
    new = Person.objects.exclude(pk=known.pk).order_by("year_of_birth")
    assert [p.organisation.acronym for p in new] == ["HLT"] * 3
    assert [p.languages for p in new] == [["hy", "ru"], ["hy"], ["ru"]]


def test_import_is_all_or_nothing_with_the_row_report() -> None:
    place, elsewhere = PlaceFactory(), PlaceFactory()
    coordinator = make_user("coordinator", areas=[place.admin1])
    head = "place,organisation,name,year_of_birth,consent_registration,vulnerabilities\n"
    org = OrganisationFactory().acronym
    rows = (
        f"{place.code},{org},Good Row,1950,yes,\n"
        f"{place.code},{org},No Consent,1950,no,\n"
        f"{elsewhere.code},{org},Out Of Area,1950,yes,\n"
        f"{place.code},{org},Bad Code,1950,yes,flu\n"
        f"NOPE,{org},Unknown Place,1950,yes,\n"
    )
    report = _import(coordinator, head + rows)
    assert not report.ok and report.written == 0
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {
        (3, "consent_registration"),
        (4, "place"),
        (5, "vulnerabilities"),
        (6, "place"),
    }
    assert "No Consent" not in repr(report.as_dict())
    assert not Person.objects.exists()
    field = make_user("field", areas=[place.admin1])
    from reliefops.core.errors import Forbidden

    with pytest.raises(Forbidden):  # field workers register on the page, not by file
        _import(field, head + rows.splitlines()[0] + "\n")


def test_fields_by_role_never_include_identity() -> None:
    place = PlaceFactory()
    person = PersonFactory(place=place, full_name=SECRETS[0])
    consent_all(person)
    field = make_user("field", areas=[place.admin1])
    coordinator = make_user("coordinator")
    assert "year_of_birth" not in person_fields_for(field)
    assert {"year_of_birth", "household", "organisation", "registered_on"} <= set(
        person_fields_for(coordinator)
    )
    assert person_fields_for(make_user("viewer")) == ()
    for actor in (field, coordinator, make_user("dpo")):
        row = person_row(actor, person)
        assert not set(row) & set(IDENTITY_FIELDS)
        assert SECRETS[0] not in repr(row)
    row = person_row(field, person)
    assert row["place"] == place.code and row["consent"]["visits"] is True


def test_counts_are_suppressed_under_five() -> None:
    place, big = PlaceFactory(), PlaceFactory()
    big.admin1 = place.admin1
    big.save()
    PersonFactory.create_batch(2, place=place, vulnerabilities=["diabetes"])
    PersonFactory.create_batch(6, place=big, sex="male", vulnerabilities=["diabetes"])
    viewer = make_user("viewer", areas=[place.admin1])
    by_place = {row["key"]: row for row in people_counts(viewer, by="place")}
    assert by_place[place.code]["count"] is None and by_place[place.code]["shown"] == "<5"
    assert by_place[big.code]["count"] == 6
    by_sex = {row["key"]: row["shown"] for row in people_counts(viewer, by="sex")}
    assert by_sex == {"female": "<5", "male": "6"}
    assert people_counts(viewer, by="vulnerability")[0]["count"] == 8
    assert people_counts(make_user("viewer", areas=[PlaceFactory().admin1]), by="area") == []

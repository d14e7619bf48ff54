"""The referrals and caseload exports: no identity, counts under 5 suppressed, scoped;
subject access lists a person's referrals."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from reliefops.core import exchange as ex
from reliefops.people.services.subject import subject_data_sources
from reliefops.teams import services
from tests.teams.hospital_scene import hospital_scene, refer

pytestmark = pytest.mark.django_db


def _export(kind: str, actor: object, **filters: str) -> list[dict[str, str]]:
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, filters=filters)
    text = stream.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_referrals_export_holds_references_never_identity() -> None:
    scene = hospital_scene()
    first = refer(scene, "A", "A")
    refer(scene, "B", "A")
    stream = io.BytesIO()
    ex.export_write(kind="referrals", stream=stream, actor=scene.admin)
    text = stream.getvalue().decode("utf-8-sig")
    for person in scene.person.values():
        assert person.full_name not in text  # "Test Person N"
        assert person.reference in text
    assert "Test Person" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["reference"] == first.reference)
    assert row["person"] == scene.person["A"].reference and row["facility"] == "ZH-FHA"
    # Scoped like the list: the worker of B sees their person's referral only.
    seen = {r["reference"] for r in _export("referrals", scene.worker_b)}
    assert first.reference not in seen and len(seen) == 1
    # The list's filters apply.
    assert {r["reference"] for r in _export("referrals", scene.admin, q=first.reference)} == {
        first.reference
    }


def test_the_caseload_export_suppresses_counts_under_five() -> None:
    scene = hospital_scene()
    day = timezone.localdate()
    services.caseload_report(
        actor=scene.staff,
        facility=scene.hospital["A"],
        date=day,
        counts={
            ("admissions", "18_59", "female"): 12,
            ("admissions", "70_plus", "male"): 3,
            ("discharges", "5_17", "female"): 1,
            ("referrals_in", "60_69", "male"): 5,
        },
    )
    rows = _export("caseload", scene.worker_b)
    by_cell = {(r["measure"], r["age_band"], r["sex"]): r["count"] for r in rows}
    assert by_cell[("admissions", "18_59", "female")] == "12"
    assert by_cell[("admissions", "70_plus", "male")] == "<5"
    assert by_cell[("discharges", "5_17", "female")] == "<5"
    assert by_cell[("referrals_in", "60_69", "male")] == "5"
    assert {r["facility"] for r in rows} == {"ZH-FHA"} and {r["date"] for r in rows} == {
        day.isoformat()
    }


def test_subject_access_lists_the_persons_referrals() -> None:
    scene = hospital_scene()
    referral = refer(scene)
    rows = subject_data_sources()["referrals"].rows(scene.person["A"])
    assert [r["reference"] for r in rows] == [referral.reference]
    assert scene.person["A"].full_name not in str(rows)

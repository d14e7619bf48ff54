"""The field hospital's daily report: beds and services, caseload all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.teams import selectors, services
from reliefops.teams.models import CaseloadCount, HospitalStatus
from tests.teams.hospital_scene import hospital_scene

pytestmark = pytest.mark.django_db


def test_status_is_an_upsert_per_day_with_history() -> None:
    scene = hospital_scene()
    day = timezone.localdate()
    hospital = scene.hospital["A"]
    services.hospital_status_report(
        actor=scene.staff,
        facility=hospital,
        date=day,
        beds_total=50,
        beds_available=20,
        services=["surgery", "emergency"],
    )
    status = services.hospital_status_report(
        actor=scene.staff,
        facility=hospital,
        date=day,
        beds_total=50,
        beds_available=12,
        services=["surgery"],
    )
    assert HospitalStatus.objects.filter(facility=hospital).count() == 1
    assert status.beds_available == 12 and status.services == ["surgery"]
    assert status.history.count() == 2


def test_more_beds_available_than_in_total_is_refused() -> None:
    scene = hospital_scene()
    with pytest.raises(services.BedsOverTotal) as refused:
        services.hospital_status_report(
            actor=scene.staff,
            facility=scene.hospital["A"],
            date=timezone.localdate(),
            beds_total=10,
            beds_available=11,
            services=[],
        )
    assert refused.value.details["field"] == "beds_available"


def test_only_the_facility_area_reports() -> None:
    scene = hospital_scene()
    with pytest.raises(Forbidden):
        services.hospital_status_report(
            actor=scene.staff,
            facility=scene.hospital["B"],
            date=timezone.localdate(),
            beds_total=10,
            beds_available=5,
            services=[],
        )
    with pytest.raises(Forbidden):
        services.caseload_report(
            actor=scene.staff,
            facility=scene.hospital["B"],
            date=timezone.localdate(),
            counts={("admissions", "18_59", "female"): 3},
        )


def test_caseload_is_all_or_nothing_and_names_the_bad_cell() -> None:
    scene = hospital_scene()
    day = timezone.localdate() - dt.timedelta(days=1)
    hospital = scene.hospital["A"]
    counts = {
        ("admissions", "18_59", "female"): 7,
        ("discharges", "70_plus", "male"): -1,
    }
    with pytest.raises(InvalidInput) as refused:
        services.caseload_report(actor=scene.staff, facility=hospital, date=day, counts=counts)
    assert set(refused.value.details) == {"discharges.70_plus.male"}
    assert not CaseloadCount.objects.exists()
    with pytest.raises(InvalidInput) as unknown:
        services.caseload_report(
            actor=scene.staff,
            facility=hospital,
            date=day,
            counts={("deaths", "18_59", "female"): 1},
        )
    assert "deaths.18_59.female" in unknown.value.details
    counts[("discharges", "70_plus", "male")] = 2
    assert (
        services.caseload_report(actor=scene.staff, facility=hospital, date=day, counts=counts) == 2
    )
    # A correction replaces the cell; the grid shows what was typed.
    counts[("admissions", "18_59", "female")] = 9
    assert (
        services.caseload_report(actor=scene.staff, facility=hospital, date=day, counts=counts) == 1
    )
    grid = selectors.caseload_grid(hospital, day)
    assert grid[("admissions", "18_59", "female")] == 9
    assert grid[("discharges", "70_plus", "male")] == 2
    # The chart's totals are suppressed under 5.
    series = selectors.caseload_series(hospital, end=day)
    assert series.values["admissions"][-1] == 9
    assert series.values["discharges"][-1] is None
    assert series.table()[-1]["cells"][1] == "<5"

"""The due list: rules, intervals, follow-up dates, merged records, and a visit taking a
person off the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reliefops.people import selectors as people_selectors
from reliefops.people.models import Person
from reliefops.teams import services
from reliefops.teams.due_store import due_store_refresh
from reliefops.teams.models import Visit
from reliefops.teams.selectors import people_due
from tests.teams.scene import build_scene, days_ago, person


def _refs(rows: list) -> set[str]:
    return {r.person.reference for r in rows}


def _visit(scene, who, ago: int, **kwargs):
    return services.visit_record(
        actor=scene.admin, person=who, team=scene.teams["A"], visited_at=days_ago(ago), **kwargs
    )


@pytest.mark.django_db
def test_never_visited_people_matched_by_a_rule_are_due_and_others_are_not() -> None:
    scene = build_scene()
    young = person(scene.places["A"], year_of_birth=1990, lives_alone=True)
    not_alone = person(scene.places["A"], year_of_birth=1940, lives_alone=False)
    today = timezone.localdate()
    rows = people_due(scene.admin, on=today, area=scene.areas["A"])
    refs = _refs(rows)
    assert {p.reference for p in scene.people["A"]} <= refs
    assert young.reference not in refs and not_alone.reference not in refs
    row = next(r for r in rows if r.person == scene.people["A"][0])
    assert row.never_visited and row.due_date == today and row.rule_codes == ["ALONE70"]


@pytest.mark.django_db
def test_the_shortest_interval_of_the_matching_rules_decides() -> None:
    scene = build_scene()
    # Regular medication (14 days) and lives alone 70+ (7 days): due 7 days after a visit.
    both = person(scene.places["A"], year_of_birth=1940, vulnerabilities=["chronic_medication"])
    meds = person(
        scene.places["A"],
        year_of_birth=1990,
        lives_alone=False,
        vulnerabilities=["chronic_medication"],
    )
    for who in (both, meds):
        _visit(scene, who, 8)
    today = timezone.localdate()
    rows = {r.person.reference: r for r in people_due(scene.admin, on=today)}
    assert rows[both.reference].interval_days == 7
    assert rows[both.reference].days_overdue == 1
    assert rows[both.reference].rule_codes[0] == "ALONE70"
    assert meds.reference not in rows  # 14 days: not due yet
    later = people_due(scene.admin, on=today + dt.timedelta(days=7))
    assert meds.reference in _refs(later)


@pytest.mark.django_db
def test_a_visit_takes_the_person_off_the_list_and_a_failed_one_does_not() -> None:
    scene = build_scene()
    first, second = scene.people["A"]
    today = timezone.localdate()
    _visit(scene, first, 0)
    _visit(scene, second, 0, outcome="not_at_home")
    refs = _refs(people_due(scene.admin, on=today))
    assert first.reference not in refs
    assert second.reference in refs


@pytest.mark.django_db
def test_an_earlier_follow_up_date_brings_the_due_date_forward() -> None:
    scene = build_scene()
    who = scene.people["A"][0]
    today = timezone.localdate()
    _visit(scene, who, 2, follow_up_due=today)
    rows = people_due(scene.admin, on=today)
    row = next(r for r in rows if r.person == who)
    assert row.due_date == today and row.follow_up_due == today
    assert row.days_since == 2
    # A later follow-up does not push the interval back.
    other = scene.people["A"][1]
    _visit(scene, other, 8, follow_up_due=today + dt.timedelta(days=20))
    assert other.reference in _refs(people_due(scene.admin, on=today, overdue_only=True))


@pytest.mark.django_db
@pytest.mark.parametrize("read_all_from", [1000, 0], ids=["by-ids", "all-merged"])
def test_visits_of_a_record_merged_into_the_person_count(monkeypatch, read_all_from) -> None:
    # both ways of reading the merged records: by the people's ids, and (a long list)
    # every merged record at once
    monkeypatch.setattr(people_selectors, "RECORD_IDS_READ_ALL_MERGED_FROM", read_all_from)
    scene = build_scene()
    survivor = scene.people["A"][0]
    duplicate = person(scene.places["A"], year_of_birth=1940)
    _visit(scene, duplicate, 1)
    Person.objects.filter(pk=duplicate.pk).update(merged_into=survivor, status="merged")
    due_store_refresh([duplicate.pk])  # (an update bypasses the signals: refresh by hand)
    refs = _refs(people_due(scene.admin, on=timezone.localdate()))
    assert survivor.reference not in refs
    assert duplicate.reference not in refs  # a merged record is not listed itself


@pytest.mark.django_db
def test_overdue_only_and_team_filters() -> None:
    scene = build_scene()
    today = timezone.localdate()
    a, b = scene.people["A"]
    _visit(scene, a, 7)  # due today, not overdue
    _visit(scene, b, 10)  # 3 days overdue
    overdue = people_due(scene.admin, on=today, overdue_only=True, team=scene.teams["A"])
    assert _refs(overdue) == {b.reference}
    assert overdue[0].days_overdue == 3
    assert not _refs(people_due(scene.admin, on=today, team=scene.teams["B"])) & {
        a.reference,
        b.reference,
    }
    assert Visit.objects.count() == 2


@pytest.mark.django_db
def test_the_due_list_reads_merged_records_in_a_fixed_number_of_queries() -> None:
    """Ten times the people (each with a merged record) cost no more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scene = build_scene()
    today = timezone.localdate()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            people_due(scene.admin, on=today, area=scene.areas["A"])
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            kept = person(scene.places["A"], year_of_birth=1940)
            twin = person(scene.places["A"], year_of_birth=1940)
            twin.merged_into, twin.status = kept, "merged"
            twin.save()
            _visit(scene, twin, 3)

    add(2)
    few = queries()
    add(18)
    assert queries() == few
    # and the twin's visit counts for the kept record: none of them is due
    assert len(people_due(scene.admin, on=today, area=scene.areas["A"])) == len(scene.people["A"])


# --- added for plandb


@pytest.mark.django_db
def test_the_database_prefilter_keeps_everyone_a_rule_matches_and_loads_no_identity() -> None:
    from reliefops.teams.models import CoverageRule
    from reliefops.teams.selectors.due import due_rows, rule_matches

    scene = build_scene()
    band_only = person(scene.places["A"], year_of_birth=None, lives_alone=True)
    Person.objects.filter(pk=band_only.pk).update(age_band="70_plus")
    due_store_refresh([band_only.pk])
    today = timezone.localdate()
    active = list(Person.objects.filter(status="active", merged_into__isnull=True))
    rules = list(CoverageRule.objects.filter(is_active=True))
    expected = {p.reference for p in active if any(rule_matches(r, p, today) for r in rules)}
    rows = due_rows(scene.admin, on=today, include_not_due=True)
    assert band_only.reference in expected
    assert _refs(rows) == expected
    assert all("full_name" in row.person.get_deferred_fields() for row in rows)
    # a rule without conditions matches everyone
    CoverageRule.objects.create(code="EVERYONE", name="Everyone", interval_days=1)
    assert _refs(due_rows(scene.admin, on=today, include_not_due=True)) == {
        p.reference for p in active
    }

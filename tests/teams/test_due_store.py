"""The stored due dates (``teams.PersonDue``) follow every write that changes them: visits,
people, merges and their undoing, rules; a bulk write is caught up by ``reliefops
due_refresh`` (or after ``migrate``); the stored rows are what the computation decides."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from reliefops.people import services as people_services
from reliefops.people.models import Person
from reliefops.teams import due_store, services
from reliefops.teams.choices import VisitOutcome
from reliefops.teams.models import CoverageRule, PersonDue, Visit
from reliefops.teams.selectors import due_counts, people_due
from reliefops.teams.selectors.due import due_decide
from tests.accounts.factories import make_user
from tests.teams.scene import build_scene, days_ago, person


def _visit(scene, who, ago: int, **kwargs):
    return services.visit_record(
        actor=scene.admin, person=who, team=scene.teams["A"], visited_at=days_ago(ago), **kwargs
    )


def _stored() -> dict:
    return {
        row.person_id: (row.due_date, row.interval_days, row.last_visit_at, row.follow_up_due)
        for row in PersonDue.objects.all()
    } | {f"{pk}-rules": sorted(codes) for pk, codes in _rules_by_person().items()}


def _rules_by_person() -> dict:
    found: dict = {}
    for row in PersonDue.objects.prefetch_related("rules"):
        found[row.person_id] = [r.code for r in row.rules.all()]
    return found


def _decided() -> dict:
    today = timezone.localdate()
    rules = list(CoverageRule.objects.filter(is_active=True))
    decided = due_decide(Person.objects.all(), rules=rules, on=today)
    return {d.pk: (d.due_date, d.interval_days, d.last_visit, d.follow_up_due) for d in decided} | {
        f"{d.pk}-rules": sorted(r.code for r in d.rules) for d in decided
    }


@pytest.mark.django_db
def test_the_stored_due_dates_are_what_the_computation_decides_after_each_write() -> None:
    scene = build_scene()
    a, b = scene.people["A"]
    assert _stored() == _decided() and len(_rules_by_person()) == 4  # the scene's people
    _visit(scene, a, 3)
    assert _stored() == _decided()
    assert a.reference not in {
        r.person.reference for r in people_due(scene.admin, on=timezone.localdate())
    }
    _visit(scene, b, 1, outcome=VisitOutcome.NOT_AT_HOME)  # a failed visit: still due
    assert b.reference in {
        r.person.reference for r in people_due(scene.admin, on=timezone.localdate())
    }
    # the person's rule fields change (no longer 70+): off the store
    b.year_of_birth = timezone.localdate().year - 30
    b.save()
    assert b.pk not in _rules_by_person()
    assert _stored() == _decided()
    # a visit deleted (a data fix): the person is due again
    Visit.objects.filter(person=a).delete()
    assert PersonDue.objects.get(person=a).due_date == timezone.localdate()


@pytest.mark.django_db
def test_a_merge_and_its_undoing_move_the_visits_between_the_records() -> None:
    scene = build_scene()
    survivor = scene.people["A"][0]
    duplicate = person(scene.places["A"], year_of_birth=1940)
    _visit(scene, duplicate, 2)  # the duplicate was visited two days ago
    today = timezone.localdate()
    assert PersonDue.objects.get(person=survivor).due_date == today  # never visited
    merge = people_services.person_merge(
        actor=scene.admin, survivor=survivor, duplicate=duplicate, evidence={}
    )
    assert not PersonDue.objects.filter(person=duplicate).exists()  # merged: not listed
    assert PersonDue.objects.get(person=survivor).due_date == today + dt.timedelta(days=5)
    people_services.merge_undo(actor=make_user("dpo"), merge=merge)
    assert PersonDue.objects.get(person=survivor).due_date == today
    assert PersonDue.objects.get(person=duplicate).due_date == today + dt.timedelta(days=5)
    assert _stored() == _decided()


@pytest.mark.django_db
def test_a_rule_change_rebuilds_everyone() -> None:
    scene = build_scene()
    a = scene.people["A"][0]
    _visit(scene, a, 10)
    rule = CoverageRule.objects.get(code="ALONE70")
    today = timezone.localdate()
    assert PersonDue.objects.get(person=a).due_date == today - dt.timedelta(days=3)
    services.coverage_rule_update(actor=scene.admin, rule=rule, interval_days=30)
    assert PersonDue.objects.get(person=a).due_date == today + dt.timedelta(days=20)
    services.coverage_rule_update(actor=scene.admin, rule=rule, is_active=False)
    assert not PersonDue.objects.filter(person=a).exists()
    assert _stored() == _decided()


@pytest.mark.django_db
def test_bulk_writes_are_caught_up_by_the_command_and_after_migrate() -> None:
    scene = build_scene()
    a = scene.people["A"][0]
    Visit.objects.bulk_create(  # a bulk writer: no signal
        [Visit(person=a, team=scene.teams["A"], place=a.place, visited_at=days_ago(1))]
    )
    assert PersonDue.objects.get(person=a).last_visit_at is None  # stale until refreshed
    out = StringIO()
    call_command("due_refresh", "--json", stdout=out)
    assert json.loads(out.getvalue())["people"] == len(_rules_by_person())
    assert PersonDue.objects.get(person=a).last_visit_at is not None
    assert _stored() == _decided()
    # a database migrated to the table with people in it: filled after migrate
    PersonDue.objects.all().delete()
    due_store._fill_after_migrate(sender=None)
    assert _stored() == _decided()


@pytest.mark.django_db
def test_the_due_page_and_the_dashboard_counts_cost_the_same_queries_for_many_people(
    client,
) -> None:
    scene = build_scene()
    client.force_login(scene.admin)
    url = reverse("teams:due_list")

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"o": "village"}).status_code == 200
        return len(captured)

    few = page_queries()
    for _ in range(30):
        person(scene.places["A"], year_of_birth=1940)
    assert page_queries() == few
    today = timezone.localdate()
    counts = due_counts(scene.admin, on=today)
    rows = people_due(scene.admin, on=today)
    assert counts == {
        "due": len(rows),
        "overdue": sum(1 for r in rows if r.due_date < today),
        "never": sum(1 for r in rows if r.never_visited),
    }
    assert counts["due"] == 34


@pytest.mark.django_db
def test_the_due_page_sorts_villages_by_the_name_it_shows(client) -> None:
    """In Russian, a village named only in English and one named only in Azerbaijani sort
    by the names shown (the fallback order of core.i18n), not by their codes."""
    from tests.stock.factories import PlaceFactory

    scene = build_scene()
    area = scene.areas["A"]
    zeta = PlaceFactory(code="TV-A1", names={"az": "Zeta"}, admin1=area)
    alpha = PlaceFactory(code="TV-A2", names={"en": "Alpha"}, admin1=area)
    for place in (zeta, alpha):
        person(place, year_of_birth=1940, area=area)
    client.force_login(scene.admin)
    with translation.override("en"):  # (the request's language does not outlive the test)
        page = client.get(
            reverse("teams:due_list"), {"o": "village", "village": ""}, HTTP_ACCEPT_LANGUAGE="ru"
        ).content.decode()
    rows = page[page.index('id="due-table"') :]  # (the village filter lists them by name too)
    assert rows.index(">Alpha<") < rows.index(">Zeta<")


@pytest.mark.django_db
def test_a_person_never_visited_is_due_on_any_day_and_never_overdue() -> None:
    """The stored row of a person never visited holds the day it was computed; asked for
    an earlier day (a plan made before local midnight, the refresh after it) the person is
    still due, and on a later day not overdue, as the computation decides on that day."""
    scene = build_scene()
    never = person(scene.places["A"], year_of_birth=1940)
    seen = person(scene.places["A"], year_of_birth=1940)
    _visit(scene, seen, 40)  # due 30 days after: overdue
    today = timezone.localdate()
    assert PersonDue.objects.get(person=never).due_date == today
    for day in (today - dt.timedelta(days=2), today, today + dt.timedelta(days=9)):
        rows = {r.person.pk: r for r in people_due(scene.admin, on=day)}
        assert never.pk in rows and seen.pk in rows, day
        assert rows[never.pk].due_date == day and rows[never.pk].days_overdue == 0
        overdue = {r.person.pk for r in people_due(scene.admin, on=day, overdue_only=True)}
        assert overdue == {seen.pk}, day
        counts = due_counts(scene.admin, on=day)
        never_visited = sum(1 for r in rows.values() if r.never_visited)
        assert (counts["due"], counts["overdue"], counts["never"]) == (
            len(rows),
            1,
            never_visited,
        ), day

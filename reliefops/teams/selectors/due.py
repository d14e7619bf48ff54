"""The due list: who must be visited, by the coverage rules and the visits so far.

For each active person the actor may read (:func:`reliefops.people.selectors.person_scope`)
the matching active :class:`~reliefops.teams.models.CoverageRule` s give the interval (the
shortest one). The last successful visit (outcome *visited*, over the person's record and
the records merged into it) sets the due date: that visit plus the interval, or the
follow-up date the visit set when it is earlier. A person never visited is due now.
Days are calendar days in the installation's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from reliefops.core.permissions import Actor
from reliefops.core.privacy import shown, suppress
from reliefops.people.choices import AGE_BAND_FROM, PersonStatus
from reliefops.people.selectors import (
    person_identity_fields,
    person_record_ids_many,
    person_scope,
)
from reliefops.teams.choices import VisitOutcome
from reliefops.teams.models import CoverageRule, Team, Visit


@dataclass
class DueRow:
    """One person on the due list (pseudonymous: the person object is shown by reference)."""

    person: Any
    rules: list[CoverageRule]
    interval_days: int
    last_visit: dt.datetime | None
    follow_up_due: dt.date | None
    due_date: dt.date
    days_since: int | None
    days_overdue: int
    languages: list[str] = field(default_factory=list)

    @property
    def never_visited(self) -> bool:
        return self.last_visit is None

    @property
    def rule_codes(self) -> list[str]:
        return [r.code for r in self.rules]


#: The fields of a person the coverage rules read (:func:`rule_matches`).
RULE_FIELDS = ("pk", "year_of_birth", "age_band", "vulnerabilities", "lives_alone")


@dataclass(frozen=True)
class _RuleFacts:
    """What the rules read of one person (a light row, not the model instance)."""

    pk: Any
    year_of_birth: int | None
    age_band: str
    vulnerabilities: list[str] | None
    lives_alone: bool | None


def person_age(person: Any, on: dt.date) -> int | None:
    """Age in years from the year of birth, else the lower bound of the age band."""
    if person.year_of_birth:
        return on.year - int(person.year_of_birth)
    if person.age_band:
        return AGE_BAND_FROM.get(person.age_band)
    return None


def rule_matches(rule: CoverageRule, person: Any, on: dt.date) -> bool:
    """Does the person have every condition of the rule?"""
    if rule.vulnerability and rule.vulnerability not in (person.vulnerabilities or []):
        return False
    if rule.lives_alone is not None and bool(person.lives_alone) != rule.lives_alone:
        return False
    if rule.min_age is not None:
        age = person_age(person, on)
        if age is None or age < rule.min_age:
            return False
    return True


def rules_candidates_q(rules: list[CoverageRule], on: dt.date) -> Q:
    """A database filter for the people some rule may match: a superset of
    :func:`rule_matches` (which still decides), so the due list of a national registry
    (100,000 persons) loads the few thousand candidates, not everyone. The vulnerability
    condition is left to Python where the database cannot look inside a JSON list
    (SQLite)."""
    json_contains = connection.features.supports_json_field_contains
    any_rule = Q(pk__in=[])
    for rule in rules:
        condition = Q()
        if rule.vulnerability and json_contains:
            condition &= Q(vulnerabilities__contains=[rule.vulnerability])
        if rule.lives_alone is not None:
            condition &= Q(lives_alone=rule.lives_alone)
        if rule.min_age is not None:
            condition &= (
                Q(year_of_birth__lte=on.year - rule.min_age)
                | Q(year_of_birth__isnull=True)
                | Q(year_of_birth=0)
            )
        if not condition:
            return Q()  # a rule without conditions matches everyone
        any_rule |= condition
    return any_rule


def _visits_by_record(record_ids: list[Any]) -> dict[Any, tuple[dt.datetime, dt.date | None]]:
    """Record id → (last successful visit, its follow-up date)."""
    last: dict[Any, tuple[dt.datetime, dt.date | None]] = {}
    visits = Visit.objects.filter(person_id__in=record_ids, outcome=VisitOutcome.VISITED).order_by(
        "person_id", "-visited_at"
    )
    if connection.features.can_distinct_on_fields:
        # PostgreSQL: only each record's last visit leaves the database (a national due
        # list reads ≈10,000 records with several visits each)
        visits = visits.distinct("person_id")
    rows = visits.values_list("person_id", "visited_at", "follow_up_due")
    for person_id, visited_at, follow_up in rows:
        if person_id not in last:
            last[person_id] = (visited_at, follow_up)
    return last


def due_rows(
    actor: Actor | None,
    *,
    on: dt.date,
    area: Any = None,
    team: Team | None = None,
    include_not_due: bool = False,
) -> list[DueRow]:
    """Every person matched by a rule, with their due date (the list's raw material)."""
    rules = list(CoverageRule.objects.filter(is_active=True))
    if not rules:
        return []
    people = (
        person_scope(actor)
        .filter(status=PersonStatus.ACTIVE, merged_into__isnull=True)
        .filter(rules_candidates_q(rules, on))
        .defer(*person_identity_fields())
    )
    if area is not None:
        people = people.filter(area=area)
    if team is not None:
        people = people.filter(
            area_id__in={team.area_id, *team.service_areas.values_list("pk", flat=True)}
        )
    # The rules read a few fields: decide on those (light rows, each with its own last
    # successful visit from the database), then load the people shown, with their village
    # and area, only for the rows kept (a national registry matches thousands, and most
    # are not due on the day). The ids of thousands of people never leave for the database.
    own_last = Visit.objects.filter(person=OuterRef("pk"), outcome=VisitOutcome.VISITED).order_by(
        "-visited_at", "-pk"
    )
    matched: list[tuple[Any, list[CoverageRule], tuple[Any, Any] | None]] = []
    for row in (
        people.order_by("reference")
        .values(*RULE_FIELDS)
        .annotate(
            last_visited_at=Subquery(own_last.values("visited_at")[:1]),
            last_follow_up=Subquery(own_last.values("follow_up_due")[:1]),
        )
    ):
        visited = row.pop("last_visited_at"), row.pop("last_follow_up")
        facts = _RuleFacts(**row)
        hits = [r for r in rules if rule_matches(r, facts, on)]
        if hits:
            matched.append((facts, hits, visited if visited[0] is not None else None))
    # records merged into the people (few): their visits count too
    records = person_record_ids_many(facts.pk for facts, _hits, _visited in matched)
    last = _visits_by_record([pk for ids in records.values() for pk in ids[1:]])
    kept = []
    for facts, hits, own in matched:
        seen = [last[pk] for pk in records[facts.pk][1:] if pk in last]
        if own is not None:
            seen.append(own)
        interval = min(r.interval_days for r in hits)
        shortest = [r for r in hits if r.interval_days == interval] + [
            r for r in hits if r.interval_days != interval
        ]
        if seen:
            visited_at, follow_up = max(seen, key=lambda v: v[0])
            visited_on = timezone.localtime(visited_at).date()
            due = visited_on + dt.timedelta(days=interval)
            if follow_up is not None and follow_up < due:
                due = follow_up
            since: int | None = (on - visited_on).days
        else:
            visited_at, follow_up, due, since = None, None, on, None
        if due > on and not include_not_due:
            continue
        kept.append((facts.pk, shortest, interval, visited_at, follow_up, due, since))
    persons = people.in_bulk([pk for pk, *_rest in kept])
    result = []
    for pk, shortest, interval, visited_at, follow_up, due, since in kept:
        person = persons[pk]
        result.append(
            DueRow(
                person=person,
                rules=shortest,
                interval_days=interval,
                last_visit=visited_at,
                follow_up_due=follow_up,
                due_date=due,
                days_since=since,
                days_overdue=max((on - due).days, 0),
                languages=list(person.languages or []),
            )
        )
    return result


def people_due(
    actor: Actor | None,
    *,
    on: dt.date,
    area: Any = None,
    team: Team | None = None,
    overdue_only: bool = False,
) -> list[DueRow]:
    """The people due for a visit on ``on`` (due date on or before it), most overdue
    first; ``overdue_only``: only those whose due date has passed."""
    rows = due_rows(actor, on=on, area=area, team=team)
    if overdue_only:
        rows = [r for r in rows if r.due_date < on]
    rows.sort(key=lambda r: (-r.days_overdue, r.person.reference))
    return rows


def due_villages(rows: list[DueRow]) -> dict[str, Any]:
    """GeoJSON of the villages with people due: counts (small counts suppressed) and the
    most days overdue, for the due map."""
    by_place: dict[Any, list[DueRow]] = defaultdict(list)
    for row in rows:
        by_place[row.person.place_id].append(row)
    features: list[dict[str, Any]] = []
    for items in by_place.values():
        place = items[0].person.place
        count = len(items)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": {
                    "code": place.code,
                    "name": str(place.name),
                    "count": suppress(count),
                    "label": shown(count),
                    "overdue": max(r.days_overdue for r in items),
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}

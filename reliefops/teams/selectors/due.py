"""The due list: who must be visited, by the coverage rules and the visits so far.

For each active person the actor may read (:func:`reliefops.people.selectors.person_scope`)
the matching active :class:`~reliefops.teams.models.CoverageRule` s give the interval (the
shortest one). The last successful visit (outcome *visited*, over the person's record and
the records merged into it) sets the due date: that visit plus the interval, or the
follow-up date the visit set when it is earlier. A person never visited is due now.
Days are calendar days in the installation's time zone.

:func:`due_decide` computes this; the due dates' cache (:mod:`reliefops.teams.due_store`)
keeps its result per person, and the reads here (:func:`due_scope`, :func:`due_on`,
:func:`people_due`, :func:`due_counts`, :func:`due_villages`) read the stored due dates:
a page filters, sorts and pages them in the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from reliefops.core.i18n import localized
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
        # PostgreSQL: only each record's last visit leaves the database
        visits = visits.distinct("person_id")
    rows = visits.values_list("person_id", "visited_at", "follow_up_due")
    for person_id, visited_at, follow_up in rows:
        if person_id not in last:
            last[person_id] = (visited_at, follow_up)
    return last


@dataclass(frozen=True)
class DueDecision:
    """What :func:`due_decide` found for one person (stored as a
    :class:`~reliefops.teams.models.PersonDue`)."""

    pk: Any
    rules: list[CoverageRule]  # the shortest interval's first
    interval_days: int
    last_visit: dt.datetime | None
    follow_up_due: dt.date | None
    due_date: dt.date


def due_decide(people: Any, *, rules: list[CoverageRule], on: dt.date) -> list[DueDecision]:
    """The due date of every active person of ``people`` (a queryset) that a rule of
    ``rules`` matches on ``on``: the due list's computation, run by the due dates' cache
    (:mod:`reliefops.teams.due_store`), never per page view."""
    if not rules:
        return []
    people = people.filter(status=PersonStatus.ACTIVE, merged_into__isnull=True).filter(
        rules_candidates_q(rules, on)
    )
    # The rules read a few fields: decide on those (light rows, each with its own last
    # successful visit from the database); the ids of thousands of people never leave for
    # the database.
    own_last = Visit.objects.filter(person=OuterRef("pk"), outcome=VisitOutcome.VISITED).order_by(
        "-visited_at", "-pk"
    )
    matched: list[tuple[Any, list[CoverageRule], tuple[Any, Any] | None]] = []
    for row in (
        people.order_by()
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
            matched.append((facts.pk, hits, visited if visited[0] is not None else None))
    # records merged into the people (few): their visits count too
    records = person_record_ids_many(pk for pk, _hits, _visited in matched)
    last = _visits_by_record([pk for ids in records.values() for pk in ids[1:]])
    decided = []
    for pk, hits, own in matched:
        seen = [last[r] for r in records[pk][1:] if r in last]
        if own is not None:
            seen.append(own)
        interval = min(r.interval_days for r in hits)
        shortest = [r for r in hits if r.interval_days == interval] + [
            r for r in hits if r.interval_days != interval
        ]
        visited_at: dt.datetime | None = None
        follow_up: dt.date | None = None
        due = on
        if seen:
            visited_at, follow_up = max(seen, key=lambda v: v[0])
            due = timezone.localtime(visited_at).date() + dt.timedelta(days=interval)
            if follow_up is not None and follow_up < due:
                due = follow_up
        decided.append(DueDecision(pk, shortest, interval, visited_at, follow_up, due))
    return decided


# --------------------------------------------------------------------------- reads


def due_scope(actor: Actor | None, *, area: Any = None, team: Team | None = None) -> Any:
    """The people ``actor`` may read who have a stored due date (a rule matches them), in
    ``area`` or the areas ``team`` serves; pseudonymous (no identity field is read)."""
    people = (
        person_scope(actor)
        .filter(status=PersonStatus.ACTIVE, merged_into__isnull=True, due__isnull=False)
        .defer(*person_identity_fields())
        .select_related("due")
        .prefetch_related("due__rules")
    )
    if area is not None:
        people = people.filter(area=area)
    if team is not None:
        people = people.filter(
            area_id__in={team.area_id, *team.service_areas.values_list("pk", flat=True)}
        )
    return people


# A person never visited is due on whatever day is asked and never overdue, as the
# computation decides it (due = the day). The stored due date of such a person is the day
# it was computed, so the reads below go by these two rules, never by that date alone.
def due_q(on: dt.date) -> Q:
    """Stored due dates due on ``on`` (for a ``Person`` queryset)."""
    return Q(due__due_date__lte=on) | Q(due__last_visit_at__isnull=True)


def overdue_q(on: dt.date) -> Q:
    """Stored due dates past due on ``on``."""
    return Q(due__due_date__lt=on, due__last_visit_at__isnull=False)


def due_on(people: Any, on: dt.date, *, overdue_only: bool = False) -> Any:
    """``people`` (from :func:`due_scope`) due on ``on``; ``overdue_only``: past due."""
    return people.filter(overdue_q(on) if overdue_only else due_q(on))


def due_row_list(people: Any, *, on: dt.date) -> list[DueRow]:
    """:class:`DueRow` s of ``people`` (a queryset from :func:`due_scope`), in its order."""
    result = []
    for person in people:
        stored = person.due
        rules = sorted(stored.rules.all(), key=lambda r: (r.interval_days, r.code))
        visited = stored.last_visit_at
        due_date = stored.due_date if visited else on  # never visited: due on the day
        result.append(
            DueRow(
                person=person,
                rules=rules,
                interval_days=stored.interval_days,
                last_visit=visited,
                follow_up_due=stored.follow_up_due,
                due_date=due_date,
                days_since=(on - timezone.localtime(visited).date()).days if visited else None,
                days_overdue=max((on - due_date).days, 0),
                languages=list(person.languages or []),
            )
        )
    return result


def due_rows(
    actor: Actor | None,
    *,
    on: dt.date,
    area: Any = None,
    team: Team | None = None,
    include_not_due: bool = False,
    persons: Any = None,
) -> list[DueRow]:
    """Every person matched by a rule, with their due date (the list's raw material);
    ``persons``: only these (ids)."""
    people = due_scope(actor, area=area, team=team)
    if not include_not_due:
        people = due_on(people, on)
    if persons is not None:
        people = people.filter(pk__in=list(persons))
    return due_row_list(people, on=on)


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
    people = due_on(due_scope(actor, area=area, team=team), on, overdue_only=overdue_only)
    return due_row_list(people.order_by("due__due_date", "reference"), on=on)


def due_counts(actor: Actor | None, *, on: dt.date) -> dict[str, int]:
    """How many people are due on ``on``, how many of them overdue, how many never visited."""
    people = due_on(due_scope(actor), on).order_by()
    counts = people.aggregate(
        n_due=Count("pk"),
        n_overdue=Count("pk", filter=overdue_q(on)),
        n_never=Count("pk", filter=Q(due__last_visit_at__isnull=True)),
    )
    return {key.removeprefix("n_"): value for key, value in counts.items()}


def due_villages(people: Any, *, on: dt.date) -> dict[str, Any]:
    """GeoJSON of the villages with people due (``people``: from :func:`due_on`): counts
    (small counts suppressed) and the most days overdue, for the due map."""
    features: list[dict[str, Any]] = []
    rows = (
        people.order_by()
        .values("place__code", "place__names", "place__latitude", "place__longitude")
        .annotate(
            count=Count("pk"),
            earliest=Min(
                Case(
                    When(due__last_visit_at__isnull=True, then=Value(on)),
                    default=F("due__due_date"),
                )
            ),
        )
    )
    for row in rows:
        count = row["count"]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [row["place__longitude"], row["place__latitude"]],
                },
                "properties": {
                    "code": row["place__code"],
                    "name": localized(row["place__names"]) or row["place__code"],
                    "count": suppress(count),
                    "label": shown(count),
                    "overdue": max((on - row["earliest"]).days, 0),
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}

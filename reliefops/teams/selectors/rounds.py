"""Reads of rounds and visits. Both carry people's pseudonymous references, so they are
scoped like the registry: ``person.read`` in the round's area (the team's home area) or
in the visit's area (the person's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, scope_queryset
from reliefops.people.selectors import person_scope
from reliefops.teams.choices import VisitOutcome, VisitService
from reliefops.teams.models import Round, RoundStop, Team, Visit
from reliefops.teams.selectors.due import DueRow, due_rows


def round_scope(actor: Actor | None) -> QuerySet[Round]:
    return scope_queryset(
        actor,
        Round.objects.select_related("team", "area", "team__organisation"),
        area_field="area",
        action=Action.PERSON_READ,
    )


def round_list(*, actor: Actor | None) -> QuerySet[Round]:
    return round_scope(actor).prefetch_related(
        Prefetch("stops", queryset=RoundStop.objects.select_related("place", "person"))
    )


def round_get(*, actor: Actor | None, reference: str) -> Round:
    found = round_list(actor=actor).filter(reference=reference).first()
    if found is None:
        raise NotFound(_("No such round."), reference=reference)
    return found


def stop_get(*, actor: Actor | None, round: Round, sequence: int) -> RoundStop:
    stop = (
        round.stops.filter(sequence=sequence, person__in=person_scope(actor))
        .select_related("person", "place", "round__team")
        .first()
    )
    if stop is None:
        raise NotFound(_("No such stop."), sequence=sequence)
    return stop


@dataclass
class StopView:
    """A stop as the round page shows it: the person (by reference), why they are due,
    the visit recorded at the stop (if any)."""

    stop: RoundStop
    person: Any
    due: DueRow | None
    visit: Visit | None

    @property
    def done(self) -> bool:
        return self.visit is not None

    @property
    def visited(self) -> bool:
        return self.visit is not None and self.visit.outcome == VisitOutcome.VISITED


def round_stops_view(*, actor: Actor | None, round: Round, on: dt.date) -> list[StopView]:
    """The round's stops the actor may see, each with why its person is due."""
    readable = set(person_scope(actor).values_list("pk", flat=True))
    stops = [s for s in round.stops.all() if s.person_id is None or s.person_id in readable]
    due = {
        r.person.pk: r
        for r in due_rows(
            actor, on=on, include_not_due=True, persons=[s.person_id for s in stops if s.person_id]
        )
    }
    visits: dict[Any, Visit] = {}
    for visit in Visit.objects.filter(stop__in=[s.pk for s in stops]).order_by("visited_at"):
        visits[visit.stop_id] = visit
    return [StopView(s, s.person, due.get(s.person_id), visits.get(s.pk)) for s in stops]


def round_stop_view(*, actor: Actor | None, stop: RoundStop, on: dt.date) -> StopView:
    due = {
        r.person.pk: r
        for r in due_rows(actor, on=on, include_not_due=True, persons=[stop.person_id])
    }
    visit = Visit.objects.filter(stop=stop).order_by("-visited_at").first()
    return StopView(stop, stop.person, due.get(stop.person_id), visit)


def rounds_open_for(*, actor: Actor | None, on: dt.date) -> QuerySet[Round]:
    """Draft and planned rounds from ``on`` on, for "add to round"."""
    return round_scope(actor).filter(date__gte=on, status__in=["draft", "planned"]).order_by("date")


def visit_scope(actor: Actor | None) -> QuerySet[Visit]:
    return scope_queryset(
        actor,
        Visit.objects.select_related("person", "team", "place", "stop__round", "area"),
        area_field="area",
        action=Action.PERSON_READ,
    )


def visit_list(*, actor: Actor | None) -> QuerySet[Visit]:
    return visit_scope(actor).order_by("-visited_at")


def visit_get(*, actor: Actor | None, pk: Any) -> Visit:
    found = visit_scope(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such visit."))
    return found


def person_for_visit(*, actor: Actor | None, reference: str) -> Any:
    person = person_scope(actor).filter(reference=reference).first()
    if person is None:
        raise NotFound(_("No such person."), reference=reference)
    return person


def team_for_round_work(*, actor: Actor | None, code: str) -> Team:
    from reliefops.teams.selectors.teams import team_scope

    team = team_scope(actor).filter(code=code).first()
    if team is None:
        raise NotFound(_("No such team."), code=code)
    return team


def service_choices() -> list[tuple[str, Any]]:
    return list(VisitService.choices)


def outcome_choices() -> list[tuple[str, Any]]:
    return list(VisitOutcome.choices)


def readable_person_ids(actor: Actor | None) -> set[Any]:
    """Ids of the people ``actor`` may read (to leave others' stops out)."""
    return set(person_scope(actor).values_list("pk", flat=True))

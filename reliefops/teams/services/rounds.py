"""A team's round: its ordered stops for a day and the one workflow it moves through.

::

    draft → planned → in_progress → completed
    cancelled (with a reason) from draft or planned

Field records name a round's step by the status it leads to and may arrive late or twice
(:func:`round_steps_to`): a status the round has reached or passed through needs no step;
one further on takes every step on the way, each checked as if taken by hand.

Planning (``round.plan``) and running (``round.run``) are checked in the round's area (the
team's home area) for one of the team's organisations — a joint team's members act for
their own organisation. A stop names a person of the registry (by their record, shown by
the pseudonymous reference) at their village; the planner must be allowed to read the
person. Stops are changed only while the round is a draft or planned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from reliefops.core.permissions import Actor, actor_user, can_write, require_write
from reliefops.core.workflow import ReasonRequired, Transition, Workflow
from reliefops.people.selectors import person_scope
from reliefops.teams.choices import RoundStatus, VisitService
from reliefops.teams.models import Round, RoundStop, Team
from reliefops.teams.services.steps import workflow_passed, workflow_path

S = RoundStatus
EDITABLE = frozenset({S.DRAFT, S.PLANNED})


def team_organisations(team: Team) -> list[Any]:
    return [team.organisation, *team.partner_organisations.all()]


def team_scope_check(team: Team, check: Callable[[Any], None]) -> None:
    """Pass when ``check(organisation)`` — a :func:`require_write` of the action in the
    area concerned — passes for one of the team's organisations (a joint team's member
    acts for their own organisation); raise the lead organisation's refusal otherwise."""
    refusal: Forbidden | None = None
    for organisation in team_organisations(team):
        try:
            check(organisation)
            return
        except Forbidden as exc:
            refusal = refusal or exc
    if refusal is not None:
        raise refusal


ROUND_WORKFLOW = Workflow(
    name="round",
    states=RoundStatus,
    initial={S.DRAFT},
    scope=lambda r: (r.area, r.team.organisation),
    invalid_message=_("The step “%(step)s” is not possible for a round that is %(status)s."),
    transitions={
        "plan": Transition({S.DRAFT}, S.PLANNED, Action.ROUND_PLAN, _("Confirm the plan")),
        "start": Transition({S.PLANNED}, S.IN_PROGRESS, Action.ROUND_RUN, _("Start the round")),
        "complete": Transition(
            {S.IN_PROGRESS},
            S.COMPLETED,
            Action.ROUND_RUN,
            _("Complete the round"),
            confirm=_("Complete the round? Stops not visited stay open on the due list."),
        ),
        "cancel": Transition(
            {S.DRAFT, S.PLANNED},
            S.CANCELLED,
            Action.ROUND_PLAN,
            _("Cancel the round"),
            needs_reason=True,
            style="danger",
        ),
    },
)
TRANSITIONS = ROUND_WORKFLOW.transitions
STEP_LABELS = {name: t.label for name, t in TRANSITIONS.items()}


def round_steps_allowed(*, actor: Actor, round: Round) -> list[str]:
    """The steps ``actor`` may take now (a member of a partner organisation included)."""
    result = []
    for name, t in TRANSITIONS.items():
        if round.status not in t.sources:
            continue
        if any(
            can_write(actor, t.action, area=round.area, organisation=o)
            for o in team_organisations(round.team)
        ):
            result.append(name)
    return result


@dataclass(frozen=True)
class StopInput:
    """A stop to add: the person (their record), optionally a time and planned services."""

    person: Any
    planned_time: dt.time | None = None
    services: Sequence[str] = field(default=())


def _services(values: Sequence[str]) -> list[str]:
    unknown = [v for v in values if v not in VisitService.values]
    if unknown:
        raise InvalidInput(_("Unknown service."), field="services", values=unknown)
    return sorted(set(values), key=list(VisitService.values).index)


def _person_check(actor: Actor, person: Any) -> Any:
    found = person_scope(actor).filter(pk=person.pk).first()
    if found is None:
        raise NotFound(_("No such person."), reference=getattr(person, "reference", ""))
    return found


def _reference(team: Team, day: dt.date) -> str:
    stem = f"RD-{team.code}-{day:%Y%m%d}"
    existing = set(
        Round.objects.filter(reference__startswith=stem).values_list("reference", flat=True)
    )
    if stem not in existing:
        return stem
    n = 2
    while f"{stem}-{n}" in existing:
        n += 1
    return f"{stem}-{n}"


def round_create(
    *, actor: Actor, team: Team, date: dt.date, stops: Sequence[StopInput] = ()
) -> Round:
    """A draft round of ``team`` on ``date`` with ``stops`` in the order given."""
    team_scope_check(
        team,
        lambda o: require_write(actor, Action.ROUND_PLAN, area=team.area, organisation=o),
    )
    if not team.is_active:
        raise Conflict(_("The team is not active."), team=team.code)
    people = [_person_check(actor, s.person) for s in stops]
    with transaction.atomic():
        rnd = Round.objects.create(
            reference=_reference(team, date),
            team=team,
            date=date,
            area=team.area,
            created_by=actor_user(actor),
            updated_by=actor_user(actor),
        )
        for n, (stop, person) in enumerate(zip(stops, people, strict=True), start=1):
            RoundStop.objects.create(
                round=rnd,
                sequence=n,
                person=person,
                place=person.place,
                planned_time=stop.planned_time,
                services=_services(stop.services),
            )
        audit_record(
            actor=actor,
            action="round.create",
            obj=rnd,
            after={"team": team.code, "date": date, "stops": [p.reference for p in people]},
        )
    return rnd


def _locked(rnd: Round) -> Round:
    return (
        Round.objects.select_for_update(of=("self",)).select_related("team", "area").get(pk=rnd.pk)
    )


def _editable(actor: Actor, rnd: Round) -> Round:
    team_scope_check(
        rnd.team,
        lambda o: require_write(actor, Action.ROUND_PLAN, area=rnd.area, organisation=o),
    )
    locked = _locked(rnd)
    if locked.status not in EDITABLE:
        raise Conflict(
            _("The stops of a round that is %(status)s cannot change.")
            % {"status": locked.get_status_display().lower()},
            status=locked.status,
        )
    return locked


def round_stop_add(*, actor: Actor, round: Round, stop: StopInput) -> RoundStop:
    """Add a stop at the end of the round (a person already on it is refused)."""
    person = _person_check(actor, stop.person)
    with transaction.atomic():
        rnd = _editable(actor, round)
        if rnd.stops.filter(person=person).exists():
            raise Conflict(_("The person is already on this round."), reference=person.reference)
        last = rnd.stops.aggregate(n=Max("sequence"))["n"] or 0
        row = RoundStop.objects.create(
            round=rnd,
            sequence=last + 1,
            person=person,
            place=person.place,
            planned_time=stop.planned_time,
            services=_services(stop.services),
        )
        audit_record(
            actor=actor,
            action="round.stop_add",
            obj=rnd,
            after={"sequence": row.sequence, "person": person.reference},
        )
    return row


def _renumber(rnd: Round, ordered: Sequence[RoundStop]) -> None:
    # Two passes: the (round, sequence) constraint holds at every statement.
    offset = 1000
    for n, stop in enumerate(ordered, start=1):
        RoundStop.objects.filter(pk=stop.pk).update(sequence=offset + n)
    for n, stop in enumerate(ordered, start=1):
        RoundStop.objects.filter(pk=stop.pk).update(sequence=n)


def round_stop_remove(*, actor: Actor, round: Round, sequence: int) -> None:
    with transaction.atomic():
        rnd = _editable(actor, round)
        stop = rnd.stops.filter(sequence=sequence).select_related("person").first()
        if stop is None:
            raise NotFound(_("No such stop."), sequence=sequence)
        if stop.visits.exists():
            raise Conflict(_("A visit was recorded at this stop."), sequence=sequence)
        reference = stop.person.reference if stop.person is not None else ""
        stop.delete()
        _renumber(rnd, list(rnd.stops.order_by("sequence")))
        audit_record(
            actor=actor,
            action="round.stop_remove",
            obj=rnd,
            before={"sequence": sequence, "person": reference},
        )


def round_stops_reorder(*, actor: Actor, round: Round, order: Sequence[int]) -> None:
    """Put the stops in ``order`` (their current sequence numbers, each once)."""
    with transaction.atomic():
        rnd = _editable(actor, round)
        stops = {s.sequence: s for s in rnd.stops.all()}
        if sorted(order) != sorted(stops):
            raise InvalidInput(
                _("Name every stop of the round once."), field="order", stops=sorted(stops)
            )
        _renumber(rnd, [stops[n] for n in order])
        audit_record(
            actor=actor, action="round.stop_reorder", obj=rnd, after={"order": list(order)}
        )


def round_steps_to(*, actor: Actor, round: Round, status: str, reason: str = "") -> list[str]:
    """The steps that bring ``round`` to ``status``, each checked for ``actor`` (permission,
    reason, a plan needs a stop) — [] when the round has reached or passed through it.
    Raises :class:`~reliefops.core.workflow.InvalidTransition` when it cannot get there.
    Writes nothing; :func:`round_transition` takes the steps."""
    if workflow_passed(ROUND_WORKFLOW, round.status, status):
        return []
    path = workflow_path(ROUND_WORKFLOW, round.status, status)
    if path is None:
        raise ROUND_WORKFLOW._invalid(round.status, step=None, to=str(status))
    for step in path:
        t = TRANSITIONS[step]
        action = t.action
        team_scope_check(
            round.team,
            lambda o: require_write(actor, action, area=round.area, organisation=o),  # noqa: B023 - called at once
        )
        if t.needs_reason and not reason.strip():
            raise ReasonRequired(field="reason", step=step)
        if step == "plan" and not round.stops.exists():
            raise Conflict(_("A round needs at least one stop."), code="round_empty")
    return path


def round_transition(*, actor: Actor, round: Round, step: str, reason: str = "") -> Round:
    """Take ``step`` on the round: the one entry of pages, the API and the demo."""
    t = ROUND_WORKFLOW.step(step)
    team_scope_check(
        round.team,
        lambda o: require_write(actor, t.action, area=round.area, organisation=o),
    )
    with transaction.atomic():
        rnd = _locked(round)
        if rnd.status not in t.sources:
            raise ROUND_WORKFLOW._invalid(rnd.status, step=step, to=t.target)
        if t.needs_reason and not reason.strip():
            raise ReasonRequired(field="reason", step=step)
        if step == "plan" and not rnd.stops.exists():
            raise Conflict(_("A round needs at least one stop."), code="round_empty")
        before = rnd.status
        rnd.status = t.target
        now = timezone.now()
        if step == "start":
            rnd.started_at = now
        if step == "complete":
            rnd.completed_at = now
        rnd.updated_by = actor_user(actor)
        rnd.save(update_fields=["status", "started_at", "completed_at", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=f"round.{step}",
            obj=rnd,
            before={"status": before},
            after={"status": rnd.status, **({"reason": reason[:300]} if reason else {})},
        )
    round.status, round.started_at, round.completed_at = (
        rnd.status,
        rnd.started_at,
        rnd.completed_at,
    )
    return round

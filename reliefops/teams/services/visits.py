"""Recording a team's visit to a person, and correcting it.

``visit.record`` is checked in the person's area for one of the team's organisations; the
person must have consented to visits (:func:`reliefops.people.services.consent_require`
refuses otherwise, naming the reference and the purpose). A visit at a round's stop
closes the stop. A phone that retries a submission sends the same ``client_id``: the
first visit is returned and nothing is written twice.

Stops take visits while their round is planned or under way. Field records arrive out of
order (a phone syncs its visits after the round's completion reached the server), so a
visit at a stop of a COMPLETED round is still recorded when it was made no later than the
completion (``visited_at <= completed_at``); a visit after the completion, and any visit on
a draft or cancelled round, is refused. :func:`visit_check` is every check
:func:`visit_record` makes before writing (importers call it to report a row's problem).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput, NotFound
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.people.choices import ConsentPurpose
from reliefops.people.selectors import person_scope
from reliefops.people.services import consent_require
from reliefops.teams.choices import RoundStatus, VisitOutcome, VisitService
from reliefops.teams.models import RoundStop, Team, Visit
from reliefops.teams.services.rounds import team_scope_check

#: Rounds whose stops take visits (a visit ends a draft's planning, not the round).
OPEN_ROUNDS = frozenset({RoundStatus.PLANNED, RoundStatus.IN_PROGRESS})


def _services(values: Sequence[str]) -> list[str]:
    unknown = [v for v in values if v not in VisitService.values]
    if unknown:
        raise InvalidInput(_("Unknown service."), field="services", values=unknown)
    return sorted(set(values), key=list(VisitService.values).index)


def _client_id(value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise InvalidInput(_("Not a valid client id."), field="client_id") from None


def stop_takes_visit(stop: RoundStop, when: dt.datetime) -> None:
    """Raise :class:`Conflict` unless a visit made at ``when`` may be recorded at ``stop``:
    its round is planned or under way, or was completed no earlier than ``when``."""
    rnd = stop.round
    if rnd.status in OPEN_ROUNDS:
        return
    if rnd.status == RoundStatus.COMPLETED:
        if rnd.completed_at is not None and when <= rnd.completed_at:
            return
        raise Conflict(
            _("The round was completed before this visit."),
            code="round_completed",
            status=rnd.status,
            completed_at=rnd.completed_at,
        )
    raise Conflict(_("Visits are recorded on a planned or started round."), status=rnd.status)


def visit_check(
    *,
    actor: Actor,
    person: Any,
    team: Team,
    stop: RoundStop | None = None,
    visited_at: dt.datetime | None = None,
    outcome: str = VisitOutcome.VISITED,
    follow_up_due: dt.date | None = None,
) -> dt.datetime:
    """Every check of :func:`visit_record` before it writes (permission, the person's
    scope and consent, times, the stop); returns the visit's time. Writes nothing."""
    team_scope_check(
        team,
        lambda o: require_write(actor, Action.VISIT_RECORD, area=person.area, organisation=o),
    )
    if person_scope(actor).filter(pk=person.pk).first() is None:
        raise NotFound(_("No such person."), reference=person.reference)
    if outcome not in VisitOutcome.values:
        raise InvalidInput(_("Unknown outcome."), field="outcome")
    consent_require(person, ConsentPurpose.VISITS)
    when = visited_at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=10):
        raise InvalidInput(_("A visit cannot be in the future."), field="visited_at")
    if follow_up_due is not None and follow_up_due < when.date():
        raise InvalidInput(_("The follow-up is due after the visit."), field="follow_up_due")
    if stop is not None:
        if stop.person_id != person.pk or stop.round.team_id != team.pk:
            raise InvalidInput(
                _("The stop is not this person's on this team's round."), field="stop"
            )
        stop_takes_visit(stop, when)
    return when


def visit_record(
    *,
    actor: Actor,
    person: Any,
    team: Team,
    stop: RoundStop | None = None,
    visited_at: dt.datetime | None = None,
    outcome: str = VisitOutcome.VISITED,
    services: Sequence[str] = (),
    follow_up_due: dt.date | None = None,
    client_id: Any = None,
) -> Visit:
    """Record a visit (idempotent by ``client_id``); see the module docstring."""
    client = _client_id(client_id)
    if client is not None:
        first = Visit.objects.filter(client_id=client).first()
        if first is not None:
            if first.person_id != person.pk:
                raise Conflict(_("This client id belongs to another visit."), field="client_id")
            return first
    when = visit_check(
        actor=actor,
        person=person,
        team=team,
        stop=stop,
        visited_at=visited_at,
        outcome=outcome,
        follow_up_due=follow_up_due,
    )
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                person=person,
                team=team,
                stop=stop,
                place=person.place,
                area=person.area,
                visited_at=when,
                outcome=outcome,
                services=_services(services),
                follow_up_due=follow_up_due,
                client_id=client,
                created_by=actor_user(actor),
                updated_by=actor_user(actor),
            )
            audit_record(
                actor=actor,
                action="visit.record",
                obj=visit,
                after={
                    "person": person.reference,
                    "team": team.code,
                    "outcome": outcome,
                    "services": visit.services,
                    "follow_up_due": follow_up_due,
                    "stop": stop.sequence if stop is not None else None,
                },
            )
    except IntegrityError:
        # Two retries raced: the other one won; hand back its visit.
        if client is not None:
            first = Visit.objects.filter(client_id=client).first()
            if first is not None:
                return first
        raise
    return visit


VISIT_CORRECTABLE = ("outcome", "services", "follow_up_due", "visited_at")


def visit_correct_check(*, actor: Actor, visit: Visit) -> None:
    """May ``actor`` correct ``visit``? (``visit.record`` in the visit's area for one of
    the team's organisations.) Writes nothing."""
    team_scope_check(
        visit.team,
        lambda o: require_write(actor, Action.VISIT_RECORD, area=visit.area, organisation=o),
    )


def visit_correct(*, actor: Actor, visit: Visit, **changes: Any) -> Visit:
    """Correct what a visit recorded (the person and the team stay)."""
    unknown = set(changes) - set(VISIT_CORRECTABLE)
    if unknown:
        raise InvalidInput(fields={n: [_("Not a field a correction may change.")] for n in unknown})
    visit_correct_check(actor=actor, visit=visit)
    if "outcome" in changes and changes["outcome"] not in VisitOutcome.values:
        raise InvalidInput(_("Unknown outcome."), field="outcome")
    if "services" in changes:
        changes["services"] = _services(changes["services"])
    with transaction.atomic():
        before = {n: getattr(visit, n) for n in changes}
        for name, value in changes.items():
            setattr(visit, name, value)
        visit.updated_by = actor_user(actor)
        visit.save()
        audit_record(
            actor=actor,
            action="visit.correct",
            obj=visit,
            before=before,
            after={**changes, "person": visit.person.reference},
        )
    return visit

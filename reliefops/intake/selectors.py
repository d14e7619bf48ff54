"""Reads of the intake domain: the import history and the field submissions, scoped to
who may see which."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, actor_user, grants_for, user_organisation_ids
from reliefops.intake.choices import RunStatus
from reliefops.intake.models import ImportRun, Submission


def import_run_list(*, actor: Actor) -> QuerySet[ImportRun]:
    """Runs ``actor`` may see: their own, their organisations' (with ``import.run``), and
    every run for users acting for all organisations (coordinators, administrators)."""
    qs = ImportRun.objects.select_related("user", "organisation").defer("outcomes", "errors")
    user = actor_user(actor)
    if user is None:
        return qs.none()
    organisations = user_organisation_ids(actor, Action.IMPORT_RUN)
    if organisations is None:
        return qs
    return qs.filter(Q(user=user) | Q(organisation_id__in=organisations))


def import_run_get(*, actor: Actor, pk: Any) -> ImportRun:
    """One run with its row outcomes; :class:`NotFound` when ``actor`` may not see it."""
    run = (
        import_run_list(actor=actor)
        .defer(None)
        .select_related("user", "organisation")
        .filter(pk=pk)
        .first()
    )
    if run is None:
        raise NotFound()
    return run


# --- added for shell: the home page's "awaiting my action"
#: How far back a failed import stays on the home page's work list.
FAILED_RUNS_SHOWN_DAYS = 14


def import_run_failed_list(*, actor: Actor) -> QuerySet[ImportRun]:
    """Real imports (not checks) that failed in the last ``FAILED_RUNS_SHOWN_DAYS`` days
    among the runs ``actor`` may see, newest first."""
    since = timezone.now() - dt.timedelta(days=FAILED_RUNS_SHOWN_DAYS)
    return import_run_list(actor=actor).filter(
        status=RunStatus.FAILED, dry_run=False, created_at__gte=since
    )


# --- added for submissions: the field submissions a user may see
def submission_list(*, actor: Actor) -> QuerySet[Submission]:
    """Submissions ``actor`` may see, newest first: their own; their organisation's (a
    grant allowing ``submission.send`` for it); for coordinators (grants acting for every
    organisation) those filed under their areas, or all of them for a national grant.
    The record itself (``data``) is not loaded."""
    qs = Submission.objects.select_related("user", "organisation", "area").defer("data")
    user = actor_user(actor)
    if user is None:
        return qs.none()
    condition = Q(user=user)
    for grant in grants_for(actor, Action.SUBMISSION_SEND):
        if grant.cross_organisation:
            if grant.area_ids is None:
                return qs
            condition |= Q(area_id__in=list(grant.area_ids))
        elif grant.organisation_id is not None:
            condition |= Q(organisation_id=grant.organisation_id)
    return qs.filter(condition)


def submission_get(*, actor: Actor, client_id: Any) -> Submission:
    """One submission by its client id; :class:`NotFound` when ``actor`` may not see it."""
    submission = submission_list(actor=actor).filter(client_id=client_id).first()
    if submission is None:
        raise NotFound()
    return submission

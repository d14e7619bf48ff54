"""Edits of a draft plan (move, drop, pin or unpin a stop; swap a vehicle or a team), re-checked
at once; discarding a draft.

:func:`plan_edit` locks the run, takes the workflow's ``edit`` step (draft → draft, coordinators
through ``plan.run`` in the run's area), loads the run's problem (the module named by
``RELIEFOPS_PLAN_PROBLEM``, ``dayplans.problem`` by default: ``problem_load(run.problem,
run.index)``), applies the edit with the planning core (:func:`reliefops.planning.edit_apply`),
runs the independent checker and saves, in the same transaction, the new plan JSON with its
violations, the KPIs and the edit appended to ``run.edits`` (who, when, which stop), and the
audit event ``plan.edit``.

An edit that makes the draft break a rule (a food stop on a fuel tanker, an overloaded trip, a
missed window) is saved: the coordinator sees the violations at once and the commit refuses a
draft with violations until another edit repairs it. An edit that cannot be applied (no such
stop, an unknown vehicle) is :class:`InvalidInput` naming the edit's field; moving a pinned stop
is a :class:`Conflict` (``stop_pinned``). An edit may carry ``"version"``: the number of edits
the page showed; when another edit came in between, it is refused (``plan_edited``) so that
positions never point at the wrong stop.

The edit dict (ids are the problem's: vehicle registration, team code; numbers count from 1)::

    {"kind": "move", "vehicle": "AB-123", "trip": 1, "position": 2,
     "to_vehicle": "CD-456", "to_trip": 1, "to_position": 1}        # to_* optional
    {"kind": "move", "team": "MMT-1", "position": 2, "to_team": "MMT-2", "to_position": 1}
    {"kind": "drop" | "pin" | "unpin", "vehicle": "AB-123", "trip": 1, "position": 2}
    {"kind": "drop" | "pin" | "unpin", "team": "MMT-1", "position": 2}
    {"kind": "swap", "vehicle": "AB-123", "to_vehicle": "CD-456"}
    {"kind": "swap", "team": "MMT-1", "to_team": "MMT-2"}

A stored edit (``run.edits[i]``) is the edit as applied (numbers as ints, empty fields left
out) plus ``"stop"`` (``{"site", "demands", "visit"}`` of the stop it was about; absent for a
swap), ``"violations"`` (how many the checker found after it), ``"by"`` (username) and ``"at"``
(ISO time). Pins are kept on the plan's stops (``"pinned": true`` in the plan JSON) and in the
edit list; ``reliefops.planning.pinned_stops`` lists them for a re-plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import Actor, actor_user
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services.runs import plan_kpis
from reliefops.dayplans.workflow import PLAN_WORKFLOW

#: Field → what a person is told when an edit names something that is not there.
_FIELD_MESSAGES = {
    "kind": _("Choose what to do: move, drop, pin, unpin or swap."),
    "vehicle": _("This vehicle has no route in the draft, or is not in the plan's problem."),
    "to_vehicle": _("There is no such vehicle to take the stop or the route."),
    "team": _("This team has no round in the draft, or is not in the plan's problem."),
    "to_team": _("There is no such team to take the visit or the round."),
    "trip": _("There is no such trip."),
    "position": _("There is no such stop."),
    "to_trip": _("There is no such trip to move the stop to."),
    "to_position": _("There is no such position in the destination."),
}


def _planning() -> Any:
    # Loaded on use: the planning core pulls in HiGHS, SciPy and PyVRP.
    return import_module("reliefops.planning")


def _problem_api() -> Any:
    return import_module(getattr(settings, "RELIEFOPS_PLAN_PROBLEM", "reliefops.dayplans.problem"))


def _version(edit: Mapping[str, Any], run: PlanRun) -> None:
    version = edit.get("version")
    if version in (None, ""):
        return
    try:
        seen = int(str(version))
    except ValueError:
        raise InvalidInput(_("Give a whole number."), field="version") from None
    if seen != len(run.edits):
        raise Conflict(
            _("The draft was edited since you opened it: look at it again and repeat the edit."),
            code="plan_edited",
            version=seen,
            edits=len(run.edits),
        )


def _problem_and_plan(run: PlanRun) -> tuple[Any, Any]:
    planning = _planning()
    if not run.plan or not run.problem:
        raise Conflict(_("This run has no draft plan to edit."), code="plan_missing")
    try:
        problem = _problem_api().problem_load(bytes(run.problem), run.index)
        plan = planning.plan_from_json(run.plan)
    except planning.PlanningError as exc:
        raise Conflict(
            _("The draft cannot be read back: run the plan again."),
            code="plan_unreadable",
            detail=str(exc),
        ) from None
    return problem, plan


def _applied(problem: Any, plan: Any, edit: Mapping[str, Any]) -> Any:
    planning = _planning()
    try:
        return planning.edit_apply(problem, plan, edit)
    except planning.PinnedStopError as exc:
        raise Conflict(
            _("This stop is pinned: unpin it first."),
            code="stop_pinned",
            field=exc.field,
            detail=exc.message,
        ) from None
    except planning.EditError as exc:
        message = _FIELD_MESSAGES.get(exc.field, _("This edit cannot be applied."))
        raise InvalidInput(
            message, code="edit_invalid", field=exc.field, detail=exc.message
        ) from None


def plan_edit(*, actor: Actor, run: PlanRun, edit: Mapping[str, Any]) -> PlanRun:
    """Apply one edit to a draft run and re-check it; returns the run as saved.

    Locks the run (``select_for_update``) for the whole edit, so two edits of one draft
    apply one after the other, each to the plan the other left.
    """
    if not isinstance(edit, Mapping):
        raise InvalidInput(_("An edit is a set of named fields."), field="edit")
    planning = _planning()
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=run.pk)
        PLAN_WORKFLOW.check(actor=actor, record=locked, step="edit")
        _version(edit, locked)
        problem, plan = _problem_and_plan(locked)
        outcome = _applied(problem, plan, {k: v for k, v in edit.items() if k != "version"})
        violations = planning.check(problem, outcome.plan)
        document = planning.plan_to_json(outcome.plan, violations)
        user = actor_user(actor)
        record: dict[str, Any] = dict(outcome.edit)
        if outcome.stop is not None:
            record["stop"] = outcome.stop
        record["violations"] = len(violations)
        record["by"] = user.get_username() if user is not None else ""
        record["at"] = timezone.now().isoformat()
        before = {"violations": len(locked.violations), "kpis": _headline(locked.kpis)}
        locked.plan = document
        locked.violations = document.get("violations", [])
        locked.kpis = plan_kpis(outcome.plan)
        locked.edits = [*locked.edits, record]
        locked.updated_by = user
        locked.save(
            update_fields=["plan", "violations", "kpis", "edits", "updated_by", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="plan.edit",
            obj=locked,
            before=before,
            after={
                "edit": {k: v for k, v in record.items() if k not in ("by", "at")},
                "violations": len(locked.violations),
                "kpis": _headline(locked.kpis),
            },
        )
    run.refresh_from_db()
    return run


def _headline(kpis: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("served_percent", "life_saving_served_percent", "distance_km", "visits_made")
    return {k: kpis.get(k) for k in keys}


def plan_discard(*, actor: Actor, run: PlanRun) -> PlanRun:
    """Discard a draft (status cancelled, its plan kept for the record; audit
    ``plan.discard``)."""
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=run.pk)
        PLAN_WORKFLOW.check(actor=actor, record=locked, step="discard")
        before = locked.status
        locked.status = PlanStatus.CANCELLED
        locked.finished_at = locked.finished_at or timezone.now()
        locked.updated_by = actor_user(actor)
        locked.save(update_fields=["status", "finished_at", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="plan.discard",
            obj=locked,
            before={"status": before},
            after={"status": PlanStatus.CANCELLED, "edits": len(locked.edits)},
        )
    run.refresh_from_db()
    return run

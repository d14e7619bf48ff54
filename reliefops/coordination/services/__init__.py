"""Writes of the coordination domain."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import PEOPLE_FIELDS, ActivityStatus, Sector
from reliefops.coordination.models import Activity
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.core.workflow import Transition, Workflow
from reliefops.places.selectors import admin_area_descendant_ids

# --- added for fourw
S = ActivityStatus

ACTIVITY_WORKFLOW = Workflow(
    name="activity",
    states=ActivityStatus,
    initial={S.PLANNED, S.ONGOING},
    scope=lambda activity: (activity.area, activity.organisation),
    transitions={
        "start": Transition(
            {S.PLANNED}, S.ONGOING, Action.ACTIVITY_EDIT, _("Start"), own_organisation=True
        ),
        "complete": Transition(
            {S.ONGOING}, S.COMPLETED, Action.ACTIVITY_EDIT, _("Complete"), own_organisation=True
        ),
        "suspend": Transition(
            {S.PLANNED, S.ONGOING},
            S.SUSPENDED,
            Action.ACTIVITY_EDIT,
            _("Suspend"),
            own_organisation=True,
            needs_reason=True,
            style="danger",
        ),
        "resume": Transition(
            {S.SUSPENDED}, S.ONGOING, Action.ACTIVITY_EDIT, _("Resume"), own_organisation=True
        ),
        "reopen": Transition(
            {S.COMPLETED},
            S.ONGOING,
            Action.ACTIVITY_EDIT,
            _("Reopen"),
            own_organisation=True,
            needs_reason=True,
            style="secondary",
        ),
    },
)

#: The fields an activity's create and update set (``reference`` and ``status`` apart).
ACTIVITY_FIELDS: tuple[str, ...] = (
    "organisation",
    "implementing_partner",
    "donor",
    "sector",
    "activity",
    "activity_code",
    "area",
    "place",
    "start_date",
    "end_date",
    *PEOPLE_FIELDS,
)
REFERENCE_PREFIX = "4W-"


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    """Audit text of activity values: records by their codes (no personal data here)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Model):
            value = getattr(value, "acronym", None) or getattr(value, "code", None) or str(value)
        out[name] = value
    return out


def activity_values_check(values: dict[str, Any]) -> dict[str, Any]:
    """The rules one activity's values must keep, whoever writes them; returns the values
    with ``area`` filled from the place when only the place is given.

    Raises :class:`InvalidInput` naming the field: a sector of the list, an area or a
    place (a place inside the area when both are given), the end not before the start,
    people counts whole and not negative.
    """
    values = dict(values)
    if values.get("sector") not in Sector.values:
        raise InvalidInput(field="sector", value=str(values.get("sector")))
    area: Any = values.get("area")
    place: Any = values.get("place")
    if area is None and place is None:
        raise InvalidInput(_("Give the area or the location."), field="area")
    if area is None:
        area = place.admin2 or place.admin1 or place.admin0
        if area is None:
            raise InvalidInput(_("This location lies in no known area."), field="place")
        values["area"] = area
    elif place is not None:
        inside = admin_area_descendant_ids([area.pk])
        if not {place.admin0_id, place.admin1_id, place.admin2_id} & inside:
            raise InvalidInput(_("This location is not in the area given."), field="place")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise InvalidInput(_("The end date is before the start date."), field="end_date")
    for name in PEOPLE_FIELDS:
        count = values.get(name)
        if count is not None and (not isinstance(count, int) or count < 0):
            raise InvalidInput(_("Give a whole number of people, 0 or more."), field=name)
    return values


def activity_create_check(
    *, actor: Actor, values: dict[str, Any], status: str = S.PLANNED, reason: str = ""
) -> dict[str, Any]:
    """Everything :func:`activity_create` checks before it writes (imports call it per
    row): the values' rules, the scope (``activity.edit`` for the organisation in the
    area), and that a new activity may start in ``status``."""
    values = activity_values_check(values)
    require_write(
        actor, Action.ACTIVITY_EDIT, area=values["area"], organisation=values["organisation"]
    )
    if status not in S.values:
        raise InvalidInput(field="status", value=status)
    ACTIVITY_WORKFLOW.check_new(
        actor=actor, record=Activity(**values), status=status, reason=reason
    )
    return values


def _next_reference() -> str:
    taken = Activity.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list(
        "reference", flat=True
    )
    numbers = [
        int(r[len(REFERENCE_PREFIX) :]) for r in taken if r[len(REFERENCE_PREFIX) :].isdigit()
    ]
    return f"{REFERENCE_PREFIX}{max(numbers, default=0) + 1:05d}"


def activity_create(
    *,
    actor: Actor,
    status: str = S.PLANNED,
    reference: str = "",
    reason: str = "",
    **values: Any,
) -> Activity:
    """Record a 4W activity of ``values["organisation"]`` (fields: ``ACTIVITY_FIELDS``).

    ``reference`` (the 4W ID) is given by an import that carries one, else the next
    ``4W-nnnnn``; ``status`` may be a later one only along steps the actor could take
    (``reason`` for those that need one: an import names itself).
    """
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise InvalidInput(field=sorted(unknown)[0])
    values = activity_create_check(actor=actor, values=values, status=status, reason=reason)
    with transaction.atomic():
        if reference and Activity.objects.filter(reference=reference).exists():
            raise Conflict(_("An activity with this 4W ID exists."), field="reference")
        activity = Activity.objects.create(
            reference=reference or _next_reference(),
            status=status,
            created_by=actor_user(actor),
            **values,
        )
        audit_record(
            actor=actor,
            action="activity.create",
            obj=activity,
            after=_audit_values(
                {"status": status, **values, **({"reason": reason} if reason else {})}
            ),
        )
    return activity


def activity_update_check(
    *,
    actor: Actor,
    activity: Activity,
    changes: dict[str, Any],
    status: str | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """What :func:`activity_update` checks: the rules on the changed record, the scope at
    both ends (a partner cannot hand an activity to another organisation or move it out
    of its areas), and a status change as one step of the workflow."""
    values = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    if "place" in changes and "area" not in changes and changes["place"] is not None:
        values["area"] = None  # the new place's area unless one is given
    values.update(changes)
    values = activity_values_check(values)
    require_write(
        actor,
        Action.ACTIVITY_EDIT,
        area=activity.area,
        organisation=activity.organisation,
        new_area=values["area"],
        new_organisation=values["organisation"],
    )
    if status is not None and status != activity.status:
        ACTIVITY_WORKFLOW.check(actor=actor, record=activity, to=status, bulk=True, reason=reason)
    return values


def activity_update(
    *,
    actor: Actor,
    activity: Activity,
    changes: dict[str, Any],
    status: str | None = None,
    reason: str = "",
) -> Activity:
    """Change an activity's fields (``changes``: names of ``ACTIVITY_FIELDS``); ``status``
    (imports, the API) must be one step of the workflow from the current one (``reason``
    for the steps that need one). Audits the changed fields only."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise InvalidInput(field=sorted(unknown)[0])
    values = activity_update_check(
        actor=actor, activity=activity, changes=changes, status=status, reason=reason
    )
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        if getattr(activity, name) != value:
            before[name], after[name] = getattr(activity, name), value
    if status is not None and status != activity.status:
        before["status"], after["status"] = activity.status, status
    if not after:
        return activity
    audit_after = dict(after)
    if "status" in after and reason:
        audit_after["reason"] = reason
    with transaction.atomic():
        for name, value in after.items():
            setattr(activity, name, value)
        activity.updated_by = actor_user(actor)
        activity.save()
        audit_record(
            actor=actor,
            action="activity.update",
            obj=activity,
            before=_audit_values(before),
            after=_audit_values(audit_after),
        )
    return activity


def activity_step(*, actor: Actor, activity: Activity, step: str, reason: str = "") -> Activity:
    """Take one workflow step (start, complete, suspend, resume, reopen) on an activity."""
    name, transition = ACTIVITY_WORKFLOW.check(
        actor=actor, record=activity, step=step, reason=reason
    )
    with transaction.atomic():
        before = activity.status
        activity.status = transition.target
        activity.updated_by = actor_user(actor)
        activity.save(update_fields=["status", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action=f"activity.{name}",
            obj=activity,
            before={"status": before},
            after={"status": activity.status, "reason": reason},
        )
    return activity


def activity_steps_allowed(*, actor: Actor, activity: Activity) -> list[str]:
    """The steps ``actor`` may take on ``activity`` now (the detail page's buttons)."""
    return ACTIVITY_WORKFLOW.allowed(actor=actor, record=activity)


# --- added for meetings: the services by topic (imported here for callers' convenience)
from reliefops.coordination.services.action_items import (  # noqa: E402
    ACTION_ITEM_WORKFLOW,
    action_item_create,
    action_item_link,
    action_item_transition,
    action_item_unlink,
    decision_action_create,
)
from reliefops.coordination.services.groups import (  # noqa: E402
    contact_create,
    contact_details_reveal,
    contact_update,
    working_group_create,
    working_group_update,
)
from reliefops.coordination.services.meetings import (  # noqa: E402
    agenda_item_add,
    agenda_item_move,
    decision_record,
    decision_request_create,
    meeting_attachment_add,
    meeting_create,
    meeting_update,
)
from reliefops.needs.services import LineInput  # noqa: E402

__all__ = [
    "ACTION_ITEM_WORKFLOW",
    "LineInput",
    "action_item_create",
    "action_item_link",
    "action_item_transition",
    "action_item_unlink",
    "agenda_item_add",
    "agenda_item_move",
    "contact_create",
    "contact_details_reveal",
    "contact_update",
    "decision_action_create",
    "decision_record",
    "decision_request_create",
    "meeting_attachment_add",
    "meeting_create",
    "meeting_update",
    "working_group_create",
    "working_group_update",
]
# --- added for retention
from reliefops.coordination.services.retention import meeting_attachments_purge  # noqa: E402

__all__ += ["meeting_attachments_purge"]

"""Writes of action items: created from a meeting or a decision, moved through the
shared workflow (``ACTION_ITEM_WORKFLOW``), linked to what they caused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import ActionItemStatus
from reliefops.coordination.meeting_models import (
    ActionItem,
    Contact,
    Decision,
    Meeting,
)
from reliefops.coordination.notices import action_item_assigned_notify
from reliefops.coordination.services._common import _meeting_locked, _names, _reference
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.core.workflow import Transition, Workflow

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation

A = ActionItemStatus

# --------------------------------------------------------------------------- action items


def _action_item_scope(item: ActionItem) -> tuple[Any, Any]:
    return item.meeting.area, item.owner_organisation


ACTION_ITEM_WORKFLOW = Workflow(
    name="action_item",
    states=ActionItemStatus,
    initial={A.OPEN},
    scope=_action_item_scope,
    transitions={
        "start": Transition({A.OPEN}, A.IN_PROGRESS, Action.ACTION_ITEM_UPDATE, _("Start"),
                            own_organisation=True),
        "complete": Transition({A.OPEN, A.IN_PROGRESS}, A.DONE, Action.ACTION_ITEM_UPDATE,
                               _("Mark done"), own_organisation=True),
        "drop": Transition({A.OPEN, A.IN_PROGRESS}, A.DROPPED, Action.ACTION_ITEM_UPDATE,
                           _("Drop"), needs_reason=True, own_organisation=True, style="danger",
                           confirm=_("Drop this action item?")),
        "reopen": Transition({A.DONE, A.DROPPED}, A.OPEN, Action.ACTION_ITEM_UPDATE,
                             _("Reopen"), needs_reason=True, own_organisation=True,
                             style="secondary"),
    },
)  # fmt: skip


def action_item_create(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    owner_organisation: Organisation,
    due_date: dt.date,
    decision: Decision | None = None,
    owner_contact: Contact | None = None,
    owner_user: Any = None,
    description: str = "",
) -> ActionItem:
    """An action item of ``meeting`` (``meeting.record`` there), open; the owner contact
    must work for the owner organisation."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting)
        if not title.strip():
            raise InvalidInput(_("Say what is to be done."), field="title")
        if decision is not None and decision.agenda_item.meeting_id != meeting.pk:
            raise InvalidInput(_("The decision is of another meeting."), field="decision")
        if owner_contact is not None and owner_contact.organisation_id != owner_organisation.pk:
            raise InvalidInput(
                _("The owner contact works for another organisation."), field="owner_contact"
            )
        item = ActionItem.objects.create(
            reference=_reference("ACT", timezone.localdate()),
            meeting=meeting,
            decision=decision,
            title=title.strip(),
            description=description,
            owner_organisation=owner_organisation,
            owner_contact=owner_contact,
            owner_user=owner_user,
            due_date=due_date,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="action_item.create",
            obj=item,
            after={
                "meeting": meeting.reference,
                "decision": decision.reference if decision else None,
                "owner": owner_organisation.acronym,
                "due_date": due_date,
            },
        )
        action_item_assigned_notify(actor=actor, item=item)
    return item


def decision_action_create(
    *,
    actor: Actor,
    decision: Decision,
    title: str,
    owner_organisation: Organisation,
    due_date: dt.date,
    owner_contact: Contact | None = None,
    owner_user: Any = None,
    description: str = "",
) -> ActionItem:
    """An action item that follows from ``decision`` (of the decision's meeting)."""
    return action_item_create(
        actor=actor,
        meeting=decision.meeting,
        decision=decision,
        title=title,
        owner_organisation=owner_organisation,
        due_date=due_date,
        owner_contact=owner_contact,
        owner_user=owner_user,
        description=description,
    )


def action_item_transition(
    *, actor: Actor, item: ActionItem, step: str, reason: str = ""
) -> ActionItem:
    """Take a step of :data:`ACTION_ITEM_WORKFLOW` (``action_item.update`` in the meeting's
    area for the owner organisation)."""
    with transaction.atomic():
        locked = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("meeting__area", "owner_organisation")
            .get(pk=item.pk)
        )
        step, t = ACTION_ITEM_WORKFLOW.check(actor=actor, record=locked, step=step, reason=reason)
        before = locked.status
        locked.status = t.target
        locked.status_reason = reason.strip()[:300]
        locked.status_changed_at = timezone.now()
        locked.updated_by = actor_user(actor)
        locked.save()
        audit_record(
            actor=actor,
            action=f"action_item.{step}",
            obj=locked,
            before={"status": before},
            after={"status": locked.status, "reason": locked.status_reason},
        )
    return locked


def _action_item_locked(actor: Actor, item: ActionItem) -> ActionItem:
    """``item`` re-read and locked (inside a transaction), with ``action_item.update``
    checked in the meeting's area for the owner organisation as the database has them."""
    locked = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("meeting__area", "owner_organisation")
        .get(pk=item.pk)
    )
    require_write(
        actor,
        Action.ACTION_ITEM_UPDATE,
        area=locked.meeting.area,
        organisation=locked.owner_organisation,
    )
    return locked


def _link_names(
    requests: Sequence[Any], convoys: Sequence[Any], plan_runs: Sequence[Any], visits: Sequence[Any]
) -> dict[str, list[str]]:
    return {
        "requests": _names(requests, "reference"),
        "convoys": _names(convoys, "code"),
        "plan_runs": _names(plan_runs, "reference"),
        "visits": _names(visits, "pk"),
    }


def action_item_link(
    *,
    actor: Actor,
    item: ActionItem,
    requests: Sequence[Any] = (),
    convoys: Sequence[Any] = (),
    plan_runs: Sequence[Any] = (),
    visits: Sequence[Any] = (),
) -> ActionItem:
    """Link what the action item caused (requests, convoys, day plans, visits); the caller
    found them through their apps' scoped selectors."""
    with transaction.atomic():
        item = _action_item_locked(actor, item)
        if not (requests or convoys or plan_runs or visits):
            raise InvalidInput(_("Choose what to link."), field="requests")
        item.requests.add(*requests)
        item.convoys.add(*convoys)
        item.plan_runs.add(*plan_runs)
        item.visits.add(*visits)
        audit_record(
            actor=actor,
            action="action_item.link",
            obj=item,
            after=_link_names(requests, convoys, plan_runs, visits),
        )
    return item


def action_item_unlink(
    *,
    actor: Actor,
    item: ActionItem,
    requests: Sequence[Any] = (),
    convoys: Sequence[Any] = (),
    plan_runs: Sequence[Any] = (),
    visits: Sequence[Any] = (),
) -> ActionItem:
    """Remove links of the action item (``action_item.update``, as :func:`action_item_link`);
    each object named must be linked now (read from the locked item)."""
    given = {"requests": requests, "convoys": convoys, "plan_runs": plan_runs, "visits": visits}
    with transaction.atomic():
        item = _action_item_locked(actor, item)
        if not any(given.values()):
            raise InvalidInput(_("Choose what to unlink."), field="requests")
        for kind, objects in given.items():
            linked = set(
                getattr(item, kind)
                .filter(pk__in=[o.pk for o in objects])
                .values_list("pk", flat=True)
            )
            if any(o.pk not in linked for o in objects):
                raise InvalidInput(_("It is not linked to this action item."), field=kind)
        for kind, objects in given.items():
            getattr(item, kind).remove(*objects)
        audit_record(
            actor=actor,
            action="action_item.unlink",
            obj=item,
            before=_link_names(requests, convoys, plan_runs, visits),
        )
    return item

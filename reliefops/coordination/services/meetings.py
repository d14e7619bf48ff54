"""Writes of meetings: the meeting, its agenda and attachments, decisions, and a
decision turned into a needs request through the needs app's own service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.attachments import attachment_checked, attachment_label
from reliefops.coordination.choices import MeetingKind
from reliefops.coordination.meeting_models import (
    AgendaItem,
    Contact,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
)
from reliefops.coordination.services._common import _meeting_locked, _names, _reference
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor, actor_user, require_write
from reliefops.needs.choices import RequestSource
from reliefops.needs.services import LineInput, RequestInput, request_submit

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation

# --------------------------------------------------------------------------- meetings


def _meeting_check(
    *, kind: str, starts_at: dt.datetime, ends_at: dt.datetime | None, place: Any
) -> None:
    if kind not in MeetingKind.values:
        raise InvalidInput(field="kind", value=kind)
    if place is None:
        raise InvalidInput(_("Choose the place of the meeting."), field="place")
    if ends_at is not None and ends_at < starts_at:
        raise InvalidInput(_("The meeting ends before it starts."), field="ends_at")


def meeting_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    organisation: Organisation,
    starts_at: dt.datetime,
    place: Any,
    working_group: WorkingGroup | None = None,
    ends_at: dt.datetime | None = None,
    organisations: Sequence[Organisation] = (),
    contacts: Sequence[Contact] = (),
    minutes: str = "",
    agenda: Sequence[str] = (),
) -> Meeting:
    """Record a meeting (``meeting.record`` in the place's area for the convening
    organisation); ``agenda``: the titles of its agenda items, in order."""
    _meeting_check(kind=kind, starts_at=starts_at, ends_at=ends_at, place=place)
    area = place.admin1
    require_write(actor, Action.MEETING_RECORD, area=area, organisation=organisation)
    if not title.strip():
        raise InvalidInput(_("Give the meeting a title."), field="title")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            reference=_reference("MTG", timezone.localtime(starts_at).date()),
            title=title.strip(),
            kind=kind,
            working_group=working_group,
            organisation=organisation,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            area=area,
            minutes=minutes,
            created_by=actor_user(actor),
        )
        meeting.organisations.set({organisation, *organisations})
        meeting.contacts.set(contacts)
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=t.strip(), created_by=actor_user(actor))
            for i, t in enumerate((t for t in agenda if t.strip()), start=1)
        )
        audit_record(
            actor=actor,
            action="meeting.create",
            obj=meeting,
            after={
                "kind": kind,
                "place": place.code,
                "starts_at": starts_at,
                "organisations": _names(meeting.organisations.all(), "acronym"),
                "agenda": len([t for t in agenda if t.strip()]),
            },
        )
    return meeting


def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    kind: str,
    organisation: Organisation,
    starts_at: dt.datetime,
    place: Any,
    working_group: WorkingGroup | None = None,
    ends_at: dt.datetime | None = None,
    organisations: Sequence[Organisation] = (),
    contacts: Sequence[Contact] = (),
    minutes: str = "",
) -> Meeting:
    """Change a meeting: allowed where it is and where it moves to."""
    _meeting_check(kind=kind, starts_at=starts_at, ends_at=ends_at, place=place)
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting)
        require_write(
            actor,
            Action.MEETING_RECORD,
            area=meeting.area,
            organisation=meeting.organisation,
            new_area=place.admin1,
            new_organisation=organisation,
        )
        before = {"title": meeting.title, "place": meeting.place.code, "kind": meeting.kind}
        meeting.title, meeting.kind, meeting.organisation = title.strip(), kind, organisation
        meeting.starts_at, meeting.ends_at, meeting.minutes = starts_at, ends_at, minutes
        meeting.place, meeting.area, meeting.working_group = place, place.admin1, working_group
        meeting.updated_by = actor_user(actor)
        meeting.save()
        meeting.organisations.set({organisation, *organisations})
        meeting.contacts.set(contacts)
        audit_record(
            actor=actor,
            action="meeting.update",
            obj=meeting,
            before=before,
            after={"title": meeting.title, "place": place.code, "kind": kind},
        )
    return meeting


def agenda_item_add(*, actor: Actor, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    """Append an item to the meeting's agenda."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting)
        if not title.strip():
            raise InvalidInput(_("Give the agenda item a title."), field="title")
        last = meeting.agenda.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=(last or 0) + 1,
            title=title.strip(),
            notes=notes,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor, action="agenda_item.create", obj=item, after={"meeting": meeting.reference}
        )
    return item


def agenda_item_move(*, actor: Actor, item: AgendaItem, position: int) -> AgendaItem:
    """Move an agenda item to ``position`` (1 = first); the others keep their order."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, item.meeting)
        items = list(meeting.agenda.order_by("position"))
        if not 1 <= position <= len(items):
            raise InvalidInput(field="position", value=position)
        before = item.position
        ordered = [i for i in items if i.pk != item.pk]
        ordered.insert(position - 1, item)
        offset = len(items) + 1  # clear the unique positions first
        AgendaItem.objects.filter(meeting=meeting).update(position=models.F("position") + offset)
        for number, entry in enumerate(ordered, start=1):
            AgendaItem.objects.filter(pk=entry.pk).update(position=number)
        item.refresh_from_db()
        audit_record(
            actor=actor,
            action="agenda_item.move",
            obj=item,
            before={"position": before},
            after={"position": item.position},
        )
    return item


def meeting_attachment_add(*, actor: Actor, meeting: Meeting, upload: Any) -> MeetingAttachment:
    """Keep a file of the meeting: PDF or image up to 10 MB, read from its bytes
    (:mod:`reliefops.coordination.attachments`), stored under a random name."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, meeting)
        content, content_type, stored = attachment_checked(upload)
        attachment = MeetingAttachment(
            meeting=meeting,
            name=attachment_label(getattr(upload, "name", "")),
            content_type=content_type,
            size=content.size,
            created_by=actor_user(actor),
        )
        attachment.file.save(stored, content, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            action="meeting.attachment_add",
            obj=meeting,
            after={"attachment": str(attachment.pk), "type": content_type, "size": content.size},
        )
    return attachment


# --------------------------------------------------------------------------- decisions


def decision_record(*, actor: Actor, agenda_item: AgendaItem, text: str) -> Decision:
    """Record what the meeting decided on ``agenda_item``; its reference is the meeting's
    with ``-D<n>`` (n counts the meeting's decisions)."""
    with transaction.atomic():
        meeting = _meeting_locked(actor, agenda_item.meeting)
        if not text.strip():
            raise InvalidInput(_("Write the decision."), field="text")
        count = Decision.objects.filter(agenda_item__meeting=meeting).count()
        decision = Decision.objects.create(
            reference=f"{meeting.reference}-D{count + 1}",
            agenda_item=agenda_item,
            text=text.strip(),
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="decision.create",
            obj=decision,
            after={"meeting": meeting.reference, "agenda_item": agenda_item.position},
        )
    return decision


def decision_request_create(
    *,
    actor: Actor,
    decision: Decision,
    organisation: Organisation,
    lines: Sequence[LineInput],
    needed_from: dt.date,
    needed_by: dt.date,
    requester_kind: str = "facility",
    facility: Any = None,
    place: Any = None,
    priority: str = "routine",
    justification: str = "",
    people_count: int | None = None,
    confirm_duplicate: bool = False,
    confirm_fuel: bool = False,
) -> Any:
    """Turn a decision into a needs request in one step, through the needs app's own
    ``request_submit`` (its permission, scope, duplicate and fuel checks and workflow
    apply); the request's source is the working-group decision, its decision field the
    decision's reference and text, and the decision is linked to the request."""
    text = " ".join(decision.text.split())
    data = RequestInput(
        requester_kind=requester_kind,
        organisation=organisation,
        lines=list(lines),
        needed_from=needed_from,
        needed_by=needed_by,
        facility=facility,
        place=place,
        priority=priority,
        justification=justification.strip() or decision.text,
        source=RequestSource.WORKING_GROUP,
        decision_reference=f"{decision.reference}: {text}"[:200],
        people_count=people_count,
    )
    with transaction.atomic():
        _meeting_locked(actor, decision.meeting)
        request = request_submit(
            actor=actor, data=data, confirm_duplicate=confirm_duplicate, confirm_fuel=confirm_fuel
        )
        decision.requests.add(request)
        audit_record(
            actor=actor,
            action="decision.request_create",
            obj=decision,
            after={"request": request.reference},
        )
    return request

"""Writes of the coordination domain."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models, transaction

from reliefops.coordination.choices import Sector
from reliefops.coordination.models import Presence
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor, actor_user, require_write

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea


def presence_create(
    *,
    actor: Actor,
    organisation: Organisation,
    area: AdminArea,
    sector: str,
    activity: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Presence:
    """Record that ``organisation`` works in ``sector`` in ``area`` (the 3W)."""
    require_write(actor, Action.PRESENCE_EDIT, area=area, organisation=organisation)
    if sector not in Sector.values:
        raise InvalidInput(field="sector", value=sector)
    if start_date and end_date and end_date < start_date:
        raise InvalidInput(field="end_date", value=str(end_date))
    with transaction.atomic():
        presence = Presence.objects.create(
            organisation=organisation,
            area=area,
            sector=sector,
            activity=activity,
            start_date=start_date,
            end_date=end_date,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="presence.create",
            obj=presence,
            after={"organisation": organisation.acronym, "area": area.code, "sector": sector},
        )
    return presence


# =========================================================================== meetings
# Working groups, contacts, meetings with their agenda, decisions and attachments, and
# action items. Every service checks ``require_write`` in the record's scope (a meeting's
# area and convening organisation; an action item's meeting area and owner organisation),
# writes in one transaction with one audit event, and returns what it wrote (so that the
# notifications can be wired to it).

import uuid  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from typing import Any  # noqa: E402

from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from reliefops.coordination.attachments import attachment_checked, attachment_label  # noqa: E402
from reliefops.coordination.choices import (  # noqa: E402
    ActionItemStatus,
    BodyKind,
    MeetingKind,
)
from reliefops.coordination.meeting_models import (  # noqa: E402
    CONTACT_DETAIL_FIELDS,
    ActionItem,
    AgendaItem,
    Contact,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
)
from reliefops.coordination.meeting_selectors import contact_may_see_details  # noqa: E402
from reliefops.core.errors import Conflict, Forbidden  # noqa: E402
from reliefops.core.permissions import UNSCOPED  # noqa: E402
from reliefops.core.workflow import Transition, Workflow  # noqa: E402
from reliefops.needs.choices import RequestSource  # noqa: E402
from reliefops.needs.services import LineInput, RequestInput, request_submit  # noqa: E402
from reliefops.people.choices import SpokenLanguage  # noqa: E402

A = ActionItemStatus


def _reference(prefix: str, day: dt.date) -> str:
    return f"{prefix}-{day:%Y%m%d}-{uuid.uuid4().hex[:5].upper()}"


def _names(objects: Any, attr: str) -> list[str]:
    return sorted(str(getattr(o, attr)) for o in objects)


# --------------------------------------------------------------------------- working groups


def _working_group_check(
    *, kind: str, sector: str, parent: WorkingGroup | None, group: WorkingGroup | None = None
) -> None:
    if kind not in BodyKind.values:
        raise InvalidInput(field="kind", value=kind)
    if sector and sector not in Sector.values:
        raise InvalidInput(field="sector", value=sector)
    if parent is not None:
        if parent.kind != BodyKind.HEADQUARTERS:
            raise InvalidInput(_("A group belongs to a coordination headquarters."), field="parent")
        if group is not None and parent.pk == group.pk:
            raise InvalidInput(_("A group cannot hold itself."), field="parent")
    if kind == BodyKind.HEADQUARTERS and parent is not None:
        raise InvalidInput(_("A headquarters belongs to no other body."), field="parent")


def working_group_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    lead_organisation: Organisation,
    kind: str = BodyKind.WORKING_GROUP,
    sector: str = "",
    parent: WorkingGroup | None = None,
    co_lead_organisation: Organisation | None = None,
    members: Sequence[Organisation] = (),
    areas: Sequence[AdminArea] = (),
) -> WorkingGroup:
    """A coordination body (``working_group.manage``; bodies are national reference data)."""
    require_write(actor, Action.WORKING_GROUP_MANAGE, area=UNSCOPED, organisation=UNSCOPED)
    code = code.strip().upper()
    if not code or not name.strip():
        raise InvalidInput(_("Give a code and a name."), field="code" if not code else "name")
    if WorkingGroup.objects.filter(code=code).exists():
        raise Conflict(_("A body with this code exists."), code="duplicate_code", field="code")
    _working_group_check(kind=kind, sector=sector, parent=parent)
    with transaction.atomic():
        group = WorkingGroup.objects.create(
            code=code,
            name=name.strip(),
            kind=kind,
            sector=sector,
            parent=parent,
            lead_organisation=lead_organisation,
            co_lead_organisation=co_lead_organisation,
            created_by=actor_user(actor),
        )
        group.members.set({*members, lead_organisation, *filter(None, [co_lead_organisation])})
        group.areas.set(areas)
        audit_record(
            actor=actor,
            action="working_group.create",
            obj=group,
            after={
                "kind": kind,
                "sector": sector,
                "lead": lead_organisation.acronym,
                "members": _names(group.members.all(), "acronym"),
                "areas": _names(areas, "code"),
            },
        )
    return group


def working_group_update(
    *,
    actor: Actor,
    group: WorkingGroup,
    name: str,
    lead_organisation: Organisation,
    kind: str,
    sector: str = "",
    parent: WorkingGroup | None = None,
    co_lead_organisation: Organisation | None = None,
    members: Sequence[Organisation] = (),
    areas: Sequence[AdminArea] = (),
    is_active: bool = True,
) -> WorkingGroup:
    require_write(actor, Action.WORKING_GROUP_MANAGE, area=UNSCOPED, organisation=UNSCOPED)
    _working_group_check(kind=kind, sector=sector, parent=parent, group=group)
    if kind == BodyKind.HEADQUARTERS and group.kind != kind and group.parent_id:
        raise InvalidInput(_("A headquarters belongs to no other body."), field="parent")
    with transaction.atomic():
        before = {"name": group.name, "kind": group.kind, "sector": group.sector}
        group.name, group.kind, group.sector = name.strip(), kind, sector
        group.parent, group.lead_organisation = parent, lead_organisation
        group.co_lead_organisation, group.is_active = co_lead_organisation, is_active
        group.updated_by = actor_user(actor)
        group.save()
        group.members.set({*members, lead_organisation, *filter(None, [co_lead_organisation])})
        group.areas.set(areas)
        audit_record(
            actor=actor,
            action="working_group.update",
            obj=group,
            before=before,
            after={"name": group.name, "kind": kind, "sector": sector, "active": is_active},
        )
    return group


# --------------------------------------------------------------------------- contacts


def _contact_scope_check(
    actor: Actor, organisation: Organisation, areas: Sequence[AdminArea]
) -> None:
    """``contact.manage`` for the organisation in every area named (none: national only)."""
    for area in areas or [None]:
        require_write(actor, Action.CONTACT_MANAGE, area=area, organisation=organisation)


def _contact_languages(languages: Sequence[str]) -> list[str]:
    unknown = [code for code in languages if code not in SpokenLanguage.values]
    if unknown:
        raise InvalidInput(field="languages", value=unknown[0])
    return list(dict.fromkeys(languages))


def contact_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    title: str = "",
    phone: str = "",
    email: str = "",
    languages: Sequence[str] = (),
    areas: Sequence[AdminArea] = (),
    working_groups: Sequence[WorkingGroup] = (),
) -> Contact:
    """A person in the directory; ``contact.manage`` for the organisation in each area
    (a contact without areas is a headquarters contact: national users record it)."""
    _contact_scope_check(actor, organisation, areas)
    if not name.strip():
        raise InvalidInput(_("Give the contact's name."), field="name")
    codes = _contact_languages(languages)
    with transaction.atomic():
        contact = Contact.objects.create(
            organisation=organisation,
            name=name.strip(),
            title=title.strip(),
            phone=phone.strip() or None,
            email=email.strip() or None,
            languages=codes,
            created_by=actor_user(actor),
        )
        contact.areas.set(areas)
        contact.working_groups.set(working_groups)
        audit_record(
            actor=actor,
            action="contact.create",
            obj=contact,
            after={
                "organisation": organisation.acronym,
                "areas": _names(areas, "code"),
                "details": [f for f in CONTACT_DETAIL_FIELDS if locals()[f].strip()],
            },
        )
    return contact


def contact_update(
    *,
    actor: Actor,
    contact: Contact,
    organisation: Organisation,
    name: str,
    title: str = "",
    phone: str | None = None,
    email: str | None = None,
    languages: Sequence[str] = (),
    areas: Sequence[AdminArea] = (),
    working_groups: Sequence[WorkingGroup] = (),
    is_active: bool = True,
) -> Contact:
    """Change a contact (allowed where it is and where it goes). ``phone``/``email``
    ``None`` keep the stored value (a form that never showed it cannot blank it)."""
    _contact_scope_check(actor, contact.organisation, list(contact.areas.all()))
    _contact_scope_check(actor, organisation, areas)
    if not name.strip():
        raise InvalidInput(_("Give the contact's name."), field="name")
    codes = _contact_languages(languages)
    changed = [f for f, v in (("phone", phone), ("email", email)) if v is not None]
    with transaction.atomic():
        before = {"organisation": contact.organisation.acronym, "name": contact.name}
        contact.organisation, contact.name, contact.title = organisation, name.strip(), title
        contact.languages, contact.is_active = codes, is_active
        if phone is not None:
            contact.phone = phone.strip() or None
        if email is not None:
            contact.email = email.strip() or None
        contact.updated_by = actor_user(actor)
        contact.save()
        contact.areas.set(areas)
        contact.working_groups.set(working_groups)
        audit_record(
            actor=actor,
            action="contact.update",
            obj=contact,
            before=before,
            after={
                "organisation": organisation.acronym,
                "name": contact.name,
                "areas": _names(areas, "code"),
                "details_changed": changed,
            },
        )
    return contact


def contact_details_reveal(*, actor: Actor, contact: Contact) -> dict[str, str]:
    """The phone and e-mail of ``contact`` for someone who may see them, audited (who,
    whose, which fields; never the values)."""
    if not contact_may_see_details(actor, contact):
        raise Forbidden(action=str(Action.CONTACT_DETAILS_VIEW))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="contact.view_details",
            obj=contact,
            after={"fields": list(CONTACT_DETAIL_FIELDS)},
        )
    fresh = Contact.objects.only(*CONTACT_DETAIL_FIELDS).get(pk=contact.pk)
    return {name: getattr(fresh, name) or "" for name in CONTACT_DETAIL_FIELDS}


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
    require_write(
        actor,
        Action.MEETING_RECORD,
        area=meeting.area,
        organisation=meeting.organisation,
        new_area=place.admin1,
        new_organisation=organisation,
    )
    with transaction.atomic():
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


def _meeting_write(actor: Actor, meeting: Meeting) -> None:
    require_write(
        actor, Action.MEETING_RECORD, area=meeting.area, organisation=meeting.organisation
    )


def agenda_item_add(*, actor: Actor, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    """Append an item to the meeting's agenda."""
    _meeting_write(actor, meeting)
    if not title.strip():
        raise InvalidInput(_("Give the agenda item a title."), field="title")
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
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
    meeting = item.meeting
    _meeting_write(actor, meeting)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
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
    _meeting_write(actor, meeting)
    content, content_type, stored = attachment_checked(upload)
    with transaction.atomic():
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
    meeting = agenda_item.meeting
    _meeting_write(actor, meeting)
    if not text.strip():
        raise InvalidInput(_("Write the decision."), field="text")
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
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
    _meeting_write(actor, decision.meeting)
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
    _meeting_write(actor, meeting)
    if not title.strip():
        raise InvalidInput(_("Say what is to be done."), field="title")
    if decision is not None and decision.agenda_item.meeting_id != meeting.pk:
        raise InvalidInput(_("The decision is of another meeting."), field="decision")
    if owner_contact is not None and owner_contact.organisation_id != owner_organisation.pk:
        raise InvalidInput(
            _("The owner contact works for another organisation."), field="owner_contact"
        )
    with transaction.atomic():
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
            ActionItem.objects.select_for_update()
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
    require_write(
        actor,
        Action.ACTION_ITEM_UPDATE,
        area=item.meeting.area,
        organisation=item.owner_organisation,
    )
    if not (requests or convoys or plan_runs or visits):
        raise InvalidInput(_("Choose what to link."), field="requests")
    with transaction.atomic():
        item.requests.add(*requests)
        item.convoys.add(*convoys)
        item.plan_runs.add(*plan_runs)
        item.visits.add(*visits)
        audit_record(
            actor=actor,
            action="action_item.link",
            obj=item,
            after={
                "requests": _names(requests, "reference"),
                "convoys": _names(convoys, "code"),
                "plan_runs": _names(plan_runs, "reference"),
                "visits": _names(visits, "pk"),
            },
        )
    return item

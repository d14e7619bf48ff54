"""Reads of coordination meetings, scoped by the caller's access (re-exported by
``coordination.selectors``, the app's public read interface).

* Working groups are reference data every signed-in user reads.
* Meetings, and their agenda, decisions, attachments and action items, are in the area
  of the meeting's place (a meeting at a place outside every area: national users only).
* Contacts are listed to those whose view covers one of the contact's areas, to their
  own organisation, and — for a headquarters contact without areas — to everyone; the
  phone and e-mail are never read here (``services.contact_details_reveal`` shows them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import ACTION_ITEM_CLOSED, ActionItemStatus
from reliefops.coordination.meeting_models import (
    ActionItem,
    AgendaItem,
    Contact,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
)
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import (
    Actor,
    allowed_area_ids,
    can_write,
    grants,
    scope_queryset,
    user_can,
    user_organisation_ids,
)
from reliefops.dayplans.selectors import plan_runs
from reliefops.logistics.selectors import convoy_list
from reliefops.needs.selectors import (
    lookup_facility,
    lookup_item,
    lookup_place,
    request_form_choices,
    request_list,
)
from reliefops.organisations.selectors import organisation_list
from reliefops.places.selectors import admin_area_list, place_resolve
from reliefops.teams.selectors import visit_scope

# --------------------------------------------------------------------------- working groups


def working_group_list(*, actor: Actor) -> QuerySet[WorkingGroup]:
    if not user_can(actor, Action.VIEW):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.select_related(
        "parent", "lead_organisation", "co_lead_organisation"
    ).prefetch_related("members", "areas")


def working_group_get(*, actor: Actor, code: str) -> WorkingGroup:
    group = working_group_list(actor=actor).filter(code=code).first()
    if group is None:
        raise NotFound(_("No such working group."), code_value=code)
    return group


def working_group_by_code(actor: Actor, code: str) -> WorkingGroup | None:
    return working_group_list(actor=actor).filter(code=code).first()


def headquarters_choices(*, actor: Actor) -> QuerySet[WorkingGroup]:
    """The bodies a group can belong to (a headquarters)."""
    return working_group_list(actor=actor).filter(kind="headquarters", is_active=True)


# --------------------------------------------------------------------------- contacts


def _contact_scope(actor: Actor, action: Action = Action.VIEW) -> Q | None:
    """The contacts ``actor`` may see for ``action`` (None: all; ``Q(pk__in=[])``: none)."""
    if not grants(actor) or not user_can(actor, action):
        return Q(pk__in=[])
    areas = allowed_area_ids(actor, action)
    if areas is None:
        return None
    condition: Any = ~Exists(Contact.areas.through.objects.filter(contact_id=OuterRef("pk")))
    condition |= Exists(
        Contact.areas.through.objects.filter(contact_id=OuterRef("pk"), adminarea_id__in=areas)
    )
    organisations = user_organisation_ids(actor, Action.VIEW)
    if organisations:
        condition |= Q(organisation_id__in=organisations)
    return condition


def contact_list(*, actor: Actor) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("organisation").prefetch_related("areas", "working_groups")
    scope = _contact_scope(actor)
    return qs if scope is None else qs.filter(scope)


def contact_get(*, actor: Actor, pk: Any) -> Contact:
    try:
        contact = contact_list(actor=actor).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID
        contact = None
    if contact is None:
        raise NotFound(_("No such contact."), id=str(pk))
    return contact


def contact_may_see_details(actor: Actor, contact: Contact) -> bool:
    """May ``actor`` see the phone and e-mail of ``contact`` (``contact.view_details`` in
    one of its areas; for a headquarters contact, anywhere)?"""
    areas = list(contact.areas.all())
    if not areas:
        return user_can(actor, Action.CONTACT_DETAILS_VIEW)
    return any(user_can(actor, Action.CONTACT_DETAILS_VIEW, area=area) for area in areas)


def contact_may_edit(actor: Actor, contact: Contact) -> bool:
    """May ``actor`` change ``contact`` (``contact.manage`` for its organisation in each of
    its areas; a headquarters contact, without areas: national users)? The check
    ``services.contact_update`` makes where the contact is now."""
    areas: list[Any] = list(contact.areas.all()) or [None]
    return all(
        can_write(actor, Action.CONTACT_MANAGE, area=area, organisation=contact.organisation)
        for area in areas
    )


def contact_choices(*, actor: Actor) -> QuerySet[Contact]:
    return contact_list(actor=actor).filter(is_active=True)


def contact_area_choices(*, actor: Actor) -> QuerySet[Any]:
    """The areas a contact may be recorded in by ``actor`` (``contact.manage``)."""
    qs = admin_area_list(actor=actor).filter(level__gte=1).order_by("code")
    scope = allowed_area_ids(actor, Action.CONTACT_MANAGE)
    return qs if scope is None else qs.filter(id__in=scope)


def meeting_organisation_choices(*, actor: Actor) -> QuerySet[Any]:
    """The organisations ``actor`` may convene a meeting for (``meeting.record``)."""
    qs = organisation_list(actor=actor)
    scope = user_organisation_ids(actor, Action.MEETING_RECORD)
    return qs if scope is None else qs.filter(id__in=scope)


def contact_organisation_choices(*, actor: Actor) -> QuerySet[Any]:
    """The organisations ``actor`` may record contacts of (``contact.manage``)."""
    qs = organisation_list(actor=actor)
    scope = user_organisation_ids(actor, Action.CONTACT_MANAGE)
    return qs if scope is None else qs.filter(id__in=scope)


def participant_organisation_choices(*, actor: Actor) -> QuerySet[Any]:
    return organisation_list(actor=actor)


def area_by_code(actor: Actor, code: str) -> Any:
    return admin_area_list(actor=actor).filter(code=code).first()


def organisation_by_acronym(actor: Actor, acronym: str) -> Any:
    return organisation_list(actor=actor).filter(acronym=acronym).first()


# --------------------------------------------------------------------------- meetings


def meeting_list(*, actor: Actor) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related(
        "working_group", "organisation", "place", "area"
    ).prefetch_related("organisations")
    return scope_queryset(actor, qs, area_field="area")


def meeting_get(*, actor: Actor, reference: str) -> Meeting:
    meeting = (
        meeting_list(actor=actor)
        .prefetch_related(
            "contacts__organisation",
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.order_by("position").prefetch_related("decisions"),
            ),
            "attachments",
        )
        .filter(reference=reference)
        .first()
    )
    if meeting is None:
        raise NotFound(_("No such meeting."), reference=reference)
    return meeting


def meeting_by_reference(actor: Actor, reference: str) -> Meeting | None:
    return meeting_list(actor=actor).filter(reference=reference).first()


def meeting_action_items(*, meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.action_items.select_related(
        "owner_organisation", "owner_contact", "decision"
    ).order_by("due_date", "reference")


def meeting_attachment_get(*, actor: Actor, reference: str, pk: Any) -> MeetingAttachment:
    meeting = meeting_get(actor=actor, reference=reference)
    try:
        attachment = meeting.attachments.filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        attachment = None
    if attachment is None:
        raise NotFound(_("No such attachment."), id=str(pk))
    return attachment


def agenda_item_get(*, actor: Actor, meeting: Meeting, position: int) -> AgendaItem:
    item = meeting.agenda.filter(position=position).first()
    if item is None:
        raise NotFound(_("No such agenda item."), position=position)
    return item


# --------------------------------------------------------------------------- decisions


def decision_list(*, actor: Actor) -> QuerySet[Decision]:
    qs = Decision.objects.select_related(
        "agenda_item__meeting__place", "agenda_item__meeting__working_group"
    ).prefetch_related("requests")
    return scope_queryset(actor, qs, area_field="agenda_item__meeting__area")


def decision_get(*, actor: Actor, reference: str) -> Decision:
    decision = decision_list(actor=actor).filter(reference=reference).first()
    if decision is None:
        raise NotFound(_("No such decision."), reference=reference)
    return decision


# --------------------------------------------------------------------------- action items


def action_item_overdue_q(on: dt.date | None = None) -> Q:
    """THE overdue rule: the due date has passed and the item is neither done nor dropped."""
    day = on or timezone.localdate()
    return Q(due_date__lt=day) & ~Q(status__in=ACTION_ITEM_CLOSED)


def action_item_is_overdue(item: ActionItem, on: dt.date | None = None) -> bool:
    """:func:`action_item_overdue_q` for one item in memory."""
    day = on or timezone.localdate()
    return item.due_date < day and item.status not in ACTION_ITEM_CLOSED


def action_item_list(*, actor: Actor) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.select_related(
        "meeting__place", "owner_organisation", "owner_contact", "decision"
    )
    return scope_queryset(actor, qs, area_field="meeting__area")


def action_item_overdue_list(*, actor: Actor, on: dt.date | None = None) -> Any:
    """The overdue action items ``actor`` sees (for the dashboard and reminders)."""
    return action_item_list(actor=actor).filter(action_item_overdue_q(on))


def action_item_get(*, actor: Actor, reference: str) -> ActionItem:
    item = (
        action_item_list(actor=actor)
        .prefetch_related("requests", "convoys", "plan_runs", "visits")
        .filter(reference=reference)
        .first()
    )
    if item is None:
        raise NotFound(_("No such action item."), reference=reference)
    return item


def action_item_open_count(*, actor: Actor) -> dict[str, int]:
    """Open, in progress and overdue counts of the action items ``actor`` sees."""
    qs = action_item_list(actor=actor)
    return {
        "open": qs.filter(status=ActionItemStatus.OPEN).count(),
        "in_progress": qs.filter(status=ActionItemStatus.IN_PROGRESS).count(),
        "overdue": qs.filter(action_item_overdue_q()).count(),
    }


# --------------------------------------------------------------------------- lookups
# What the API's fields and the forms name by code: reference data of lower apps, read
# through their selectors (the services check the scope of every write).


def place_by_code(actor: Actor, code: str) -> Any:
    return lookup_place(code)


def place_from_text(text: str) -> Any:
    """The gazetteer place meant by a P-code or any spelling (the shared resolver; an
    unknown or ambiguous name is its ``InvalidInput``)."""
    return place_resolve(text)


def facility_by_code(actor: Actor, code: str) -> Any:
    return lookup_facility(code)


def item_by_code(actor: Actor, code: str) -> Any:
    return lookup_item(code)


def contact_by_id(actor: Actor, value: str) -> Contact | None:
    try:
        return contact_list(actor=actor).filter(pk=value).first()
    except (ValueError, TypeError, ValidationError):  # a malformed UUID
        return None


def linkable_request(actor: Actor, reference: str) -> Any:
    return request_list(actor=actor).filter(reference=reference).first()


def linkable_convoy(actor: Actor, code: str) -> Any:
    return convoy_list(actor=actor).filter(code=code).first()


def linkable_plan_run(actor: Actor, reference: str) -> Any:
    return plan_runs(actor).filter(reference=reference).first()


def linkable_visit(actor: Actor, pk: str) -> Any:
    try:
        return visit_scope(actor).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID
        return None


#: What an action item links, by the name of its relation: (lookup of what ``actor`` may
#: link, the field naming a linked object).
LINK_KINDS: dict[str, tuple[Any, str]] = {
    "requests": (linkable_request, "reference"),
    "convoys": (linkable_convoy, "code"),
    "plan_runs": (linkable_plan_run, "reference"),
    "visits": (linkable_visit, "pk"),
}


def action_item_link_target(actor: Actor, kind: str, reference: str) -> Any:
    """The request, convoy, day plan or visit (by ``kind``) ``actor`` may link, or None."""
    if kind not in LINK_KINDS or not reference or "\x00" in reference:
        return None
    return LINK_KINDS[kind][0](actor, reference)


def action_item_linked(item: ActionItem, kind: str, reference: str) -> Any:
    """What ``item`` links of ``kind`` under ``reference`` (for an unlink), or None."""
    if kind not in LINK_KINDS or not reference or "\x00" in reference:
        return None
    field = LINK_KINDS[kind][1]
    try:
        return getattr(item, kind).filter(**{field: reference}).first()
    except (ValueError, TypeError, ValidationError):  # a visit's id that is not a UUID
        return None


def action_item_links(*, actor: Actor, item: ActionItem) -> dict[str, list[Any]]:
    """What ``item`` links, by kind; of the visits only those ``actor`` may see (a visit
    is about a person), the others counted under ``hidden_visits``."""
    visits = list(item.visits.all())
    seen = set(
        visit_scope(actor).filter(pk__in=[v.pk for v in visits]).values_list("pk", flat=True)
    )
    return {
        "requests": list(item.requests.all()),
        "convoys": list(item.convoys.all()),
        "plan_runs": list(item.plan_runs.all()),
        "visits": [v for v in visits if v.pk in seen],
        "hidden_visits": [v for v in visits if v.pk not in seen],
    }


def request_form_facilities(*, actor: Actor) -> Any:
    return request_form_choices(actor=actor)

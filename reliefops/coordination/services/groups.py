"""Writes of coordination bodies and the contacts directory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import BodyKind, Sector
from reliefops.coordination.meeting_models import (
    CONTACT_DETAIL_FIELDS,
    Contact,
    WorkingGroup,
)
from reliefops.coordination.meeting_selectors import contact_may_see_details
from reliefops.coordination.services._common import _names
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require, require_write
from reliefops.people.choices import SpokenLanguage

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea

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
    scopes: list[Any] = list(areas) or [None]
    for area in scopes:
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
                "details": [f for f, v in (("phone", phone), ("email", email)) if v.strip()],
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
        areas = list(contact.areas.all())
        require(actor, Action.CONTACT_DETAILS_VIEW, area=areas[0] if areas else UNSCOPED)
        raise Forbidden()  # allowed in none of the contact's areas
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="contact.view_details",
            obj=contact,
            after={"fields": list(CONTACT_DETAIL_FIELDS)},
        )
    fresh = Contact.objects.only(*CONTACT_DETAIL_FIELDS).get(pk=contact.pk)
    return {name: getattr(fresh, name) or "" for name in CONTACT_DETAIL_FIELDS}

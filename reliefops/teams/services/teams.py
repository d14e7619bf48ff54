"""Writes of the teams themselves: a team, its members, shifts and unavailability.

Every write checks ``team.edit`` in the team's home area for its lead organisation. A
member is described by skills (:class:`~reliefops.teams.choices.Skill`) and the languages
they speak (:class:`~reliefops.people.choices.SpokenLanguage`): that is how a joint team
is described; nothing about origin exists. Members' names are staff names (not the
registry's people) but the audit entry still names a member by id only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNCHANGED, Actor, actor_user, require_write
from reliefops.people.choices import SpokenLanguage
from reliefops.teams.choices import Skill, TeamKind, UnavailableReason
from reliefops.teams.models import Shift, Team, TeamMember, Unavailability

#: What team_create / team_update may set (besides the two many-to-many lists).
TEAM_FIELDS = ("name", "kind", "organisation", "base", "area", "vehicle", "is_active")


def _coded(values: Iterable[str], known: Iterable[str], field: str) -> list[str]:
    allowed = {str(v) for v in known}
    result = sorted({str(v) for v in values})
    unknown = [v for v in result if v not in allowed]
    if unknown:
        raise InvalidInput(
            _("Unknown values: %(values)s.") % {"values": ", ".join(unknown)}, field=field
        )
    return result


def team_edit_check(actor: Actor, team: Team) -> None:
    """The scope of every team write: ``team.edit`` in its home area, lead organisation."""
    require_write(actor, Action.TEAM_EDIT, area=team.area, organisation=team.organisation)


def team_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    organisation: Any,
    area: Any,
    partner_organisations: Sequence[Any] = (),
    service_areas: Sequence[Any] = (),
    base: Any = None,
    vehicle: Any = None,
) -> Team:
    code = (code or "").strip().upper()
    if not code:
        raise InvalidInput(_("A team needs a code."), field="code")
    if kind not in TeamKind.values:
        raise InvalidInput(_("Unknown team kind."), field="kind")
    require_write(actor, Action.TEAM_EDIT, area=area, organisation=organisation)
    if Team.objects.filter(code=code).exists():
        raise InvalidInput(_("A team with this code exists."), field="code")
    with transaction.atomic():
        team = Team.objects.create(
            code=code,
            name=(name or code).strip(),
            kind=kind,
            organisation=organisation,
            area=area,
            base=base,
            vehicle=vehicle,
            created_by=actor_user(actor),
            updated_by=actor_user(actor),
        )
        team.partner_organisations.set([o for o in partner_organisations if o != organisation])
        team.service_areas.set(list(service_areas))
        audit_record(
            actor=actor,
            action="team.create",
            obj=team,
            after={
                "code": code,
                "kind": kind,
                "organisation": organisation.acronym,
                "area": area.code,
                "partners": sorted(o.acronym for o in partner_organisations),
                "vehicle": vehicle.registration if vehicle is not None else None,
            },
        )
    return team


def team_update(
    *,
    actor: Actor,
    team: Team,
    partner_organisations: Sequence[Any] | None = None,
    service_areas: Sequence[Any] | None = None,
    **changes: Any,
) -> Team:
    unknown = set(changes) - set(TEAM_FIELDS)
    if unknown:
        raise InvalidInput(fields={n: [_("Not a field of a team.")] for n in unknown})
    if "kind" in changes and changes["kind"] not in TeamKind.values:
        raise InvalidInput(_("Unknown team kind."), field="kind")
    require_write(
        actor,
        Action.TEAM_EDIT,
        area=team.area,
        organisation=team.organisation,
        new_area=changes.get("area", UNCHANGED),
        new_organisation=changes.get("organisation", UNCHANGED),
    )
    with transaction.atomic():
        before = {n: str(getattr(team, n)) for n in changes}
        for name, value in changes.items():
            setattr(team, name, value)
        team.updated_by = actor_user(actor)
        team.save()
        if partner_organisations is not None:
            team.partner_organisations.set(
                [o for o in partner_organisations if o != team.organisation]
            )
        if service_areas is not None:
            team.service_areas.set(list(service_areas))
        audit_record(
            actor=actor,
            action="team.update",
            obj=team,
            before=before,
            after={n: str(getattr(team, n)) for n in changes},
        )
    return team


def _member_organisation(team: Team, organisation: Any) -> None:
    allowed = {team.organisation_id, *team.partner_organisations.values_list("pk", flat=True)}
    if organisation.pk not in allowed:
        raise InvalidInput(
            _("The member's organisation is not one of the team's organisations."),
            field="organisation",
        )


def member_add(
    *,
    actor: Actor,
    team: Team,
    name: str,
    organisation: Any,
    skills: Iterable[str] = (),
    languages: Iterable[str] = (),
    is_lead: bool = False,
    user: Any = None,
) -> TeamMember:
    team_edit_check(actor, team)
    if not (name or "").strip():
        raise InvalidInput(_("A member needs a name."), field="name")
    _member_organisation(team, organisation)
    with transaction.atomic():
        member = TeamMember.objects.create(
            team=team,
            name=name.strip(),
            organisation=organisation,
            skills=_coded(skills, Skill.values, "skills"),
            languages=_coded(languages, SpokenLanguage.values, "languages"),
            is_lead=is_lead,
            user=user,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="team.member_add",
            obj=team,
            after={
                "member": str(member.pk),
                "organisation": organisation.acronym,
                "skills": member.skills,
                "languages": member.languages,
            },
        )
    return member


MEMBER_FIELDS = ("name", "organisation", "skills", "languages", "is_lead", "user", "is_active")


def member_update(*, actor: Actor, member: TeamMember, **changes: Any) -> TeamMember:
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise InvalidInput(fields={n: [_("Not a field of a team member.")] for n in unknown})
    team = member.team
    team_edit_check(actor, team)
    if "organisation" in changes:
        _member_organisation(team, changes["organisation"])
    if "skills" in changes:
        changes["skills"] = _coded(changes["skills"], Skill.values, "skills")
    if "languages" in changes:
        changes["languages"] = _coded(changes["languages"], SpokenLanguage.values, "languages")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(member, name, value)
        member.updated_by = actor_user(actor)
        member.save()
        audit_record(
            actor=actor,
            action="team.member_update",
            obj=team,
            after={"member": str(member.pk), "fields": sorted(changes)},
        )
    return member


def member_remove(*, actor: Actor, member: TeamMember) -> None:
    team = member.team
    team_edit_check(actor, team)
    with transaction.atomic():
        pk = member.pk
        member.delete()
        audit_record(actor=actor, action="team.member_remove", obj=team, before={"member": str(pk)})


def shift_set(
    *, actor: Actor, team: Team, shifts: Sequence[tuple[int, dt.time, dt.time]]
) -> list[Shift]:
    """Replace the team's weekly shifts with ``shifts`` (weekday 0 = Monday, start, end)."""
    team_edit_check(actor, team)
    for weekday, starts, ends in shifts:
        if not 0 <= int(weekday) <= 6:
            raise InvalidInput(_("A weekday is 0 (Monday) to 6 (Sunday)."), field="shifts")
        if ends <= starts:
            raise InvalidInput(_("A shift ends after it starts."), field="shifts")
    with transaction.atomic():
        team.shifts.all().delete()
        rows = [
            Shift.objects.create(team=team, weekday=int(w), starts=s, ends=e) for w, s, e in shifts
        ]
        audit_record(
            actor=actor,
            action="team.shift_set",
            obj=team,
            after={"shifts": [f"{w} {s:%H:%M}-{e:%H:%M}" for w, s, e in shifts]},
        )
    return rows


def unavailability_add(
    *, actor: Actor, team: Team, starts_on: dt.date, ends_on: dt.date, reason: str
) -> Unavailability:
    team_edit_check(actor, team)
    if ends_on < starts_on:
        raise InvalidInput(_("The spell ends before it starts."), field="ends_on")
    if reason not in UnavailableReason.values:
        raise InvalidInput(_("Unknown reason."), field="reason")
    with transaction.atomic():
        spell = Unavailability.objects.create(
            team=team,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="team.unavailability_add",
            obj=team,
            after={"from": starts_on, "until": ends_on, "reason": reason},
        )
    return spell


def unavailability_remove(*, actor: Actor, spell: Unavailability) -> None:
    team = spell.team
    team_edit_check(actor, team)
    with transaction.atomic():
        before = {"from": spell.starts_on, "until": spell.ends_on, "reason": spell.reason}
        spell.delete()
        audit_record(actor=actor, action="team.unavailability_remove", obj=team, before=before)

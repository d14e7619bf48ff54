"""Reads of the teams: scoped by the team's home area (any role that may view the area)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, scope_queryset, user_can
from reliefops.logistics.selectors import lookup_vehicle, vehicle_list
from reliefops.organisations.selectors import organisation_list
from reliefops.people.choices import SpokenLanguage
from reliefops.places.selectors import admin_area_list, facility_list
from reliefops.teams.choices import RoundStatus, Skill
from reliefops.teams.models import Round, Team, TeamMember

LANGUAGE_LABELS = dict(SpokenLanguage.choices)
SKILL_LABELS = dict(Skill.choices)


def language_choices() -> list[tuple[str, Any]]:
    return list(SpokenLanguage.choices)


def skill_choices() -> list[tuple[str, Any]]:
    return list(Skill.choices)


def team_scope(actor: Actor | None, action: Action = Action.VIEW) -> QuerySet[Team]:
    return scope_queryset(
        actor,
        Team.objects.select_related("organisation", "base", "area", "vehicle"),
        area_field="area",
        action=action,
    )


def team_list(*, actor: Actor | None) -> QuerySet[Team]:
    """The teams the actor sees, with members, organisations and counts prefetched."""
    return (
        team_scope(actor)
        .prefetch_related(
            "partner_organisations",
            "service_areas",
            Prefetch("members", queryset=TeamMember.objects.filter(is_active=True)),
        )
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("code")
    )


def team_get(*, actor: Actor | None, code: str) -> Team:
    team = team_list(actor=actor).filter(code=code).first()
    if team is None:
        raise NotFound(_("No such team."), code=code)
    return team


@dataclass
class TeamFacts:
    """What a team's row or page says about it: organisations, skills, languages."""

    team: Team
    organisations: list[Any]
    skills: list[tuple[str, Any]]
    languages: list[tuple[str, Any]]


def team_facts(team: Team) -> TeamFacts:
    members = list(team.members.all())
    skills = sorted({s for m in members for s in m.skills})
    languages = sorted({code for m in members for code in m.languages})
    return TeamFacts(
        team=team,
        organisations=[team.organisation, *team.partner_organisations.all()],
        skills=[(s, SKILL_LABELS.get(s, s)) for s in skills],
        languages=[(c, LANGUAGE_LABELS.get(c, c)) for c in languages],
    )


def team_upcoming_rounds(*, actor: Actor | None, team: Team, on: dt.date) -> list[Round]:
    from reliefops.teams.selectors.rounds import round_scope

    return list(
        round_scope(actor)
        .filter(team=team, date__gte=on)
        .exclude(status=RoundStatus.CANCELLED)
        .order_by("date")[:10]
    )


def team_served_area_ids(team: Team) -> set[Any]:
    return {team.area_id, *team.service_areas.values_list("pk", flat=True)}


@dataclass
class TeamChoices:
    organisations: Any
    areas: Any
    bases: Any
    vehicles: Any


def team_form_choices(*, actor: Actor) -> TeamChoices:
    """What a team form offers: organisations, areas in scope, bases, vehicles."""
    return TeamChoices(
        organisations=organisation_list(actor=actor),
        areas=admin_area_list(actor=actor, in_scope=True),
        bases=facility_list(actor=actor),
        vehicles=vehicle_list(actor=actor),
    )


def vehicle_by_registration(registration: str) -> Any:
    return lookup_vehicle(registration)


def can_edit_teams(actor: Actor | None) -> bool:
    return user_can(actor, Action.TEAM_EDIT)


def team_organisation_choices(*, actor: Actor, team: Team) -> QuerySet[Any]:
    """The organisations a member of ``team`` may act for (lead and partners)."""
    ids = [team.organisation_id, *team.partner_organisations.values_list("pk", flat=True)]
    return organisation_list(actor=actor).filter(pk__in=ids)


@dataclass
class MemberRow:
    member: TeamMember
    skills: list[Any]
    languages: list[tuple[str, Any]]


def team_member_rows(team: Team) -> list[MemberRow]:
    """The team's members with their skills and languages as labels."""
    return [
        MemberRow(
            member=m,
            skills=[SKILL_LABELS.get(s, s) for s in m.skills],
            languages=[(c, LANGUAGE_LABELS.get(c, c)) for c in m.languages],
        )
        for m in team.members.select_related("organisation", "user")
    ]


# --- added for dayplans


@dataclass
class PlanningTeam:
    """A team as the planning input sees it on one day."""

    team: Team
    shifts: list[tuple[dt.time, dt.time]]  # that weekday's shifts (empty: none that day)
    has_shifts: bool  # any shift at all in the week
    unavailable: bool
    skills: list[str]
    languages: list[str]
    area_ids: set[Any]


def planning_teams(*, actor: Actor | None, day: dt.date) -> list[PlanningTeam]:
    """Active teams the actor sees, with that day's shifts, whether they are unavailable,
    and the union of their active members' skills and languages (sorted), by code."""
    teams = (
        team_scope(actor)
        .filter(is_active=True)
        .select_related("base__place")
        .prefetch_related(
            "shifts",
            "service_areas",
            Prefetch("members", queryset=TeamMember.objects.filter(is_active=True)),
        )
        .order_by("code")
    )
    out = []
    for team in teams:
        shifts = list(team.shifts.all())
        out.append(
            PlanningTeam(
                team=team,
                shifts=sorted((s.starts, s.ends) for s in shifts if s.weekday == day.weekday()),
                has_shifts=bool(shifts),
                unavailable=team.unavailability.filter(
                    starts_on__lte=day, ends_on__gte=day
                ).exists(),
                skills=sorted({s for m in team.members.all() for s in (m.skills or [])}),
                languages=sorted({x for m in team.members.all() for x in (m.languages or [])}),
                area_ids={team.area_id, *(a.pk for a in team.service_areas.all())},
            )
        )
    return out


def visits_made_on(*, day: dt.date, person_ids: Any = None) -> dict[Any, dt.datetime]:
    """Person pk → time of their successful visit on ``day`` (the installation's days)."""
    from django.utils import timezone

    from reliefops.teams.choices import VisitOutcome
    from reliefops.teams.models import Visit

    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    qs = Visit.objects.filter(
        outcome=VisitOutcome.VISITED,
        visited_at__gte=start,
        visited_at__lt=start + dt.timedelta(days=1),
    )
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    return dict(qs.order_by("visited_at").values_list("person_id", "visited_at"))

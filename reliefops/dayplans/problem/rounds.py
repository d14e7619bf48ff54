"""Teams and visits of a day's problem (see :mod:`.build` for what goes in)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from reliefops.core.permissions import Actor
from reliefops.dayplans.problem.hours import DAY_MIN, WORK_CLOSE_MIN, WORK_OPEN_MIN
from reliefops.people.selectors import person_scope
from reliefops.planning import Priority, Team, Visit
from reliefops.teams.selectors import people_due, planning_teams, visits_made_on

if TYPE_CHECKING:
    from reliefops.dayplans.problem.build import _Build

TEAM_SHIFT_START_MIN = 8 * 60.0
TEAM_SHIFT_MIN = 8 * 60.0
VISIT_SERVICE_MIN = 30.0
SURGERY = {"needs_surgery"}
NURSING = {
    "diabetes",
    "hypertension",
    "cardiac",
    "renal",
    "cancer",
    "respiratory",
    "mental_health",
    "chronic_medication",
    "pregnant_lactating",
}


def _minutes(t: dt.time) -> float:
    return t.hour * 60.0 + t.minute + t.second / 60.0


def teams_add(b: _Build, actor: Actor, area: Any) -> tuple[set[Any], dict[str, int]]:
    """Teams of the day; returns the team vehicles and how many teams speak each language."""
    vehicles: set[Any] = set()
    speakers: dict[str, int] = {}
    for pt in planning_teams(actor=actor, day=b.day):
        team = pt.team
        if team.vehicle_id:
            vehicles.add(team.vehicle_id)
        if area is not None and area.pk not in pt.area_ids:
            continue
        if pt.unavailable:
            b.notes.append(f"Team {team.code} is unavailable on {b.day}: left out.")
            continue
        if pt.shifts:
            start = min(_minutes(s) for s, _e in pt.shifts)
            end = max(_minutes(e) for _s, e in pt.shifts)
        elif pt.has_shifts:
            b.notes.append(f"Team {team.code} has no shift on {b.day:%A}: left out.")
            continue
        else:
            start, end = TEAM_SHIFT_START_MIN, TEAM_SHIFT_START_MIN + TEAM_SHIFT_MIN
            b.notes.append(f"Team {team.code} has no shifts recorded: 08:00-16:00 assumed.")
        if end <= start:
            end = DAY_MIN
        if team.base is None:
            b.notes.append(f"Team {team.code} has no base facility: left out.")
            continue
        base = b.facility_site(team.base)
        b.teams.append(
            Team(
                team.code,
                base,
                frozenset(pt.skills),
                frozenset(pt.languages),
                shift_start_min=start,
                shift_min=end - start,
            )
        )
        for lang in pt.languages:
            speakers[lang] = speakers.get(lang, 0) + 1
        b.index["teams"][team.code] = {
            "team": team.code,
            "name": team.name,
            "languages": pt.languages,
            "skills": pt.skills,
        }
    return vehicles, speakers


def _visit_skill(vulnerabilities: list[str]) -> str | None:
    found = set(vulnerabilities or [])
    if found & SURGERY:
        return "doctor"
    if found & NURSING:
        return "nurse"
    return None


def _visit_priority(days_overdue: int, interval_days: int) -> Priority:
    if days_overdue >= max(interval_days, 1):
        return Priority.LIFE_SAVING
    if days_overdue > 0:
        return Priority.URGENT
    return Priority.ROUTINE


def visits_add(b: _Build, actor: Actor, area: Any, speakers: dict[str, int]) -> list[str]:
    rows = people_due(actor, on=b.day, area=area)
    made = visits_made_on(day=b.day)
    made_refs = sorted(
        person_scope(actor).filter(pk__in=list(made)).values_list("reference", flat=True)
    )
    for row in sorted(rows, key=lambda r: r.person.reference):
        person = row.person
        if person.pk in made:
            continue
        if person.place is None:
            b.notes.append(f"Person {person.reference} has no place recorded: no visit planned.")
            continue
        site = b.place_site(person.place)
        langs = list(person.languages or [])
        language = (
            sorted(langs, key=lambda x: (-speakers.get(x, 0), langs.index(x)))[0] if langs else None
        )
        priority = _visit_priority(row.days_overdue, row.interval_days)
        b.visits.append(
            Visit(
                person.reference,
                site,
                VISIT_SERVICE_MIN,
                priority,
                _visit_skill(person.vulnerabilities),
                language,
                WORK_OPEN_MIN,
                WORK_CLOSE_MIN,
            )
        )
        b.index["visits"][person.reference] = {
            "person": person.reference,
            "site": site,
            "rule": row.rule_codes[0] if row.rule_codes else None,
            "priority": str(priority),
            "last_visit": row.last_visit.isoformat() if row.last_visit else None,
        }
    return made_refs

"""The teams part of the write-scope world (tests/core/writescope): per area key and
organisation a team (home area: the area, or the country for OUT) with a round in each
status a step starts from; per area key people with consent (one on the rounds, one
spare), a visit to correct, and a coverage rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.people.models import Consent, Person
from reliefops.teams.models import (
    CoverageRule,
    Round,
    RoundStop,
    Team,
    TeamMember,
    Unavailability,
    Visit,
)

ROUND_STATUSES = ["draft", "planned", "in_progress"]


def teams_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS, ORGS

    world.team, world.round, world.team_person, world.spare_person = {}, {}, {}, {}
    world.member, world.spell, world.visit = {}, {}, {}
    today = timezone.localdate()
    for key in KEYS:
        place = world.place[key]
        for tag, table in (("1", world.team_person), ("2", world.spare_person)):
            person = Person.objects.create(
                reference=f"P-WS-{key}-{tag}",
                place=place,
                area=place.admin1,
                lives_alone=True,
                year_of_birth=1940,
                organisation=world.org["OWN"],
                registered_on=dt.date(2023, 9, 1),
                synthetic=True,
            )
            Consent.objects.create(person=person, purpose="visits", given=True, given_on=today)
            table[key] = person
        for org in ORGS:
            team = Team.objects.create(
                code=f"T-{key}-{org}",
                name=f"Team {key} {org}",
                kind="mobile_medical",
                organisation=world.org[org],
                area=world.area(key) or world.areas["AZ"],
            )
            world.team[(key, org)] = team
            world.member[(key, org)] = TeamMember.objects.create(
                team=team, name="Member", organisation=world.org[org], languages=["az"]
            )
            world.spell[(key, org)] = Unavailability.objects.create(
                team=team, starts_on=today, ends_on=today, reason="leave"
            )
            for status in ROUND_STATUSES:
                rnd = Round.objects.create(
                    reference=f"RD-{key}-{org}-{status}",
                    team=team,
                    date=today,
                    area=team.area,
                    status=status,
                )
                RoundStop.objects.create(
                    round=rnd, sequence=1, person=world.team_person[key], place=place
                )
                if status == "draft":  # two stops to reorder
                    RoundStop.objects.create(
                        round=rnd, sequence=2, person=world.spare_person[key], place=place
                    )
                world.round[(key, org, status)] = rnd
            world.visit[(key, org)] = Visit.objects.create(
                person=world.team_person[key],
                team=team,
                place=place,
                area=place.admin1,
                visited_at=timezone.now() - dt.timedelta(days=3),
            )
    world.rule = CoverageRule.objects.create(
        code="WS-RULE", name="World rule", lives_alone=True, interval_days=7
    )

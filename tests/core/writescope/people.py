"""People of the write-scope world (added for pcore): per area and organisation, a person
with every consent, a second one at the same place (to merge with or dismiss), and a
third already merged into the first (to undo). Built with the ORM: the write paths under
test are the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reliefops.people.models import Person, PersonMerge
from tests.people.factories import consent_all


def people_build(world: Any) -> None:
    from tests.core.writescope.world import KEYS, ORGS

    world.person = {}
    world.person_twin = {}
    world.merge = {}
    for key in KEYS:
        place = world.place[key]
        for org in ORGS:
            made = []
            for role in ("main", "twin", "merged"):
                person = Person.objects.create(
                    reference=f"P-{key}-{org}-{role}"[:16],
                    full_name=f"World {role} {key} {org}",
                    year_of_birth=1950,
                    age_band="70_plus",
                    sex="female",
                    place=place,
                    area=place.admin1,
                    organisation=world.org[org],
                    registered_on=dt.date(2023, 9, 1),
                    synthetic=True,
                )
                consent_all(person)
                made.append(person)
            main, twin, merged = made
            merged.status = "merged"
            merged.merged_into = main
            merged.save()
            world.person[(key, org)] = main
            world.person_twin[(key, org)] = twin
            world.merge[(key, org)] = PersonMerge.objects.create(
                survivor=main, duplicate=merged, evidence={"duplicate_status": "active"}
            )

"""Write paths of referrals and the hospital reports for the write-scope property test.

The world gets, per area, a field hospital, a person (with consent) and referrals in the
statuses the steps start from (:func:`hospital_world`, built once with the world as the
admin through the real services).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.teams import services
from tests.core.writescope import not_a_write

R = "reliefops.teams.services.referrals"
H = "reliefops.teams.services.hospital"
not_a_write(f"{R}.referral_steps_allowed", "read (buttons)")
not_a_write(f"{R}.facility_area", "read: the area of a facility")
not_a_write(f"{H}.cell_key", "the name of a caseload cell")
not_a_write(f"{H}.caseload_cells", "the cells of the caseload grid")
for _name in (
    "teams:hospital_list",
    "teams:referral_list",
    "teams:referral_detail",  # its forms post to teams:referral_step
):
    not_a_write(_name, "read-only page")

#: Step → the status of the world's referral it is tried on.
SOURCE = {
    "admit": "referred",
    "treat": "admitted",
    "discharge": "treated",
    "transfer": "admitted",
    "cancel": "referred",
}
STATUSES = ("referred", "admitted", "treated")


def hospital_world(world: Any) -> None:
    """Hospitals, people and referrals per area key (once per world)."""
    if hasattr(world, "hospital"):
        return
    from reliefops.places.models import Facility
    from tests.core.writescope.world import KEYS
    from tests.people.factories import PersonFactory, consent_all

    world.hospital, world.person, world.referral = {}, {}, {}
    for key in KEYS:
        place = world.place[key]
        world.hospital[key] = Facility.objects.create(
            code=f"FH-{key}",
            kind="field_hospital",
            place=place,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        person = PersonFactory(
            place=place, area=place.admin1, organisation=world.org["OWN"], reference=f"P-W{key}"
        )
        consent_all(person)
        world.person[key] = person
        for status in STATUSES:
            referral = services.referral_create(
                actor=world.admin,
                person=person,
                facility=world.hospital[key],
                reason="surgery",
                urgency="urgent",
                transport="ambulance",
                referred_at=timezone.now() - dt.timedelta(hours=5),
            )
            for step in {"referred": [], "admitted": ["admit"], "treated": ["admit", "treat"]}[
                status
            ]:
                services.referral_transition(actor=world.admin, referral=referral, step=step)
            world.referral[(key, status)] = referral

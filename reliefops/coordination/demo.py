"""Demo scenario data of the coordination domain: 3W presence (idempotent)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from reliefops.coordination.models import Presence
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea

PRESENCE = [
    ("MES", "AZ-XA", "food", "Bread and food parcels"),
    ("MES", "AZ-AGM", "logistics", "Convoys via the Aghdam–Asgaran–Khankendi road"),
    ("RCS", "AZ-XA", "health", "First aid posts"),
    ("HEALTH", "AZ-XCI", "health", "Field hospital staffing"),
    ("UTIL", "AZ-XA", "energy", "Heating fuel for schools and kindergartens"),
    ("FIRE", "AZ-XA", "coordination", "Fire services fuel needs"),
    ("CARE", "AZ-LAC", "protection", "Mobile teams for people living alone"),
    ("UNHA", "AZ-BAR", "logistics", "Warehouse in Barda"),
]


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    areas = {a.code: a for a in AdminArea.objects.all()}
    for org, area, sector, activity in PRESENCE:
        Presence.objects.get_or_create(
            organisation=orgs[org], area=areas[area], sector=sector, defaults={"activity": activity}
        )
    stdout.write(f"  3W presence: {len(PRESENCE)}\n")

"""Demo scenario data of the coordination domain: the 4W activities of the demo
organisations (idempotent: keyed by their 4W IDs; dates move with the scenario's calendar,
``core.demo.scenario_date``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.db import transaction

from reliefops.coordination.choices import ActivityStatus
from reliefops.coordination.models import Activity
from reliefops.core.demo import scenario_date
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea

D = dt.date
S = ActivityStatus

# --- added for fourw
#: (4W ID, organisation, implementing partner, sector, activity, code, area, start, end,
#:  status, planned F/M × children/adults/older, reached F/M × children/adults/older)
ACTIVITIES: list[tuple[Any, ...]] = [
    (
        "4W-00001",
        "MES",
        "",
        "food",
        "Bread and food parcels",
        "FSC-1.1",
        "AZ-XA",
        D(2023, 9, 25),
        D(2023, 12, 31),
        S.ONGOING,
        (3200, 4100, 1500, 3100, 3600, 1100),
        (1900, 2600, 900, 1800, 2300, 700),
    ),
    (
        "4W-00002",
        "MES",
        "",
        "logistics",
        "Convoys via the Aghdam–Asgaran–Khankendi road",
        "LOG-2",
        "AZ-AGM",
        D(2023, 9, 24),
        None,
        S.ONGOING,
        None,
        None,
    ),
    (
        "4W-00003",
        "RCS",
        "",
        "health",
        "First aid posts",
        "HLT-1.3",
        "AZ-XA",
        D(2023, 9, 25),
        D(2023, 11, 30),
        S.ONGOING,
        (400, 900, 600, 380, 820, 450),
        (310, 640, 520, 290, 610, 380),
    ),
    (
        "4W-00004",
        "HEALTH",
        "RCS",
        "health",
        "Field hospital staffing",
        "HLT-2.1",
        "AZ-XCI",
        D(2023, 9, 27),
        D(2023, 12, 31),
        S.ONGOING,
        None,
        None,
    ),
    (
        "4W-00005",
        "UTIL",
        "",
        "energy",
        "Heating fuel for schools and kindergartens",
        "ENR-1",
        "AZ-XA",
        D(2023, 10, 1),
        D(2024, 3, 31),
        S.PLANNED,
        (2600, 0, 0, 2500, 0, 0),
        None,
    ),
    (
        "4W-00006",
        "FIRE",
        "",
        "coordination",
        "Fire services fuel needs",
        "",
        "AZ-XA",
        D(2023, 9, 28),
        None,
        S.ONGOING,
        None,
        None,
    ),
    (
        "4W-00007",
        "CARE",
        "",
        "protection",
        "Mobile teams for people living alone",
        "PRT-3.2",
        "AZ-LAC",
        D(2023, 9, 26),
        D(2023, 12, 15),
        S.ONGOING,
        (0, 60, 240, 0, 40, 160),
        (0, 38, 171, 0, 25, 104),
    ),
    (
        "4W-00008",
        "UNHA",
        "MES",
        "logistics",
        "Warehouse in Barda",
        "LOG-1",
        "AZ-BAR",
        D(2023, 9, 23),
        None,
        S.ONGOING,
        None,
        None,
    ),
    (
        "4W-00009",
        "UNHA",
        "CARE",
        "shelter",
        "Winter kits: blankets and stoves",
        "SNFI-2",
        "AZ-XA",
        D(2023, 10, 5),
        D(2023, 12, 20),
        S.PLANNED,
        (500, 700, 300, 480, 650, 220),
        None,
    ),
    (
        "4W-00010",
        "RCS",
        "",
        "wash",
        "Hygiene kits and water at reception points",
        "WASH-1",
        "AZ-LAC",
        D(2023, 9, 25),
        D(2023, 9, 30),
        S.COMPLETED,
        (800, 1200, 400, 780, 1100, 330),
        (760, 1150, 390, 700, 1020, 310),
    ),
]
GROUPS = ("female_children", "female_adults", "female_older", "male_children", "male_adults",
          "male_older")  # fmt: skip


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    areas = {a.code: a for a in AdminArea.objects.all()}
    for row in ACTIVITIES:
        ref, org, partner, sector, text, code, area, start, end, status, planned, reached = row
        people = {f"planned_{g}": (planned or [None] * 6)[i] for i, g in enumerate(GROUPS)}
        people |= {f"reached_{g}": (reached or [None] * 6)[i] for i, g in enumerate(GROUPS)}
        Activity.objects.get_or_create(
            reference=ref,
            defaults={
                "organisation": orgs[org],
                "implementing_partner": orgs[partner] if partner else None,
                "sector": sector,
                "activity": text,
                "activity_code": code,
                "area": areas[area],
                "start_date": scenario_date(start) if start else None,
                "end_date": scenario_date(end) if end else None,
                "status": status,
                **people,
            },
        )
    stdout.write(f"  4W activities: {len(ACTIVITIES)}\n")

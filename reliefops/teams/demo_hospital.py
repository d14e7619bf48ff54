"""Demo scenario of the field hospital near Khankendi (idempotent).

F-FH (50 beds) reports its beds, services and caseload for each of the last ten days of
the scenario (dates moved with :func:`reliefops.core.demo.scenario_date`), a demo field
user ``hospital`` is its staff (membership over the hospital's area), and a few
synthetic people of the people demo are referred to it in several statuses. The teams
demo (``teams/demo.py``) calls :func:`load`.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.accounts.services import membership_create
from reliefops.core.demo import SCENARIO_DAY, scenario_date
from reliefops.core.errors import ApplicationError
from reliefops.organisations.selectors import organisation_by_acronym
from reliefops.people.choices import AgeBand, Sex
from reliefops.people.selectors import person_scope
from reliefops.places.selectors import facilities_by_code
from reliefops.teams import services
from reliefops.teams.choices import CaseloadMeasure
from reliefops.teams.models import Referral

FACILITY = "F-FH"
DEMO_PASSWORD_SUFFIX = "-demo-2023"  # noqa: S105 - as accounts.demo: published, loopback only
STAFF_USER = "hospital"
DAYS = 10
BEDS = 50
SERVICES = ["emergency", "surgery", "inpatient", "outpatient", "pharmacy", "laboratory"]
NAMESPACE = uuid.UUID("5b0b6c1e-7c1f-4d0e-9a52-2f1d7a0c4e11")
#: Referral n: (reason, urgency, transport, steps taken, days before the scenario day)
REFERRALS = [
    ("surgery", "urgent", "team_vehicle", ["admit", "treat"], 6),
    ("chronic_condition", "routine", "team_vehicle", ["admit", "treat", "discharge"], 8),
    ("injury", "emergency", "ambulance", ["admit"], 2),
    ("acute_illness", "urgent", "convoy", [], 1),
    ("chronic_condition", "routine", "own_means", [], 1),
    ("surgery", "urgent", "ambulance", ["admit", "transfer"], 5),
]
#: Daily people per measure (a base; age bands and sexes share it).
BASE = {
    CaseloadMeasure.ADMISSIONS: 14,
    CaseloadMeasure.DISCHARGES: 11,
    CaseloadMeasure.REFERRALS_IN: 6,
    CaseloadMeasure.REFERRALS_OUT: 2,
}
BAND_SHARE = {"0_4": 0.08, "5_17": 0.12, "18_59": 0.45, "60_69": 0.15, "70_plus": 0.2}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _staff(admin: Any, facility: Any) -> Any:
    """The hospital's staff account (a field role over the hospital's area)."""
    user, created = get_user_model().objects.get_or_create(username=STAFF_USER)
    if created:
        user.set_password(f"{STAFF_USER}{DEMO_PASSWORD_SUFFIX}")
        user.save()
    organisation = facility.operator or organisation_by_acronym(acronym="HEALTH")
    if organisation is not None and not user.memberships.exists():
        membership_create(
            actor=admin,
            user=user,
            organisation=organisation,
            role=Role.FIELD,
            areas=[services.facility_area(facility)],
        )
    return user


def _counts(rng: random.Random, day_index: int) -> dict[tuple[str, str, str], int]:
    counts = {}
    for measure, base in BASE.items():
        for band in AgeBand.values:
            for sex in (Sex.FEMALE, Sex.MALE):
                mean = base * BAND_SHARE[band] / 2 * (1 + 0.04 * day_index)
                counts[(str(measure), band, str(sex))] = max(0, round(rng.gauss(mean, mean / 3)))
    return counts


def _reports(staff: Any, facility: Any) -> int:
    rng = random.Random(2023)
    cells = 0
    for i in range(DAYS):
        day = scenario_date(SCENARIO_DAY - dt.timedelta(days=DAYS - 1 - i))
        counts = _counts(rng, i)
        available = max(4, BEDS - 28 - i + rng.randint(-2, 2))
        services.hospital_status_report(
            actor=staff,
            facility=facility,
            date=day,
            beds_total=BEDS,
            beds_available=available,
            services=SERVICES if i > 2 else SERVICES[:4],
        )
        cells += services.caseload_report(actor=staff, facility=facility, date=day, counts=counts)
    return cells


def _referrals(admin: Any, staff: Any, facility: Any) -> tuple[int, int]:
    other = facilities_by_code(["F-XA-HOSP"]).get("F-XA-HOSP")
    people = list(person_scope(admin).filter(synthetic=True).order_by("reference")[:60])
    made = skipped = 0
    it = iter(people)
    for n, (reason, urgency, transport, steps, days_before) in enumerate(REFERRALS):
        client_id = uuid.uuid5(NAMESPACE, f"referral-{n}")
        if Referral.objects.filter(client_id=client_id).exists():
            continue
        day = scenario_date(SCENARIO_DAY - dt.timedelta(days=days_before))
        for person in it:
            try:
                referral = services.referral_create(
                    actor=admin,
                    person=person,
                    facility=facility,
                    reason=reason,
                    urgency=urgency,
                    transport=transport,
                    referred_at=_at(day, 9),
                    client_id=client_id,
                )
            except ApplicationError:  # no consent to referral: the next person
                skipped += 1
                continue
            for k, step in enumerate(steps):
                if step == "transfer" and other is None:
                    break
                services.referral_transition(
                    actor=staff,
                    referral=referral,
                    step=step,
                    at=_at(day, 11 + 2 * k),
                    transferred_to=other if step == "transfer" else None,
                )
            made += 1
            break
    return made, skipped


def load(*, stdout: TextIO) -> None:
    facility = facilities_by_code([FACILITY]).get(FACILITY)
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if facility is None or admin is None:
        stdout.write(f"  field hospital: {FACILITY} or the admin is not loaded, skipped\n")
        return
    with transaction.atomic():
        staff = _staff(admin, facility)
        cells = _reports(staff, facility)
        made, _skipped = _referrals(admin, staff, facility)
    stdout.write(
        f"  field hospital {FACILITY}: {DAYS} days of status, {cells} caseload cells written, "
        f"{made} referrals made (user {STAFF_USER})\n"
    )

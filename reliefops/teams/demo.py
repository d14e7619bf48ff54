"""Demo scenario data of the teams domain (idempotent; after people, logistics, accounts).

Two joint mobile medical teams (Regional Health Authority, Red Crescent, Community Care
NGO) whose members speak Azerbaijani, Armenian and Russian, and a mobile food supply team;
each with a vehicle, weekly shifts and a demo field user as a member. Coverage rules
("lives alone and 70+ → every 7 days" …), visit histories over the last 30 days for the
synthetic people of the registry (some overdue, some not, some never visited), and
today's round of each team, planned, with stops for people due. Everything is written
through the teams services; visits carry a client id derived from the person and the
day, so a second load writes nothing twice.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.accounts.demo import demo_password
from reliefops.accounts.models import Membership, User
from reliefops.core.errors import ApplicationError
from reliefops.logistics import services as logistics
from reliefops.logistics.models import Vehicle
from reliefops.organisations.models import Organisation
from reliefops.people.choices import ConsentPurpose
from reliefops.people.models import Person
from reliefops.people.services import consent_in_force
from reliefops.places.models import AdminArea, Facility
from reliefops.teams import demo_hospital, services
from reliefops.teams.models import CoverageRule, Round, Team, TeamMember
from reliefops.teams.selectors import people_due

#: Namespace of the demo visits' client ids (uuid5 of person reference and day).
VISIT_NAMESPACE = uuid.UUID("5b0c2f4e-7d1a-4c51-9b7e-1f00d2a3e012")

# code, name, vulnerability, lives alone, from age, every (days)
RULES = [
    ("ALONE70", "Lives alone and 70+", "", True, 70, 7),
    ("SURGERY", "Needs surgery", "needs_surgery", None, None, 7),
    ("RENAL", "Chronic condition: renal", "renal", None, None, 7),
    ("MEDS", "Needs regular medication", "chronic_medication", None, None, 14),
    ("PREGNANT", "Pregnant or lactating", "pregnant_lactating", None, None, 14),
    ("DIABETES", "Chronic condition: diabetes", "diabetes", None, None, 14),
    ("CARDIAC", "Chronic condition: cardiac", "cardiac", None, None, 14),
    ("DISABLED-ALONE", "Disability, living alone", "disability", True, None, 14),
]

# registration, kind, organisation, base facility, kg
VEHICLES = [
    ("90-RC-031", "ambulance", "RCS", "F-XCI-HP", 800),
    ("10-HA-041", "4x4", "HEALTH", "F-SUS-HOSP", 600),
    ("10-CC-051", "van", "CARE", "F-XCI-HP", 1500),
]

# username, organisation, areas (field users; "field" exists in the accounts demo)
FIELD_USERS = [
    ("field", "HEALTH", ["AZ-XA", "AZ-XCI", "AZ-TAR"]),
    ("field-rc", "RCS", ["AZ-SUS", "AZ-XCI", "AZ-XVD"]),
    ("field-care", "CARE", ["AZ-XCI", "AZ-SUS", "AZ-XA"]),
]

# name, organisation, skills, languages, lead, user
MEMBERS = {
    "MMT-1": [
        ("Dr Leyla Mammadova", "HEALTH", ["doctor"], ["az", "ru", "en"], True, "field"),
        ("Ani Petrosyan", "RCS", ["nurse", "interpreter"], ["hy", "ru", "az"], False, None),
        ("Rauf Aliyev", "RCS", ["paramedic", "driver"], ["az", "ru"], False, None),
        ("Nune Grigoryan", "CARE", ["social_worker"], ["hy", "ru"], False, None),
    ],
    "MMT-2": [
        ("Dr Armen Hakobyan", "RCS", ["doctor"], ["hy", "ru", "en"], True, "field-rc"),
        ("Gunel Huseynova", "HEALTH", ["nurse"], ["az", "ru"], False, None),
        ("Tigran Sargsyan", "CARE", ["pharmacist", "interpreter"], ["hy", "az", "ru"], False, None),
        ("Elvin Ismayilov", "HEALTH", ["driver"], ["az", "ru", "tr"], False, None),
    ],
    "MFS-1": [
        ("Sabina Guliyeva", "CARE", ["cook", "social_worker"], ["az", "ru"], True, "field-care"),
        ("Karen Avetisyan", "RCS", ["driver"], ["hy", "ru"], False, None),
        ("Aynur Karimova", "CARE", ["cook"], ["az", "tr"], False, None),
    ],
}

# code, name, kind, lead, partners, home area, areas served, base, vehicle, shifts
TEAMS = [
    (
        "MMT-1",
        "Mobile medical team Khojaly",
        "mobile_medical",
        "HEALTH",
        ["RCS", "CARE"],
        "AZ-XCI",
        ["AZ-XCI", "AZ-XA", "AZ-TAR"],
        "F-XCI-HP",
        "90-RC-031",
        [(d, dt.time(8), dt.time(17)) for d in range(5)],
    ),
    (
        "MMT-2",
        "Mobile medical team Shusha",
        "mobile_medical",
        "RCS",
        ["HEALTH", "CARE"],
        "AZ-SUS",
        ["AZ-SUS", "AZ-XCI", "AZ-XVD"],
        "F-SUS-HOSP",
        "10-HA-041",
        [(d, dt.time(8), dt.time(16)) for d in (0, 1, 2, 3, 5)],
    ),
    (
        "MFS-1",
        "Mobile food supply",
        "mobile_food",
        "CARE",
        ["RCS"],
        "AZ-XCI",
        ["AZ-XCI", "AZ-SUS", "AZ-XA"],
        "F-XCI-HP",
        "10-CC-051",
        [(d, dt.time(7), dt.time(15)) for d in (0, 2, 4, 5)],
    ),
]
MEDICAL_SERVICES = ["consultation", "medication_refill"]
FOOD_SERVICES = ["food_parcel", "hot_meal"]


def _field_users(orgs: dict[str, Organisation], areas: dict[str, AdminArea]) -> dict[str, User]:
    users = {}
    for username, org, codes in FIELD_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(demo_password(username))
            user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=orgs[org], role=Role.FIELD
        )
        have = set(membership.areas.values_list("code", flat=True))
        if not set(codes) <= have:
            membership.areas.add(*[areas[c] for c in codes if c in areas])
        users[username] = user
    return users


def _vehicles(admin: User, orgs: dict[str, Organisation]) -> dict[str, Vehicle]:
    bases = {f.code: f for f in Facility.objects.filter(code__in={v[3] for v in VEHICLES})}
    for registration, kind, org, base, kg in VEHICLES:
        if not Vehicle.objects.filter(registration=registration).exists():
            logistics.vehicle_create(
                actor=admin,
                registration=registration,
                organisation=orgs[org],
                kind=kind,
                base=bases.get(base),
                capacity_kg=Decimal(kg),
            )
    return {
        v.registration: v for v in Vehicle.objects.filter(registration__in=[v[0] for v in VEHICLES])
    }


def _rules(admin: User) -> None:
    for code, name, vulnerability, alone, age, days in RULES:
        if CoverageRule.objects.filter(code=code).exists():
            continue
        services.coverage_rule_create(
            actor=admin,
            code=code,
            name=name,
            vulnerability=vulnerability,
            lives_alone=alone,
            min_age=age,
            interval_days=days,
        )


def _teams(admin: User, orgs: dict[str, Organisation], users: dict[str, User]) -> list[Team]:
    areas = {a.code: a for a in AdminArea.objects.all()}
    bases = {f.code: f for f in Facility.objects.filter(code__in={t[7] for t in TEAMS})}
    vehicles = _vehicles(admin, orgs)
    teams = []
    for code, name, kind, lead, partners, home, served, base, vehicle, shifts in TEAMS:
        team = Team.objects.filter(code=code).first()
        if team is None:
            team = services.team_create(
                actor=admin,
                code=code,
                name=name,
                kind=kind,
                organisation=orgs[lead],
                partner_organisations=[orgs[p] for p in partners],
                area=areas[home],
                service_areas=[areas[a] for a in served if a in areas],
                base=bases.get(base),
                vehicle=vehicles.get(vehicle),
            )
            services.shift_set(actor=admin, team=team, shifts=shifts)
        for member_name, org, skills, languages, is_lead, username in MEMBERS[code]:
            if TeamMember.objects.filter(team=team, name=member_name).exists():
                continue
            services.member_add(
                actor=admin,
                team=team,
                name=member_name,
                organisation=orgs[org],
                skills=skills,
                languages=languages,
                is_lead=is_lead,
                user=users.get(username) if username else None,
            )
        teams.append(team)
    return teams


def _team_for(
    person: Person, teams: list[Team], served: dict[Any, set[Any]], kind: str
) -> Team | None:
    for team in teams:
        if team.kind == kind and person.area_id in served[team.pk]:
            return team
    return None


def _histories(admin: User, teams: list[Team], today: dt.date) -> int:
    """Visits over the last 30 days: a fixed pattern per person (seeded by reference)."""
    served = {t.pk: {t.area_id, *t.service_areas.values_list("pk", flat=True)} for t in teams}
    written = 0
    people = Person.objects.filter(synthetic=True, merged_into__isnull=True).select_related(
        "place", "area"
    )
    for person in people.order_by("reference"):
        if not consent_in_force(person).get(ConsentPurpose.VISITS):
            continue
        medical = _team_for(person, teams, served, "mobile_medical")
        if medical is None:
            continue
        rng = random.Random(person.reference)
        pattern = rng.random()
        if pattern < 0.08:
            continue  # never visited: due now
        # recent (within a week), or long ago (two to four weeks: overdue for most rules)
        last = rng.randint(1, 6) if pattern < 0.72 else rng.randint(12, 30)
        days = [last]
        while days[-1] + 7 < 30 and rng.random() < 0.6:
            days.append(days[-1] + rng.randint(7, 10))
        food = _team_for(person, teams, served, "mobile_food") if person.lives_alone else None
        for n, ago in enumerate(sorted(days, reverse=True)):
            day = today - dt.timedelta(days=ago)
            team = food if food is not None and n % 2 else medical
            outcome = "not_at_home" if rng.random() < 0.1 else "visited"
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + rng.randint(0, 6), 15)))
            follow_up = day + dt.timedelta(days=5) if rng.random() < 0.15 else None
            client = uuid.uuid5(VISIT_NAMESPACE, f"{person.reference}:{day.isoformat()}")
            try:
                services.visit_record(
                    actor=admin,
                    person=person,
                    team=team,
                    visited_at=when,
                    outcome=outcome,
                    services=FOOD_SERVICES[:1] if team is food else MEDICAL_SERVICES[: 1 + n % 2],
                    follow_up_due=follow_up,
                    client_id=client,
                )
                written += 1
            except ApplicationError:
                continue
    return written


def _rounds(admin: User, teams: list[Team], today: dt.date) -> list[Round]:
    """Today's round of each team, planned, with up to eight people due in its areas."""
    rounds = []
    taken: set[Any] = set()
    for team in teams:
        existing = Round.objects.filter(team=team, date=today).first()
        if existing is not None:
            rounds.append(existing)
            taken |= set(existing.stops.values_list("person_id", flat=True))
            continue
        due = [r for r in people_due(admin, on=today, team=team) if r.person.pk not in taken]
        if team.kind == "mobile_food":
            due = [r for r in due if r.person.lives_alone]
        due = due[:8]
        if not due:
            continue
        planned = FOOD_SERVICES[:1] if team.kind == "mobile_food" else ["consultation"]
        stops = [services.StopInput(r.person, services=planned) for r in due]
        rnd = services.round_create(actor=admin, team=team, date=today, stops=stops)
        services.round_transition(actor=admin, round=rnd, step="plan")
        taken |= {r.person.pk for r in due}
        rounds.append(rnd)
    return rounds


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        stdout.write("teams: the demo users are missing, no teams loaded\n")
        return
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    if not {"HEALTH", "RCS", "CARE"} <= set(orgs):
        stdout.write("teams: the demo organisations are missing, no teams loaded\n")
        return
    today = timezone.localdate()
    with transaction.atomic():
        areas = {a.code: a for a in AdminArea.objects.all()}
        users = _field_users(orgs, areas)
        _rules(admin)
        teams = _teams(admin, orgs, users)
    with transaction.atomic():
        visits = _histories(admin, teams, today)
    with transaction.atomic():
        rounds = _rounds(admin, teams, today)
    due = people_due(admin, on=today)
    demo_hospital.load(stdout=stdout)
    stdout.write(
        f"teams: {len(teams)} teams, {CoverageRule.objects.count()} coverage rules, "
        f"{visits} visits recorded (repeats are applied once), {len(due)} people due today, "
        f"rounds today: {', '.join(r.reference for r in rounds) or 'none'}\n"
    )

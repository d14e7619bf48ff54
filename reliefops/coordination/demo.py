"""Demo scenario data of the coordination domain (idempotent): the 4W activities of the
demo organisations (keyed by their 4W IDs; dates move with the scenario's calendar,
``core.demo.scenario_date``), and the meetings of the scenario (working groups, contacts, the
Yevlakh and Khojaly meetings, a civil-society dialogue visit; see "added for meetings")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from reliefops.accounts.models import User
from reliefops.coordination import services
from reliefops.coordination.choices import ActivityStatus
from reliefops.coordination.models import Activity, Meeting, WorkingGroup
from reliefops.core.demo import scenario_date
from reliefops.core.errors import ApplicationError
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea, Facility, Place
from reliefops.places.selectors import place_resolve
from reliefops.stock.models import Item

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
PEOPLE_GROUPS = ("female_children", "female_adults", "female_older", "male_children", "male_adults",
          "male_older")  # fmt: skip


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    areas = {a.code: a for a in AdminArea.objects.all()}
    for row in ACTIVITIES:
        ref, org, partner, sector, text, code, area, start, end, status, planned, reached = row
        people = {f"planned_{g}": (planned or [None] * 6)[i] for i, g in enumerate(PEOPLE_GROUPS)}
        people |= {f"reached_{g}": (reached or [None] * 6)[i] for i, g in enumerate(PEOPLE_GROUPS)}
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
    meetings_load(stdout=stdout)  # --- added for meetings (below)


# --- added for meetings --------------------------------------------------
# Meetings (idempotent): a coordination headquarters with
# its utilities-and-heating, health, food-security and logistics groups and a joint working
# group; the Yevlakh meeting (fuel and food needs raised → decisions → requests created
# through the service); the Khojaly meeting of the joint working group (field hospital,
# mobile food supply, joint mobile medical teams → action items, some overdue on the
# scenario day); a civil-society dialogue visit in Khankendi.
#
# Meeting dates are part of the record and are not moved; the requests' and action items'
# dates are operational and move with the scenario (``core.demo.scenario_date``). Joint
# teams are described by the languages their members speak, never by origin.
#

GROUPS = [
    # code, name, kind, sector, lead, co-lead, members, areas
    ("CHQ", "Coordination headquarters", "headquarters", "coordination", "CHQ", None,
     ["MES", "HEALTH", "RCS", "UNHA", "UTIL", "FIRE", "CARE"], []),
    ("WG-HEAT", "Utilities and heating", "working_group", "energy", "UTIL", "CHQ",
     ["FIRE", "MES"], ["AZ-XA", "AZ-XCI"]),
    ("WG-HEALTH", "Health", "working_group", "health", "HEALTH", "RCS", ["CARE"],
     ["AZ-XA", "AZ-XCI", "AZ-LAC"]),
    ("WG-FOOD", "Food security", "working_group", "food", "MES", "UNHA", ["RCS", "CARE"],
     ["AZ-XA", "AZ-XCI", "AZ-AGM"]),
    ("WG-LOG", "Logistics", "working_group", "logistics", "UNHA", "MES", ["RCS"],
     ["AZ-BAR", "AZ-AGM", "AZ-XA", "AZ-LAC"]),
    ("JWG", "Joint working group", "joint_working_group", "", "CHQ", "HEALTH",
     ["RCS", "CARE", "UNHA", "MES"], ["AZ-XA", "AZ-XCI"]),
]  # fmt: skip

CONTACTS = [
    # name, organisation, title, languages, areas, groups
    ("Heating desk", "UTIL", "Heating focal point", ["az", "ru"], ["AZ-XA"], ["WG-HEAT"]),
    ("Health cluster desk", "HEALTH", "Field hospital coordinator", ["az", "ru", "en"],
     ["AZ-XA", "AZ-XCI"], ["WG-HEALTH", "JWG"]),
    ("Mobile teams desk", "CARE", "Mobile medical teams lead", ["hy", "ru", "az"],
     ["AZ-XA"], ["WG-HEALTH", "JWG"]),
    ("Food desk", "MES", "Food supply officer", ["az", "ru"], ["AZ-XA", "AZ-AGM"], ["WG-FOOD"]),
    ("Coordination desk", "CHQ", "Headquarters coordinator", ["az", "ru", "en"], [],
     ["CHQ", "JWG"]),
    ("Civil-society liaison", "UNHA", "Dialogue and visits", ["en", "ru", "hy", "az"],
     ["AZ-XA"], []),
]  # fmt: skip


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _place(*names: str) -> Place | None:
    for name in names:
        try:
            return place_resolve(name)
        except ApplicationError:
            continue
    return None


def _groups(admin: Any, orgs: dict[str, Organisation]) -> dict[str, WorkingGroup]:
    areas = {a.code: a for a in AdminArea.objects.all()}
    made: dict[str, WorkingGroup] = {}
    for code, name, kind, sector, lead, co_lead, members, area_codes in GROUPS:
        group = WorkingGroup.objects.filter(code=code).first()
        if group is None:
            group = services.working_group_create(
                actor=admin, code=code, name=name, kind=kind, sector=sector,
                parent=made.get("CHQ") if kind != "headquarters" else None,
                lead_organisation=orgs[lead],
                co_lead_organisation=orgs[co_lead] if co_lead else None,
                members=[orgs[m] for m in members],
                areas=[areas[c] for c in area_codes if c in areas],
            )  # fmt: skip
        made[code] = group
    return made


def _contacts(admin: Any, orgs: dict[str, Organisation], groups: dict[str, Any]) -> dict[str, Any]:
    areas = {a.code: a for a in AdminArea.objects.all()}
    made = {}
    for number, (name, org, title, languages, area_codes, group_codes) in enumerate(CONTACTS):
        contact = orgs[org].contacts.filter(name=name).first()
        if contact is None:
            contact = services.contact_create(
                actor=admin, organisation=orgs[org], name=name, title=title,
                phone=f"+994 12 555 01 {number:02d}", email=f"desk{number}@example.org",
                languages=languages, areas=[areas[c] for c in area_codes if c in areas],
                working_groups=[groups[g] for g in group_codes],
            )  # fmt: skip
        made[name] = contact
    return made


def _meeting(admin: Any, title: str, **data: Any) -> tuple[Meeting, bool]:
    found = Meeting.objects.filter(title=title, starts_at=data["starts_at"]).first()
    if found is not None:
        return found, False
    return services.meeting_create(actor=admin, title=title, **data), True


def _yevlakh(coordinator: Any, orgs: dict[str, Any], groups: dict[str, Any], contacts: Any) -> int:
    place = _place("AZ-G584649", "Yevlakh")
    if place is None:
        return 0
    meeting, new = _meeting(
        coordinator, "Working group meeting on fuel and food needs", kind="working_group",
        organisation=orgs["CHQ"], working_group=groups["WG-HEAT"],
        starts_at=_at(dt.date(2023, 9, 21), 11), ends_at=_at(dt.date(2023, 9, 21), 14),
        place=place, organisations=[orgs[o] for o in ("UTIL", "FIRE", "HEALTH", "MES", "RCS")],
        contacts=[contacts["Heating desk"], contacts["Coordination desk"]],
        agenda=["Heating fuel for kindergartens and schools",
                "Fuel for emergency medical services and fire services",
                "Food and sanitary products"],
        minutes="Representatives of residents, ministries and the utility, health and civil "
        "services raised the need for fuel for heating and for food and sanitary products.",
    )  # fmt: skip
    if not new:
        return 0
    items = {i.code: i for i in Item.objects.filter(code__in=["DSL", "FPARCEL", "HYG"])}
    facilities = {f.code: f for f in Facility.objects.filter(code__startswith="F-XA-")}
    heating, emergency, food = list(meeting.agenda.order_by("position"))
    created = 0
    plans = [
        (heating, "Supply fuel for the heating of kindergartens and schools in Khankendi",
         "UTIL", "F-XA-SCH1", "DSL", 4000, "urgent"),
        (emergency, "Supply fuel to the ambulance and fire stations of Khankendi",
         "FIRE", "F-XA-FIRE", "DSL", 1500, "life_saving"),
        (food, "Send food parcels and hygiene kits to Khankendi through the Aghdam road",
         "MES", None, "FPARCEL", 1200, "urgent"),
    ]  # fmt: skip
    for agenda_item, text, org, facility, item, quantity, priority in plans:
        decision = services.decision_record(actor=coordinator, agenda_item=agenda_item, text=text)
        if items.get(item) is None:
            continue
        place_kw: dict[str, Any] = (
            {"facility": facilities[facility]}
            if facility in facilities
            else {"requester_kind": "place", "place": _place("AZ-G146970", "Khankendi")}
        )
        if not place_kw.get("facility") and place_kw.get("place") is None:
            continue
        try:
            services.decision_request_create(
                actor=coordinator, decision=decision, organisation=orgs[org],
                lines=[services.LineInput(quantity=Decimal(quantity), item=items[item])],
                needed_from=scenario_date(dt.date(2023, 10, 2)),
                needed_by=scenario_date(dt.date(2023, 10, 20)), priority=priority,
                confirm_duplicate=True, confirm_fuel=True, **place_kw,
            )  # fmt: skip
            created += 1
        except ApplicationError:
            continue
    return created


def _khojaly(coordinator: Any, orgs: dict[str, Any], groups: dict[str, Any], contacts: Any) -> int:
    place = _place("AZ-G147774", "Khojaly")
    if place is None:
        return 0
    meeting, new = _meeting(
        coordinator, "Joint working group: field hospital and mobile services",
        kind="working_group", organisation=orgs["CHQ"], working_group=groups["JWG"],
        starts_at=_at(dt.date(2023, 9, 25), 10), place=place,
        organisations=[orgs[o] for o in ("HEALTH", "RCS", "CARE", "UNHA", "MES")],
        contacts=[contacts["Health cluster desk"], contacts["Mobile teams desk"]],
        agenda=["Field hospital near Khankendi and Khojaly",
                "Mobile food supply service",
                "Joint mobile medical teams for people living alone in remote villages"],
        minutes="A joint working group with members from several organisations was set up. "
        "The joint mobile medical teams are staffed with members who speak Azerbaijani, "
        "Russian and Armenian, so that every resident can be served in their language.",
    )  # fmt: skip
    if not new:
        return 0
    hospital, food, teams = list(meeting.agenda.order_by("position"))
    actions = [
        (hospital, "Staff the field hospital jointly", "HEALTH", "Health cluster desk",
         dt.date(2023, 9, 28), "Set up the field hospital on the Khankendi–Khojaly road"),
        (food, "Run a mobile food supply service", "MES", "Food desk",
         dt.date(2023, 9, 30), "Start the mobile food supply to villages without shops"),
        (teams, "Form joint mobile medical teams", "CARE", "Mobile teams desk",
         dt.date(2023, 10, 6), "Teams of members speaking Azerbaijani, Russian and Armenian "
         "visit people living alone, with chronic diseases or needing surgery"),
    ]  # fmt: skip
    for agenda_item, text, org, contact, due, title in actions:
        decision = services.decision_record(actor=coordinator, agenda_item=agenda_item, text=text)
        item = services.decision_action_create(
            actor=coordinator, decision=decision, title=title, owner_organisation=orgs[org],
            owner_contact=contacts[contact], due_date=scenario_date(due),
        )  # fmt: skip
        if org == "MES":
            services.action_item_transition(actor=coordinator, item=item, step="start")
    return len(actions)


def _dialogue(coordinator: Any, orgs: dict[str, Any], contacts: Any) -> None:
    place = _place("AZ-G146970", "Khankendi")
    if place is None:
        return
    meeting, new = _meeting(
        coordinator, "Civil-society dialogue visit", kind="civil_society",
        organisation=orgs["UNHA"], starts_at=_at(dt.date(2023, 9, 28), 15), place=place,
        organisations=[orgs["RCS"], orgs["CARE"]],
        contacts=[contacts["Civil-society liaison"]],
        agenda=["Meeting residents' representatives", "Follow-up visits"],
        minutes="Confidence-building visit of civil-society representatives.",
    )  # fmt: skip
    if new:
        services.action_item_create(
            actor=coordinator, meeting=meeting, title="Plan a follow-up dialogue visit",
            owner_organisation=orgs["UNHA"], owner_contact=contacts["Civil-society liaison"],
            due_date=scenario_date(dt.date(2023, 10, 12)),
        )  # fmt: skip


def meetings_load(*, stdout: TextIO) -> None:
    coordinator = User.objects.filter(username="coordinator").first()
    admin = User.objects.filter(username="admin").first() or coordinator
    if coordinator is None or admin is None:
        stdout.write("  meetings: skipped (no demo coordinator)\n")
        return
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    groups = _groups(admin, orgs)
    contacts = _contacts(admin, orgs, groups)
    requests = _yevlakh(coordinator, orgs, groups, contacts)
    actions = _khojaly(coordinator, orgs, groups, contacts)
    _dialogue(coordinator, orgs, contacts)
    stdout.write(
        f"  coordination: {len(groups)} bodies, {len(contacts)} contacts, "
        f"{Meeting.objects.count()} meetings; requests from decisions: {requests}, "
        f"action items: {actions}\n"
    )

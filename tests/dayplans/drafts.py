"""Draft plans for the commit tests: the logistics test world (tests/logistics/scene.py)
plus a mobile team and two people to visit, a problem built from it with the planning core's
builder and the COMMON.md id conventions, solved by ``planning.solve`` and saved as a draft
:class:`PlanRun` (plan JSON, checker violations, index, input hash).

Site ids "F:<facility code>"/"P:<place code>", depot = warehouse code, lot =
"<warehouse code>/<lot pk>", demand = request line pk, vehicle = registration, team = team
code, visit = person reference.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reliefops import planning as core
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.problem import input_hash_current
from reliefops.stock.models import StockBalance
from reliefops.teams import services as teams
from tests.accounts.factories import UserFactory, make_user
from tests.logistics import scene as world
from tests.people.factories import PersonFactory, consent_all

DAY = world.DAY
_numbers = itertools.count(1)


@dataclass
class Day:
    scene: world.Scene
    coordinator: Any
    other_coordinator: Any
    team: Any
    people: list[Any]


def day_build() -> Day:
    scene = world.build()
    admin = UserFactory(is_superuser=True)
    area = scene.kindergarten.place.admin1
    team = teams.team_create(
        actor=admin,
        code="MMT-K",
        name="Mobile medical Kendi",
        kind="mobile_medical",
        organisation=scene.ngo,
        area=area,
        base=scene.kindergarten,
    )
    people = []
    for _n in range(2):
        person = PersonFactory(place=scene.kindergarten.place, organisation=scene.ngo)
        consent_all(person)
        people.append(person)
    coordinator = make_user("coordinator", organisation=scene.ngo, username="coord1")
    other = make_user("coordinator", organisation=scene.mes, username="coord2")
    return Day(scene, coordinator, other, team, people)


def _site(
    b: core.ProblemBuilder, index: dict[str, Any], facility: Any = None, place: Any = None
) -> str:
    place = facility.place if facility is not None else place
    sid = f"F:{facility.code}" if facility is not None else f"P:{place.code}"
    if sid not in index["sites"]:
        b.add_site(
            core.Site(sid, float(place.latitude), float(place.longitude), area=place.admin1.code)
        )
        index["sites"][sid] = {
            "name": str(facility.name if facility is not None else place.code),
            "lat": float(place.latitude),
            "lon": float(place.longitude),
            "place": place.code,
            "facility": facility.code if facility is not None else None,
            "kind": facility.kind if facility is not None else "place",
        }
    return sid


def problem_for(
    day: Day, *, vehicles: list[Any] | None = None
) -> tuple[core.Problem, dict[str, Any]]:
    s = day.scene
    b = core.ProblemBuilder(DAY)
    index: dict[str, Any] = defaultdict(dict)
    index["sites"] = {}
    depot_site = _site(b, index, facility=s.origin.facility)
    b.add_depot(core.Depot(s.origin.code, depot_site))
    index["depots"][s.origin.code] = {
        "warehouse": s.origin.code,
        "site": depot_site,
        "organisation": s.mes.acronym,
    }
    for item in (s.diesel, s.bread):
        b.add_item(
            core.Item(
                item.code,
                item.category,
                float(item.weight_kg),
                float(item.volume_m3),
                1.0 if item.unit == "litre" else 0.0,
                divisible=True,
            )
        )
    for balance in StockBalance.objects.filter(warehouse=s.origin).select_related("lot", "item"):
        lid = f"{s.origin.code}/{balance.lot_id}"
        b.add_lot(
            core.Lot(
                lid,
                s.origin.code,
                balance.item.code,
                float(balance.quantity),
                balance.lot.expiry_date,
            )
        )
        index["lots"][lid] = {
            "warehouse": s.origin.code,
            "lot": str(balance.lot_id),
            "lot_code": balance.lot.code,
            "item": balance.item.code,
            "expires_on": str(balance.lot.expiry_date),
        }
    for request in s.requests:
        sid = _site(b, index, facility=request.facility)
        for line in request.lines.all():
            b.add_demand(core.Demand(str(line.pk), sid, line.item.code, float(line.quantity)))
            index["demands"][str(line.pk)] = {
                "request": request.reference,
                "request_line": str(line.pk),
                "item": line.item.code,
                "item_name": line.item.code,
                "unit": line.unit,
                "quantity": float(line.quantity),
                "priority": "routine",
                "site": sid,
            }
    for vehicle in vehicles if vehicles is not None else [s.tanker, s.truck]:
        classes = frozenset({"fuel"} if vehicle.kind == "fuel_tanker" else {"bread"})
        b.add_vehicle(
            core.Vehicle(
                vehicle.registration,
                s.origin.code,
                float(vehicle.capacity_kg or 0),
                float(vehicle.capacity_m3 or 100),
                float(vehicle.capacity_litres or 0),
                classes,
            )
        )
        index["vehicles"][vehicle.registration] = {
            "vehicle": vehicle.registration,
            "kind": vehicle.kind,
            "organisation": s.mes.acronym,
            "depot": s.origin.code,
        }
    base = _site(b, index, facility=day.team.base)
    b.add_team(core.Team(day.team.code, base, frozenset(), frozenset()))
    index["teams"][day.team.code] = {
        "team": day.team.code,
        "name": day.team.name,
        "languages": [],
        "skills": [],
    }
    for person in day.people:
        sid = _site(b, index, place=person.place)
        b.add_visit(core.Visit(person.reference, sid, 30.0))
        index["visits"][person.reference] = {
            "person": person.reference,
            "site": sid,
            "rule": "",
            "priority": "routine",
            "last_visit": None,
        }
    b.set_speed_model()
    return b.build(), dict(index)


def draft_save(day: Day, *, based_on: PlanRun | None = None, **kwargs: Any) -> PlanRun:
    """Plan the day and save the draft run (its input hash as the day's data is now)."""
    problem, index = problem_for(day, **kwargs)
    plan = core.solve(problem, core.StopRule(max_iterations=100), seed=1)
    violations = core.check(problem, plan)
    document = core.plan_to_json(plan, violations)
    return PlanRun.objects.create(
        reference=f"PL-T-{next(_numbers)}",
        date=DAY,
        status=PlanStatus.DRAFT,
        plan=document,
        violations=document.get("violations", []),
        index=index,
        input_hash=input_hash_current(actor=day.coordinator, day=DAY, replan_of=based_on),
        based_on=based_on,
    )


def planned_per_lot(run: PlanRun) -> dict[tuple[str, str], Decimal]:
    """The plan's deliveries summed per (warehouse code, lot pk)."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for route in run.plan["routes"]:
        for trip in route["trips"]:
            for stop in trip["stops"]:
                for d in stop.get("deliveries", []):
                    entry = run.index["lots"][d["lot"]]
                    quantity = Decimal(str(d["quantity"])).quantize(Decimal("0.001"))
                    totals[(entry["warehouse"], entry["lot"])] += quantity
    return dict(totals)

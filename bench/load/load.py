"""Bench-only loader of the load benchmark: the plan benchmark's national day, plus what
the users of the load test need.

On top of ``bench.plan_db.load`` (places, roads, warehouses with a year of ledger, 2,000
approved requests, 500 vehicles, 100 teams, 100,000 persons and the last visit of the
≈9,500 persons a coverage rule matches) this writes:

* **visit history**: three earlier visits (one interval apart) of every person a rule
  matches, and one check-up within the year for one person in five of the others
  (``bulk_create``, like the plan loader: no services, no audit events);
* **convoys**: ``CONVOYS`` convoys on the road, each carrying one or two of the approved
  requests from a warehouse in a truck (and a fuel tanker when fuel is on board), planned,
  loaded and departed **through the application's services** (``convoy_from_requests``,
  ``convoy_load``, ``convoy_depart``: stops, consignment lines, the route over the road
  network, stock reserved and issued in the ledger, requests dispatched, audit events) —
  the field users confirm their deliveries during the load test;
* the **climate tables** of the demo (``needs.demo.climate_stations_load``), so the
  dashboard's heating-fuel cover is estimated for every school and health post;
* **users** with memberships for the roles of the test, all with the password
  ``PASSWORD``: ``load-coordinator-N`` (national), ``load-logistics-N``, ``load-field-N``
  (every organisation of the day, the whole country), ``load-partner-N`` (one partner
  organisation each), ``load-viewer-N``, and ``load-admin`` (a superuser, the actor of the
  convoy services).

Not for real data; the benchmark's database is flushed first.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import numpy as np
from django.db import connection, transaction

from bench.plan_db.spec import BENCH_DAY, _aware, _bulk

PASSWORD = "load-bench-2026"  # noqa: S105 - a bench database's throwaway accounts
USERS = {"coordinator": 12, "logistics": 11, "field": 16, "partner": 10, "viewer": 4}
CONVOYS = 160


def username(role: str, n: int) -> str:
    return f"load-{role}-{n}"


def load(size: str = "national", *, seed: int = 1) -> dict[str, Any]:
    """Write the plan day and the load test's extras; returns counts and seconds per part."""
    from bench.plan_db.load import load as plan_day_load

    result = plan_day_load(size, seed=seed)
    seconds = result["seconds"]
    counts = result["counts"]
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        seconds[name] = round(now - mark, 2)
        mark = now

    rng = np.random.default_rng(seed + 1000)
    from reliefops.needs.demo import climate_stations_load

    counts["climate_stations"] = climate_stations_load()  # the heating-fuel estimates' tables
    counts["visits_earlier_and_check_ups"] = visits_load(rng)
    lap("visits_history")
    counts["users"] = users_load()
    lap("users")
    counts["convoys_on_the_road"] = convoys_load(rng, CONVOYS if size == "national" else 10)
    lap("convoys")
    from reliefops.teams.due_store import due_store_refresh  # (bulk writes: see plan_db)

    counts["persons_due_stored"] = due_store_refresh()
    lap("due_dates")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        # write the bulk load's dirty pages out now, not in a checkpoint during the run
        cur.execute("CHECKPOINT")
    lap("analyze_again")
    from reliefops.teams.models import Visit

    counts["visits"] = Visit.objects.count()
    return result


def visits_load(rng: np.random.Generator) -> int:
    """Earlier visits of the persons the rules match and check-ups of some others."""
    from reliefops.people.models import Person
    from reliefops.teams.models import CoverageRule, Team, Visit

    rules = list(CoverageRule.objects.all())
    teams = list(Team.objects.all())
    last = {
        v.person_id: v
        for v in Visit.objects.only("person_id", "team_id", "visited_at", "place_id", "area_id")
    }
    interval = min(r.interval_days for r in rules)
    rows = []
    for visit in last.values():
        for k in range(1, 4):
            rows.append(
                Visit(
                    person_id=visit.person_id,
                    team_id=visit.team_id,
                    place_id=visit.place_id,
                    area_id=visit.area_id,
                    visited_at=visit.visited_at - dt.timedelta(days=k * max(interval, 14)),
                    outcome="visited" if k != 2 else "not_at_home",
                    services=["check_up"],
                )
            )
    others = Person.objects.exclude(pk__in=list(last)).values_list("pk", "place_id", "area_id")
    for pk, place_id, area_id in others.iterator(chunk_size=5000):
        if rng.random() >= 0.2:
            continue
        rows.append(
            Visit(
                person_id=pk,
                team_id=teams[int(rng.integers(len(teams)))].pk,
                place_id=place_id,
                area_id=area_id,
                visited_at=_aware(BENCH_DAY - dt.timedelta(days=int(rng.integers(2, 365))), 10),
                outcome="visited",
                services=["consultation"],
            )
        )
    with transaction.atomic():
        _bulk(Visit, rows)
    return len(rows)


def users_load() -> int:
    from django.contrib.auth.hashers import make_password

    from reliefops.accounts.models import Membership, User
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea

    digest = make_password(PASSWORD)  # one hash for every account: a hash costs ≈0.5 s
    orgs = list(Organisation.objects.filter(acronym__startswith="BENCH-").order_by("acronym"))
    by_acronym = {o.acronym: o for o in orgs}
    hq = by_acronym["BENCH-HQ"]
    partners = [by_acronym[a] for a in ("BENCH-RC", "BENCH-NGO", "BENCH-UN")]
    country = AdminArea.objects.get(code="BX")
    made = 0
    with transaction.atomic():
        User.objects.create(
            username="load-admin",
            password=digest,
            is_superuser=True,
            is_staff=True,
            first_name="Load",
            last_name="Admin",
        )
        made += 1
        for role, count in USERS.items():
            for n in range(1, count + 1):
                user = User.objects.create(
                    username=username(role, n),
                    password=digest,
                    first_name="Load",
                    last_name=f"{role.title()} {n}",
                )
                made += 1
                if role == "coordinator":
                    Membership.objects.create(user=user, organisation=hq, role=role)
                    continue
                if role == "field":
                    chosen = orgs  # a field worker of a joint team: every organisation
                elif role == "partner":
                    chosen = [partners[n % 3]]
                elif role == "logistics":
                    chosen = orgs
                else:
                    chosen = [hq]
                for org in chosen:
                    member = Membership.objects.create(user=user, organisation=org, role=role)
                    member.areas.add(country)
    return made


def convoys_load(rng: np.random.Generator, count: int) -> int:
    """``count`` convoys on the road, through the services (see the module's docstring)."""
    from reliefops.accounts.models import User
    from reliefops.logistics import services
    from reliefops.logistics.models import Vehicle
    from reliefops.needs.models import Request
    from reliefops.stock.models import Warehouse

    admin = User.objects.get(username="load-admin")
    warehouses = list(Warehouse.objects.select_related("facility__place", "organisation"))
    vehicles: dict[Any, dict[str, list[Any]]] = {w.facility_id: {} for w in warehouses}
    for v in Vehicle.objects.order_by("registration"):
        vehicles[v.base_id].setdefault(v.kind, []).append(v)
    requests = list(Request.objects.filter(status="approved").order_by("reference"))
    order = rng.permutation(len(requests))
    made = 0
    cursor = 0
    for k in range(count):
        warehouse = warehouses[k % len(warehouses)]
        fleet = vehicles[warehouse.facility_id]
        take = 1 + k % 2
        chosen = [requests[int(i)] for i in order[cursor : cursor + take]]
        cursor += take
        trucks, tankers = fleet.get("truck", []), fleet.get("fuel_tanker", [])
        fuel = any(
            line.item is not None and line.item.code == "heating_fuel"
            for request in chosen
            for line in request.lines.select_related("item")
        )
        if not chosen or not trucks or (fuel and not tankers):
            continue
        carriers = [services.CarrierInput(trucks.pop())]
        if fuel:
            carriers.append(services.CarrierInput(tankers.pop()))
        convoy = services.convoy_from_requests(
            actor=admin,
            requests=chosen,
            origin=warehouse,
            organisation=warehouse.organisation,
            departure_date=BENCH_DAY,
            carriers=carriers,
            leader=f"Leader {k}",
            notes=f"load bench convoy {uuid.UUID(int=k)}",
        )
        services.convoy_load(actor=admin, convoy=convoy)
        services.convoy_depart(actor=admin, convoy=convoy)
        made += 1
    return made

"""Bench-only loader: a national-size day written straight into the database.

NOT a service and not for real data: it writes with the models' ``bulk_create`` (no
permission checks, no audit events, no django-simple-history rows) so that 100,000 persons
and the rest load in about a minute. Everything else in the bench (the problem build, the
plan run, the check, the save) goes through the application's own selectors and services.

What it writes (deterministic for a seed; ``SIZES`` below):

* one country and a 4 × 4 grid of admin1 areas over the generator's national box
  (3° × 5°, like ``reliefops.planning.generate``);
* 10,000 places (villages/towns), each with its own road node; road segments join every
  place to its 3 nearest neighbours (lengths: great circle × 1.25) plus a few long links,
  so travel times come from the road network (``places.network``), not the straight-line
  fallback;
* 20 warehouses (facilities of kind warehouse) with lots of 5 items and a year of ledger
  history (weekly receipts and issues) whose sums are the balances;
* 2 crossing points (06:00–18:00);
* 2,000 approved requests at schools / health posts / shelters (1–4 lines each);
* 500 vehicles based at the warehouses (60 % trucks, 20 % vans, 20 % fuel tankers);
* 100 mobile medical teams (3 members each: skills and languages), shifts Monday–Saturday
  08:00–16:00, a base health post per team;
* 100,000 registered persons (pseudonymised references; name, phone and address encrypted
  by the model's fields), with consent to visits, coverage rules, and a visit history so
  that about one in ten of the people the rules match is due on the bench day.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, transaction

from bench.plan_db.spec import (
    BENCH_DAY,
    COORDINATOR,
    ITEMS,
    LANGUAGES,
    QUANTITY_RANGE,
    SIZES,
    VULNERABILITIES,
    _aware,
    _bulk,
    _haversine_km,
    ledger_history,
)

__all__ = ["BENCH_DAY", "COORDINATOR", "load"]


def load(size: str = "national", *, seed: int = 1, day: dt.date = BENCH_DAY) -> dict[str, Any]:
    """Write the day into the (empty) database; returns counts and seconds per part."""
    import time

    from django.contrib.auth.hashers import make_password

    from reliefops.accounts.models import Membership, User
    from reliefops.needs.models import Request, RequestLine
    from reliefops.organisations.models import Organisation
    from reliefops.people.models import Consent, Person
    from reliefops.places.models import AdminArea, Facility, Place, RoadNode, RoadSegment
    from reliefops.stock.models import Item, Lot, StockBalance, StockTransaction, Warehouse
    from reliefops.teams.models import CoverageRule, Shift, Team, TeamMember, Visit

    spec = SIZES[size]
    rng = np.random.default_rng(seed)
    seconds: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        seconds[name] = round(now - mark, 2)
        mark = now

    with transaction.atomic():
        # ---------------------------------------------------------------- who
        orgs = [
            Organisation(names={"en": name}, acronym=acronym, kind=kind)
            for acronym, name, kind in (
                ("BENCH-HQ", "Bench coordination headquarters", "government"),
                ("BENCH-RC", "Bench Red Crescent", "red_cross"),
                ("BENCH-NGO", "Bench NGO", "local_ngo"),
                ("BENCH-UN", "Bench UN agency", "un_agency"),
            )
        ]
        _bulk(Organisation, orgs)
        hq = orgs[0]
        user = User.objects.create(
            username=COORDINATOR,
            password=make_password(None),
            is_active=True,
            first_name="Bench",
            last_name="Coordinator",
        )
        Membership.objects.create(user=user, organisation=hq, role="coordinator")

        # ---------------------------------------------------------------- areas, places
        n = spec["places"]
        side = min(1.0, max(0.15, (n / 10_000) ** 0.5))
        lat = 38.5 + 3.0 * side * rng.random(n)
        lon = 45.0 + 5.0 * side * rng.random(n)
        country = AdminArea.objects.create(
            code="BX", level=0, names={"en": "Benchland"}, kind="country"
        )
        areas: dict[tuple[int, int], Any] = {}
        for r in range(4):
            for c in range(4):
                areas[(r, c)] = AdminArea(
                    code=f"BX-{r}{c}",
                    level=1,
                    parent=country,
                    names={"en": f"Bench area {r}{c}"},
                    kind="region",
                    centroid_lat=38.5 + 3.0 * side * (r + 0.5) / 4,
                    centroid_lon=45.0 + 5.0 * side * (c + 0.5) / 4,
                )
        _bulk(AdminArea, list(areas.values()))
        row = np.minimum(3, (4 * (lat - 38.5) / (3.0 * side)).astype(int))
        col = np.minimum(3, (4 * (lon - 45.0) / (5.0 * side)).astype(int))
        place_area = [areas[(int(a), int(b))] for a, b in zip(row, col, strict=True)]
        kinds = rng.choice(["village", "village", "village", "town", "settlement"], size=n)
        places = [
            Place(
                code=f"BX{i:06d}",
                kind=str(kinds[i]),
                names={"en": f"Benchplace {i}", "az": f"Bençkənd {i}"},
                latitude=float(lat[i]),
                longitude=float(lon[i]),
                admin0=country,
                admin1=place_area[i],
                source="bench",
            )
            for i in range(n)
        ]
        _bulk(Place, places)
        lap("places")

        # ---------------------------------------------------------------- roads
        from scipy.spatial import cKDTree

        xyz = np.column_stack(
            [
                np.cos(np.radians(lat)) * np.cos(np.radians(lon)),
                np.cos(np.radians(lat)) * np.sin(np.radians(lon)),
                np.sin(np.radians(lat)),
            ]
        )
        _d, nearest = cKDTree(xyz).query(xyz, k=4)
        nodes = [
            RoadNode(
                code=f"N{i:06d}",
                kind="place",
                place=places[i],
                name=f"Benchplace {i}",
                latitude=float(lat[i]),
                longitude=float(lon[i]),
            )
            for i in range(n)
        ]
        _bulk(RoadNode, nodes)
        edges: set[tuple[int, int]] = set()
        for i in range(n):
            for j in nearest[i, 1:]:
                a, b = sorted((i, int(j)))
                edges.add((a, b))
        # a few long links (trunk roads) so the network is one piece in practice
        for _ in range(max(1, n // 50)):
            a = int(rng.integers(n))
            b = int(nearest[int(rng.integers(n)), 1])
            if a != b:
                edges.add(tuple(sorted((a, b))))  # type: ignore[arg-type]
        # join every smaller connected piece to the biggest one by its shortest link, so
        # no pair of places is unreachable
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        while True:
            pairs = np.array(sorted(edges))
            graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
            pieces, label = connected_components(graph, directed=False)
            if pieces == 1:
                break
            main = int(np.bincount(label).argmax())
            inside = np.flatnonzero(label == main)
            tree_main = cKDTree(xyz[inside])
            for piece in set(range(pieces)) - {main}:
                members = np.flatnonzero(label == piece)
                dist, near = tree_main.query(xyz[members])
                best = int(np.argmin(dist))
                a, b = sorted((int(members[best]), int(inside[near[best]])))
                edges.add((a, b))
        ordered = sorted(edges)
        ea = np.array([e[0] for e in ordered])
        eb = np.array([e[1] for e in ordered])
        km = np.maximum(0.2, _haversine_km(lat[ea], lon[ea], lat[eb], lon[eb]) * 1.25)
        segments = [
            RoadSegment(
                code=f"S{k:06d}",
                from_node=nodes[a],
                to_node=nodes[b],
                length_km=round(float(km[k]), 3),
                speed_light_kmh=60,
                speed_truck_kmh=45,
                speed_heavy_kmh=35,
                surface="paved" if km[k] > 8 else "gravel",
                source="bench",
            )
            for k, (a, b) in enumerate(ordered)
        ]
        _bulk(RoadSegment, segments)
        lap("roads")

        # ---------------------------------------------------------------- facilities
        order = rng.permutation(n)
        cursor = 0

        def take(count: int) -> list[int]:
            nonlocal cursor
            picked = [int(x) for x in order[cursor : cursor + count]]
            cursor += count
            return picked

        def facility(code: str, kind: str, i: int, **extra: Any) -> Any:
            return Facility(
                code=code,
                names={"en": f"{kind.replace('_', ' ').title()} {code}"},
                kind=kind,
                place=places[i],
                latitude=float(lat[i]) + 0.001,
                longitude=float(lon[i]) + 0.001,
                operator=hq,
                source="bench",
                **extra,
            )

        wh_places = take(spec["warehouses"])
        cp_places = take(2)
        team_places = take(spec["teams"])
        requester_places = [int(x) for x in order[cursor:]]
        warehouses_f = [
            facility(f"BX-WH{k:02d}", "warehouse", i, operating_hours="08:00-18:00")
            for k, i in enumerate(wh_places)
        ]
        crossings_f = [
            facility(
                f"BX-CP{k}", "crossing_point", i, operating_hours="06:00-18:00", notice_hours=2
            )
            for k, i in enumerate(cp_places)
        ]
        bases_f = [facility(f"BX-HP{k:03d}", "health_post", i) for k, i in enumerate(team_places)]
        req_kinds = ("school", "kindergarten", "health_post", "collective_shelter", "hospital")
        requesters_f = []
        request_facility_count = min(len(requester_places), max(1, spec["requests"] * 3 // 4))
        for k in range(request_facility_count):
            i = requester_places[k]
            kind = req_kinds[k % len(req_kinds)]
            requesters_f.append(
                facility(
                    f"BX-F{k:05d}",
                    kind,
                    i,
                    heated_area_m2=float(rng.integers(200, 2000)),
                    heating_fuel="diesel",
                )
            )
        _bulk(Facility, warehouses_f + crossings_f + bases_f + requesters_f)
        lap("facilities")

        # ---------------------------------------------------------------- stock
        items = {
            code: Item(
                code=code,
                names={"en": code.replace("_", " ")},
                category=category,
                unit=unit,
                weight_kg=Decimal(kg),
                volume_m3=Decimal(m3),
                perishable=perishable,
                shelf_life_days=365 if perishable else None,
            )
            for code, category, unit, kg, m3, perishable in ITEMS
        }
        _bulk(Item, list(items.values()))
        warehouses = [
            Warehouse(facility=f, organisation=orgs[k % 3]) for k, f in enumerate(warehouses_f)
        ]
        _bulk(Warehouse, warehouses)

        # requests first (stock follows demand: 1.1 × the total per item)
        requests: list[Any] = []
        lines: list[Any] = []
        totals = dict.fromkeys(QUANTITY_RANGE, 0.0)
        for r in range(spec["requests"]):
            f = requesters_f[r % len(requesters_f)]
            p = rng.random()
            priority = "life_saving" if p < 0.15 else "urgent" if p < 0.5 else "routine"
            needed_by = day + dt.timedelta(days=int(rng.integers(0, 15)))
            req = Request(
                reference=f"BX-RQ-{r:05d}",
                requester_kind="facility",
                facility=f,
                place=f.place,
                area=f.place.admin1,
                organisation=orgs[1 + r % 3],
                priority=priority,
                needed_from=day - dt.timedelta(days=int(rng.integers(1, 10))),
                needed_by=needed_by,
                source="partner",
                status="approved",
                status_changed_at=_aware(day - dt.timedelta(days=1)),
            )
            requests.append(req)
            chosen = rng.choice(len(ITEMS), size=int(rng.integers(1, 5)), replace=False)
            for k in sorted(int(c) for c in chosen):
                code = ITEMS[k][0]
                low, high = QUANTITY_RANGE[code]
                quantity = int(rng.integers(low, high + 1))
                totals[code] += quantity
                lines.append(
                    RequestLine(
                        request=req, item=items[code], quantity=Decimal(quantity), unit=ITEMS[k][2]
                    )
                )
        _bulk(Request, requests)
        _bulk(RequestLine, lines)
        lap("requests")

        lots: list[Any] = []
        balances: list[Any] = []
        ledger: list[Any] = []
        for w in warehouses:
            for code, _cat, _unit, _kg, _m3, perishable in ITEMS:
                share = totals[code] * 1.1 / len(warehouses)
                for lot_number in range(2):
                    expires = (
                        day + dt.timedelta(days=int(rng.integers(-3, 120))) if perishable else None
                    )
                    lot = Lot(
                        item=items[code],
                        code=f"{w.facility.code}-{code}-{lot_number}",
                        expiry_date=expires,
                        donor=orgs[3],
                    )
                    lots.append(lot)
                    final = Decimal(math.ceil(share * (0.6 if lot_number == 0 else 0.5)))
                    balances.append(
                        StockBalance(warehouse=w, item=items[code], lot=lot, quantity=final)
                    )
                    ledger += ledger_history(w, items[code], lot, final, day)
        _bulk(Lot, lots)
        _bulk(StockBalance, balances)
        _bulk(StockTransaction, ledger)
        lap("stock")

        # ---------------------------------------------------------------- vehicles
        from reliefops.logistics.models import Vehicle

        vehicles = []
        for v in range(spec["vehicles"]):
            base = warehouses_f[v % len(warehouses_f)]
            kind = (v // len(warehouses_f)) % 5
            if kind in (0, 1, 2):
                extra = {"kind": "truck", "capacity_kg": Decimal(8000), "capacity_m3": Decimal(30)}
            elif kind == 3:
                extra = {"kind": "van", "capacity_kg": Decimal(1500), "capacity_m3": Decimal(8)}
            else:
                extra = {
                    "kind": "fuel_tanker",
                    "capacity_kg": Decimal(9000),
                    "capacity_litres": Decimal(10000),
                }
            vehicles.append(
                Vehicle(
                    registration=f"BX-{v:04d}",
                    organisation=orgs[v % 3],
                    base=base,
                    status="available",
                    **extra,
                )
            )
        _bulk(Vehicle, vehicles)
        lap("vehicles")

        # ---------------------------------------------------------------- teams
        teams = []
        members = []
        shifts = []
        for t, base in enumerate(bases_f):
            team = Team(
                code=f"BX-T{t:03d}",
                name=f"Joint mobile medical team {t}",
                kind="mobile_medical",
                organisation=orgs[1 + t % 3],
                base=base,
                area=base.place.admin1,
            )
            teams.append(team)
            langs = [str(x) for x in rng.choice(LANGUAGES, size=3, replace=False)]
            skill_sets = (["nurse"], ["doctor"] if t % 3 == 0 else ["paramedic"], ["driver"])
            for m, skills in enumerate(skill_sets):
                members.append(
                    TeamMember(
                        team=team,
                        name=f"Member {t}-{m}",
                        organisation=orgs[1 + (t + m) % 3],
                        skills=skills,
                        languages=[langs[m], langs[(m + 1) % 3]],
                        is_lead=m == 0,
                    )
                )
            for weekday in range(6):
                shifts.append(
                    Shift(team=team, weekday=weekday, starts=dt.time(8), ends=dt.time(16))
                )
        _bulk(Team, teams)
        _bulk(TeamMember, members)
        _bulk(Shift, shifts)
        # every team serves its home area and the neighbouring areas
        through = Team.service_areas.through
        links = []
        for team in teams:
            code = team.area.code
            r, c = int(code[-2]), int(code[-1])
            for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0)):
                other = areas.get((r + dr, c + dc))
                if other is not None:
                    links.append(through(team_id=team.pk, adminarea_id=other.pk))
        through.objects.bulk_create(links)
        rules = [
            CoverageRule(
                code="BX-ALONE-75",
                name="Living alone, 75 and over",
                lives_alone=True,
                min_age=75,
                interval_days=14,
            ),
            CoverageRule(
                code="BX-SURGERY",
                name="Needs surgery",
                vulnerability="needs_surgery",
                interval_days=7,
            ),
            CoverageRule(code="BX-RENAL", name="Renal", vulnerability="renal", interval_days=14),
            CoverageRule(
                code="BX-CARDIAC", name="Cardiac", vulnerability="cardiac", interval_days=30
            ),
            CoverageRule(
                code="BX-DIABETES", name="Diabetes", vulnerability="diabetes", interval_days=30
            ),
        ]
        _bulk(CoverageRule, rules)
        lap("teams")

        # ---------------------------------------------------------------- persons
        # people live around the team bases (a team serves about 30 km around it)
        base_lat = lat[team_places]
        base_lon = lon[team_places]
        place_tree = cKDTree(np.column_stack([lat, lon * math.cos(math.radians(40))]))
        persons = []
        consents = []
        n_persons = spec["persons"]
        team_of = rng.integers(len(team_places), size=n_persons)
        jitter = rng.normal(0.0, 0.12, size=(n_persons, 2))
        _dd, person_place = place_tree.query(
            np.column_stack(
                [
                    base_lat[team_of] + jitter[:, 0],
                    (base_lon[team_of] + jitter[:, 1] * 1.3) * math.cos(math.radians(40)),
                ]
            )
        )
        years = rng.integers(1930, 2020, size=n_persons)
        alone = rng.random(n_persons) < 0.18
        vuln_draw = rng.random((n_persons, len(VULNERABILITIES)))
        vuln_rate = np.array([0.03, 0.06, 0.02, 0.004, 0.02, 0.05, 0.002, 0.03])
        lang_draw = rng.integers(len(LANGUAGES) - 1, size=n_persons)
        for k in range(n_persons):
            i = int(person_place[k])
            vulns = [VULNERABILITIES[j] for j in np.nonzero(vuln_draw[k] < vuln_rate)[0]]
            persons.append(
                Person(
                    reference=f"BXP{k:07d}",
                    full_name=f"Bench Person {k}",
                    phone=f"+99450{k:07d}" if k % 3 else None,
                    address=f"House {k % 97}, Benchplace {i}",
                    year_of_birth=int(years[k]),
                    sex=("female", "male")[k % 2],
                    place=places[i],
                    area=place_area[i],
                    lives_alone=bool(alone[k]),
                    mobility="limited" if years[k] < 1950 else "independent",
                    languages=[LANGUAGES[int(lang_draw[k])]],
                    vulnerabilities=vulns,
                    organisation=orgs[1 + k % 3],
                    registered_on=day - dt.timedelta(days=int(k % 700)),
                    synthetic=True,
                )
            )
        lap("persons_prepare")
        _bulk(Person, persons, batch=2000)
        lap("persons_write")
        for p in persons:
            consents.append(
                Consent(person=p, purpose="visits", given=True, given_on=p.registered_on)
            )
        _bulk(Consent, consents)
        lap("consents")

        # visit history of the people the rules match: the last visit between 0 and
        # 1.1 intervals ago, so about 1 in 10 is due on the day
        from reliefops.teams.selectors.due import rule_matches

        visits = []
        for k, p in enumerate(persons):
            hits = [r for r in rules if rule_matches(r, p, day)]
            if not hits:
                continue
            interval = min(r.interval_days for r in hits)
            ago = int(rng.integers(1, int(interval * 1.1) + 1))
            visits.append(
                Visit(
                    person=p,
                    team=teams[int(team_of[k])],
                    place=p.place,
                    area=p.area,
                    visited_at=_aware(day - dt.timedelta(days=ago), 11),
                    outcome="visited",
                    services=["check_up"],
                )
            )
        _bulk(Visit, visits)
        lap("visits")

    # the bulk writes bypass the due dates' cache: rebuild it, as `reliefops due_refresh`
    from reliefops.teams.due_store import due_store_refresh

    due_store_refresh()
    lap("due_dates")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    lap("analyze")
    counts = {
        "places": n,
        "road_nodes": len(nodes),
        "road_segments": len(segments),
        "facilities": len(warehouses_f) + len(crossings_f) + len(bases_f) + len(requesters_f),
        "warehouses": len(warehouses),
        "lots": len(lots),
        "ledger_lines": len(ledger),
        "requests": len(requests),
        "request_lines": len(lines),
        "vehicles": len(vehicles),
        "teams": len(teams),
        "team_members": len(members),
        "persons": len(persons),
        "persons_matched_by_rules": len(visits),
        "visits_history": len(visits),
    }
    return {"counts": counts, "seconds": seconds, "day": day.isoformat()}

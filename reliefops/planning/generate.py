"""Synthetic planning days for tests and benchmarks (deterministic for a seed).

Places are scattered over a 3° × 5° box (about 330 × 420 km, a national-size area) for 10,000
places, a proportionally smaller box for fewer, in a 4 × 4 grid of areas; depots and team bases are places. Items: food parcels, hygiene kits, bottled
water, medical kits (general cargo) and heating fuel in litres (tankers only). A fleet per
depot: 60 % trucks, 20 % vans that may reload, 20 % fuel tankers. Requests carry 1–4 items,
priorities 15 % life-saving / 35 % urgent / 50 % routine, some needed-by times; some sites
sit behind a crossing point with operating hours. Teams have skills (nurse, doctor,
psychosocial) and languages (az, hy, ru, en) and work in pairs from a base; each due visit
(10 per team) is in a village within about 12 km of its team's base and may require one skill
and one language, mostly ones its team has (5 % need what the team may lack).
Travel is the great-circle speed model (40 km/h, detour factor 1.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from reliefops.planning.model import (
    Crossing,
    Demand,
    Depot,
    Item,
    Lot,
    Priority,
    Problem,
    ProblemBuilder,
    Site,
    Team,
    Vehicle,
    Visit,
)

ITEMS = (
    Item("food_parcel", "food", kg=15.0, m3=0.05),
    Item("hygiene_kit", "nfi", kg=5.0, m3=0.03),
    Item("water_pack", "water", kg=10.0, m3=0.012),
    Item("medical_kit", "medical", kg=8.0, m3=0.04),
    Item("heating_fuel", "fuel", kg=0.84, l=1.0, divisible=True),
)
QUANTITY_RANGE = {
    "food_parcel": (5, 40),
    "hygiene_kit": (5, 30),
    "water_pack": (10, 60),
    "medical_kit": (1, 8),
    "heating_fuel": (200, 1500),
}
SKILLS = ("nurse", "doctor", "psychosocial")
LANGUAGES = ("az", "hy", "ru", "en")
GENERAL = frozenset({"food", "nfi", "water", "medical"})
VISITS_PER_TEAM = 10
"""Due visits per team and day: 20–45 min each within about 12 km of the base fit one
8-hour shift with the travel (an operation plans what its teams can make)."""
TEAMS_PER_BASE = 2
CATCHMENT_KM = 12.0
"""Radius of a base's villages: the persons due a visit live at the places nearest the base."""


@dataclass(frozen=True)
class GenerateSpec:
    places: int = 200
    requests: int = 60
    vehicles: int = 10
    teams: int = 4
    depots: int = 2
    visits: int | None = None
    """Due team visits; default :data:`VISITS_PER_TEAM` per team."""
    seed: int = 0
    day: date = date(2026, 1, 15)
    stock_ratio: float = 1.1
    """Stock of each item as a multiple of its total demand."""


def _priority(rng: np.random.Generator) -> Priority:
    r = rng.random()
    return Priority.LIFE_SAVING if r < 0.15 else Priority.URGENT if r < 0.5 else Priority.ROUTINE


def problem_generate(spec: GenerateSpec) -> Problem:
    """A random day following ``spec``; the same spec always gives the same problem."""
    rng = np.random.default_rng(spec.seed)
    builder = ProblemBuilder(spec.day)
    n = max(spec.places, spec.depots + 2)
    # The national box (3° × 5°) for 10,000 places; smaller days cover a proportionally
    # smaller box, so the density of places stays about the same.
    side = min(1.0, max(0.15, (n / 10_000) ** 0.5))
    lat = 38.5 + 3.0 * side * rng.random(n)
    lon = 45.0 + 5.0 * side * rng.random(n)
    area_of = [
        f"A{int(4 * (la - 38.5) / (3.0 * side))}{int(4 * (lo - 45.0) / (5.0 * side))}"
        for la, lo in zip(lat, lon, strict=True)
    ]
    depot_places = list(range(spec.depots))
    crossing_places = [spec.depots, spec.depots + 1] if n > spec.depots + 2 else []
    site_ids = [f"P{i:05d}" for i in range(n)]
    for i, crossing_at in enumerate(crossing_places):
        builder.add_crossing(
            Crossing(f"X{i}", site_ids[crossing_at], open_min=6 * 60.0, close_min=18 * 60.0)
        )
    for i in range(n):
        hours = (0.0, 1440.0) if rng.random() < 0.6 else (8 * 60.0, 18 * 60.0)
        crossing = None
        if crossing_places and i >= spec.depots + 2 and rng.random() < 0.05:
            crossing = f"X{int(rng.integers(len(crossing_places)))}"
        builder.add_site(
            Site(
                site_ids[i],
                float(lat[i]),
                float(lon[i]),
                area=area_of[i],
                open_min=hours[0],
                close_min=hours[1],
                service_min=float(rng.integers(10, 25)),
                crossing=crossing,
            )
        )
    for item in ITEMS:
        builder.add_item(item)
    for d in depot_places:
        builder.add_depot(
            Depot(f"D{d:02d}", site_ids[d], open_min=6 * 60.0, close_min=20 * 60.0, load_min=20.0)
        )

    first_client = spec.depots + len(crossing_places)
    totals = dict.fromkeys(QUANTITY_RANGE, 0.0)
    for r in range(spec.requests):
        site = site_ids[int(rng.integers(first_client, n))]
        priority = _priority(rng)
        needed_by = None
        if rng.random() < 0.2:
            needed_by = float(rng.integers(10 * 60, 18 * 60)) if rng.random() < 0.95 else -60.0
        chosen = rng.choice(len(ITEMS), size=int(rng.integers(1, 5)), replace=False)
        for k in sorted(int(c) for c in chosen):
            item = ITEMS[k]
            low, high = QUANTITY_RANGE[item.id]
            quantity = float(rng.integers(low, high + 1))
            totals[item.id] += quantity
            builder.add_demand(
                Demand(f"R{r:05d}-{item.id}", site, item.id, quantity, priority, needed_by)
            )
    for d in depot_places:
        for item in ITEMS:
            share = totals[item.id] * spec.stock_ratio / max(1, spec.depots)
            for lot_number in range(2):
                expires = spec.day + timedelta(days=int(rng.integers(-3, 120)))
                builder.add_lot(
                    Lot(
                        f"L{d:02d}-{item.id}-{lot_number}",
                        f"D{d:02d}",
                        item.id,
                        float(np.ceil(share * (0.6 if lot_number == 0 else 0.5))),
                        expires
                        if item.id in {"food_parcel", "medical_kit", "water_pack"}
                        else None,
                    )
                )
    for v in range(spec.vehicles):
        depot = f"D{v % spec.depots:02d}"
        kind = (v // spec.depots) % 5  # every depot gets the same mix of vehicle kinds
        if kind in (0, 1, 2):
            vehicle = Vehicle(
                f"V{v:04d}", depot, 8000.0, 30.0, 0.0, GENERAL, fixed_cost=50.0, cost_per_km=2.0
            )
        elif kind == 3:
            vehicle = Vehicle(
                f"V{v:04d}",
                depot,
                1500.0,
                8.0,
                0.0,
                GENERAL - {"water"},
                fixed_cost=20.0,
                cost_per_km=1.0,
                reload=True,
            )
        else:
            vehicle = Vehicle(
                f"V{v:04d}",
                depot,
                9000.0,
                0.0,
                10000.0,
                frozenset({"fuel"}),
                fixed_cost=60.0,
                cost_per_km=2.0,
            )
        builder.add_vehicle(vehicle)
    # Teams work in pairs from a base (a place); the persons due a visit live in the villages
    # around their team's base (the places within about CATCHMENT_KM), and most need what
    # their own team offers (its skills and languages).
    bases = (
        [
            site_ids[int(i)]
            for i in rng.choice(
                np.arange(first_client, n),
                size=min(n - first_client, max(1, (spec.teams + 1) // TEAMS_PER_BASE)),
                replace=False,
            )
        ]
        if spec.teams
        else []
    )
    teams: list[Team] = []
    for t in range(spec.teams):
        skills = frozenset(
            str(s) for s in rng.choice(SKILLS, size=int(rng.integers(1, 3)), replace=False)
        )
        languages = frozenset(
            str(x) for x in rng.choice(LANGUAGES, size=int(rng.integers(2, 4)), replace=False)
        )
        teams.append(Team(f"T{t:03d}", bases[t % len(bases)], skills, languages))
        builder.add_team(teams[-1])
    visits = spec.visits if spec.visits is not None else VISITS_PER_TEAM * spec.teams
    box_km2 = (3.0 * side * 111.0) * (5.0 * side * 85.0)
    catchment = max(8, round(n / box_km2 * np.pi * CATCHMENT_KM**2))
    near: dict[str, np.ndarray] = {}
    for b in bases:
        i = site_ids.index(b)
        d2 = (lat[first_client:] - lat[i]) ** 2 + ((lon[first_client:] - lon[i]) * 0.77) ** 2
        near[b] = first_client + np.argsort(d2, kind="stable")[:catchment]
    for k in range(visits if spec.teams else 0):
        team = teams[k % len(teams)]
        pool = near[team.base]
        site = site_ids[int(pool[int(rng.integers(len(pool)))])]
        skill = language = None
        if rng.random() < 0.05:  # a need the own team may lack: another team or unmet
            skill = str(rng.choice(SKILLS[:2]))
            language = str(rng.choice(LANGUAGES[:3]))
        else:
            if rng.random() < 0.4:
                skill = str(rng.choice(sorted(team.skills)))
            if rng.random() < 0.4:
                language = str(rng.choice(sorted(team.languages)))
        if rng.random() < 0.3:
            start = float(rng.integers(8 * 60, 13 * 60))
            window = (start, start + float(rng.integers(120, 240)))
        else:
            window = (0.0, 1440.0)
        builder.add_visit(
            Visit(
                f"W{k:05d}",
                site,
                float(rng.integers(20, 46)),
                _priority(rng),
                skill,
                language,
                window[0],
                window[1],
            )
        )
    builder.set_speed_model(speed_kmh=40.0, detour=1.3)
    return builder.build()

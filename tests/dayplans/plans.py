"""Plan runs for page and API tests, stored as a finished job leaves them (a draft with its
plan JSON, index, violations and figures), without running the planner."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun

DAY = dt.date(2026, 12, 3)
_numbers = itertools.count(1)

INDEX: dict[str, Any] = {
    "sites": {
        "F:WH-1": {"name": "Aghdam warehouse", "lat": 39.99, "lon": 46.93, "kind": "warehouse"},
        "F:CL-1": {"name": "Asgaran clinic", "lat": 39.95, "lon": 46.80, "kind": "clinic"},
        "P:V-2": {"name": "Khankendi", "lat": 39.82, "lon": 46.75, "kind": "town"},
        "P:V-3": {"name": "Lone village", "lat": 39.70, "lon": 46.60, "kind": "village"},
    },
    "demands": {
        "11": {
            "request": "REQ-1",
            "request_line": 11,
            "item": "WAT",
            "item_name": "Water",
            "unit": "l",
            "quantity": 500,
            "priority": "life_saving",
            "site": "F:CL-1",
        },
        "12": {
            "request": "REQ-2",
            "request_line": 12,
            "item": "FLR",
            "item_name": "Flour",
            "unit": "kg",
            "quantity": 300,
            "priority": "high",
            "site": "P:V-2",
        },
        "13": {
            "request": "REQ-3",
            "request_line": 13,
            "item": "FUEL",
            "item_name": "Diesel",
            "unit": "l",
            "quantity": 80,
            "priority": "normal",
            "site": "P:V-2",
        },
    },
    "lots": {
        "WH-1/1": {
            "warehouse": "WH-1",
            "lot": 1,
            "lot_code": "L-WAT-1",
            "item": "WAT",
            "expires_on": "2027-06-01",
        },
        "WH-1/2": {
            "warehouse": "WH-1",
            "lot": 2,
            "lot_code": "L-FLR-1",
            "item": "FLR",
            "expires_on": None,
        },
    },
    "depots": {"WH-1": {"warehouse": "WH-1", "site": "F:WH-1", "organisation": "MES"}},
    "vehicles": {
        "10-AA-001": {"vehicle": 1, "kind": "truck", "organisation": "MES", "depot": "WH-1"},
        "10-AA-002": {"vehicle": 2, "kind": "van", "organisation": "MES", "depot": "WH-1"},
    },
    "teams": {
        "MMT-1": {
            "team": 1,
            "name": "Mobile medical team 1",
            "languages": ["hy"],
            "skills": ["nurse"],
        }
    },
    "visits": {
        "PER-1": {
            "person": "PER-1",
            "site": "P:V-3",
            "rule": "monthly",
            "priority": "high",
            "last_visit": None,
        },
        "PER-2": {
            "person": "PER-2",
            "site": "P:V-2",
            "rule": "weekly",
            "priority": "normal",
            "last_visit": None,
        },
    },
    "crossings": {},
    "fixed": {},
}


def _stop(site: str, at: int, deliveries: Any = (), visit: str = "") -> Any:
    out: dict[str, Any] = {
        "site": site,
        "arrival_min": at,
        "start_min": at,
        "departure_min": at + 20,
    }
    if deliveries:
        out["deliveries"] = list(deliveries)
    if visit:
        out["visit"] = visit
    return out


PLAN: dict[str, Any] = {
    "format": "reliefops-plan/1",
    "summary": {
        "served_percent": 81.5,
        "life_saving_served_percent": 100.0,
        "distance_km": 96.4,
        "visits_due": 2,
        "visits_made": 1,
        "unmet_units_no_stock": 80.0,
    },
    "routes": [
        {
            "vehicle": "10-AA-001",
            "start_min": 420,
            "end_min": 720,
            "distance_km": 80.0,
            "trips": [
                {
                    "depot": "WH-1",
                    "load_start_min": 420,
                    "load_kg": 800,
                    "load_m3": 1,
                    "load_l": 500,
                    "stops": [
                        _stop(
                            "F:CL-1",
                            480,
                            [{"demand": "11", "item": "WAT", "lot": "WH-1/1", "quantity": 500}],
                        ),
                        _stop(
                            "P:V-2",
                            560,
                            [{"demand": "12", "item": "FLR", "lot": "WH-1/2", "quantity": 300}],
                        ),
                    ],
                }
            ],
        },
    ],
    "rounds": [
        {
            "team": "MMT-1",
            "start_min": 480,
            "end_min": 900,
            "distance_km": 16.4,
            "stops": [_stop("P:V-3", 540, visit="PER-1")],
        },
    ],
    "unmet": [
        {
            "demand": "13",
            "quantity": 80,
            "reason": "no_stock",
            "detail": "no diesel in any warehouse",
        }
    ],
    "unvisited": [
        {"visit": "PER-2", "reason": "no_eligible_team", "detail": "no team speaks the language"}
    ],
    "violations": [],
}


def plan_run(*, status: str = PlanStatus.DRAFT, area: Any = None, **fields: Any) -> PlanRun:
    """A run in ``status``; a draft (or later) carries the plan above."""
    finished = status not in (PlanStatus.QUEUED, PlanStatus.RUNNING)
    values: dict[str, Any] = {
        "reference": f"PLAN-T{next(_numbers):05d}",
        "date": DAY,
        "area": area,
        "status": status,
        "parameters": {"seconds": 5, "seed": 1},
        "phase": "solve" if status == PlanStatus.RUNNING else "",
        "progress": 0.4 if status == PlanStatus.RUNNING else (1.0 if finished else 0.0),
        "parts_total": 4 if status == PlanStatus.RUNNING else 0,
        "parts_done": 1 if status == PlanStatus.RUNNING else 0,
        "index": INDEX if finished else {},
        "plan": PLAN if finished else None,
        "kpis": dict(PLAN["summary"]) if finished else {},
        **fields,
    }
    return PlanRun.objects.create(**values)

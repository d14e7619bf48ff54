"""JSON formats of a problem (``reliefops-problem/1``) and a plan (``reliefops-plan/1``).

The JSON Schemas are ``schemas/problem.schema.json`` and ``schemas/plan.schema.json`` in this
package (see docs/planning.md). Reading validates against the schema first, then builds the
problem through :class:`ProblemBuilder`; both report errors as :class:`ProblemError` naming the
field (``demands[3].quantity``).
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy.typing as npt

from reliefops.planning.checker import Violation
from reliefops.planning.errors import ProblemError
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
from reliefops.planning.plan import (
    Delivery,
    Plan,
    Stop,
    TeamRound,
    Trip,
    Unmet,
    UnmetReason,
    Unvisited,
    VehicleRoute,
)

PROBLEM_FORMAT = "reliefops-problem/1"
PLAN_FORMAT = "reliefops-plan/1"


@cache
def schema_load(name: str) -> dict[str, Any]:
    """The JSON Schema ``problem`` or ``plan``."""
    text = (
        resources.files("reliefops.planning")
        .joinpath(f"schemas/{name}.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def _field(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _validate(document: Any, name: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema_load(name))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        raise ProblemError(_field(error.absolute_path), error.message)


def _parse_date(field: str, value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ProblemError(field, f"must be an ISO date, got {value!r}") from exc


def problem_from_json(document: Any) -> Problem:
    """Build a problem from its JSON document (already parsed), checked against the schema."""
    _check_numbers(document, "")
    _validate(document, "problem")
    return problem_from_document(document)


def problem_from_document(
    document: Any,
    matrix: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> Problem:
    """Build a problem from a document in the JSON format without the schema check (for a
    document this program wrote), with the travel ``matrix`` ``(distance_km, duration_min)``
    when given instead of the document's own ``travel``."""
    b = ProblemBuilder(_parse_date("day", document["day"]))
    b.fairness_weight = float(document.get("fairness_weight", 0.5))
    for s in document["sites"]:
        b.add_site(Site(**s))
    for c in document.get("crossings", []):
        b.add_crossing(Crossing(**c))
    for i in document.get("items", []):
        b.add_item(Item(**i))
    for d in document.get("depots", []):
        b.add_depot(Depot(**d))
    for k, lot in enumerate(document.get("lots", [])):
        expires = lot.get("expires_on")
        fields = {
            **lot,
            "expires_on": None
            if expires is None
            else _parse_date(f"lots[{k}].expires_on", expires),
        }
        b.add_lot(Lot(**fields))
    for d in document.get("demands", []):
        b.add_demand(Demand(**{**d, "priority": Priority(d.get("priority", "routine"))}))
    for v in document.get("vehicles", []):
        b.add_vehicle(Vehicle(**{**v, "item_classes": frozenset(v["item_classes"])}))
    for t in document.get("teams", []):
        b.add_team(
            Team(
                **{
                    **t,
                    "skills": frozenset(t.get("skills", [])),
                    "languages": frozenset(t.get("languages", [])),
                }
            )
        )
    for v in document.get("visits", []):
        b.add_visit(Visit(**{**v, "priority": Priority(v.get("priority", "routine"))}))
    travel = document["travel"]
    if matrix is not None:
        b.set_matrix(*matrix)
    elif "speed_kmh" in travel:
        b.set_speed_model(travel["speed_kmh"], travel.get("detour", 1.3))
    else:
        b.set_matrix(travel["distance_km"], travel["duration_min"])
    return b.build()


def _check_numbers(value: Any, path: str) -> None:
    """NaN and infinities are not JSON, but Python's reader accepts them: name the field."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ProblemError(path or "(document)", f"must be a finite number, got {value}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_numbers(item, f"{path}[{index}]")


def problem_read(path: Path) -> Problem:
    """Read a problem JSON file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProblemError(str(path), "no such file") from exc
    except json.JSONDecodeError as exc:
        raise ProblemError(str(path), f"not valid JSON: {exc}") from exc
    return problem_from_json(document)


def problem_to_json(problem: Problem, include_matrix: bool = True) -> dict[str, Any]:
    """The JSON document of ``problem``; without the matrix, a speed model (40 km/h ×1.3)."""

    def strip(obj: Any) -> dict[str, Any]:
        return {k: getattr(obj, k) for k in obj.__slots__}

    travel: dict[str, Any]
    if include_matrix:
        travel = {
            "distance_km": [[round(float(x), 4) for x in row] for row in problem.distance_km],
            "duration_min": [[round(float(x), 4) for x in row] for row in problem.duration_min],
        }
    else:
        travel = {"speed_kmh": 40.0, "detour": 1.3}
    return {
        "format": PROBLEM_FORMAT,
        "day": problem.day.isoformat(),
        "fairness_weight": problem.fairness_weight,
        "sites": [strip(s) for s in problem.sites],
        "crossings": [strip(c) for c in problem.crossings],
        "items": [strip(i) for i in problem.items],
        "depots": [strip(d) for d in problem.depots],
        "lots": [
            {**strip(lot), "expires_on": lot.expires_on.isoformat() if lot.expires_on else None}
            for lot in problem.lots
        ],
        "demands": [{**strip(d), "priority": d.priority.value} for d in problem.demands],
        "vehicles": [
            {**strip(v), "item_classes": sorted(v.item_classes)} for v in problem.vehicles
        ],
        "teams": [
            {**strip(t), "skills": sorted(t.skills), "languages": sorted(t.languages)}
            for t in problem.teams
        ],
        "visits": [{**strip(v), "priority": v.priority.value} for v in problem.visits],
        "travel": travel,
    }


def _stop_json(stop: Stop) -> dict[str, Any]:
    out: dict[str, Any] = {
        "site": stop.site,
        "arrival_min": stop.arrival_min,
        "start_min": stop.start_min,
        "departure_min": stop.departure_min,
    }
    if stop.visit is not None:
        out["visit"] = stop.visit
    if stop.pinned:
        out["pinned"] = True
    if stop.deliveries:
        out["deliveries"] = [
            {"demand": d.demand, "item": d.item, "lot": d.lot, "quantity": d.quantity}
            for d in stop.deliveries
        ]
    return out


def plan_to_json(plan: Plan, violations: list[Violation] | None = None) -> dict[str, Any]:
    """The JSON document of ``plan`` (with the checker's violations when given)."""
    document: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "summary": {k: round(float(v), 4) for k, v in plan.stats.items()},
        "routes": [
            {
                "vehicle": r.vehicle,
                "start_min": r.start_min,
                "end_min": r.end_min,
                "distance_km": r.distance_km,
                "trips": [
                    {
                        "depot": t.depot,
                        "load_start_min": t.load_start_min,
                        "load_kg": t.load_kg,
                        "load_m3": t.load_m3,
                        "load_l": t.load_l,
                        "stops": [_stop_json(s) for s in t.stops],
                    }
                    for t in r.trips
                ],
            }
            for r in plan.routes
        ],
        "rounds": [
            {
                "team": r.team,
                "start_min": r.start_min,
                "end_min": r.end_min,
                "distance_km": r.distance_km,
                "stops": [_stop_json(s) for s in r.stops],
            }
            for r in plan.rounds
        ],
        "unmet": [
            {
                "demand": u.demand,
                "quantity": u.quantity,
                "reason": u.reason.value,
                "detail": u.detail,
            }
            for u in plan.unmet
        ],
        "unvisited": [
            {"visit": u.visit, "reason": u.reason.value, "detail": u.detail} for u in plan.unvisited
        ],
    }
    if violations is not None:
        document["violations"] = [
            {"where": v.where, "kind": v.kind, "detail": v.detail} for v in violations
        ]
    return document


def _stop_from(doc: dict[str, Any]) -> Stop:
    return Stop(
        site=doc["site"],
        arrival_min=doc["arrival_min"],
        start_min=doc["start_min"],
        departure_min=doc["departure_min"],
        deliveries=tuple(Delivery(**d) for d in doc.get("deliveries", [])),
        visit=doc.get("visit"),
        pinned=bool(doc.get("pinned", False)),
    )


def plan_from_json(document: Any) -> Plan:
    """Read a plan document back (e.g. to check a plan that was edited by hand)."""
    _validate(document, "plan")
    return Plan(
        routes=tuple(
            VehicleRoute(
                vehicle=r["vehicle"],
                start_min=r["start_min"],
                end_min=r["end_min"],
                distance_km=r["distance_km"],
                trips=tuple(
                    Trip(
                        depot=t["depot"],
                        load_start_min=t["load_start_min"],
                        stops=tuple(_stop_from(s) for s in t["stops"]),
                        load_kg=t.get("load_kg", 0.0),
                        load_m3=t.get("load_m3", 0.0),
                        load_l=t.get("load_l", 0.0),
                    )
                    for t in r["trips"]
                ),
            )
            for r in document["routes"]
        ),
        rounds=tuple(
            TeamRound(
                team=r["team"],
                start_min=r["start_min"],
                end_min=r["end_min"],
                distance_km=r["distance_km"],
                stops=tuple(_stop_from(s) for s in r["stops"]),
            )
            for r in document["rounds"]
        ),
        unmet=tuple(
            Unmet(u["demand"], u["quantity"], UnmetReason(u["reason"]), u.get("detail", ""))
            for u in document["unmet"]
        ),
        unvisited=tuple(
            Unvisited(u["visit"], UnmetReason(u["reason"]), u.get("detail", ""))
            for u in document["unvisited"]
        ),
        stats=dict(document["summary"]),
    )

"""Re-planning a committed plan, and what a re-plan changes.

:func:`plan_replan` starts a new run of the same day and area ``based_on`` the committed
run; its problem keeps fixed what already happened (``problem_build(replan_of=run)``:
convoys on the road, visits made). Committing it (:func:`.commit.plan_commit`) aborts the
base plan's convoys still planned or loading and cancels its rounds not started, creates
the new ones and supersedes the base run. :func:`plan_changes` says, per vehicle and team,
what the re-plan changes, for the review page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reliefops.core.permissions import Actor
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services import runs as run_services
from reliefops.dayplans.workflow import PLAN_WORKFLOW


def plan_replan(*, actor: Actor, run: PlanRun, seconds: int | None = None) -> PlanRun:
    """Start a re-plan of the committed ``run``: same day, area, seed and iteration limit;
    ``seconds`` by default the run's. Only a committed run is re-planned (``supersede``
    must be open: invalid transition otherwise), only by who may commit it."""
    PLAN_WORKFLOW.check(actor=actor, record=run, step="supersede")
    parameters = run.parameters or {}
    return run_services.plan_run_start(
        actor=actor,
        day=run.date,
        area=run.area,
        seconds=int(seconds if seconds is not None else parameters.get("seconds", 30)),
        seed=int(parameters.get("seed", 1)),
        iterations=parameters.get("iterations"),
        based_on=run,
    )


def _name(index: dict[str, Any], site: str) -> str:
    return str(index.get("sites", {}).get(site, {}).get("name") or site)


def _sequences(plan: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(kind, vehicle or team) → the sites it serves in order (delivery and visit stops)."""
    out: dict[tuple[str, str], list[str]] = {}
    for route in plan.get("routes", []):
        out[("vehicle", route["vehicle"])] = [
            s["site"] for t in route["trips"] for s in t["stops"] if s.get("deliveries")
        ]
    for rnd in plan.get("rounds", []):
        out[("team", rnd["team"])] = [s["site"] for s in rnd["stops"] if s.get("visit")]
    return out


def _assignments(plan: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """("delivery", demand) → vehicle, depot(s), quantity; ("visit", visit) → team."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for route in plan.get("routes", []):
        for trip in route["trips"]:
            for stop in trip["stops"]:
                for d in stop.get("deliveries", []):
                    entry = out.setdefault(
                        ("delivery", d["demand"]),
                        {"vehicles": set(), "depots": set(), "quantity": 0.0},
                    )
                    entry["vehicles"].add(route["vehicle"])
                    entry["depots"].add(trip["depot"])
                    entry["quantity"] += d["quantity"]
    for rnd in plan.get("rounds", []):
        for stop in rnd["stops"]:
            if stop.get("visit"):
                out[("visit", stop["visit"])] = {"teams": {rnd["team"]}}
    return out


def _ordered(values: Iterable[str]) -> list[str]:
    return sorted(values)


def plan_changes(old_run: PlanRun, new_run: PlanRun) -> list[dict[str, Any]]:
    """What ``new_run``'s plan changes of ``old_run``'s, for the page. One entry per
    vehicle or team whose stops change — ``{"kind": "vehicle"|"team", "id", "added",
    "removed", "moved"}`` (lists of ``{"site", "name"}``; moved: served by both in another
    order) — and one per delivery or visit that changes hands — ``{"kind": "delivery",
    "id", "request", "change": ["vehicle", "depot", "quantity"], "old": {...}, "new":
    {...}}`` (a vehicle swapped, a delivery moved to another depot and so another road, or
    a new or dropped delivery: ``old``/``new`` None) or ``{"kind": "visit", "id", "old":
    {"teams"}, "new": {"teams"}}``. Entries in order: vehicles, teams, deliveries, visits."""
    old_plan, new_plan = old_run.plan or {}, new_run.plan or {}
    index = {**(old_run.index or {}), **(new_run.index or {})}
    index["sites"] = {
        **(old_run.index or {}).get("sites", {}),
        **(new_run.index or {}).get("sites", {}),
    }
    changes: list[dict[str, Any]] = []
    old_seq, new_seq = _sequences(old_plan), _sequences(new_plan)
    for kind, key in sorted(set(old_seq) | set(new_seq)):
        before, after = old_seq.get((kind, key), []), new_seq.get((kind, key), [])
        common_before = [s for s in before if s in after]
        common_after = [s for s in after if s in before]
        moved = [s for i, s in enumerate(common_after) if common_before[i] != s]
        added = [s for s in after if s not in before]
        removed = [s for s in before if s not in after]
        if added or removed or moved:
            changes.append(
                {
                    "kind": kind,
                    "id": key,
                    "added": [{"site": s, "name": _name(index, s)} for s in added],
                    "removed": [{"site": s, "name": _name(index, s)} for s in removed],
                    "moved": [{"site": s, "name": _name(index, s)} for s in moved],
                }
            )
    old_as, new_as = _assignments(old_plan), _assignments(new_plan)
    for kind, key in sorted(set(old_as) | set(new_as), key=lambda k: (k[0] != "delivery", k)):
        before_a, after_a = old_as.get((kind, key)), new_as.get((kind, key))
        if kind == "visit":
            if before_a != after_a:
                changes.append(
                    {
                        "kind": "visit",
                        "id": key,
                        "old": {"teams": _ordered(before_a["teams"])} if before_a else None,
                        "new": {"teams": _ordered(after_a["teams"])} if after_a else None,
                    }
                )
            continue
        what = []
        for field in ("vehicles", "depots"):
            if (before_a or {}).get(field) != (after_a or {}).get(field):
                what.append(field[:-1])
        if round((before_a or {}).get("quantity", 0.0), 3) != round(
            (after_a or {}).get("quantity", 0.0), 3
        ):
            what.append("quantity")
        if what:
            demand = index.get("demands", {}).get(key, {})

            def shown(entry: dict[str, Any] | None) -> dict[str, Any] | None:
                if entry is None:
                    return None
                return {
                    "vehicles": _ordered(entry["vehicles"]),
                    "depots": _ordered(entry["depots"]),
                    "quantity": round(entry["quantity"], 3),
                }

            changes.append(
                {
                    "kind": "delivery",
                    "id": key,
                    "request": demand.get("request", ""),
                    "item": demand.get("item", ""),
                    "change": what,
                    "old": shown(before_a),
                    "new": shown(after_a),
                }
            )
    return changes

"""Reads of the day-plans domain: the plan runs a user may see and what a run's page shows.

A run with an area is visible to those who may plan in that area; a run for everywhere
(no area) only to national planners (``scope_queryset``: a NULL area passes national
grants only). :func:`plan_review` turns a run's plan JSON and its ``index`` into rows with
human names (sites, items, requests, vehicles, teams, persons) for the pages and the API.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids, scope_queryset
from reliefops.dayplans.models import PlanRun
from reliefops.logistics.choices import VehicleKind
from reliefops.needs.choices import Priority as RequestPriority
from reliefops.places.selectors import admin_area_list
from reliefops.stock.choices import Unit

#: Why a demand stays unmet or a visit unmade (the planning core's reasons).
REASON_LABELS: dict[str, Any] = {
    "no_stock": _("No stock"),
    "no_capacity": _("No vehicle able to carry it"),
    "unreachable": _("Unreachable with the roads closed"),
    "after_deadline": _("After its deadline"),
    "no_eligible_team": _("No team with the skill or language"),
    "dropped": _("Dropped by the coordinator"),
}
#: A visit's reasons where they differ from a delivery's (a team has time, not capacity).
VISIT_REASON_LABELS: dict[str, Any] = {
    **REASON_LABELS,
    "no_capacity": _("The teams' time is used up by more urgent visits"),
    "unreachable": _("No team reaches it within its hours and shift"),
}
#: The phases of a run, as the page names them.
PHASE_LABELS: dict[str, Any] = {
    "load": _("reading"),
    "build": _("building the problem"),
    "store": _("storing"),
    "prepare": _("allocation"),
    "solve": _("routing"),
    "merge": _("merging"),
    "check": _("checking"),
    "save": _("saving"),
}


def _label(choices: Any, value: Any) -> str:
    """A choice's label in the user's language (the value itself when unknown)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def timings_rows(timings: dict[str, Any]) -> list[tuple[str, float]]:
    """Seconds per phase with the phases' names, for the run page."""
    return [(str(PHASE_LABELS.get(k, k)), float(v or 0)) for k, v in timings.items()]


#: One colour per vehicle or team on the map and the timeline (cycled).
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)

#: The KPI cards of a draft: (key in the plan's figures, label, unit).
KPI_CARDS: tuple[tuple[str, Any, str], ...] = (
    ("served_percent", _("Served (weighted by priority)"), "%"),
    ("life_saving_served_percent", _("Life-saving served"), "%"),
    ("distance_km", _("Distance"), "km"),
    ("vehicle_hours", _("Vehicle hours"), "h"),
)


def plan_runs(actor: Actor) -> QuerySet[PlanRun]:
    """Runs ``actor`` may see, newest first (without their large fields)."""
    qs = PlanRun.objects.select_related("area", "based_on").defer(
        "problem", "prepared", "index", "plan"
    )
    return scope_queryset(actor, qs, area_field="area", action=Action.PLAN_RUN)


def plan_run_get(actor: Actor, reference: str) -> PlanRun:
    """One run by its reference; :class:`NotFound` when ``actor`` may not see it."""
    run = (
        scope_queryset(
            actor,
            PlanRun.objects.select_related("area", "based_on", "committed_by"),
            area_field="area",
            action=Action.PLAN_RUN,
        )
        .filter(reference=reference)
        .first()
    )
    if run is None:
        raise NotFound(reference=reference)
    return run


def plan_run_replans(run: PlanRun) -> list[PlanRun]:
    """The runs that re-plan ``run`` (newest first)."""
    return list(PlanRun.objects.filter(based_on=run).only("reference", "status", "created_at"))


def hhmm(minutes: Any) -> str:
    """Minutes from the day's midnight as ``HH:MM`` (past midnight: ``+1 HH:MM``)."""
    if minutes is None:
        return ""
    total = round(float(minutes))
    day, rest = divmod(total, 24 * 60)
    text = f"{rest // 60:02d}:{rest % 60:02d}"
    return f"+{day} {text}" if day else text


def _site(index: dict[str, Any], site: str) -> dict[str, Any]:
    info = index.get("sites", {}).get(site) or {}
    return {
        "id": site,
        "name": localized(info.get("names")) or info.get("name") or site,
        "lat": info.get("lat"),
        "lon": info.get("lon"),
        "kind": info.get("kind", ""),
    }


def _delivery_row(index: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
    demand = index.get("demands", {}).get(str(line.get("demand"))) or {}
    lot = index.get("lots", {}).get(str(line.get("lot"))) or {}
    return {
        "demand": line.get("demand"),
        "request": demand.get("request", ""),
        "item": line.get("item"),
        "item_name": localized(demand.get("item_names"))
        or demand.get("item_name")
        or line.get("item"),
        "lot": line.get("lot"),
        "lot_code": lot.get("lot_code", "") if lot else line.get("lot"),
        "expires_on": lot.get("expires_on"),
        "quantity": line.get("quantity", 0),
        "unit": _label(Unit, demand.get("unit", "")),
        "priority": _label(RequestPriority, demand.get("priority", "")),
    }


def _stop_row(index: dict[str, Any], stop: dict[str, Any], number: int) -> dict[str, Any]:
    site = _site(index, stop["site"])
    visit = stop.get("visit")
    visit_info = index.get("visits", {}).get(str(visit)) if visit else None
    return {
        "number": number,
        "site": site,
        "arrival_min": stop.get("arrival_min"),
        "start_min": stop.get("start_min"),
        "departure_min": stop.get("departure_min"),
        "arrival": hhmm(stop.get("arrival_min")),
        "departure": hhmm(stop.get("departure_min")),
        "visit": visit,
        "person": (visit_info or {}).get("person", visit or ""),
        "deliveries": [_delivery_row(index, d) for d in stop.get("deliveries", [])],
        "pinned": bool(stop.get("pinned")),
    }


def _pins(run: PlanRun) -> set[tuple[str, int, int]]:
    """Stops the coordinator pinned (and did not unpin), by (vehicle|team, trip, position),
    numbers from 1 as the edits name them."""
    pins: set[tuple[str, int, int]] = set()
    for edit in run.edits or []:
        kind = edit.get("kind")
        if kind not in ("pin", "unpin"):
            continue
        key = (
            str(edit.get("vehicle") or edit.get("team") or ""),
            int(edit.get("trip") or 1),
            int(edit.get("position") or 0),
        )
        if kind == "pin":
            pins.add(key)
        else:
            pins.discard(key)
    return pins


def _timeline_span(rows: list[dict[str, Any]]) -> tuple[float, float]:
    starts = [r["start_min"] for r in rows if r["start_min"] is not None]
    ends = [r["end_min"] for r in rows if r["end_min"] is not None]
    if not starts or not ends:
        return 0.0, 24 * 60.0
    low = float(min(starts)) // 60 * 60
    high = -(-float(max(ends)) // 60) * 60
    return low, max(high, low + 60)


def _place_bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Percent offsets of each row's shift and stops for the CSS timeline."""
    low, high = _timeline_span(rows)
    width = high - low

    def pct(value: Any) -> float:
        return round(100.0 * (float(value) - low) / width, 2) if value is not None else 0.0

    for row in rows:
        row["left"] = pct(row["start_min"])
        row["width"] = max(0.5, round(pct(row["end_min"]) - row["left"], 2))
        for stop in row["marks"]:
            stop["left"] = pct(stop["at"])
    hours = [{"label": hhmm(m), "left": pct(m)} for m in range(int(low), int(high) + 1, 60)]
    return {"rows": rows, "hours": hours, "start": hhmm(low), "end": hhmm(high)}


def plan_review(run: PlanRun) -> dict[str, Any]:
    """Everything a run's page shows, with human names from ``run.index``:

    ``routes`` (vehicle, colour, trips with their depot and numbered stops, each stop's
    deliveries), ``rounds`` (team, stops with the person visited), ``unmet`` and
    ``unvisited`` with their reasons, ``violations``, ``kpis`` (the cards and the unmet
    units by reason), ``timeline`` (bars per vehicle and team) and ``map`` (the JSON the
    map draws).
    """
    index: dict[str, Any] = run.index or {}
    plan: dict[str, Any] = run.plan or {}
    pins = _pins(run)
    routes: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    features: list[dict[str, Any]] = []
    depots_seen: dict[str, dict[str, Any]] = {}
    colour_number = 0

    def colour() -> str:
        nonlocal colour_number
        value = PALETTE[colour_number % len(PALETTE)]
        colour_number += 1
        return value

    for route in plan.get("routes", []):
        vehicle = route["vehicle"]
        info = index.get("vehicles", {}).get(vehicle) or {}
        paint = colour()
        trips = []
        number = 0
        marks = []
        line: list[list[float]] = []
        stops_json = []
        for t_no, trip in enumerate(route.get("trips", [])):
            depot_site = (index.get("depots", {}).get(trip["depot"]) or {}).get("site")
            depot = _site(index, depot_site) if depot_site else _site(index, trip["depot"])
            depot["depot"] = trip["depot"]
            depots_seen[trip["depot"]] = depot
            if depot["lat"] is not None:
                line.append([depot["lat"], depot["lon"]])
            stops = []
            for position, stop in enumerate(trip.get("stops", [])):
                number += 1
                row = _stop_row(index, stop, number)
                row.update(trip=t_no + 1, position=position + 1)
                row["pinned"] = row["pinned"] or (vehicle, t_no + 1, position + 1) in pins
                stops.append(row)
                marks.append(
                    {"at": row["arrival_min"], "label": f"{number}. {row['site']['name']}"}
                )
                if row["site"]["lat"] is not None:
                    line.append([row["site"]["lat"], row["site"]["lon"]])
                    stops_json.append(
                        {
                            "n": number,
                            "lat": row["site"]["lat"],
                            "lon": row["site"]["lon"],
                            "label": f"{number}. {row['site']['name']} {row['arrival']}",
                        }
                    )
            if depot["lat"] is not None:
                line.append([depot["lat"], depot["lon"]])
            trips.append(
                {
                    "number": t_no + 1,
                    "depot": depot,
                    "load_start": hhmm(trip.get("load_start_min")),
                    "load_kg": trip.get("load_kg"),
                    "stops": stops,
                }
            )
        routes.append(
            {
                "vehicle": vehicle,
                "kind": _label(VehicleKind, info.get("kind", "")),
                "organisation": info.get("organisation", ""),
                "colour": paint,
                "start": hhmm(route.get("start_min")),
                "end": hhmm(route.get("end_min")),
                "distance_km": route.get("distance_km", 0),
                "trips": trips,
            }
        )
        timeline.append(
            {
                "label": vehicle,
                "kind": "vehicle",
                "colour": paint,
                "start_min": route.get("start_min"),
                "end_min": route.get("end_min"),
                "start": hhmm(route.get("start_min")),
                "end": hhmm(route.get("end_min")),
                "marks": marks,
            }
        )
        features.append(
            {"id": vehicle, "kind": "route", "colour": paint, "line": line, "stops": stops_json}
        )

    for team_round in plan.get("rounds", []):
        team = team_round["team"]
        info = index.get("teams", {}).get(team) or {}
        paint = colour()
        stops = []
        marks = []
        line = []
        stops_json = []
        for position, stop in enumerate(team_round.get("stops", [])):
            row = _stop_row(index, stop, position + 1)
            row.update(trip=1, position=position + 1)
            row["pinned"] = row["pinned"] or (team, 1, position + 1) in pins
            stops.append(row)
            marks.append(
                {"at": row["arrival_min"], "label": f"{position + 1}. {row['site']['name']}"}
            )
            if row["site"]["lat"] is not None:
                line.append([row["site"]["lat"], row["site"]["lon"]])
                stops_json.append(
                    {
                        "n": position + 1,
                        "lat": row["site"]["lat"],
                        "lon": row["site"]["lon"],
                        "label": f"{position + 1}. {row['site']['name']} {row['arrival']}",
                    }
                )
        rounds.append(
            {
                "team": team,
                "name": info.get("name") or team,
                "colour": paint,
                "start": hhmm(team_round.get("start_min")),
                "end": hhmm(team_round.get("end_min")),
                "distance_km": team_round.get("distance_km", 0),
                "stops": stops,
            }
        )
        timeline.append(
            {
                "label": info.get("name") or team,
                "kind": "team",
                "colour": paint,
                "start_min": team_round.get("start_min"),
                "end_min": team_round.get("end_min"),
                "start": hhmm(team_round.get("start_min")),
                "end": hhmm(team_round.get("end_min")),
                "marks": marks,
            }
        )
        features.append(
            {"id": team, "kind": "round", "colour": paint, "line": line, "stops": stops_json}
        )

    unmet = []
    for u in plan.get("unmet", []):
        demand = index.get("demands", {}).get(str(u.get("demand"))) or {}
        unmet.append(
            {
                "demand": u.get("demand"),
                "request": demand.get("request", ""),
                "item_name": localized(demand.get("item_names"))
                or demand.get("item_name")
                or demand.get("item")
                or "",
                "quantity": u.get("quantity", 0),
                "unit": _label(Unit, demand.get("unit", "")),
                "priority": _label(RequestPriority, demand.get("priority", "")),
                "site": _site(index, demand["site"])["name"] if demand.get("site") else "",
                "reason": u.get("reason", ""),
                "reason_label": REASON_LABELS.get(u.get("reason", ""), u.get("reason", "")),
                "detail": u.get("detail", ""),
            }
        )
    unvisited = []
    for u in plan.get("unvisited", []):
        visit = index.get("visits", {}).get(str(u.get("visit"))) or {}
        unvisited.append(
            {
                "visit": u.get("visit"),
                "person": visit.get("person") or u.get("visit"),
                "site": _site(index, visit["site"])["name"] if visit.get("site") else "",
                "priority": _label(RequestPriority, visit.get("priority", "")),
                "rule": visit.get("rule", ""),
                "reason": u.get("reason", ""),
                "reason_label": VISIT_REASON_LABELS.get(u.get("reason", ""), u.get("reason", "")),
                "detail": u.get("detail", ""),
            }
        )
    return {
        "routes": routes,
        "rounds": rounds,
        "unmet": unmet,
        "unvisited": unvisited,
        "violations": list(run.violations or plan.get("violations", [])),
        "kpis": plan_kpis(run),
        "timeline": _place_bars(timeline),
        "map": {"features": features, "depots": list(depots_seen.values())},
        "vehicles": sorted(index.get("vehicles", {})),
        "teams": sorted(index.get("teams", {})),
    }


def plan_kpis(run: PlanRun) -> dict[str, Any]:
    """The figures of a run: its KPIs (the plan's summary when the run kept none), the
    cards a page shows and the unmet units by reason."""
    figures: dict[str, Any] = dict((run.plan or {}).get("summary", {}))
    figures.update(run.kpis or {})
    cards = [
        {"key": key, "label": label, "value": figures.get(key), "unit": unit}
        for key, label, unit in KPI_CARDS
        if figures.get(key) is not None
    ]
    if figures.get("visits_due") is not None:
        cards.append(
            {
                "key": "visits_made",
                "label": _("Visits made / due"),
                "value": figures.get("visits_made", 0),
                "total": figures.get("visits_due"),
                "unit": "",
            }
        )
    by_reason: dict[str, float] = defaultdict(float)
    for key, value in figures.items():
        if key.startswith("unmet_units_"):
            by_reason[key.removeprefix("unmet_units_")] += float(value or 0)
    unmet = [
        {"reason": reason, "label": REASON_LABELS.get(reason, reason), "units": units}
        for reason, units in sorted(by_reason.items())
        if units
    ]
    return {"figures": figures, "cards": cards, "unmet_by_reason": unmet}


def plan_area_choices(actor: Actor) -> QuerySet[Any]:
    """Areas a plan may be limited to: the user's areas where they may plan."""
    qs = admin_area_list(actor=actor).filter(level__gte=1)
    scope = allowed_area_ids(actor, Action.PLAN_RUN)
    return qs if scope is None else qs.filter(id__in=scope)


def plan_edit_rows(run: PlanRun) -> list[dict[str, Any]]:
    """The edits of a draft for the page: what, on which stop (its site's name), where to,
    by whom and when."""
    index: dict[str, Any] = run.index or {}
    rows = []
    for edit in run.edits or []:
        who = edit.get("vehicle") or edit.get("team") or ""
        to = edit.get("to_vehicle") or edit.get("to_team") or ""
        stop = edit.get("stop") or {}
        rows.append(
            {
                "kind": edit.get("kind", ""),
                "who": who,
                "trip": edit.get("trip"),
                "position": edit.get("position"),
                "site": _site(index, stop["site"])["name"] if stop.get("site") else "",
                "to": to,
                "to_trip": edit.get("to_trip"),
                "to_position": edit.get("to_position"),
                "violations": edit.get("violations"),
                "by": edit.get("by", ""),
                "at": str(edit.get("at", ""))[:16].replace("T", " "),
            }
        )
    return rows

"""Re-planning: committing a re-plan withdraws what the base plan still had to do (convoys
planned or loading aborted with their reservations released, rounds not started
cancelled), keeps what is under way, creates the new convoys and rounds and supersedes the
base run; plan_changes says what changed per vehicle and team."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reliefops.core.errors import Conflict
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services import replan as replan_services
from reliefops.dayplans.services.commit import plan_changes, plan_commit, plan_replan
from reliefops.logistics import services as logistics
from reliefops.logistics.models import Convoy
from reliefops.stock.selectors import reserved_by_lot
from reliefops.teams.models import Round
from tests.dayplans.drafts import DAY, day_build, draft_save, planned_per_lot

pytestmark = pytest.mark.django_db


def _by_vehicle(run: PlanRun) -> dict[str, list[Convoy]]:
    out: dict[str, list[Convoy]] = {}
    for code in run.commitment["convoys"]:
        convoy = Convoy.objects.get(code=code)
        out.setdefault(convoy.vehicles.get().vehicle.registration, []).append(convoy)
    return out


def test_committing_a_replan_withdraws_what_is_still_to_come_and_supersedes_the_base() -> None:
    day = day_build()
    s = day.scene
    base = plan_commit(actor=day.coordinator, run=draft_save(day))
    convoys = _by_vehicle(base)
    assert set(convoys) == {s.tanker.registration, s.truck.registration}
    (on_the_road,) = convoys[s.truck.registration]
    logistics.convoy_depart(actor=s.officer, convoy=on_the_road)
    base_rounds = list(base.commitment["rounds"])

    replan = draft_save(day, based_on=base, vehicles=[s.tanker])
    assert replan.violations == []
    committed = plan_commit(actor=day.coordinator, run=replan)

    assert committed.status == PlanStatus.COMMITTED
    base.refresh_from_db()
    assert base.status == PlanStatus.SUPERSEDED
    for convoy in convoys[s.tanker.registration]:
        convoy.refresh_from_db()
        assert (convoy.status, convoy.status_reason) == ("aborted", "re-planned")
    on_the_road.refresh_from_db()
    assert on_the_road.status == "departed"  # under way: kept as it is
    for reference in base_rounds:
        rnd = Round.objects.get(reference=reference)
        assert rnd.status == "cancelled"
    assert committed.commitment["convoys"] and not set(committed.commitment["convoys"]) & {
        c.code for cs in convoys.values() for c in cs
    }
    # Only the re-plan's loads hold stock now: the base's reservations were released.
    assert reserved_by_lot(warehouses=[s.origin]) == planned_per_lot(committed)
    new_rounds = [Round.objects.get(reference=r) for r in committed.commitment["rounds"]]
    assert new_rounds and all(r.status == "planned" for r in new_rounds)


def test_a_replan_of_a_base_already_superseded_is_refused_and_creates_nothing() -> None:
    day = day_build()
    base = plan_commit(actor=day.coordinator, run=draft_save(day))
    first = draft_save(day, based_on=base, vehicles=[day.scene.tanker])
    second = draft_save(day, based_on=base, vehicles=[day.scene.tanker])
    plan_commit(actor=day.coordinator, run=first)
    convoys = Convoy.objects.count()
    with pytest.raises(Conflict) as caught:
        plan_commit(actor=day.coordinator, run=second)
    assert caught.value.code == "invalid_transition"
    assert Convoy.objects.count() == convoys
    second.refresh_from_db()
    assert second.status == PlanStatus.DRAFT


def test_plan_replan_starts_a_run_based_on_a_committed_run_only(monkeypatch: Any) -> None:
    day = day_build()
    draft = draft_save(day)
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(
        replan_services.run_services, "plan_run_start", lambda **kw: started.append(kw) or kw
    )
    with pytest.raises(Conflict) as caught:
        plan_replan(actor=day.coordinator, run=draft)
    assert caught.value.code == "invalid_transition" and not started
    base = plan_commit(actor=day.coordinator, run=draft)
    plan_replan(actor=day.coordinator, run=base, seconds=5)
    (call,) = started
    assert call["based_on"] == base and call["day"] == DAY and call["seconds"] == 5
    assert call["actor"] == day.coordinator and call["area"] is None


def _stop(site: str, **extra: Any) -> dict[str, Any]:
    return {"site": site, "arrival_min": 0, "start_min": 0, "departure_min": 0, **extra}


def _delivery(demand: str, quantity: float) -> dict[str, Any]:
    return {"demand": demand, "item": "BRD", "lot": "WH/1", "quantity": quantity}


def _run(routes: list[Any], rounds: list[Any]) -> PlanRun:
    return PlanRun(
        plan={"routes": routes, "rounds": rounds, "unmet": [], "unvisited": []},
        index={
            "sites": {"F:A": {"name": "Alpha"}, "F:B": {"name": "Beta"}, "F:C": {"name": "Gamma"}},
            "demands": {"1": {"request": "RQ-1", "item": "BRD"}, "2": {"request": "RQ-2"}},
        },
    )


def _route(vehicle: str, depot: str, stops: list[Any]) -> dict[str, Any]:
    trip = {"depot": depot, "load_start_min": 0, "load_kg": 0, "load_m3": 0, "load_l": 0}
    return {
        "vehicle": vehicle,
        "start_min": 0,
        "end_min": 0,
        "distance_km": 0,
        "trips": [{**trip, "stops": stops}],
    }


def test_plan_changes_names_stops_added_removed_moved_and_deliveries_swapped() -> None:
    a = _stop("F:A", deliveries=[_delivery("1", 10)])
    b = _stop("F:B", deliveries=[_delivery("2", 5)])
    c = _stop("F:C", deliveries=[_delivery("3", 1)])
    old = _run(
        [_route("V1", "WH", [a, b]), _route("V2", "WH", [c])],
        [
            {
                "team": "T1",
                "start_min": 0,
                "end_min": 0,
                "distance_km": 0,
                "stops": [_stop("P:X", visit="P-1")],
            }
        ],
    )
    new_rounds = copy.deepcopy(old.plan["rounds"])
    new_rounds[0]["team"] = "T2"
    new = _run([_route("V1", "WH", [b, c]), _route("V3", "WH2", [a])], new_rounds)

    changes = plan_changes(old, new)

    vehicles = {c["id"]: c for c in changes if c["kind"] == "vehicle"}
    assert [x["site"] for x in vehicles["V1"]["added"]] == ["F:C"]
    assert [x["name"] for x in vehicles["V1"]["removed"]] == ["Alpha"]
    assert [x["site"] for x in vehicles["V2"]["removed"]] == ["F:C"]
    assert [x["site"] for x in vehicles["V3"]["added"]] == ["F:A"]
    teams = {c["id"]: c for c in changes if c["kind"] == "team"}
    assert set(teams) == {"T1", "T2"}
    deliveries = {c["id"]: c for c in changes if c["kind"] == "delivery"}
    assert deliveries["1"]["change"] == ["vehicle", "depot"]
    assert deliveries["1"]["request"] == "RQ-1"
    assert deliveries["1"]["old"]["vehicles"] == ["V1"]
    assert deliveries["1"]["new"] == {"vehicles": ["V3"], "depots": ["WH2"], "quantity": 10}
    assert deliveries["3"]["change"] == ["vehicle"]
    assert "2" not in deliveries  # still V1 from WH
    (visit,) = [c for c in changes if c["kind"] == "visit"]
    assert (visit["old"], visit["new"]) == ({"teams": ["T1"]}, {"teams": ["T2"]})


def test_plan_changes_names_a_reordered_round() -> None:
    stops = [
        _stop("F:A", deliveries=[_delivery("1", 1)]),
        _stop("F:B", deliveries=[_delivery("2", 1)]),
    ]
    old = _run([_route("V1", "WH", stops)], [])
    new = _run([_route("V1", "WH", list(reversed(stops)))], [])
    (change,) = plan_changes(old, new)
    assert change["kind"] == "vehicle" and change["added"] == change["removed"] == []
    assert {x["site"] for x in change["moved"]} == {"F:A", "F:B"}
    assert plan_changes(old, old) == []

"""Editing a draft plan run (move, drop, pin a stop; swap a vehicle), re-checked at once; discard."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services.edits import plan_discard, plan_edit
from reliefops.dayplans.services.runs import plan_kpis
from reliefops.planning import StopRule, Vehicle, plan_to_json, problem_to_json, solve
from tests.accounts.factories import make_user
from tests.places.factories import AdminAreaFactory
from tests.planning.conftest import small_builder

DAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def _problem_module(settings: Any) -> None:
    # The runs helper's stand-in reads a problem stored as plain problem JSON.
    settings.RELIEFOPS_PLAN_PROBLEM = "tests.dayplans.fake_problem"


def _draft(coordinator: Any, **fields: Any) -> PlanRun:
    """A draft of the small day: TRUCK (food: S2 then S1), TANKER (fuel: S3), a free TRUCK2,
    teams NURSES (V1) and SOCIAL (V2)."""
    builder = small_builder()
    plan = solve(builder.build(), StopRule(max_iterations=200), seed=3)
    builder.add_vehicle(Vehicle("TRUCK2", "D1", 3000, 12, 0, frozenset({"food"}), shift_min=600))
    problem = builder.build()
    fields.setdefault("status", PlanStatus.DRAFT)
    return PlanRun.objects.create(
        reference=fields.pop("reference", "PL-20260115-1"),
        date=DAY,
        problem=json.dumps(problem_to_json(problem)).encode(),
        index={"vehicles": {v.id: {"vehicle": v.id} for v in problem.vehicles}},
        plan=plan_to_json(plan, []),
        violations=[],
        kpis=plan_kpis(plan),
        created_by=coordinator,
        **fields,
    )


def _sites(run: PlanRun, vehicle: str) -> list[list[str]]:
    assert run.plan is not None
    route = next((r for r in run.plan["routes"] if r["vehicle"] == vehicle), None)
    return [[s["site"] for s in t["stops"]] for t in route["trips"]] if route else []


@pytest.mark.django_db
def test_a_move_within_capacity_is_saved_checked_and_recorded(coordinator: Any) -> None:
    run = _draft(coordinator)
    assert _sites(run, "TRUCK") == [["S2", "S1"]]
    distance = run.kpis["distance_km"]
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={"kind": "move", "vehicle": "TRUCK", "trip": 1, "position": 2, "to_vehicle": "TRUCK2"},
    )
    assert run.status == PlanStatus.DRAFT
    assert _sites(run, "TRUCK") == [["S2"]] and _sites(run, "TRUCK2") == [["S1"]]
    assert run.violations == [] and run.plan is not None and run.plan["violations"] == []
    assert run.kpis["served_percent"] == 100.0
    assert run.kpis["distance_km"] > distance  # two vehicles drive out instead of one
    assert run.kpis["vehicle_hours"] > 0
    [record] = run.edits
    assert record["kind"] == "move" and record["to_vehicle"] == "TRUCK2"
    assert record["stop"] == {"site": "S1", "demands": ["R1-food"], "visit": None}
    assert record["violations"] == 0
    assert record["by"] == coordinator.username and record["at"]
    event = AuditEvent.objects.get(action="plan.edit", object_id=str(run.pk))
    assert event.actor_id == coordinator.pk
    assert event.after["edit"]["to_vehicle"] == "TRUCK2"


@pytest.mark.django_db
def test_an_edit_that_breaks_a_rule_is_saved_with_its_violations(coordinator: Any) -> None:
    run = _draft(coordinator)
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={
            "kind": "move",
            "vehicle": "TRUCK",
            "trip": "1",
            "position": "1",
            "to_vehicle": "TANKER",
        },
    )
    assert _sites(run, "TANKER") == [["S3", "S2"]]
    kinds = {v["kind"] for v in run.violations}
    assert "class_not_allowed" in kinds
    assert run.plan is not None and run.plan["violations"] == run.violations
    assert run.edits[-1]["violations"] == len(run.violations)
    # Moving it back repairs the draft.
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={
            "kind": "move",
            "vehicle": "TANKER",
            "position": 2,
            "to_vehicle": "TRUCK",
            "to_position": 1,
        },
    )
    assert run.violations == [] and _sites(run, "TRUCK") == [["S2", "S1"]]
    assert len(run.edits) == 2


@pytest.mark.django_db
def test_a_drop_makes_the_delivery_unmet_and_lowers_the_kpis(coordinator: Any) -> None:
    run = _draft(coordinator)
    run = plan_edit(
        actor=coordinator, run=run, edit={"kind": "drop", "vehicle": "TRUCK", "position": 2}
    )
    assert run.plan is not None
    assert run.plan["unmet"] == [
        {
            "demand": "R1-food",
            "quantity": 20.0,
            "reason": "dropped",
            "detail": "dropped by the coordinator",
        }
    ]
    assert run.violations == []
    assert run.kpis["served_percent"] < 100.0
    assert run.kpis["life_saving_served_percent"] == 0.0
    assert run.kpis["unmet_units_dropped"] == 20.0
    run = plan_edit(
        actor=coordinator, run=run, edit={"kind": "drop", "team": "SOCIAL", "position": 1}
    )
    assert run.plan["unvisited"][0]["reason"] == "dropped"
    assert run.kpis["visits_made"] == 1.0


@pytest.mark.django_db
def test_pins_are_kept_on_the_plan_and_protect_the_stop(coordinator: Any) -> None:
    run = _draft(coordinator)
    pin = {"kind": "pin", "vehicle": "TRUCK", "trip": 1, "position": 2}
    run = plan_edit(actor=coordinator, run=run, edit=pin)
    assert run.plan is not None
    assert run.plan["routes"][1]["trips"][0]["stops"][1]["pinned"] is True
    assert run.edits[-1]["kind"] == "pin"
    with pytest.raises(Conflict) as error:
        plan_edit(
            actor=coordinator,
            run=run,
            edit={"kind": "move", "vehicle": "TRUCK", "position": 2, "to_vehicle": "TRUCK2"},
        )
    assert error.value.code == "stop_pinned"
    with pytest.raises(Conflict):
        plan_edit(
            actor=coordinator,
            run=run,
            edit={"kind": "swap", "vehicle": "TRUCK", "to_vehicle": "TRUCK2"},
        )
    run = plan_edit(actor=coordinator, run=run, edit={**pin, "kind": "unpin"})
    run = plan_edit(
        actor=coordinator,
        run=run,
        edit={"kind": "swap", "vehicle": "TRUCK", "to_vehicle": "TRUCK2"},
    )
    assert _sites(run, "TRUCK2") == [["S2", "S1"]] and _sites(run, "TRUCK") == []
    assert run.violations == []
    assert [e["kind"] for e in run.edits] == ["pin", "unpin", "swap"]
    assert "stop" not in run.edits[-1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"kind": "teleport"}, "kind"),
        ({"kind": "move", "vehicle": "TRUCK", "position": 7}, "position"),
        ({"kind": "move", "vehicle": "TRUCK", "trip": 2, "position": 1}, "trip"),
        ({"kind": "move", "vehicle": "TRUCK", "position": 1, "to_vehicle": "BUS"}, "to_vehicle"),
        ({"kind": "drop", "vehicle": "TRUCK2", "position": 1}, "vehicle"),
        ({"kind": "drop", "vehicle": "TRUCK", "position": "first"}, "position"),
        ({"kind": "pin", "team": "NURSES", "position": 1, "colour": "red"}, "colour"),
        ({"kind": "swap", "team": "NURSES", "to_team": "NOBODY"}, "to_team"),
    ],
)
def test_an_edit_that_cannot_be_applied_is_invalid_input_naming_the_field(
    coordinator: Any, edit: dict[str, Any], field: str
) -> None:
    run = _draft(coordinator)
    before = run.plan
    with pytest.raises(InvalidInput) as error:
        plan_edit(actor=coordinator, run=run, edit=edit)
    assert error.value.details["field"] == field
    assert str(error.value.message)  # a sentence for the page
    run.refresh_from_db()
    assert run.plan == before and run.edits == []
    assert not AuditEvent.objects.filter(action="plan.edit").exists()


@pytest.mark.django_db
def test_an_edit_that_is_not_a_mapping_is_refused(coordinator: Any) -> None:
    run = _draft(coordinator)
    with pytest.raises(InvalidInput) as error:
        plan_edit(actor=coordinator, run=run, edit=["move"])  # type: ignore[arg-type]
    assert error.value.details["field"] == "edit"


@pytest.mark.django_db
def test_an_edit_made_on_an_older_view_of_the_draft_is_refused(coordinator: Any) -> None:
    run = _draft(coordinator)
    drop = {"kind": "drop", "vehicle": "TRUCK", "position": 1, "version": 0}
    run = plan_edit(actor=coordinator, run=run, edit=drop)
    with pytest.raises(Conflict) as error:
        plan_edit(actor=coordinator, run=run, edit=drop)  # the page still showed version 0
    assert error.value.code == "plan_edited"
    run = plan_edit(actor=coordinator, run=run, edit={**drop, "version": "1"})
    assert len(run.edits) == 2 and "version" not in run.edits[0]


@pytest.mark.django_db
def test_only_coordinators_of_the_runs_area_edit_it(coordinator: Any) -> None:
    north, south = AdminAreaFactory(code="AZ-N"), AdminAreaFactory(code="AZ-S")
    run = _draft(coordinator, area=north)
    edit = {"kind": "drop", "vehicle": "TRUCK", "position": 1}
    for outsider in (
        make_user("viewer"),
        make_user("field", areas=[north]),
        make_user("coordinator", areas=[south]),
    ):
        with pytest.raises(Forbidden):
            plan_edit(actor=outsider, run=run, edit=edit)
    local = make_user("coordinator", areas=[north])
    assert len(plan_edit(actor=local, run=run, edit=edit).edits) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PlanStatus.RUNNING, PlanStatus.COMMITTED, PlanStatus.CANCELLED])
def test_only_a_draft_can_be_edited(coordinator: Any, status: str) -> None:
    run = _draft(coordinator, status=status)
    with pytest.raises(Conflict) as error:
        plan_edit(
            actor=coordinator, run=run, edit={"kind": "drop", "vehicle": "TRUCK", "position": 1}
        )
    assert error.value.code == "invalid_transition"


@pytest.mark.django_db
def test_discard_cancels_the_draft_once(coordinator: Any) -> None:
    run = _draft(coordinator)
    with pytest.raises(Forbidden):
        plan_discard(actor=make_user("viewer"), run=run)
    run = plan_discard(actor=coordinator, run=run)
    assert run.status == PlanStatus.CANCELLED and run.finished_at is not None
    assert run.plan is not None  # kept for the record
    assert AuditEvent.objects.filter(action="plan.discard", object_id=str(run.pk)).count() == 1
    with pytest.raises(Conflict) as error:
        plan_discard(actor=coordinator, run=run)
    assert error.value.code == "invalid_transition"
    with pytest.raises(Conflict):
        plan_edit(
            actor=coordinator, run=run, edit={"kind": "drop", "vehicle": "TRUCK", "position": 1}
        )

"""Committing a draft: one loaded convoy per vehicle trip with exactly the plan's lots
reserved, one confirmed round per team round, exactly once; infeasible and stale drafts
are refused and a refusal of any service leaves nothing behind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from reliefops.core.errors import ApplicationError, Conflict, Forbidden
from reliefops.core.models import AuditEvent
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.services import commit as commit_services
from reliefops.dayplans.services.commit import plan_commit
from reliefops.logistics.models import ConsignmentLine, Convoy
from reliefops.places.services import road_segment_set_status
from reliefops.stock.models import Lot, StockBalance
from reliefops.stock.selectors import reserved_by_lot
from reliefops.stock.services import stock_count
from reliefops.teams.models import Round
from tests.dayplans.drafts import day_build, draft_save, planned_per_lot

pytestmark = pytest.mark.django_db


def _nothing_created(day: Any) -> None:
    assert not Convoy.objects.exists()
    assert not Round.objects.exists()
    assert not StockBalance.objects.filter(reserved__gt=0).exists()


def test_commit_creates_one_loaded_convoy_per_trip_and_confirmed_rounds() -> None:
    day = day_build()
    run = draft_save(day)
    assert run.violations == []
    trips = [
        (route["vehicle"], trip)
        for route in run.plan["routes"]
        for trip in route["trips"]
        if any(s.get("deliveries") for s in trip["stops"])
    ]
    assert trips, "the test day must need at least one convoy"
    assert run.plan["rounds"], "the test day must need a round"

    committed = plan_commit(actor=day.coordinator, run=run)

    assert committed.status == PlanStatus.COMMITTED
    assert committed.committed_by == day.coordinator and committed.committed_at is not None
    codes = committed.commitment["convoys"]
    assert len(codes) == len(trips)
    for code, (registration, trip) in zip(codes, trips, strict=True):
        convoy = Convoy.objects.get(code=code)
        assert convoy.status == "loading"
        assert convoy.origin == day.scene.origin
        assert [v.vehicle.registration for v in convoy.vehicles.all()] == [registration]
        assert convoy.organisation == day.scene.mes
        sites = [s["site"] for s in trip["stops"] if s.get("deliveries")]
        assert [f"F:{s.facility.code}" for s in convoy.stops.order_by("sequence")] == sites
        lines = ConsignmentLine.objects.filter(carrier__convoy=convoy)
        planned = sorted(
            (d["demand"], run.index["lots"][d["lot"]]["lot"], Decimal(str(d["quantity"])))
            for s in trip["stops"]
            for d in s.get("deliveries", [])
        )
        assert (
            sorted((str(li.request_line_id), str(li.lot_id), li.quantity) for li in lines)
            == planned
        )
    # MUST HOLD 3: the reservations are exactly the plan's deliveries per lot.
    assert reserved_by_lot(warehouses=[day.scene.origin]) == planned_per_lot(committed)
    rounds = [Round.objects.get(reference=r) for r in committed.commitment["rounds"]]
    assert len(rounds) == len(run.plan["rounds"])
    for rnd, plan_round in zip(rounds, run.plan["rounds"], strict=True):
        assert rnd.status == "planned" and rnd.team == day.team and rnd.date == run.date
        assert [s.person.reference for s in rnd.stops.order_by("sequence")] == [
            s["visit"] for s in plan_round["stops"] if s.get("visit")
        ]
    event = AuditEvent.objects.get(action="plan.commit", object_id=str(run.pk))
    assert event.after["convoys"] == len(codes) and event.after["rounds"] == len(rounds)


def test_a_second_commit_is_an_invalid_transition_and_creates_nothing_more() -> None:
    day = day_build()
    run = draft_save(day)
    plan_commit(actor=day.coordinator, run=run)
    convoys, lines = Convoy.objects.count(), ConsignmentLine.objects.count()
    reserved = reserved_by_lot(warehouses=[day.scene.origin])
    with pytest.raises(Conflict) as caught:
        plan_commit(actor=day.other_coordinator, run=run)
    assert caught.value.code == "invalid_transition"
    assert caught.value.status_code == 409
    assert (Convoy.objects.count(), ConsignmentLine.objects.count()) == (convoys, lines)
    assert reserved_by_lot(warehouses=[day.scene.origin]) == reserved


def test_an_infeasible_draft_is_refused() -> None:
    day = day_build()
    run = draft_save(day)
    run.violations = [{"where": "vehicle 10-MES-02", "kind": "overloaded", "detail": "x"}]
    run.save()
    with pytest.raises(Conflict) as caught:
        plan_commit(actor=day.coordinator, run=run)
    assert caught.value.code == "plan_infeasible"
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT
    _nothing_created(day)


def test_a_stock_adjustment_after_the_run_makes_the_draft_stale() -> None:
    day = day_build()
    run = draft_save(day)
    lot = Lot.objects.get(code="B-1")
    stock_count(actor=day.coordinator, warehouse=day.scene.origin, lot=lot, counted=Decimal("700"))
    with pytest.raises(Conflict) as caught:
        plan_commit(actor=day.coordinator, run=run)
    assert caught.value.code == "plan_stale"
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT and run.commitment == {}
    _nothing_created(day)


def test_a_road_closure_after_the_run_makes_the_draft_stale() -> None:
    day = day_build()
    run = draft_save(day)
    road_segment_set_status(
        actor=day.coordinator, segment=day.scene.segments[1], status="closed", reason="flood"
    )
    with pytest.raises(Conflict) as caught:
        plan_commit(actor=day.coordinator, run=run)
    assert caught.value.code == "plan_stale"
    _nothing_created(day)


def test_a_refusal_of_any_service_rolls_everything_back(monkeypatch: Any) -> None:
    day = day_build()
    run = draft_save(day)

    def refuse(**kwargs: Any) -> Any:
        raise Conflict("the team is not active", code="team_inactive")

    monkeypatch.setattr(commit_services, "round_create", refuse)
    with pytest.raises(ApplicationError) as caught:
        plan_commit(actor=day.coordinator, run=run)
    assert caught.value.code == "team_inactive"
    run.refresh_from_db()
    assert run.status == PlanStatus.DRAFT
    _nothing_created(day)
    assert not AuditEvent.objects.filter(action__in=["plan.commit", "convoy.plan"]).exists()


def test_only_a_coordinator_commits() -> None:
    day = day_build()
    run = draft_save(day)
    with pytest.raises(Forbidden):
        plan_commit(actor=day.scene.officer, run=run)
    _nothing_created(day)

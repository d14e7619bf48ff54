"""The demo's plan for tomorrow uses both roads into Khankendi and has team rounds; closing
the Aghdam–Asgaran segment moves the distribution point's deliveries to the Lachin road."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from reliefops.accounts.models import User
from reliefops.dayplans import demo as dayplans_demo
from reliefops.dayplans.problem import problem_build
from reliefops.places.models import Facility, RoadSegment
from reliefops.places.selectors import road_path
from reliefops.places.services import road_segment_set_status
from reliefops.planning import StopRule, check, solve

pytestmark = pytest.mark.django_db(transaction=True)

KHANKENDI = "AZ-G146970"


def _plan(actor: User) -> tuple[Any, Any]:
    built = problem_build(actor=actor, day=dayplans_demo.tomorrow())
    plan = solve(built.problem, StopRule(max_iterations=300), seed=1)
    assert check(built.problem, plan) == []
    return built, plan


def _served_from(built: Any, plan: Any) -> dict[tuple[str, str], str]:
    """(request, item) delivered in Khankendi → the depot it was loaded at."""
    out = {}
    for route in plan.routes:
        for trip in route.trips:
            for stop in trip.stops:
                if built.index["sites"][stop.site]["place"] != KHANKENDI:
                    continue
                for d in stop.deliveries:
                    out[(built.index["demands"][d.demand]["request"], d.item)] = trip.depot
    return out


def _roads(origin: str, destination: str) -> set[str]:
    a = Facility.objects.get(code=origin).place
    b = Facility.objects.get(code=destination).place
    return {s.name.split(" (")[0] for s in road_path(a, b)}


def test_demo_plan_uses_both_roads_and_moves_to_lachin_when_closed() -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert "dayplans: 3 requests for tomorrow's plan" in out.getvalue()
    actor = User.objects.get(username="coordinator")

    built, plan = _plan(actor)
    served = _served_from(built, plan)
    assert served[("DEMO-PLAN-MED-XA-HOSP", "MEDKIT")] == "F-GOR-WH"
    assert served[("DEMO-PLAN-DP-XA", "BLKT")] == "F-BAR-WH"
    assert set(served.values()) == {"F-BAR-WH", "F-GOR-WH"}
    assert "Aghdam–Asgaran–Khankendi road" in _roads("F-BAR-WH", "F-XA-DP")
    assert "Lachin–Khankendi road" in _roads("F-GOR-WH", "F-XA-HOSP")
    # both medical teams make rounds; the food team too on the weekdays it works (the
    # demo's tomorrow is the real tomorrow, so which day it is changes)
    teams = {r.team for r in plan.rounds if r.stops}
    assert {"MMT-1", "MMT-2"} <= teams <= {"MMT-1", "MMT-2", "MFS-1"}

    segment = RoadSegment.objects.get(code="SR-AGM-ASG")
    road_segment_set_status(
        actor=User.objects.get(username="admin"),
        segment=segment,
        status="closed",
        reason="Landslide",
    )
    closed, replanned = _plan(actor)
    assert closed.input_hash != built.input_hash
    moved = _served_from(closed, replanned)
    assert moved[("DEMO-PLAN-DP-XA", "BLKT")] == "F-GOR-WH"
    assert moved[("DEMO-PLAN-DP-XA", "HYG")] == "F-GOR-WH"
    assert "Aghdam–Asgaran–Khankendi road" not in _roads("F-BAR-WH", "F-XA-DP")

"""Small, hand-made planning problems shared by the planning tests (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from reliefops.planning import (
    Demand,
    Depot,
    Item,
    Lot,
    Plan,
    Priority,
    Problem,
    ProblemBuilder,
    Site,
    StopRule,
    Team,
    Vehicle,
    Visit,
    solve,
)

DAY = date(2026, 1, 15)
FOOD = Item("food_parcel", "food", kg=15.0, m3=0.05)
FUEL = Item("heating_fuel", "fuel", kg=0.84, l=1.0, divisible=True)


def small_builder() -> ProblemBuilder:
    """One depot, four sites 5–15 km away, a truck, a tanker (unused by food), two teams."""
    b = ProblemBuilder(DAY)
    b.add_site(Site("DEPOT", 40.00, 47.00, area="north", service_min=0))
    b.add_site(Site("S1", 40.05, 47.00, area="north", open_min=540, close_min=1020))
    b.add_site(Site("S2", 40.00, 47.10, area="south", open_min=480, close_min=1080))
    b.add_site(Site("S3", 39.95, 47.05, area="south"))
    b.add_site(Site("BASE", 40.02, 47.02, area="north", service_min=0))
    b.add_item(FOOD)
    b.add_item(FUEL)
    b.add_depot(Depot("D1", "DEPOT", open_min=360, close_min=1200, load_min=20))
    b.add_lot(Lot("L-food-old", "D1", "food_parcel", 30, date(2026, 2, 1)))
    b.add_lot(Lot("L-food-new", "D1", "food_parcel", 100, date(2026, 6, 1)))
    b.add_lot(Lot("L-fuel", "D1", "heating_fuel", 5000))
    b.add_demand(Demand("R1-food", "S1", "food_parcel", 20, Priority.LIFE_SAVING))
    b.add_demand(Demand("R2-food", "S2", "food_parcel", 30, Priority.URGENT))
    b.add_demand(Demand("R3-fuel", "S3", "heating_fuel", 800, Priority.URGENT))
    b.add_vehicle(Vehicle("TRUCK", "D1", 3000, 12, 0, frozenset({"food", "nfi"}), shift_min=600))
    b.add_vehicle(Vehicle("TANKER", "D1", 9000, 0, 10000, frozenset({"fuel"}), shift_min=600))
    b.add_team(Team("NURSES", "BASE", frozenset({"nurse"}), frozenset({"az", "ru"})))
    b.add_team(Team("SOCIAL", "BASE", frozenset({"psychosocial"}), frozenset({"hy"})))
    b.add_visit(Visit("V1", "S1", 30, Priority.URGENT, skill="nurse", language="az"))
    b.add_visit(Visit("V2", "S3", 45, Priority.ROUTINE, language="hy", open_min=600, close_min=900))
    b.set_speed_model(speed_kmh=40, detour=1.3)
    return b


@pytest.fixture
def small_problem() -> Problem:
    return small_builder().build()


@pytest.fixture
def small_plan(small_problem: Problem) -> Plan:
    return solve(small_problem, StopRule(max_iterations=200), seed=3)

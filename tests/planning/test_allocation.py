"""Allocation: fairness between areas, fleet capacity, reasons, first-expiry-first-out."""

from __future__ import annotations

from datetime import date

from reliefops.planning import (
    Demand,
    Depot,
    Item,
    Lot,
    Priority,
    ProblemBuilder,
    Site,
    UnmetReason,
    Vehicle,
    allocation_solve,
)

FOOD = Item("food", "food", kg=10.0, m3=0.01)


def two_area_day(fairness: float, stock: float, truck_kg: float = 5000.0) -> ProblemBuilder:
    b = ProblemBuilder(date(2026, 1, 15))
    b.add_site(Site("DEPOT", 40.0, 47.0, service_min=0))
    b.add_site(Site("N1", 40.05, 47.0, area="north"))
    b.add_site(Site("N2", 40.06, 47.0, area="north"))
    b.add_site(Site("S1", 39.97, 47.0, area="south"))
    b.add_item(FOOD)
    b.add_depot(Depot("D", "DEPOT"))
    b.add_lot(Lot("L", "D", "food", stock, date(2026, 3, 1)))
    b.add_vehicle(Vehicle("T", "D", truck_kg, 50, 0, frozenset({"food"})))
    # The north asks for much more than the south; both are routine.
    b.add_demand(Demand("north-1", "N1", "food", 40, Priority.ROUTINE))
    b.add_demand(Demand("north-2", "N2", "food", 40, Priority.ROUTINE))
    b.add_demand(Demand("south-1", "S1", "food", 40, Priority.ROUTINE))
    b.fairness_weight = fairness
    b.set_speed_model()
    return b


def served_by_area(fairness: float) -> dict[str, float]:
    problem = two_area_day(fairness, stock=60).build()
    result = allocation_solve(problem)
    share = {"north": 0.0, "south": 0.0}
    for a in result.allocated:
        share["south" if a.demand.startswith("south") else "north"] += a.quantity
    return {"north": share["north"] / 80, "south": share["south"] / 40}


def test_fairness_keeps_every_area_close_to_the_others() -> None:
    fair = served_by_area(0.5)
    assert abs(fair["north"] - fair["south"]) <= 0.05
    assert min(fair.values()) >= 0.45


def test_fleet_capacity_limits_the_allocation_with_reason() -> None:
    problem = two_area_day(0.5, stock=500, truck_kg=600).build()  # 60 units fit one truck
    result = allocation_solve(problem)
    assert sum(a.quantity for a in result.allocated) == 60
    assert {u.reason for u in result.unmet} == {UnmetReason.NO_CAPACITY}


def test_priority_wins_when_stock_is_short() -> None:
    b = two_area_day(0.0, stock=40)
    b.add_demand(Demand("life", "S1", "food", 40, Priority.LIFE_SAVING))
    result = allocation_solve(b.build())
    assert {a.demand: a.quantity for a in result.allocated} == {"life": 40}
    assert {u.reason for u in result.unmet} == {UnmetReason.NO_STOCK}


def test_first_expiry_first_out_across_lots() -> None:
    b = two_area_day(0.5, stock=30)
    b.add_lot(Lot("L-late", "D", "food", 100, date(2026, 12, 1)))
    b.add_lot(Lot("L-none", "D", "food", 100))
    b.add_lot(Lot("L-expired", "D", "food", 100, date(2026, 1, 1)))
    result = allocation_solve(b.build())
    used: dict[str, float] = {}
    for a in result.allocated:
        used[a.lot] = used.get(a.lot, 0.0) + a.quantity
    assert used["L"] == 30  # earliest expiry emptied first
    assert "L-expired" not in used
    assert used.get("L-late", 0) == 90 and "L-none" not in used

"""The bench day's vocabulary and sizes, and small helpers of the bench-only loader."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import numpy as np
from django.utils import timezone

ITEMS = (
    # code, category, unit, kg, m3, perishable
    ("food_parcel", "food", "parcel", "15", "0.05", True),
    ("hygiene_kit", "hygiene", "kit", "5", "0.03", False),
    ("water_pack", "water", "piece", "10", "0.012", True),
    ("medical_kit", "medical_supplies", "kit", "8", "0.04", True),
    ("heating_fuel", "fuel", "litre", "0.84", "0.001", False),
)
QUANTITY_RANGE = {
    "food_parcel": (5, 40),
    "hygiene_kit": (5, 30),
    "water_pack": (10, 60),
    "medical_kit": (1, 8),
    "heating_fuel": (200, 1500),
}
LANGUAGES = ("az", "hy", "ru", "en")
SKILLS = ("nurse", "doctor", "paramedic", "social_worker")
VULNERABILITIES = (
    "diabetes",
    "hypertension",
    "cardiac",
    "renal",
    "respiratory",
    "chronic_medication",
    "needs_surgery",
    "disability",
)

SIZES: dict[str, dict[str, int]] = {
    "national": {
        "places": 10_000,
        "persons": 100_000,
        "requests": 2_000,
        "vehicles": 500,
        "teams": 100,
        "warehouses": 20,
    },
    "small": {
        "places": 500,
        "persons": 5_000,
        "requests": 100,
        "vehicles": 25,
        "teams": 5,
        "warehouses": 2,
    },
}

#: The day the bench plans (a Thursday; the teams' shifts are Monday–Saturday).
BENCH_DAY = dt.date(2026, 12, 3)
COORDINATOR = "bench-coordinator"


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _bulk(model: Any, rows: list[Any], batch: int = 5000) -> None:
    model.objects.bulk_create(rows, batch_size=batch)


def ledger_history(warehouse: Any, item: Any, lot: Any, final: Decimal, day: dt.date) -> list[Any]:
    """A year of weekly receipts and issues at ``warehouse`` whose sum is ``final``
    (receipts bring in what is issued plus the final balance, so it never goes negative)."""
    from reliefops.stock.models import StockTransaction

    ledger: list[Any] = []
    weeks = 52
    issued = Decimal(int(final))
    receipt = (final + issued) / weeks
    issue = issued / weeks
    running = Decimal(0)
    for week in range(weeks):
        at = _aware(day - dt.timedelta(days=365 - 7 * week))
        q_in = receipt.quantize(Decimal("0.001")) if week < weeks - 1 else final + issued - running
        ledger.append(
            StockTransaction(
                id=uuid.uuid4(),
                occurred_at=at,
                kind="receipt",
                warehouse=warehouse,
                item=item,
                lot=lot,
                quantity=q_in,
                reference=f"GRN-{warehouse.facility.code}-{week}",
                group=uuid.uuid4(),
            )
        )
        running += q_in
        q_out = (
            issue.quantize(Decimal("0.001"))
            if week < weeks - 1
            else issued - (issue.quantize(Decimal("0.001")) * (weeks - 1))
        )
        if q_out:
            ledger.append(
                StockTransaction(
                    id=uuid.uuid4(),
                    occurred_at=at + dt.timedelta(days=3),
                    kind="dispatch",
                    warehouse=warehouse,
                    item=item,
                    lot=lot,
                    quantity=-q_out,
                    reference=f"WB-{warehouse.facility.code}-{week}",
                    group=uuid.uuid4(),
                )
            )
    return ledger

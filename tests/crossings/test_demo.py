"""The crossings demo: the Lachin crossing point's synthetic flows towards Goris over
24–30 September 2023 (moved with the scenario's calendar), its catchment, synthetic
baselines; the populations follow; loading twice changes nothing; and (must hold 5)
``reliefops export crossing-counts --format csv`` and ``… populations …`` work on it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from reliefops.core.demo import scenario_date
from reliefops.crossings import demo
from reliefops.crossings.models import CrossingCount, CrossingPointSetting
from reliefops.crossings.selectors import population_current
from reliefops.places.models import Place, PopulationEstimate

pytestmark = pytest.mark.django_db(transaction=True)


def _export(kind: str, tmp_path: Path) -> list[dict[str, str]]:
    target = tmp_path / f"{kind}.csv"
    call_command(
        "export",
        kind,
        "--format",
        "csv",
        "--output",
        str(target),
        "--user",
        "coordinator",
        stderr=io.StringIO(),
    )
    return list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))


def test_the_crossings_demo(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert "crossings: F-LAC-CP catchment" in out.getvalue()

    setting = CrossingPointSetting.objects.get(crossing_point__code=demo.POINT)
    assert {a.code for a in setting.catchment.all()} == set(demo.CATCHMENT)
    assert setting.direction_label("outbound", "en") == "towards Goris"
    assert setting.direction_label("outbound", "ru") == "в сторону Гориса"

    counts = CrossingCount.objects.filter(crossing_point__code=demo.POINT)
    outbound = {c.date: c for c in counts.filter(direction="outbound")}
    days = [scenario_date(dt.date(2023, 9, d)) for d in range(24, 31)]
    assert sorted(outbound) == days
    assert sum(c.persons for c in outbound.values()) == 100_000
    peak = sorted(outbound.values(), key=lambda c: -c.persons)[:3]
    assert {c.date for c in peak} == set(days[2:5])  # 26–28 September
    assert all(c.method == "estimate" and not c.broken_down for c in peak)
    for c in counts.filter(method="count"):
        assert c.broken_down and sum(v or 0 for v in c.cells.values()) == c.persons
    assert all(c.notes.startswith(demo.MARK) and "synthetic" in c.source for c in counts)
    assert counts.filter(direction="inbound").count() == 7

    # Baselines for the scenario's places; the estimates move with the outflow.
    synthetic = PopulationEstimate.objects.filter(source=demo.BASELINE_SOURCE)
    assert synthetic.count() > 10
    khankendi = Place.objects.get(code="AZ-G146970")
    estimate = population_current([khankendi.pk])[khankendi.pk]
    assert estimate.baseline == 55200 and estimate.baseline_as_of == dt.date(2015, 10, 1)
    assert estimate.net_flow < 0 and 0 < estimate.value < estimate.baseline
    assert estimate.low < estimate.value < estimate.high
    assert estimate.crossing_points == (demo.POINT,)

    # Idempotent.
    before = (counts.count(), PopulationEstimate.objects.count())
    demo.load(stdout=io.StringIO())
    assert (counts.count(), PopulationEstimate.objects.count()) == before
    assert all(c.history.count() == 1 for c in counts)

    # Must hold 5: both exports work on the demo.
    rows = _export("crossing-counts", tmp_path)
    lachin = [r for r in rows if r["crossing_point"] == demo.POINT]
    assert len(lachin) == 14
    assert sum(int(r["persons"]) for r in lachin if r["direction"] == "outbound") == 100_000
    assert {"female_0_4", "male_70_plus", "persons", "method", "area"} <= set(rows[0])
    populations = {r["place"]: r for r in _export("populations", tmp_path)}
    row = populations["AZ-G146970"]
    assert int(row["population"]) == 55200 and int(row["estimate"]) == estimate.value
    assert int(row["estimate_low"]) <= int(row["estimate"]) <= int(row["estimate_high"])
    assert int(row["net_flow"]) == estimate.net_flow

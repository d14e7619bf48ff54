"""Population estimates: the arithmetic (no database), then baselines and flows read back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from reliefops.crossings.estimates import Flows, Share, Uncertainty, place_estimate
from reliefops.crossings.selectors import population_current, population_current_by_admin1
from tests.crossings.scene import BASELINE_DAY, crossings_scene

ON = dt.date(2023, 10, 1)


def test_the_estimate_and_its_range_by_hand() -> None:
    u = Uncertainty()
    flows = Flows(inbound_counted=100, outbound_counted=2000, outbound_estimated=1000)
    estimate = place_estimate(
        baseline=4000,
        as_of=dt.date(2023, 1, 1),
        source="census",
        shares=[Share("CP", 0.25, flows)],
        on=ON,
        uncertainty=u,
    )
    # net = 100 − 3000 = −2900; a quarter of it: −725.
    assert (estimate.value, estimate.net_flow) == (3275, -725)
    # low  = 4000 × 0.95 + 0.25 × (100 × 0.95 − 2000 × 1.05 − 1000 × 1.25)
    # high = 4000 × 1.05 + 0.25 × (100 × 1.05 − 2000 × 0.95 − 1000 × 0.75)
    assert estimate.low == int(3800 + 0.25 * (95 - 2100 - 1250))
    assert estimate.high == 4200 + round(0.25 * (105 - 1900 - 750))
    assert estimate.crossing_points == ("CP",)


def test_the_baseline_uncertainty_grows_with_its_age() -> None:
    u = Uncertainty()
    assert u.baseline(dt.date(2023, 1, 1), ON) == 0.05
    assert u.baseline(dt.date(2020, 1, 1), ON) == 0.10
    assert u.baseline(dt.date(2015, 10, 1), ON) == 0.20
    assert u.baseline(None, ON) == 0.20
    custom = Uncertainty.from_settings({"baseline_by_age": [[2, 0.03]], "estimated": 0.4})
    assert custom.baseline(dt.date(2022, 1, 1), ON) == 0.03 and custom.estimated == 0.4
    with pytest.raises(ValueError):
        Uncertainty.from_settings({"counted": 1.5})


def test_an_estimate_never_goes_below_zero() -> None:
    estimate = place_estimate(
        baseline=100,
        as_of=None,
        source="s",
        shares=[Share("CP", 1.0, Flows(outbound_counted=500))],
        on=ON,
        uncertainty=Uncertainty(),
    )
    assert (estimate.value, estimate.low) == (0, 0) and estimate.high == 0


@pytest.mark.django_db
def test_flows_after_the_baseline_move_the_catchments_places_by_their_share() -> None:
    scene = crossings_scene()
    scene.count(day=BASELINE_DAY, persons=999)  # on the baseline's day: already in it
    scene.count(day=dt.date(2023, 9, 25), persons=1000, method="estimate")
    scene.count(day=dt.date(2023, 9, 26), persons=200)
    scene.count(day=dt.date(2023, 9, 26), persons=40, direction="inbound")
    scene.count(day=dt.date(2023, 10, 5), persons=400)  # after the day asked for
    estimates = population_current(on=ON)
    a1, a2, b1 = (estimates[scene.place[k].pk] for k in ("A1", "A2", "B1"))
    # Net −1,160 since the baseline, shared 1,000 : 3,000.
    assert (a1.net_flow, a1.value) == (-290, 710)
    assert (a2.net_flow, a2.value) == (-870, 2130)
    assert a1.baseline == 1000 and a1.baseline_as_of == BASELINE_DAY
    assert a1.baseline_source == "census" and a1.crossing_points == ("ZC-CP1",)
    assert (a1.low, a1.high) == (594, 826) and (a2.low, a2.high) == (1783, 2477)  # docs
    assert (b1.value, b1.net_flow, b1.crossing_points) == (500, 0, ())  # outside
    assert scene.place["CP"].pk not in estimates  # no baseline, no estimate
    later = population_current([scene.place["A1"].pk], on=dt.date(2023, 10, 5))
    assert set(later) == {scene.place["A1"].pk}
    assert later[scene.place["A1"].pk].value == 710 - 100
    by_area = population_current_by_admin1([scene.area["A"].pk, scene.area["B"].pk], on=ON)
    assert by_area[scene.area["A"].pk].value == 2840 and by_area[scene.area["A"].pk].places == 2
    assert by_area[scene.area["B"].pk].value == 500


@pytest.mark.django_db
def test_a_newer_baseline_counts_only_the_flows_after_it() -> None:
    from reliefops.crossings import services

    scene = crossings_scene()
    scene.count(day=dt.date(2023, 9, 25), persons=800)
    services.population_baseline_record(
        actor=scene.coordinator,
        place=scene.place["A1"],
        value=600,
        as_of=dt.date(2023, 9, 28),
        source="rapid assessment",
    )
    scene.count(day=dt.date(2023, 9, 29), persons=160)
    before = population_current(on=dt.date(2023, 9, 27))[scene.place["A1"].pk]
    assert before.baseline == 1000 and before.value == 1000 - 200  # 800 × 1,000/4,000
    after = population_current(on=ON)[scene.place["A1"].pk]
    # The new baseline, and a share of the later count: 600/(600 + 3,000) of 160.
    assert after.baseline == 600 and after.baseline_source == "rapid assessment"
    assert after.value == 600 - round(160 * 600 / 3600)


@pytest.mark.django_db
@override_settings(RELIEFOPS_POPULATION_UNCERTAINTY={"baseline_by_age": [], "baseline_older": 0})
def test_the_range_reads_the_setting() -> None:
    scene = crossings_scene()
    scene.count(day=dt.date(2023, 9, 25), persons=400)
    estimate = population_current(on=ON)[scene.place["A1"].pk]
    assert estimate.value == 900
    assert (estimate.low, estimate.high) == (895, 905)  # only the counted flow's ±5 %

"""Recording and correcting flow counts; settings and baselines (scope, history, audit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.crossings import services
from reliefops.crossings.models import CrossingCount
from reliefops.places.models import PopulationEstimate
from tests.crossings.scene import crossings_scene

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 9, 26)


def test_a_count_broken_down_derives_its_total_and_keeps_empty_cells_empty() -> None:
    scene = crossings_scene()
    result = scene.count(day=DAY, cells={"female_18_59": 40, "male_0_4": 5, "male_18_59": 0})
    count = result.count
    assert result.outcome == services.CREATED
    assert count.persons == 45 and count.female_18_59 == 40 and count.male_18_59 == 0
    assert count.female_0_4 is None and count.broken_down
    assert count.area == scene.area["CP"] and count.recorded_by == scene.recorder
    assert AuditEvent.objects.filter(action="crossing_count.record", object_id=str(count.pk))


def test_problems_are_refused_together_each_naming_its_field() -> None:
    scene = crossings_scene()
    with pytest.raises(InvalidInput) as refused:
        services.crossing_count_record(
            actor=scene.recorder,
            data=services.CountInput(
                crossing_point=scene.place["A1"],  # a place, not a crossing point
                date=timezone.localdate() + dt.timedelta(days=2),
                direction="sideways",
                hour=24,
                cells={"female_0_4": -1, "nobody_0_4": 3},
                organisation=scene.org,
            ),
        )
    fields = refused.value.details["fields"]
    assert {"crossing_point", "date", "direction", "hour", "female_0_4", "cells"} <= set(fields)
    with pytest.raises(InvalidInput) as mismatch:
        scene.count(day=DAY, cells={"female_18_59": 40}, persons=41)
    assert set(mismatch.value.details["fields"]) == {"persons"}
    with pytest.raises(InvalidInput) as missing:
        scene.count(day=DAY)
    assert set(missing.value.details["fields"]) == {"persons"}
    assert CrossingCount.objects.count() == 0


def test_the_same_key_again_is_a_correction_with_a_reason_and_history() -> None:
    scene = crossings_scene()
    first = scene.count(day=DAY, persons=1000).count
    assert scene.count(day=DAY, persons=1000).outcome == services.UNCHANGED
    with pytest.raises(services.ReasonRequired) as refused:
        scene.count(day=DAY, persons=1200)
    assert refused.value.details["field"] == "reason"
    result = scene.count(day=DAY, persons=1200, reason="Second tally sheet found")
    assert result.outcome == services.UPDATED and result.count.pk == first.pk
    assert CrossingCount.objects.count() == 1
    versions = list(first.history.order_by("history_date"))
    assert [v.persons for v in versions] == [1000, 1200]
    assert versions[-1].history_change_reason == "Second tally sheet found"
    audit = AuditEvent.objects.get(action="crossing_count.correct")
    assert audit.before == {"persons": 1000}
    assert audit.after == {"persons": 1200, "reason": "Second tally sheet found"}


def test_a_day_is_counted_whole_or_hour_by_hour() -> None:
    scene = crossings_scene()
    scene.count(day=DAY, persons=10, hour=8)
    scene.count(day=DAY, persons=12, hour=9)
    with pytest.raises(Conflict) as refused:
        scene.count(day=DAY, persons=22)
    assert refused.value.code == "hourly_counts_exist"
    scene.count(day=DAY, persons=5, direction="inbound")  # the other direction is its own
    with pytest.raises(Conflict) as refused:
        scene.count(day=DAY, persons=5, direction="inbound", hour=7)
    assert refused.value.code == "daily_count_exists"


def test_recording_is_scoped_by_the_crossing_points_area_and_the_organisation() -> None:
    scene = crossings_scene()
    with pytest.raises(Forbidden):
        scene.count(day=DAY, persons=3, actor=scene.outsider)
    with pytest.raises(Forbidden):
        scene.count(day=DAY, persons=3, actor=scene.viewer)
    with pytest.raises(Forbidden):  # a field worker records for their own organisation only
        services.crossing_count_record(
            actor=scene.recorder,
            data=services.CountInput(
                crossing_point=scene.point,
                date=DAY,
                direction="outbound",
                persons=3,
                organisation=scene.other_org,
            ),
        )
    # The outsider's area holds the other crossing point.
    assert scene.count(day=DAY, persons=3, actor=scene.outsider, point=scene.other_point)
    assert CrossingCount.objects.count() == 1


def test_correcting_a_record_moves_its_key_unless_it_is_taken() -> None:
    scene = crossings_scene()
    wrong = scene.count(day=DAY, persons=300).count
    scene.count(day=DAY + dt.timedelta(days=1), persons=400)
    data = services.CountInput(
        crossing_point=scene.point,
        date=DAY + dt.timedelta(days=1),
        direction="outbound",
        persons=300,
        organisation=scene.org,
    )
    with pytest.raises(Conflict):
        services.crossing_count_correct(
            actor=scene.recorder, count=wrong, data=data, reason="typed on the wrong day"
        )
    data.date = DAY - dt.timedelta(days=1)
    result = services.crossing_count_correct(
        actor=scene.recorder, count=wrong, data=data, reason="typed on the wrong day"
    )
    assert result.outcome == services.UPDATED and result.count.date == DAY - dt.timedelta(days=1)
    with pytest.raises(Forbidden):  # moving it to a crossing point outside the user's area
        data.crossing_point = scene.other_point
        services.crossing_count_correct(
            actor=scene.recorder, count=result.count, data=data, reason="x"
        )


def test_settings_and_baselines_need_population_edit_where_they_change_estimates() -> None:
    scene = crossings_scene()
    with pytest.raises(Forbidden):
        services.crossing_point_setting_set(
            actor=scene.recorder, crossing_point=scene.point, catchment=[scene.area["B"]]
        )
    setting = services.crossing_point_setting_set(
        actor=scene.coordinator,
        crossing_point=scene.point,
        catchment=[scene.area["A"], scene.area["B"]],
        outbound_labels={"en": "towards Goris"},
    )
    assert {a.code for a in setting.catchment.all()} == {"ZC-A", "ZC-B"}
    assert setting.direction_label("outbound", "en") == "towards Goris"
    assert setting.direction_label("inbound", "en") == "Inbound (entering the catchment)"
    with pytest.raises(InvalidInput):
        services.crossing_point_setting_set(
            actor=scene.coordinator, crossing_point=scene.place["A1"], catchment=[]
        )
    with pytest.raises(Forbidden):
        services.population_baseline_record(
            actor=scene.recorder, place=scene.place["A1"], value=10, as_of=DAY, source="x"
        )
    services.population_baseline_record(
        actor=scene.coordinator, place=scene.place["A1"], value=900, as_of=DAY, source="survey"
    )
    again = services.population_baseline_record(
        actor=scene.coordinator,
        place=scene.place["A1"],
        value=950,
        as_of=DAY,
        source="survey",
        notes="recount",
    )
    assert again.value == 950 and again.notes == "recount"
    assert PopulationEstimate.objects.filter(place=scene.place["A1"]).count() == 2
    with pytest.raises(InvalidInput) as refused:
        services.population_baseline_record(
            actor=scene.coordinator, place=scene.place["A1"], value=1, as_of=DAY, source=" "
        )
    assert refused.value.details["field"] == "source"

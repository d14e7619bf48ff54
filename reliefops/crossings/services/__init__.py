"""Every write of the crossings domain.

Topics: :mod:`.counts` (recording and correcting flow counts), :mod:`.points` (a
crossing point's catchment and direction names; population baselines).
"""

from reliefops.crossings.services.counts import (
    CREATED,
    UNCHANGED,
    UPDATED,
    CountInput,
    CountResult,
    ReasonRequired,
    crossing_count_check,
    crossing_count_correct,
    crossing_count_record,
    crossing_point_area,
)
from reliefops.crossings.services.points import (
    crossing_point_setting_set,
    population_baseline_record,
)

__all__ = [
    "CREATED",
    "UNCHANGED",
    "UPDATED",
    "CountInput",
    "CountResult",
    "ReasonRequired",
    "crossing_count_check",
    "crossing_count_correct",
    "crossing_count_record",
    "crossing_point_area",
    "crossing_point_setting_set",
    "population_baseline_record",
]

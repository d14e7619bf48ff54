"""Demo scenario data of the core domain (idempotent), and the scenario's calendar.

The scenario was written around 2 October 2023 (the day its food requests start). The
apps' demo modules move every operational date they load by the same offset, so that the
day of the scenario is the day the demo is loaded: requests are due in the coming days,
some are overdue, one bread lot expired yesterday, and flour lasts into the spring.
Dates that are part of the record (a working group's decision, a census) are not moved.
"""

import datetime as dt
from typing import TextIO

from django.utils import timezone

#: The day the scenario's story is told from.
SCENARIO_DAY = dt.date(2023, 10, 2)


def scenario_date(day: dt.date, *, today: dt.date | None = None) -> dt.date:
    """``day`` of the scenario, moved so that :data:`SCENARIO_DAY` falls on ``today``."""
    return day + ((today or timezone.localdate()) - SCENARIO_DAY)


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""

"""Opening hours as the planning core wants them: minutes from midnight of the day.

``Facility.operating_hours`` is free text; the forms understood are ``24 h`` / ``24/7`` /
``24h`` (open all day) and ``HH:MM-HH:MM`` (also with an en dash or ``to``). Anything else
is not understood and the caller falls back to its default (working hours 08:00-18:00).
"""

from __future__ import annotations

import re

DAY_MIN = 24 * 60.0
WORK_OPEN_MIN = 8 * 60.0
WORK_CLOSE_MIN = 18 * 60.0

_ALL_DAY = re.compile(r"^\s*24\s*(h|hours?|/7|x7)?\s*$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*(?:-|–|—|to)\s*(\d{1,2})[:.h](\d{2})\s*$")


def hours_window(text: str | None) -> tuple[float, float] | None:
    """(open_min, close_min) of an opening-hours text, None when not understood."""
    if not text:
        return None
    if _ALL_DAY.match(text):
        return 0.0, DAY_MIN
    match = _SPAN.match(text)
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    start, end = h1 * 60.0 + m1, h2 * 60.0 + m2
    if end <= start:  # overnight: open until midnight of the day planned
        end = DAY_MIN
    return start, end


def window_or_default(
    text: str | None, default: tuple[float, float] = (WORK_OPEN_MIN, WORK_CLOSE_MIN)
) -> tuple[float, float]:
    return hours_window(text) or default

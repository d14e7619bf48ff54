"""Small-count suppression: counts of people under :data:`SMALL_COUNT` are never shown.

Every export and dashboard that counts people from the registry (by village, age band,
sex, vulnerability …) passes its counts through :func:`suppress`, so a cell of one or two
people cannot single anyone out. A suppressed count is ``None`` in data and shows as
``<5`` (:data:`SUPPRESSED_LABEL`); zero is shown, since it identifies nobody.
"""

from __future__ import annotations

from typing import Final

#: The smallest count of people that may be shown.
SMALL_COUNT: Final = 5
#: How a suppressed count is written in files and on pages.
SUPPRESSED_LABEL: Final = f"<{SMALL_COUNT}"


def suppress(count: int | None) -> int | None:
    """``count`` if it may be shown, else ``None`` (1 … SMALL_COUNT − 1 people)."""
    if count is None or count == 0 or count >= SMALL_COUNT:
        return count
    return None


def shown(count: int | None) -> str:
    """``count`` as it may be written: the number, or ``<5``."""
    value = suppress(count)
    return SUPPRESSED_LABEL if value is None else str(value)

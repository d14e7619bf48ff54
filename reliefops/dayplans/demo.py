"""Demo scenario data of the day-plans domain (the Django side of planning: problems from the database, plan runs, draft → review → commit) (idempotent)."""

from typing import TextIO


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""

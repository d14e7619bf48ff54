"""Demo scenario data of the people domain (idempotent)."""

from typing import TextIO


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""

"""Demo scenario data of the crossings domain (crossing-point flows, population estimates) (idempotent)."""

from typing import TextIO


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""

"""Demo scenario data of the intake domain (idempotent)."""

from typing import TextIO


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""


# --- added for kobo: the example KoboToolbox/ODK forms, after the rest of intake's demo
from reliefops.intake.kobo.demo import load as _kobo_load  # noqa: E402

_intake_load = load


def load(*, stdout: TextIO) -> None:  # type: ignore[no-redef]
    """Load this domain's part of the demo scenario, then the example forms."""
    _intake_load(stdout=stdout)
    _kobo_load(stdout=stdout)

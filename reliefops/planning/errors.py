"""Errors raised by the planning core.

Every error that comes from bad input names the field it is about, in the dotted/indexed form
used by the JSON format (``demands[3].quantity``), so a caller can show it next to the input.
"""

from __future__ import annotations


class PlanningError(Exception):
    """Base class of every error raised by ``reliefops.planning``."""


class ProblemError(PlanningError, ValueError):
    """A problem (or an instance file) is invalid; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class EditError(PlanningError, ValueError):
    """An edit of a plan cannot be applied (no such stop, unknown vehicle…); ``field`` names
    the edit's field (``position``, ``to_vehicle``) so a caller can show it next to the input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class PinnedStopError(EditError):
    """The edit would move or drop a pinned stop (or swap the vehicle or team it is pinned
    to): unpin it first."""

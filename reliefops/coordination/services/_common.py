"""Helpers shared by the coordination services (no writes)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, require_write


def _reference(prefix: str, day: dt.date) -> str:
    """A new reference such as ``MTG-20230925-3F2A1``."""
    return f"{prefix}-{day:%Y%m%d}-{uuid.uuid4().hex[:5].upper()}"


def _names(objects: Any, attr: str) -> list[str]:
    return sorted(str(getattr(o, attr)) for o in objects)


def _meeting_write(actor: Actor, meeting: Any) -> None:
    """``meeting.record`` in the meeting's area for its convening organisation."""
    require_write(
        actor, Action.MEETING_RECORD, area=meeting.area, organisation=meeting.organisation
    )

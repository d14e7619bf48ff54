"""Helpers shared by the coordination services (no writes of their own)."""

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


def _meeting_locked(actor: Actor, meeting: Any) -> Any:
    """``meeting`` re-read and locked (call inside a transaction), with ``meeting.record``
    checked on the row as the database has it — never on the caller's copy, which may
    be stale (another edit moved the meeting since it was read)."""
    from reliefops.coordination.meeting_models import Meeting

    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("area", "organisation", "place")
        .get(pk=meeting.pk)
    )
    _meeting_write(actor, locked)
    return locked

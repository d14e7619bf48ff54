"""What the logistics domain tells people (``reliefops.notices``): a convoy turned back
at a crossing point, to the convoy's planner and to whoever may plan convoys of its
organisation in its area (its logistics officers and the coordinators)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from reliefops.core.actions import Action
from reliefops.core.permissions import Actor
from reliefops.logistics.models import Convoy, Passage
from reliefops.notices.choices import NoticeKind
from reliefops.notices.selectors import notice_recipients
from reliefops.notices.services import notify


def convoy_turned_back_notify(*, actor: Actor | None, convoy: Convoy, passage: Passage) -> None:
    """Call inside the passage's transaction (the notices roll back with it)."""
    point: Any = passage.crossing_point
    recipients = [
        convoy.created_by,
        *notice_recipients(Action.CONVOY_PLAN, area=convoy.area, organisation=convoy.organisation),
    ]
    when = timezone.localtime(passage.time_in) if passage.time_in else None
    notify(
        recipients,
        NoticeKind.CONVOY_TURNED_BACK,
        {
            "convoy": convoy.code,
            "point": {"names": dict(point.names or {}) or {"en": point.code}},
            "point_code": point.code,
            "time": when.strftime("%Y-%m-%d %H:%M") if when else "…",
            "vehicle": passage.carrier.tracking_number if passage.carrier else "",
        },
        reverse("logistics:convoy_detail", args=[convoy.code]),
        convoy.code,
        actor=actor,
    )

"""Background jobs of the reports domain (thin: the services do the work)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from reliefops.reports.services import sitrep_weekly_send


@shared_task(name="reliefops.reports.sitrep_weekly_send")
def sitrep_weekly_send_task(day: str | None = None) -> dict[str, Any]:
    """E-mail the weekly situation report of ``day`` (ISO date; default: the Sunday ending
    the last full week) to its subscribers. Beat: weekly (``RELIEFOPS_SITREP_WEEKDAY``,
    ``RELIEFOPS_SITREP_HOUR``); run twice or retried, it sends nobody a week twice."""
    return sitrep_weekly_send(day=dt.date.fromisoformat(day) if day else None)

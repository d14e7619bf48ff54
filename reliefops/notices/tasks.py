"""Background jobs of the notices domain (thin: the services do the work)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from reliefops.notices.services import notices_email_retry, notices_email_send, reminders_send


@shared_task(name="reliefops.notices.email_send")
def notices_email_task(notice_ids: list[str]) -> int:
    """E-mail these notices (queued when the transaction that made them commits)."""
    return notices_email_send(notice_ids)


@shared_task(name="reliefops.notices.email_retry")
def notices_email_retry_task() -> int:
    """Send the e-mails still owed (beat: every 15 minutes)."""
    return notices_email_retry()


@shared_task(name="reliefops.notices.reminders_send")
def reminders_send_task(day: str | None = None) -> dict[str, Any]:
    """Run every reminder provider for ``day`` (ISO date; default today). Beat: daily."""
    return reminders_send(day=dt.date.fromisoformat(day) if day else None)

"""Core background jobs."""

from __future__ import annotations

import os
import socket
from typing import Any

from celery import shared_task
from django.db import connection, transaction

from reliefops.core.audit import audit_record


@shared_task(name="reliefops.core.system_probe")
def system_probe(label: str) -> dict[str, Any]:
    """Prove a worker can reach the database: write an audit event, report where it ran."""
    with transaction.atomic():
        event = audit_record(actor=None, action="system.probe", after={"label": label})
    return {
        "event_id": str(event.id),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "database": connection.vendor,
    }


@shared_task(name="reliefops.core.retention_purge")
def retention_purge_task() -> list[dict[str, Any]]:
    """The daily retention purge (beat: ``core-retention-purge``): every kind, audited."""
    from reliefops.core.retention import retention_purge

    return [outcome.as_dict() for outcome in retention_purge()]


@shared_task(name="reliefops.core.report_section_refresh")
def report_section_refresh(
    sections: list[list[str]], user_pk: Any, day: str, language: str, limit: list[Any] | None
) -> int:
    """Build again the report sections whose cached copies have gone stale (a page showed
    them meanwhile); see :func:`reliefops.core.report_sections.report_section_refresh_run`."""
    from reliefops.core.report_sections import report_section_refresh_run, report_sections_discover

    report_sections_discover()
    return report_section_refresh_run(sections, user_pk, day, language, limit)

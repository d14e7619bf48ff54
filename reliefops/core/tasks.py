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

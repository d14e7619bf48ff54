"""Reads that may come from a PostgreSQL read replica.

With ``DATABASE_REPLICA_URL`` set (settings: the database alias ``replica``), the reads
made inside :func:`replica_reads` — the dashboard, the situation report, the map layers
and the exports, which read much and write nothing — go to the replica; everything else
(writes, and every read outside it, so a user always sees what they just saved) goes to
the primary. Without a replica it changes nothing. A replica lags the primary by the
replication delay (usually well under a second with streaming replication), which these
pages tolerate: they summarise the day.

:class:`ReplicaRouter` is in ``DATABASE_ROUTERS`` only when a replica is configured.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("reliefops_replica_reads", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_context() -> Iterator[None]:
    """Route the reads made inside to the replica (when one is configured)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads(view: F) -> F:
    """Decorator of a read-only view, command handler or task: its reads use the replica."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_context():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """Reads inside :func:`replica_context` from the replica; all else from the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # migrations run on the primary and replicate

"""Transaction-level advisory locks: serialise a check-then-write that no row can lock.

A duplicate check ("is there already an open request from this facility for diesel?")
reads rows that do not exist yet, so ``SELECT … FOR UPDATE`` has nothing to lock and two
concurrent transactions both see "no duplicate" and both insert. The cure is a lock on
the *question*: every writer that could create the same thing first takes
:func:`advisory_lock` on the same parts (a namespace string and the ids that make two
things "the same"), so they queue; the second runs its check after the first committed
and sees its row.

* **PostgreSQL**: ``pg_advisory_xact_lock`` on a stable signed 64-bit key derived from the
  parts (BLAKE2b, so it does not change between processes or Python versions, unlike
  ``hash()``). The lock is held until the surrounding transaction commits or rolls back,
  so callers must be inside ``transaction.atomic()``; it is re-entrant within one
  transaction. Under Django's default READ COMMITTED isolation each statement after the
  lock sees what the previous holder committed; under REPEATABLE READ or SERIALIZABLE it
  would not (the snapshot is older than the lock), so do not use it there.
* **SQLite** (the embedded default): a no-op. SQLite lets one writer at a time hold the
  database, which already serialises the writers of a field laptop (a writer that
  collides with another waits, or fails with "database is locked"; it never writes a
  second copy).

Take several locks in one call with :func:`advisory_locks`, which orders them by key so
that two transactions needing overlapping sets cannot deadlock each other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from django.db import connections
from django.db.models import Model

DEFAULT_DB = "default"


def advisory_key(*parts: object) -> int:
    """The signed 64-bit lock key for ``parts`` (stable across processes and releases).

    A model instance stands for its class label and primary key, ``None`` for an empty
    slot; anything else for its ``str()``. Start with a namespace naming the purpose
    (``"needs.request.duplicate"``) so that unrelated locks on the same ids never meet.
    """
    if not parts:
        raise ValueError("advisory_key needs at least one part")
    text = "\x1f".join(_part(p) for p in parts)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def advisory_lock(*parts: object, using: str = DEFAULT_DB) -> None:
    """Wait for, then hold until the end of the transaction, the lock named by ``parts``.

    Must be called inside ``transaction.atomic()`` (a lock taken in autocommit mode would
    be released at once); raises ``RuntimeError`` otherwise. No-op on SQLite.
    """
    advisory_locks([parts], using=using)


def advisory_locks(keys: Iterable[Sequence[object]], *, using: str = DEFAULT_DB) -> None:
    """Take the locks for several part-tuples, in key order (no deadlock between callers)."""
    connection = connections[using]
    _require_transaction(connection)
    if connection.vendor != "postgresql":
        return
    ordered = sorted({advisory_key(*parts) for parts in keys})
    with connection.cursor() as cursor:
        for key in ordered:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def advisory_lock_try(*parts: object, using: str = DEFAULT_DB) -> bool:
    """Take the lock named by ``parts`` if it is free and return True; False if another
    transaction holds it (without waiting). Held until the end of the transaction.

    On SQLite always True: the caller's first write waits for the database lock instead.
    """
    connection = connections[using]
    _require_transaction(connection)
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [advisory_key(*parts)])
        row = cursor.fetchone()
    return bool(row and row[0])


def _require_transaction(connection: object) -> None:
    if not getattr(connection, "in_atomic_block", False):
        raise RuntimeError("advisory locks must be taken inside transaction.atomic()")


def _part(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Model):
        return f"{value._meta.label_lower}:{value.pk}"
    return str(value)

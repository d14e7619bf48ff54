"""Retention: how long each kind of personal data is kept, and the purge that enforces it.

Apps declare their kinds in ``<app>/retention.py`` with :func:`retention_kind`; each kind
has a name (its key in ``settings.RELIEFOPS_RETENTION``, overridden per kind by the
environment variable ``RELIEFOPS_RETENTION_<NAME>``), a label, a default period in days,
and a function ``purge(cutoff)`` that deletes or anonymises what is older than ``cutoff``
— including the record history (``Historical*`` rows) and the files on disk — and returns
its counts (``{"persons_erased": 3, "history_rows_deleted": 9, …}``).

:func:`retention_purge` runs the kinds one by one, each in its own transaction, and writes
one audit event per kind run (``retention.purge``: the kind, the period, the cutoff and the
counts — never personal data). A dry run does the same work and rolls it back, so what it
prints is exactly what a real run would do; files are deleted only after the commit
(:func:`file_delete_on_commit`), so a dry run or a failed kind leaves them in place.

    reliefops retention_purge [--dry-run] [--kind K] [--json]   # and the beat task
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from reliefops.core.audit import audit_record

Purge = Callable[[dt.datetime], dict[str, int]]


@dataclass(frozen=True)
class RetentionKind:
    """One kind of personal data with a retention period (see the module docstring)."""

    name: str
    label: Any
    description: Any
    default_days: int | None
    purge: Purge


@dataclass
class RetentionOutcome:
    """What one kind's run did (or, in a dry run, would do)."""

    kind: str
    days: int | None
    cutoff: dt.datetime | None
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def skipped(self) -> bool:
        """No period is set for the kind: kept until a person erases it."""
        return self.days is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "days": self.days,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "counts": dict(self.counts),
            "dry_run": self.dry_run,
        }


class UnknownRetentionKind(ValueError):
    """A kind name no app declares."""


_KINDS: dict[str, RetentionKind] = {}


def retention_kind(
    name: str, *, label: Any, description: Any, default_days: int | None
) -> Callable[[Purge], Purge]:
    """Declare a kind whose ``purge(cutoff)`` is the decorated function."""

    def decorate(purge: Purge) -> Purge:
        _KINDS[name] = RetentionKind(name, label, description, default_days, purge)
        return purge

    return decorate


def retention_kinds() -> dict[str, RetentionKind]:
    """Every declared kind (the apps' ``retention`` modules imported once)."""
    for dotted in settings.DOMAIN_APPS:
        try:
            import_module(f"{dotted}.retention")
        except ModuleNotFoundError as exc:
            if exc.name != f"{dotted}.retention":
                raise
    return dict(sorted(_KINDS.items()))


def retention_days(kind: RetentionKind) -> int | None:
    """The period of ``kind`` in days from the settings (None or 0: no automatic purge)."""
    configured: dict[str, int | None] = getattr(settings, "RELIEFOPS_RETENTION", {})
    days = configured.get(kind.name, kind.default_days)
    return int(days) if days else None


def file_delete_on_commit(files: Iterable[FieldFile]) -> int:
    """Delete these stored files once the transaction commits; the number of files."""
    names = [(f.storage, str(f.name)) for f in files if f]
    for storage, name in names:
        transaction.on_commit(functools.partial(storage.delete, name))
    return len(names)


def retention_purge(
    *, kinds: Iterable[str] | None = None, dry_run: bool = False, now: dt.datetime | None = None
) -> list[RetentionOutcome]:
    """Run the purge of ``kinds`` (default: all), each in its own transaction and audited.

    Runs as the system (no acting user): the retention periods are the installation's
    policy, set by its operator. Raises :class:`UnknownRetentionKind` for a name no app
    declares, before anything runs.
    """
    declared = retention_kinds()
    wanted = list(kinds) if kinds else list(declared)
    unknown = sorted(set(wanted) - set(declared))
    if unknown:
        raise UnknownRetentionKind(
            f"unknown retention kind {', '.join(unknown)}; known: {', '.join(declared)}"
        )
    now = now or timezone.now()
    outcomes = []
    for name in wanted:
        kind = declared[name]
        days = retention_days(kind)
        if days is None:
            outcomes.append(RetentionOutcome(name, None, None, dry_run=dry_run))
            continue
        cutoff = now - dt.timedelta(days=days)
        with transaction.atomic():
            counts = {key: int(value) for key, value in kind.purge(cutoff).items()}
            if dry_run:
                transaction.set_rollback(True)
            else:
                audit_record(
                    actor=None,
                    action="retention.purge",
                    after={
                        "kind": name,
                        "days": days,
                        "cutoff": cutoff.isoformat(),
                        "counts": counts,
                    },
                )
        outcomes.append(RetentionOutcome(name, days, cutoff, counts, dry_run))
    return outcomes

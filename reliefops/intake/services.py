"""Every write of the intake domain: an import run, recorded as history.

:func:`import_run_start` is the one entry of the upload page, the API and ``reliefops
import``: it records an :class:`ImportRun` (who, what file — name, SHA-256, size — kind,
mode, dry run), then runs :func:`reliefops.core.exchange.import_file` inline, or, for a
file of at least ``IMPORT_BACKGROUND_ROWS`` rows or ``IMPORT_BACKGROUND_BYTES`` bytes, as
the Celery task :func:`reliefops.intake.tasks.import_run_task` (inline too when Celery is
eager, the embedded default). The import keeps its all-or-nothing transaction; the run
row is written outside it, so a failed import is recorded as failed with its errors.
Progress written during the write pass goes through a second database connection on
PostgreSQL, so the run's page sees it before the import commits.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.jobs import job_send
from reliefops.core.permissions import Actor, actor_limit, actor_user, grants, require
from reliefops.intake.choices import RunStatus
from reliefops.intake.models import ImportRun
from reliefops.intake.retention_data import submissions_purge_payloads
from reliefops.intake.runs import import_run_execute, import_run_fail, rows_in

# Field submissions (one record each, idempotent by client id) are written by
# reliefops.intake.submissions; re-exported here, the app's write entry.
from reliefops.intake.submissions import (
    SubmissionAnswer,
    submission_batch_receive,
    submission_receive,
    submissions_retry,
)
from reliefops.intake.tasks import import_run_task

__all__ = [
    "SubmissionAnswer",
    "import_run_start",
    "submission_batch_receive",
    "submission_receive",
    "submissions_purge_payloads",
    "submissions_retry",
]


def _digest(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            sha.update(block)
            size += len(block)
    return sha.hexdigest(), size


def _refused_whole(path: Path, fmt: str | None) -> ApplicationError | None:
    """The error of a file refused whole (format, size, XLSX archive), found by opening it
    and reading its first row; None when it opens (row errors are the import's)."""
    try:
        next(iter(ex.TableReader(path, fmt)), None)
    except ApplicationError as exc:
        return exc
    except ex.RowUnreadable:
        return None
    return None


def _organisation_id(actor: Actor) -> Any:
    """The organisation the run is filed under (the actor's first membership's)."""
    return next((g.organisation_id for g in grants(actor) if g.organisation_id), None)


def import_run_start(
    *,
    actor: Actor,
    kind: str,
    path: str | Path,
    file_name: str = "",
    source: str,
    mode: str = ex.MODE_UPSERT,
    dry_run: bool = False,
    fmt: str | None = None,
    background: bool | None = None,
) -> ImportRun:
    """Record and run one import; returns the run (finished unless it went to a worker).

    ``import.run`` and the kind's own permission are required (a refusal is recorded as
    a failed run, then raised). ``background`` forces the choice (None: by size). A file
    refused whole (too large, not an XLSX …) is recorded as failed and raised.
    """
    require(actor, Action.IMPORT_RUN)
    ex.registry_get(kind)  # an unknown kind is a 404, not a run
    path = Path(path)
    sha256, size = _digest(path)
    refusal = _refused_whole(path, fmt)
    if refusal is not None:
        background = False  # recorded as failed at once, then raised
    elif actor_limit(actor) is not None:
        # A scoped API token's limit lives on this request's user only; a worker would
        # run the import with the user's full memberships, so it runs here, limited.
        background = False
    elif background is None:
        background = size >= settings.IMPORT_BACKGROUND_BYTES or (
            (rows_in(path, fmt, settings.IMPORT_BACKGROUND_ROWS) or 0)
            >= settings.IMPORT_BACKGROUND_ROWS
        )
    user = actor_user(actor)
    run = ImportRun.objects.create(
        user=user,
        organisation_id=_organisation_id(actor),
        kind=kind,
        file_name=(file_name or path.name)[:255],
        sha256=sha256,
        size_bytes=size,
        format=fmt or "",
        mode=mode,
        dry_run=dry_run,
        source=source,
        background=background,
        status=RunStatus.QUEUED if background else RunStatus.RUNNING,
        created_by=user,
    )
    if refusal is not None:
        import_run_fail(run=run, error=refusal)
        raise refusal
    if not background:
        import_run_execute(run=run, actor=actor, path=path, fmt=fmt, raise_refusal=True)
        return run
    spool = Path(settings.IMPORT_SPOOL_DIR)
    spool.mkdir(parents=True, exist_ok=True)
    target = spool / f"{run.pk}{path.suffix.lower() or '.csv'}"
    shutil.copyfile(path, target)
    run.spool_path, run.task_id = str(target), str(uuid.uuid4())
    ImportRun.objects.filter(pk=run.pk).update(spool_path=run.spool_path, task_id=run.task_id)
    options: dict[str, Any] = {"task_id": run.task_id}
    if settings.IMPORT_TASK_QUEUE:
        options["queue"] = settings.IMPORT_TASK_QUEUE

    transaction.on_commit(
        lambda: job_send(
            lambda: import_run_task.apply_async((str(run.pk), fmt), **options),
            refused=lambda reason: import_run_fail(run=run, error=ApplicationError(reason)),
            what=f"import run {run.pk}",
        )
    )
    return run

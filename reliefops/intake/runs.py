"""Running one recorded import (:class:`ImportRun`) and writing its progress and outcome.

Called by :func:`reliefops.intake.services.import_run_start` (inline) and by the Celery
task :func:`reliefops.intake.tasks.import_run_task`; only these write import runs.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.core.errors import ApplicationError
from reliefops.core.permissions import Actor
from reliefops.intake.choices import RunStatus
from reliefops.intake.models import ImportRun

logger = logging.getLogger(__name__)

#: Row errors a run keeps (its counts are exact).
RUN_ERRORS = 200
#: Per-row outcomes a run keeps for its page.
RUN_OUTCOMES = 1000


def rows_in(path: Path, fmt: str | None, limit: int | None = None) -> int | None:
    """Data rows in the file (None when it cannot be read: the import reports why)."""
    count = 0
    try:
        for _row in ex.TableReader(path, fmt):
            count += 1
            if limit is not None and count >= limit:
                break
    except (ApplicationError, ex.RowUnreadable, OSError, ValueError):
        return None
    return count


class _Progress:
    """Writes a run's progress where other connections see it (best effort).

    The check pass runs outside the import's transaction: the run row is updated on the
    same connection. The write pass runs inside it, where an update would only show at
    commit (and hold the row's lock): on PostgreSQL a second connection writes it, in
    autocommit; elsewhere (SQLite serialises writers) the write pass shows at the end.
    """

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.other: Any = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        total = total if total is not None else self.run.rows_total
        self.run.stage, self.run.rows_done, self.run.rows_total = stage, done, total
        values = {"stage": stage, "rows_done": done, "rows_total": total}
        try:
            if stage != "writing":
                ImportRun.objects.filter(pk=self.run.pk).update(**values)
            elif connection.vendor == "postgresql":
                self._other_connection(values)
        except DatabaseError:  # pragma: no cover - progress never fails an import
            logger.warning("import run %s: progress not written", self.run.pk)

    def _other_connection(self, values: dict[str, Any]) -> None:
        if self.other is None:
            self.other = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.other.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportRun._meta.db_table} SET stage = %s, rows_done = %s, "  # noqa: S608
                "rows_total = %s WHERE id = %s",
                [values["stage"], values["rows_done"], values["rows_total"], self.run.pk],
            )

    def close(self) -> None:
        if self.other is not None:
            self.other.close()


def _summary(errors: list[ex.RowError], count: int) -> str:
    lines = [f"row {e.row}, {e.column}: {e.message}" for e in errors[:5]]
    if count > len(lines):
        lines.append(f"… {count - len(lines)} more")
    return "\n".join(lines)


def import_run_execute(
    *,
    run: ImportRun,
    actor: Actor,
    path: str | Path,
    fmt: str | None = None,
    raise_refusal: bool = False,
) -> ex.ImportReport | None:
    """Run the import of ``run`` and record its outcome on it (inline or in a worker).

    Returns the report (None when the file was refused whole; with ``raise_refusal``
    that error is raised after it is recorded)."""
    started = time.perf_counter()
    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    run.rows_total = rows_in(Path(path), fmt)
    run.save(update_fields=["status", "started_at", "rows_total", "updated_at"])
    progress = _Progress(run)
    try:
        report = ex.import_file(
            kind=run.kind,
            path=path,
            actor=actor,
            fmt=fmt,
            dry_run=run.dry_run,
            mode=run.mode,
            progress=progress,
        )
    except ApplicationError as exc:
        import_run_fail(run=run, error=exc, started=started)
        if raise_refusal:
            raise
        return None
    except DatabaseError as exc:
        # The connection dropped (server restarted, backend terminated, a timeout): the
        # import's transaction is rolled back whole; record why on a working connection.
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        interrupted = ImportInterrupted(
            _(
                "The database stopped the import (%(error)s); nothing of it was written. "
                "Run the import again."
            )
            % {"error": _database_reason(exc)}
        )
        import_run_fail(run=run, error=interrupted, started=started)
        if raise_refusal:
            raise interrupted from exc
        return None
    except OSError as exc:
        run.status, run.error_count = RunStatus.FAILED, 1
        run.error_summary = str(exc.strerror or exc)
        _finish(run, started)
        if raise_refusal:
            raise
        return None
    finally:
        progress.close()
    run.format = report.format
    run.status = RunStatus.SUCCEEDED if report.ok else RunStatus.FAILED
    for name in ("rows", "created", "updated", "unchanged", "refused", "written", "error_count"):
        setattr(run, name, getattr(report, name))
    run.errors = [e.as_dict() for e in report.errors[:RUN_ERRORS]]
    run.error_summary = _summary(report.errors, report.error_count) if not report.ok else ""
    run.outcomes = [o.as_dict() for o in report.outcomes[:RUN_OUTCOMES]]
    run.outcomes_left_off = report.outcome_count - len(run.outcomes)
    run.rows_done = report.rows
    run.rows_total = report.rows
    _finish(run, started)
    return report


class ImportInterrupted(ApplicationError):
    """The database failed under an import (connection lost, statement timeout)."""

    status_code = 503
    code = "import_interrupted"


def _database_reason(exc: DatabaseError) -> str:
    """The first line of the database's message, or the error's class."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def import_run_fail(
    *, run: ImportRun, error: ApplicationError, started: float | None = None
) -> None:
    """Record ``run`` as failed with ``error`` (a file refused whole, a refusal)."""
    run.status, run.error_count = RunStatus.FAILED, 1
    run.error_summary = str(error.message)
    run.errors = [{"row": 0, "column": "", "value": "", "message": str(error.message)}]
    _finish(run, started if started is not None else time.perf_counter())


def _finish(run: ImportRun, started: float) -> None:
    run.finished_at = timezone.now()
    run.seconds = round(time.perf_counter() - started, 3)
    run.stage = ""
    run.save()
    if run.spool_path:
        Path(run.spool_path).unlink(missing_ok=True)

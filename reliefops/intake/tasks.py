"""Background jobs of the intake domain (thin: ``intake.runs`` does the work)."""

from __future__ import annotations

import os
from typing import Any

from celery import shared_task

from reliefops.core.errors import Forbidden
from reliefops.intake.choices import RunStatus
from reliefops.intake.models import ImportRun
from reliefops.intake.runs import import_run_execute, import_run_fail
from reliefops.intake.submissions import submissions_retry


@shared_task(name="reliefops.intake.import_run")
def import_run_task(run_id: str, fmt: str | None = None) -> dict[str, Any]:
    """Run a queued import (its file spooled by ``import_run_start``) as its user."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return {"run": run_id, "status": run.status}
    if run.user is None:  # the account was deleted while the job waited
        import_run_fail(run=run, error=Forbidden())
    else:
        import_run_execute(run=run, actor=run.user, path=run.spool_path, fmt=fmt)
    return {"run": run_id, "status": run.status, "written": run.written, "pid": os.getpid()}


# --- added for submissions
@shared_task(name="reliefops.intake.submissions_retry")
def submissions_retry_task() -> dict[str, Any]:
    """Retry every waiting field submission (all organisations; expired ones refused)."""
    return submissions_retry(limit=0).as_dict()

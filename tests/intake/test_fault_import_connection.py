"""Fault (issue 16): the database connection dropped in the middle of an import.

A large items import runs in this process; another connection waits until the import's
transaction has written rows, then ends the importer's backend with
``pg_terminate_backend`` (as a database restart or a killed connection would). Nothing of
the import is left in the database, the run is recorded failed with the reason, and the
same file imported again is written exactly once (real PostgreSQL).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from reliefops.core.models import AuditEvent
from reliefops.intake.choices import RunStatus
from reliefops.intake.models import ImportRun
from reliefops.intake.runs import ImportInterrupted
from reliefops.intake.services import import_run_start
from reliefops.stock.models import Item
from tests.accounts.factories import UserFactory
from tests.celery_workers import worker_database_url

ROWS = 6000


def items_file(tmp_path: Path) -> Path:
    path = tmp_path / "items.csv"
    lines = ["code,category,unit,name_en"] + [f"FT{i:05d},food,kg,Item {i}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Terminator(threading.Thread):
    """From its own connection: once backend ``pid`` is in a transaction that has written
    (it holds a transaction id), terminate it."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.terminated = False
        self.stop = threading.Event()

    def run(self) -> None:
        with psycopg.connect(worker_database_url(), autocommit=True) as other:
            while not self.stop.is_set():
                row = other.execute(
                    "SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s",
                    [self.pid],
                ).fetchone()
                if row and row[0]:
                    time.sleep(0.3)  # a few hundred rows further in
                    other.execute("SELECT pg_terminate_backend(%s)", [self.pid])
                    self.terminated = True
                    return
                time.sleep(0.005)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dropped_connection_applies_nothing_and_the_rerun_writes_once(
    tmp_path: Path, settings
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = ROWS * 10  # inline, in this process
    settings.IMPORT_BACKGROUND_BYTES = 1 << 30
    admin = UserFactory(username="importer", is_superuser=True)
    path = items_file(tmp_path)
    items_before = Item.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    terminator = Terminator(pid)
    terminator.start()
    try:
        with pytest.raises(ImportInterrupted) as refused:
            import_run_start(actor=admin, kind="items", path=path, source="command")
    finally:
        terminator.stop.set()
        terminator.join(timeout=10)
    assert terminator.terminated, "the import finished before its connection was dropped"
    assert "Run the import again" in str(refused.value.message)

    # Nothing half-applied; the run is recorded failed, with the database's reason.
    assert Item.objects.count() == items_before
    assert not AuditEvent.objects.filter(action="import.items").exists()
    failed = ImportRun.objects.get()
    assert failed.status == RunStatus.FAILED and failed.finished_at is not None
    assert failed.written == 0 and failed.error_count == 1
    assert "database stopped the import" in failed.error_summary
    print(f"[reliefops] dropped connection: {failed.error_summary}")

    # The same file again: written exactly once.
    again = import_run_start(actor=admin, kind="items", path=path, source="command")
    again.refresh_from_db()
    assert again.status == RunStatus.SUCCEEDED, again.error_summary
    assert (again.created, again.written) == (ROWS, ROWS)
    assert Item.objects.count() == items_before + ROWS
    assert Item.objects.filter(code__startswith="FT").values("code").distinct().count() == ROWS
    assert AuditEvent.objects.filter(action="import.items").count() == 1
    assert list(ImportRun.objects.order_by("created_at").values_list("status", flat=True)) == [
        RunStatus.FAILED,
        RunStatus.SUCCEEDED,
    ]

"""Backups that restore (issue 16, must-hold 3): ``reliefops backup`` then ``reliefops
restore`` into a new, empty database gives the same row count in every table, the same
ledger balances and the same media files — on PostgreSQL (pg_dump/pg_restore, the dump and
the manifest from one snapshot) and on the embedded SQLite default. The restore proves
itself against the manifest and fails naming what differs; the test also reads the
restored database itself."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from reliefops.core.backup import manifest_build
from reliefops.stock import services
from tests.accounts.factories import UserFactory
from tests.stock.factories import ItemFactory, WarehouseFactory

ROOT = Path(__file__).resolve().parents[2]

#: Data for a SQLite run: a few ledger lines through the stock service, and a media file.
SQLITE_DATA = """
from decimal import Decimal
from pathlib import Path
from django.conf import settings
from reliefops.stock import services
from tests.accounts.factories import UserFactory
from tests.stock.factories import ItemFactory, WarehouseFactory
admin = UserFactory(is_superuser=True)
warehouse, item = WarehouseFactory(), ItemFactory(code="DSL", unit="litre")
for n in range(1, 6):
    services.stock_receive(actor=admin, warehouse=warehouse, item=item,
                           quantity=Decimal(n * 100), lot_code=f"DSL-{n}")
Path(settings.MEDIA_ROOT, "notes").mkdir(parents=True, exist_ok=True)
Path(settings.MEDIA_ROOT, "notes", "waybill.pdf").write_bytes(b"%PDF-1.4 waybill")
"""


def _reliefops(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reliefops", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _stock(admin: Any) -> None:
    warehouse = WarehouseFactory()
    for code in ("DSL", "BRD", "HOIL"):
        item = ItemFactory(code=code)
        for n in range(1, 4):
            services.stock_receive(
                actor=admin,
                warehouse=warehouse,
                item=item,
                quantity=Decimal(n * 250) + Decimal("0.125"),
                lot_code=f"{code}-{n}",
            )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_every_row_balance_and_file(
    tmp_path: Path, settings: Any
) -> None:
    import psycopg

    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT, "attachments").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "attachments", "minutes.pdf").write_bytes(b"%PDF-1.4 minutes")
    _stock(UserFactory(is_superuser=True))
    before = manifest_build()
    assert before["tables"]["stock_stocktransaction"] == 9
    backup = tmp_path / "backup"
    call_command("backup", output=str(backup))
    stored = json.loads((backup / "manifest.json").read_text())
    assert stored["tables"] == before["tables"] and stored["engine"] == "postgresql"
    assert (backup / "database.dump").stat().st_size > 0

    db = settings.DATABASES["default"]
    admin_dsn = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    names = [f"{db['NAME']}_restore_{uuid.uuid4().hex[:6]}" for _ in range(2)]
    with psycopg.connect(**admin_dsn, autocommit=True) as admin_db:
        for name in names:
            admin_db.execute(f'CREATE DATABASE "{name}"')
    try:

        def url(name: str) -> str:
            return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"

        restored = _reliefops(
            "restore",
            str(backup),
            env={"DATABASE_URL": url(names[0]), "RELIEFOPS_VAR_DIR": str(tmp_path / "var1")},
        )
        assert restored.returncode == 0, restored.stderr
        assert "restored and checked" in restored.stdout
        # The restored database read directly: the same rows and the same ledger sums.
        with psycopg.connect(**{**admin_dsn, "dbname": names[0]}) as copy:
            for table, count in before["tables"].items():
                assert copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count
            sums = copy.execute(
                "SELECT lot_id::text, SUM(quantity) FROM stock_stocktransaction GROUP BY lot_id"
            ).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT lot_id::text, SUM(quantity) FROM stock_stocktransaction GROUP BY lot_id"
            )
            assert sorted(sums) == sorted(cursor.fetchall())
        assert (tmp_path / "var1" / "media" / "attachments" / "minutes.pdf").read_bytes() == (
            b"%PDF-1.4 minutes"
        )
        # Restoring again over it is refused without --clean.
        again = _reliefops(
            "restore",
            str(backup),
            env={"DATABASE_URL": url(names[0]), "RELIEFOPS_VAR_DIR": str(tmp_path / "var1")},
        )
        assert again.returncode != 0 and "not empty" in again.stderr
        # A restore that does not match its manifest fails naming the difference.
        stored["tables"]["stock_stocktransaction"] = 10
        (backup / "manifest.json").write_text(json.dumps(stored))
        wrong = _reliefops(
            "restore",
            str(backup),
            env={"DATABASE_URL": url(names[1]), "RELIEFOPS_VAR_DIR": str(tmp_path / "var2")},
        )
        assert wrong.returncode != 0
        assert "DIFFERENT table stock_stocktransaction: 10 rows in the backup, 9 restored" in (
            wrong.stderr
        )
    finally:
        with psycopg.connect(**admin_dsn, autocommit=True) as admin_db:
            for name in names:
                admin_db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sqlite_backup_restores_every_row_balance_and_file(tmp_path: Path) -> None:
    """The embedded default, end to end through the commands (whatever database the test
    run itself uses)."""
    live = {"DATABASE_URL": "", "RELIEFOPS_VAR_DIR": str(tmp_path / "live")}
    (tmp_path / "live").mkdir()
    for step in (("migrate", "--verbosity", "0"), ("shell", "-c", SQLITE_DATA)):
        done = _reliefops(*step, env=live)
        assert done.returncode == 0, done.stderr
    backup = tmp_path / "backup"
    done = _reliefops("backup", "--output", str(backup), env=live)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite" and manifest["tables"]["stock_stocktransaction"] == 5
    assert manifest["media"]["files"] == 1
    fresh = {"DATABASE_URL": "", "RELIEFOPS_VAR_DIR": str(tmp_path / "fresh")}
    (tmp_path / "fresh").mkdir()
    done = _reliefops("restore", str(backup), env=fresh)
    assert done.returncode == 0, done.stderr
    assert "restored and checked" in done.stdout
    # read both files directly: every table, and the ledger's sums per lot
    with (
        sqlite3.connect(tmp_path / "live" / "reliefops.sqlite3") as a,
        sqlite3.connect(tmp_path / "fresh" / "reliefops.sqlite3") as b,
    ):
        tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert len(tables) > 50
        for table in tables:
            query = f'SELECT COUNT(*) FROM "{table}"'
            assert a.execute(query).fetchone() == b.execute(query).fetchone(), table
        query = "SELECT lot_id, SUM(quantity) FROM stock_stocktransaction GROUP BY lot_id"
        assert sorted(a.execute(query).fetchall()) == sorted(b.execute(query).fetchall())
    assert (tmp_path / "fresh" / "media" / "notes" / "waybill.pdf").exists()

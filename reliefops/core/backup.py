"""Backups that restore: the database (PostgreSQL: ``pg_dump -Fc``; SQLite: its online
backup API, consistent while the server runs), the media files, and a manifest of what
they hold — every table's row count, the media files' count and size, and the checks
apps register (stock: the ledger's balances) — so that a restore proves itself.

    reliefops backup  --output DIR          # writes DIR/{database.dump|database.sqlite3,
                                            #   media/, manifest.json}
    reliefops restore DIR [--clean]         # into an empty database; then compares the
                                            #   manifest with what was restored

Apps add checks in ``<app>/backup_checks.py`` with :func:`backup_check`; each returns a
JSON-able value computed from the database, equal before the backup and after the restore.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"

_CHECKS: dict[str, Callable[[], Any]] = {}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def backup_check(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register a check: a function of the database whose value a restore must equal."""

    def decorate(check: Callable[[], Any]) -> Callable[[], Any]:
        _CHECKS[name] = check
        return check

    return decorate


def backup_checks_discover() -> dict[str, Callable[[], Any]]:
    for dotted in settings.DOMAIN_APPS:
        try:
            import_module(f"{dotted}.backup_checks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{dotted}.backup_checks":
                raise
    return dict(_CHECKS)


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(n for n in names if not n.startswith("sqlite_"))


def _media_stats(root: Path) -> dict[str, int]:
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def manifest_build() -> dict[str, Any]:
    """What the database and the media hold now (row counts, media, registered checks)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in _tables():
            # table names from the introspection, quoted (bandit B608 reviewed)
            sql = f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"  # noqa: S608  # nosec B608
            cursor.execute(sql)
            counts[table] = cursor.fetchone()[0]
    return {
        "tables": counts,
        "media": _media_stats(Path(settings.MEDIA_ROOT)),
        "checks": {name: check() for name, check in sorted(backup_checks_discover().items())},
    }


def manifest_compare(expected: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """Differences between a backup's manifest and the restored state (empty: identical)."""
    differences = []
    tables = set(expected["tables"]) | set(found["tables"])
    for table in sorted(tables):
        a, b = expected["tables"].get(table), found["tables"].get(table)
        if a != b:
            differences.append(f"table {table}: {a} rows in the backup, {b} restored")
    if expected["media"] != found["media"]:
        differences.append(f"media: {expected['media']} in the backup, {found['media']} restored")
    for name in sorted(set(expected["checks"]) | set(found["checks"])):
        if expected["checks"].get(name) != found["checks"].get(name):
            differences.append(f"check {name}: differs after the restore")
    return differences


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)")
    # fixed programs, no shell (bandit B603 reviewed)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def backup_write(output: Path) -> dict[str, Any]:
    """Write a backup into the directory ``output`` (created; must be empty)."""
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"{output} is not empty: back up into a new directory")
    db = settings.DATABASES["default"]
    if _engine() == "sqlite":
        manifest = manifest_build()
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(output / SQLITE_COPY))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        # The manifest and the dump read one snapshot: writes while it runs are in neither.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            manifest = manifest_build()
            args, env = _pg_env()
            command = ["pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", *args]
            _run([*command, "-f", str(output / PG_DUMP), str(db["NAME"])], env)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, output / MEDIA)
    manifest.update(
        {
            "engine": _engine(),
            "written_at": timezone.now().isoformat(),
            "migrations": _migrations(),
        }
    )
    (output / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True, default=str))
    return manifest


def _migrations() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return int(cursor.fetchone()[0])


def backup_restore(source: Path, *, clean: bool = False) -> tuple[dict[str, Any], list[str]]:
    """Restore the backup in ``source`` into the configured database and media folder,
    then compare; returns the manifest and the differences (empty: proven identical)."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} holds no {MANIFEST}: not a ReliefOps backup")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("engine") != _engine():
        raise BackupError(
            f"the backup is of a {manifest.get('engine')} database; this one is {_engine()}"
        )
    if _tables() and not clean:
        raise BackupError(
            "the database is not empty: restore into a new database, or pass --clean to "
            "replace what it holds"
        )
    db = settings.DATABASES["default"]
    connection.close()
    if _engine() == "sqlite":
        backup = sqlite3.connect(str(source / SQLITE_COPY))
        target = sqlite3.connect(str(db["NAME"]))
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()
    else:
        args, env = _pg_env()
        command = ["pg_restore", "--no-owner", "--exit-on-error", *args, "-d", str(db["NAME"])]
        if clean:
            command += ["--clean", "--if-exists"]
        _run([*command, str(source / PG_DUMP)], env)
    media = Path(settings.MEDIA_ROOT)
    if (source / MEDIA).exists():
        if clean and media.exists():
            shutil.rmtree(media)
        shutil.copytree(source / MEDIA, media, dirs_exist_ok=True)
    connection.close()
    return manifest, manifest_compare(manifest, manifest_build())

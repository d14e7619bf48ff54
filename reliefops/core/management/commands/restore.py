"""``reliefops restore DIR [--clean]``: restore a backup made by ``reliefops backup`` into
the configured (empty) database and media folder, then prove it: every table's row count,
the media and the registered checks (stock: the ledger's balances) are compared with the
backup's manifest; exit 1 naming each difference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and compare it with its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="DIR", help="a directory from reliefops backup")
        parser.add_argument(
            "--clean", action="store_true", help="replace what the database already holds"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest, differences = backup_restore(Path(options["source"]), clean=options["clean"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for line in differences:
            self.stderr.write(f"DIFFERENT {line}")
        if differences:
            raise CommandError(f"the restore differs from the backup in {len(differences)} ways")
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"restored and checked: {len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['media']['files']} media files and the checks "
            f"({', '.join(manifest['checks'])}) equal the backup's"
        )

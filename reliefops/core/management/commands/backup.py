"""``reliefops backup --output DIR``: the database, the media files and a manifest that a
restore checks itself against (docs/operations.md "Back up and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Back up the database and the media files, with a manifest for the restore."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, metavar="DIR", help="a new directory")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        try:
            manifest = backup_write(output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"backup of the {manifest['engine']} database written to {output}: "
            f"{len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['media']['files']} media files; checks: {', '.join(manifest['checks'])}"
        )

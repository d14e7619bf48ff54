"""``reliefops import KIND FILE [--dry-run]``: all-or-nothing bulk import with a row report."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.errors import ApplicationError
from reliefops.core.exchange import FORMATS, import_file, registry_kinds
from reliefops.intake.commands import command_actor


class Command(BaseCommand):
    help = "Import a CSV, XLSX, HXL or GeoJSON file; nothing is written unless every row is valid."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = [e.kind for e in registry_kinds() if e.importer is not None]
        parser.add_argument("kind", choices=kinds)
        parser.add_argument("file")
        parser.add_argument(
            "--format", choices=FORMATS, default=None, help="default: from the file extension"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate only")
        parser.add_argument("--user", default=None, help="act as this user")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["user"])
        try:
            report = import_file(
                kind=options["kind"],
                path=options["file"],
                actor=actor,
                fmt=options["format"],
                dry_run=options["dry_run"],
            )
        except ApplicationError as exc:
            # A file refused whole (too large, not an XLSX, an XLSX that unpacks too big).
            if options["json"]:
                self.stdout.write(json.dumps({"error": exc.as_dict()}, ensure_ascii=False))
            raise CommandError(f"{exc.message!s} Nothing was imported.") from exc
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {options['file']}") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror or exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            for error in report.errors:
                self.stdout.write(
                    f"row {error.row:>7}  {error.column:<20} {error.value[:30]!r:<32} "
                    f"{error.message}"
                )
            if report.error_count > len(report.errors):
                self.stdout.write(f"... and {report.error_count - len(report.errors)} more")
            verdict = (
                "valid (dry run, nothing written)"
                if report.ok and report.dry_run
                else f"{report.written} written"
                if report.ok
                else f"{report.error_count} errors, nothing written"
            )
            self.stdout.write(
                f"{report.kind}: {report.rows} rows ({report.format}) in "
                f"{report.seconds:.2f} s: {verdict}"
            )
        if not report.ok:
            raise CommandError(f"{report.error_count} errors; nothing was imported.")

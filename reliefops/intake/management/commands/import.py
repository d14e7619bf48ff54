"""``reliefops import KIND FILE [--dry-run] [--create-only]``: all-or-nothing bulk import
with a row report; every run is recorded in the import history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core import exchange as ex
from reliefops.core.commands import command_actor
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange import FORMATS, registry_kinds
from reliefops.intake.choices import RunSource, RunStatus
from reliefops.intake.models import ImportRun
from reliefops.intake.services import import_run_start


def run_as_dict(run: ImportRun) -> dict[str, Any]:
    return {
        "run": str(run.pk),
        "kind": run.kind,
        "format": run.format,
        "mode": run.mode,
        "status": run.status,
        "background": run.background,
        "rows": run.rows,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "refused": run.refused,
        "written": run.written,
        "ok": run.status == RunStatus.SUCCEEDED,
        "dry_run": run.dry_run,
        "error_count": run.error_count,
        "errors": run.errors,
        "outcomes": run.outcomes,
        "outcomes_left_off": run.outcomes_left_off,
        "seconds": run.seconds,
    }


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX, HXL or GeoJSON file; rows naming an existing record by its key "
        "update it. Nothing is written unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = [e.kind for e in registry_kinds() if e.importer is not None]
        parser.add_argument("kind", choices=kinds)
        parser.add_argument("file")
        parser.add_argument(
            "--format", choices=FORMATS, default=None, help="default: from the file extension"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate only; show what each row would do"
        )
        parser.add_argument(
            "--create-only",
            action="store_true",
            help="new records only: a row whose key exists is an error",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="run as a background job (default: by size)",
        )
        parser.add_argument("--user", default=None, help="act as this user")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["user"])
        path = Path(options["file"])
        try:
            run = import_run_start(
                actor=actor,
                kind=options["kind"],
                path=path,
                file_name=path.name,
                source=RunSource.COMMAND,
                mode=ex.MODE_CREATE if options["create_only"] else ex.MODE_UPSERT,
                dry_run=options["dry_run"],
                fmt=options["format"],
                background=True if options["background"] else None,
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
        if run.background and not run.finished:
            run.refresh_from_db()
        if run.background and not run.finished:
            self.stdout.write(f"{run.kind}: queued as background job {run.pk}")
            return
        if options["json"]:
            self.stdout.write(json.dumps(run_as_dict(run), ensure_ascii=False, indent=1))
        else:
            self._table(run)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"{run.error_count} errors; nothing was imported.")

    def _table(self, run: ImportRun) -> None:
        for error in run.errors:
            self.stdout.write(
                f"row {error['row']:>7}  {error['column']:<20} {str(error['value'])[:30]!r:<32} "
                f"{error['message']}"
            )
        if run.error_count > len(run.errors):
            self.stdout.write(f"... and {run.error_count - len(run.errors)} more")
        ok = run.status == RunStatus.SUCCEEDED
        if ok and run.dry_run:
            for outcome in run.outcomes:
                changes = ", ".join(
                    f"{name}: {c['old'] or '-'} -> {c['new'] or '-'}"
                    for name, c in outcome["changes"].items()
                )
                self.stdout.write(
                    f"row {outcome['row']:>7}  {outcome['outcome']:<10} {outcome['key']:<24} "
                    f"{changes}"
                )
            if run.outcomes_left_off:
                self.stdout.write(f"... and {run.outcomes_left_off} more rows")
        counts = f"{run.created} created, {run.updated} updated, {run.unchanged} unchanged"
        verdict = (
            f"valid (dry run, nothing written): would be {counts}"
            if ok and run.dry_run
            else f"{counts}; {run.written} written"
            if ok
            else f"{run.error_count} errors, {run.refused} rows refused, nothing written"
        )
        self.stdout.write(
            f"{run.kind}: {run.rows} rows ({run.format}) in {run.seconds:.2f} s: {verdict}"
        )

"""``reliefops retention_purge [--dry-run] [--kind K …] [--json]``: delete or anonymise the
personal data older than its retention period (``RELIEFOPS_RETENTION``), kind by kind, each
in its own transaction and audited; ``--dry-run`` says what it would do and changes nothing.
Beat runs the same purge daily (``core-retention-purge``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.retention import UnknownRetentionKind, retention_kinds, retention_purge


class Command(BaseCommand):
    help = "Delete or anonymise personal data past its retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument(
            "--kind", action="append", metavar="K", help="only this kind (repeatable)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcomes = retention_purge(kinds=options["kind"], dry_run=options["dry_run"])
        except UnknownRetentionKind as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps([o.as_dict() for o in outcomes], indent=1))
            return
        labels = {name: str(kind.label) for name, kind in retention_kinds().items()}
        verb = "would do" if options["dry_run"] else "did"
        self.stdout.write(f"{'kind':<20} {'days':>5}  {'cutoff':<10}  what it {verb}")
        for o in outcomes:
            if o.skipped:
                line = "kept (no period set)"
            else:
                line = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in o.counts.items())
            cutoff = o.cutoff.date().isoformat() if o.cutoff else "-"
            self.stdout.write(f"{o.kind:<20} {o.days or '-':>5}  {cutoff:<10}  {line}")
            self.stdout.write(f"{'':<20} {'':>5}  {'':<10}  ({labels[o.kind]})")

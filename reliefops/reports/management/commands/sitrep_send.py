"""``reliefops sitrep_send [--date D] [--json]``: e-mail the weekly situation report to its
subscribers now (what the weekly beat job does), inline."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.commands import command_date
from reliefops.reports.services import sitrep_weekly_send


class Command(BaseCommand):
    help = (
        "E-mail the weekly situation report to every active subscriber (each generated as "
        "that subscriber), at most once per subscriber and report date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            default=None,
            metavar="YYYY-MM-DD",
            help="day of the report (default: the Sunday ending the last full week)",
        )
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        day = command_date(options["date"]) if options["date"] else None
        result = sitrep_weekly_send(day=day)
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                "weekly situation report of {day}: {sent} sent, {failed} failed, "
                "{skipped} sent before".format(**result)
            )
        if result["failed"]:
            raise CommandError(f"{result['failed']} e-mail(s) not sent (see the dispatch log)")

"""``reliefops submissions_retry [--json]``: retry every waiting field submission (as its
sender), refusing those that waited longer than ``SUBMISSION_WAIT_LIFETIME``. Run it
from cron, or let Celery beat run the task ``reliefops.intake.submissions_retry``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reliefops.intake.tasks import submissions_retry_task


class Command(BaseCommand):
    help = "Retry waiting field submissions; refuse those that waited too long."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        report = submissions_retry_task()
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(
                "applied {applied}, refused {refused}, still waiting {waiting}, "
                "skipped {skipped} (in use) in {passes} pass(es)".format(**report)
            )

"""``reliefops due_refresh``: rebuild every stored due date (beat runs it nightly; run it
after loading people or visits with a bulk writer that bypasses the services)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reliefops.teams.due_store import due_store_refresh


class Command(BaseCommand):
    help = "Rebuild the stored due dates of every person a coverage rule matches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        written = due_store_refresh()
        seconds = round(time.perf_counter() - started, 2)
        if options["json"]:
            self.stdout.write(json.dumps({"people": written, "seconds": seconds}))
        else:
            self.stdout.write(f"due dates stored for {written} people in {seconds} s")

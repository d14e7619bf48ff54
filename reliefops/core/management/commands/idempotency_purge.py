"""``reliefops idempotency_purge``: delete expired Idempotency-Key records (run daily)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reliefops.core.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Delete Idempotency-Key records past their expiry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency_purge()
        if options["json"]:
            self.stdout.write(json.dumps({"deleted": deleted}))
        else:
            self.stdout.write(f"deleted {deleted} expired idempotency records")

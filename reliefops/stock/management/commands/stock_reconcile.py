"""``reliefops stock_reconcile``: prove the balance snapshot equals the ledger."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.stock.selectors import stock_reconcile


class Command(BaseCommand):
    help = "Compare stock balances with the sum of the ledger; non-zero exit on a mismatch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        mismatches = stock_reconcile()
        if options["json"]:
            self.stdout.write(
                json.dumps({"ok": not mismatches, "mismatches": mismatches}, default=str)
            )
        else:
            for m in mismatches:
                self.stdout.write(
                    f"{m['warehouse']} {m['item']} {m['lot']}: "
                    f"ledger {m['ledger']} snapshot {m['snapshot']}"
                )
            self.stdout.write(
                "snapshot = ledger" if not mismatches else f"{len(mismatches)} mismatches"
            )
        if mismatches:
            raise CommandError("The stock snapshot differs from the ledger.")

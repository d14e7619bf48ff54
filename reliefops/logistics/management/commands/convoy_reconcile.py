"""``reliefops convoy_reconcile``: prove every convoy's goods are accounted for.

Per convoy and item: dispatched (the ledger) = delivered + short + damaged + returned (the
ledger) + still on board. Without codes, every convoy past planning.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.models import Convoy
from reliefops.logistics.selectors import convoy_reconcile

COLUMNS = ("dispatched", "delivered", "short", "damaged", "returned", "on_board", "difference")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


class Command(BaseCommand):
    help = (
        "Compare what each convoy dispatched with what was delivered, lost, returned and is "
        "still on board; non-zero exit when any difference is not zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("codes", nargs="*", metavar="CONVOY_CODE")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["codes"]
        if codes:
            convoys = list(Convoy.objects.filter(code__in=codes).order_by("code"))
            unknown = sorted(set(codes) - {c.code for c in convoys})
            if unknown:
                raise CommandError(f"No such convoy: {', '.join(unknown)}")
        else:
            convoys = list(
                Convoy.objects.exclude(status=ConvoyStatus.PLANNED).order_by(
                    "departure_date", "code"
                )
            )
        report: list[dict[str, Any]] = []
        for convoy in convoys:
            rows = convoy_reconcile(convoy)
            report.append(
                {
                    "code": convoy.code,
                    "status": convoy.status,
                    "balanced": all(r.balanced for r in rows),
                    "items": [
                        {"item": r.item.code, **{c: getattr(r, c) for c in COLUMNS}} for r in rows
                    ],
                }
            )
        unbalanced = [c["code"] for c in report if not c["balanced"]]
        if options["json"]:
            self.stdout.write(
                json.dumps({"ok": not unbalanced, "convoys": report}, default=_number, indent=1)
            )
        else:
            self._table(report)
            n = len(report)
            self.stdout.write(
                f"{n} convoy{'' if n == 1 else 's'}: every item accounted for"
                if not unbalanced
                else f"{len(unbalanced)} of {n} convoy{'' if n == 1 else 's'} do not balance: "
                + ", ".join(unbalanced)
            )
        if unbalanced:
            raise CommandError("A convoy's goods are not accounted for.")

    def _table(self, report: list[dict[str, Any]]) -> None:
        header = ("item", *[c.replace("_", " ") for c in COLUMNS])
        for convoy in report:
            self.stdout.write(
                f"{convoy['code']} ({convoy['status']}): "
                f"{'balanced' if convoy['balanced'] else 'DIFFERENCE'}"
            )
            rows = [(row["item"], *[_number(row[c]) for c in COLUMNS]) for row in convoy["items"]]
            widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
            for cells in [header, *rows]:
                line = "  ".join(
                    cell.ljust(w) if i == 0 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
                )
                self.stdout.write(f"  {line}")

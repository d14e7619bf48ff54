"""``reliefops encryption_rotate``: re-encrypt personal fields with the current first key."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reliefops.core.encryption import encryption_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (names, phones, addresses …) with the first key "
        "(SECRET_KEY × first RELIEFOPS_FIELD_SALT), after a key rotation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        done = encryption_rotate()
        if options["json"]:
            self.stdout.write(json.dumps(done, sort_keys=True))
            return
        for name, count in sorted(done.items()):
            self.stdout.write(f"{name}: {count} values re-encrypted")

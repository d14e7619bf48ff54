"""``reliefops waybill CONVOY_CODE [--vehicle REG] --output FILE.pdf [--user U] [--language L]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.commands import command_actor
from reliefops.core.errors import ApplicationError
from reliefops.logistics.waybill import convoy_waybill


class Command(BaseCommand):
    help = "Write the waybill PDF of a convoy's vehicles (or of one vehicle) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("convoy", metavar="CONVOY_CODE")
        parser.add_argument("--vehicle", default=None, metavar="REG", help="only this vehicle")
        parser.add_argument("--output", required=True, metavar="FILE.pdf")
        parser.add_argument("--user", default=None, help="act as this user")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the waybill's texts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["user"])
        try:
            _filename, pdf = convoy_waybill(
                actor=actor,
                code=options["convoy"],
                registration=options["vehicle"],
                language=options["language"],
            )
        except ApplicationError as exc:
            raise CommandError(f"{options['convoy']}: {exc.message}") from exc
        output = Path(options["output"])
        try:
            output.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        self.stderr.write(f"waybill of convoy {options['convoy']} written to {output}")

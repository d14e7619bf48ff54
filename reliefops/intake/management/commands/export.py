"""``reliefops export KIND [--format csv|xlsx|hxl|geojson] [--output FILE]``."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.commands import command_actor
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange import FORMATS, export_to_file, export_write, registry_kinds


class Command(BaseCommand):
    help = "Export a table in CSV, XLSX, HXL-tagged CSV or GeoJSON (stdout without --output)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = [e.kind for e in registry_kinds() if e.exporter is not None]
        parser.add_argument("kind", choices=kinds)
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--output", default=None, help="file to write (default: stdout)")
        parser.add_argument("--user", default=None, help="act as this user")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["user"])
        try:
            if options["output"]:
                count = export_to_file(
                    kind=options["kind"],
                    path=options["output"],
                    actor=actor,
                    fmt=options["format"],
                )
                self.stderr.write(f"{count} rows written to {options['output']}")
            else:
                export_write(
                    kind=options["kind"],
                    stream=sys.stdout.buffer,
                    actor=actor,
                    fmt=options["format"],
                )
                sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader stopped early (``| head``): not an error of the export.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc

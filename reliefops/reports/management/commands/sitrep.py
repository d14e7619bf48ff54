"""``reliefops sitrep [--date D] [--format md|html|pdf] [--language L] [--output FILE]
[--user U]``: the situation report of a day, as the user sees it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reliefops.core.commands import command_actor, command_date
from reliefops.reports.selectors import FORMATS, sitrep_filename, sitrep_render


class Command(BaseCommand):
    help = "Write the situation report of a day (Markdown, HTML or PDF)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="default today")
        parser.add_argument("--format", default="md", choices=FORMATS)
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the report",
        )
        parser.add_argument(
            "--output",
            default=None,
            metavar="FILE",
            help="file to write (default: sitrep-DATE-LANG.FORMAT; '-' for stdout)",
        )
        parser.add_argument("--user", default=None, help="act as this user (their access)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["user"])
        day = command_date(options["date"]) if options["date"] else timezone.localdate()
        fmt, language = options["format"], options["language"]
        body = sitrep_render(actor, day, fmt, language)
        output = options["output"] or sitrep_filename(day, fmt, language)
        if output == "-":
            sys.stdout.buffer.write(body)
            return
        try:
            Path(output).write_bytes(body)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}") from exc
        self.stderr.write(f"situation report of {day.isoformat()} written to {output}")

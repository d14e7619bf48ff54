"""``reliefops waybill CONVOY_CODE [--vehicle REG] --output FILE.pdf [--user U] [--language L]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.errors import ApplicationError
from reliefops.logistics.waybill import convoy_waybill


def command_actor(username: str | None) -> Any:
    """The user the command acts as: ``--user``, else the first active superuser (the same
    rule as ``reliefops import`` and ``export``): the waybill goes through the same
    permission checks as the download button."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        return user
    user = users.filter(is_superuser=True).order_by("date_joined").first()
    if user is None:
        raise CommandError("Pass --user USERNAME (no active superuser exists to act as).")
    return user


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

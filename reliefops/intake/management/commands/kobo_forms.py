"""``reliefops kobo_forms``: the KoboToolbox/ODK form links.

    reliefops kobo_forms list [--json]
    reliefops kobo_forms add FILE… --as USER [--key KEY] [--form-ids IDS] [--secret S]
                             [--inactive] [--user ADMIN] [--json]
    reliefops kobo_forms add --shipped --as USER …     (every forms/*.mapping.json)
    reliefops kobo_forms secret KEY [--user ADMIN]     (a new secret; the old one stops)

``add`` creates or updates the link of each mapping file (docs/kobo.md) and prints the
secret of a new link (or the one given with ``--secret``) once. Writes go through
:mod:`reliefops.intake.kobo.services` as ``--user`` (default: the first superuser), which
needs ``form_link.manage``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.commands import command_actor
from reliefops.core.errors import ApplicationError
from reliefops.intake.kobo.selectors import form_link_get, form_link_list
from reliefops.intake.kobo.services import form_link_load, form_link_secret_rotate
from reliefops.intake.kobo.shipped import SHIPPED_FORMS, shipped_mappings


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


class Command(BaseCommand):
    help = "List the KoboToolbox/ODK form links, add them from mapping files, rotate secrets."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="the form links and what they received")
        listing.add_argument("--json", action="store_true")
        listing.add_argument("--user", default=None, help="act as this user")
        add = sub.add_parser("add", help="create or update links from mapping files")
        add.add_argument("files", nargs="*", type=Path)
        add.add_argument(
            "--shipped", action="store_true", help=f"every {SHIPPED_FORMS}/*.mapping.json"
        )
        add.add_argument(
            "--as", dest="submit_as", required=True, help="the user submissions act as"
        )
        add.add_argument("--key", default=None, help="the form key (one file only)")
        add.add_argument("--form-ids", default=None, help="accepted form ids, space-separated")
        add.add_argument(
            "--secret", default=None, help="use this secret (default: a new random one)"
        )
        add.add_argument("--inactive", action="store_true")
        add.add_argument("--user", default=None, help="act as this user")
        add.add_argument("--json", action="store_true")
        secret = sub.add_parser("secret", help="give a form a new secret")
        secret.add_argument("key")
        secret.add_argument("--user", default=None, help="act as this user")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = command_actor(options["user"])
        try:
            getattr(self, f"_{options['action']}")(actor, options)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc

    def _list(self, actor: Any, options: dict[str, Any]) -> None:
        rows = [
            {
                "key": link.key,
                "title": link.title,
                "kind": link.kind,
                "acts_as": link.user.get_username(),
                "active": link.is_active,
                "form_ids": link.form_ids,
                "received": getattr(link, "received", 0),
                "waiting": getattr(link, "waiting", 0),
                "refused": link.refused_count,
                "last_received_at": _iso(getattr(link, "last_received_at", None)),
            }
            for link in form_link_list(actor=actor)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{'key':<18} {'kind':<16} {'acts as':<14} {'active':<7} {'received':>8} {'refused':>8}"
        )
        for row in rows:
            self.stdout.write(
                f"{row['key']:<18} {row['kind']:<16} {row['acts_as']:<14} "
                f"{'yes' if row['active'] else 'no':<7} {row['received']:>8} {row['refused']:>8}"
            )

    def _add(self, actor: Any, options: dict[str, Any]) -> None:
        files: list[Path] = list(options["files"])
        if options["shipped"]:
            files += shipped_mappings()
        if not files:
            raise CommandError("Name mapping files, or --shipped.")
        if options["key"] and len(files) > 1:
            raise CommandError("--key names one form: give one file.")
        user = (
            get_user_model().objects.filter(username=options["submit_as"], is_active=True).first()
        )
        if user is None:
            raise CommandError(f"No active user {options['submit_as']!r}.")
        results = []
        for path in files:
            link, secret = form_link_load(
                actor=actor,
                path=path,
                user=user,
                key=options["key"],
                secret=options["secret"],
                is_active=not options["inactive"],
                form_ids=options["form_ids"],
            )
            results.append(
                {
                    "key": link.key,
                    "kind": link.kind,
                    "acts_as": user.get_username(),
                    "secret": secret,
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
            return
        for row in results:
            note = f"secret: {row['secret']}" if row["secret"] else "secret unchanged"
            self.stdout.write(f"{row['key']}: {row['kind']}, acts as {row['acts_as']} ({note})")

    def _secret(self, actor: Any, options: dict[str, Any]) -> None:
        link = form_link_get(actor=actor, key=options["key"])
        secret = form_link_secret_rotate(actor=actor, link=link)
        self.stdout.write(f"{link.key}: new secret {secret}")

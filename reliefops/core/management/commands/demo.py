"""``reliefops demo``: create the embedded database, load the demo scenario, serve the app."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(
                ipaddress.ip_address(info[4][0]).is_loopback
                for info in socket.getaddrinfo(host, None)
            )
        except OSError:
            return False


class Command(BaseCommand):
    help = "Set up the database, load the demo scenario and serve the app on loopback."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        host = options["host"]
        if not options["no_serve"] and not is_loopback(host):
            raise CommandError(
                f"Refusing to serve on {host}: the demo accounts have published passwords. "
                "Serve the demo on a loopback address (127.0.0.1) only."
            )
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Creating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the demo scenario …")
        # Each domain app's ``demo`` module loads its part, lowest layer first (the order
        # of settings.DOMAIN_APPS); a module may also print what the user needs to know
        # afterwards (``report``: the demo accounts).
        modules = [import_module(f"{dotted}.demo") for dotted in settings.DOMAIN_APPS]
        for module in modules:
            module.load(stdout=self.stdout)
        for module in modules:
            report = getattr(module, "report", None)
            if report is not None:
                report(stdout=self.stdout)
        if options["no_serve"]:
            return
        url = f"http://{host}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nServing ReliefOps on {url}  (Ctrl+C to stop)"))
        self.stdout.flush()
        # gunicorn, as in production (whitenoise serves the static files).
        os.execv(  # noqa: S606 - replaces this process with the server
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "reliefops.wsgi:application",
                "--bind",
                f"{host}:{options['port']}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--log-level",
                "warning",
            ],
        )

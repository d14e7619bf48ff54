"""The ``reliefops`` command: the stable interface for scripts and checks.

``solve``, ``bench``, ``plan-file`` and ``plan-generate`` run the pure-Python planning core
without starting Django. Every other command is a Django management command run with
ReliefOps' settings (``reliefops places match ...``, ``reliefops import ...``,
``reliefops demo``, ``reliefops migrate`` ...).
"""

from __future__ import annotations

import os
import sys

PLANNING_COMMANDS = {"solve", "bench", "plan-file", "plan-generate"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PLANNING_COMMANDS:
        from reliefops.planning.cli import main as planning_main

        return planning_main(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
    from django.core.management import execute_from_command_line

    if not args:
        args = ["help"]
    execute_from_command_line(["reliefops", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())

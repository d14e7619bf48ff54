"""``python -m bench`` (``make bench``): run every benchmark with its default settings.

Each benchmark is a ``bench/<name>/run.py`` script that prints a table and writes JSON
under ``bench/results/``. ``python -m bench NAME…`` runs only those; ``--list`` lists them.
Extra arguments after ``--`` go to each script.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.parent.name for p in BENCH.glob("*/run.py"))


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    if "--list" in argv:
        print("\n".join(available()))
        return 0
    names = argv or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(available())}")
        return 2
    failures = 0
    for name in names:
        print(f"\n=== bench/{name} ===", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(BENCH / name / "run.py"), *extra], check=False)
        print(f"=== bench/{name}: exit {result.returncode} in {time.monotonic() - started:.0f} s")
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

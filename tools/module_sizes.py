"""Fail when a Python module outside migrations is longer than ``--max`` lines (`make lint`).

Large modules are split by topic (``services/`` packages, ``core/exchange/``), so that a
newcomer finds one concern per file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("roots", nargs="+", type=Path)
    parser.add_argument("--max", type=int, default=600)
    args = parser.parse_args()
    too_long = []
    for root in args.roots:
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > args.max:
                too_long.append((lines, path))
    for lines, path in too_long:
        print(f"{path}: {lines} lines (more than {args.max}; split it by topic)")
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main())

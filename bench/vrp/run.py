"""Routing benchmark: ``python bench/vrp/run.py [--seconds S] [DIR]``.

Wraps ``reliefops bench vrp DIR --seconds S --compare ortools`` and writes
``bench/results/vrp_<S>s.json``; prints the table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reliefops.planning.cli import main  # noqa: E402


def run() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=str(ROOT / "bench" / "instances"))
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    label = Path(args.folder).name if Path(args.folder).name != "instances" else ""
    name = f"vrp_{label + '_' if label else ''}{args.seconds:g}s.json"
    out = args.out or str(ROOT / "bench" / "results" / name)
    argv = [
        "bench",
        "vrp",
        args.folder,
        "--seconds",
        str(args.seconds),
        "--seed",
        str(args.seed),
        "--out",
        out,
        "--no-progress",
    ]
    if not args.no_compare:
        argv += ["--compare", "ortools"]
    return main(argv)


if __name__ == "__main__":
    sys.exit(run())

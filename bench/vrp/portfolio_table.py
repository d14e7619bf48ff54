"""The README tables of the 2-core engine benchmark, from its JSON results.

``python bench/vrp/portfolio_table.py [RESULT.json ...]`` (default: the ``--own-sessions``
results at 10 s and 30 s) prints, per result, the table of every instance (means over
seeds, CPU seconds and iterations each engine got) and the summary rows of the README:
the small instances together and the 1,000-customer one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = [
    ROOT / "bench" / "results" / "vrp_portfolio_10s_sessions.json",
    ROOT / "bench" / "results" / "vrp_portfolio_30s_sessions.json",
]


def _verdict(runs: list[dict[str, Any]]) -> tuple[int, int, int]:
    better = sum(r["ours"]["distance"] < r["raw"]["distance"] for r in runs)
    ties = sum(r["ours"]["distance"] == r["raw"]["distance"] for r in runs)
    return better, ties, len(runs) - better - ties


def _engine(row: dict[str, Any], engine: str, key: str) -> float:
    return mean(r[engine][key] for r in row["runs"])


def _gap(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def table(report: dict[str, Any]) -> str:
    loads = [
        r[e]["load_average_before"][0]
        for row in report["results"]
        for r in row["runs"]
        for e in ("raw", "ours")
    ]
    lines = [
        f"{report['seconds_per_run']:g} s per run, seeds {report['seeds']}, "
        f"own sessions: {report['own_sessions']}, load average {min(loads):.1f}–{max(loads):.1f}, "
        f"taken {report['machine'].get('taken_at_utc', '?')}",
        "",
        "| instance | n | BKS | raw mean | gap % | CPU s | iter. | ours mean | gap % | CPU s | iter. "
        "| ours better / tie / worse |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["results"]:
        raw, ours = row["summary"]["raw"], row["summary"]["ours"]
        better, ties, worse = _verdict(row["runs"])
        cells = [row["instance"], str(row["clients"]), f"{row['bks_distance']:g}"]
        for engine, s in (("raw", raw), ("ours", ours)):
            cells += [
                f"{s['mean_distance']:.1f}",
                _gap(s["mean_gap_percent"]),
                f"{_engine(row, engine, 'cpu_seconds'):.1f}",
                f"{_engine(row, engine, 'iterations'):,.0f}",
            ]
        cells.append(f"{better} / {ties} / {worse}")
        lines.append("| " + " | ".join(cells) + " |")
    for label, rows in (
        ("small (≤ 200 clients)", [r for r in report["results"] if r["clients"] <= 200]),
        ("1,000 clients", [r for r in report["results"] if r["clients"] >= 1000]),
    ):
        if not rows:
            continue
        verdicts = [_verdict(r["runs"]) for r in rows]
        gaps = {e: mean(r["summary"][e]["mean_gap_percent"] for r in rows) for e in ("raw", "ours")}
        lines.append(
            f"| **mean, {label}** | | | | {gaps['raw']:.3f} | | | | {gaps['ours']:.3f} | | | "
            f"{sum(v[0] for v in verdicts)} / {sum(v[1] for v in verdicts)} / "
            f"{sum(v[2] for v in verdicts)} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or DEFAULT
    for path in paths:
        if not path.exists():
            print(f"{path}: not found (run bench/vrp/portfolio_bench.py first)", file=sys.stderr)
            continue
        print(f"### {path.name}\n")
        print(table(json.loads(path.read_text(encoding="utf-8"))))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

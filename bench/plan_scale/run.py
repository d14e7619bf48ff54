"""Planning at scale: ``python bench/plan_scale/run.py [--sizes small,medium,large,national]``.

For generated days of increasing size, measures the time per phase (build, allocation,
routing, check), the peak memory of the process tree, served % (priority-weighted), life-saving
served %, visits made and the checker's verdict. Also compares decomposed and whole team
routing on the ``compare`` size (same time limit). Prints a table and writes
``bench/results/plan_scale.json`` and a plot ``bench/results/plan_scale.png``.

Peak memory is sampled every 0.1 s: RSS of this process plus USS (pages private to the
process) of every worker, so pages shared copy-on-write with forked workers count once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reliefops.planning import GenerateSpec, StopRule, check, problem_generate, solve  # noqa: E402
from reliefops.planning.benchmark import machine_describe  # noqa: E402

SIZES: dict[str, dict[str, int]] = {
    "small": {
        "places": 500,
        "requests": 100,
        "vehicles": 25,
        "teams": 5,
        "depots": 1,
        "visits": 50,
    },
    "medium": {
        "places": 2000,
        "requests": 400,
        "vehicles": 100,
        "teams": 20,
        "depots": 4,
        "visits": 200,
    },
    "large": {
        "places": 5000,
        "requests": 1000,
        "vehicles": 250,
        "teams": 50,
        "depots": 10,
        "visits": 500,
    },
    "national": {
        "places": 10000,
        "requests": 2000,
        "vehicles": 500,
        "teams": 100,
        "depots": 20,
        "visits": 1000,
    },
}


class MemorySampler:
    """Peak of (own RSS + workers' USS), sampled in a thread."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._me = psutil.Process()

    def _sample(self) -> int:
        total = self._me.memory_info().rss
        for child in self._me.children(recursive=True):
            try:
                total += child.memory_full_info().uss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return int(total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def day_run(
    name: str, seconds: float, workers: int, seed: int, decompose: bool = True
) -> dict[str, Any]:
    size = SIZES[name]
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    with MemorySampler() as memory:
        started = time.perf_counter()
        problem = problem_generate(GenerateSpec(seed=seed, **size))
        built = time.perf_counter()
        plan = solve(
            problem, StopRule(max_seconds=seconds), seed=seed, workers=workers, decompose=decompose
        )
        solved = time.perf_counter()
        violations = check(problem, plan)
        checked = time.perf_counter()
    stats = plan.stats
    stops = sum(len(r.stops) for r in plan.routes) + sum(len(r.stops) for r in plan.rounds)
    return {
        "size": name,
        **size,
        "decompose": decompose,
        "routing_limit_seconds": seconds,
        "workers": workers,
        "seconds": {
            "build": round(built - started, 3),
            "allocation": round(stats["seconds_allocation"], 3),
            "routing": round(stats["seconds_routing"], 3),
            "check": round(checked - solved, 3),
            "end_to_end": round(checked - started, 3),
        },
        "peak_memory_mib": round(memory.peak / 2**20, 1),
        "served_percent": round(stats["served_percent"], 2),
        "units_served_percent": round(stats["units_served_percent"], 2),
        "life_saving_served_percent": round(stats["life_saving_served_percent"], 2),
        "visits_made": int(stats["visits_made"]),
        "visits_made_percent": round(stats["visits_made_percent"], 2),
        "life_saving_visits_percent": round(stats["life_saving_visits_percent"], 2),
        "routes": len(plan.routes),
        "trips": int(stats["trips"]),
        "rounds": len(plan.rounds),
        "stops": stops,
        "distance_km": round(stats["distance_km"], 1),
        "subproblems": int(stats["subproblems"]),
        "checker_violations": len(violations),
        "checker_passed_percent": 100.0
        if not violations
        else round(
            100.0
            * (
                1
                - len({v.where.split(",")[0] for v in violations})
                / max(1, len(plan.routes) + len(plan.rounds))
            ),
            2,
        ),
        "first_violations": [str(v) for v in violations[:10]],
        "unmet_units_by_reason": {k: round(v, 1) for k, v in stats.items() if "unmet_units_" in k},
        "load_average_at_start": load_at_start,
    }


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in rows if r["decompose"]]
    x = [r["requests"] + r["visits"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for phase in ("routing", "end_to_end"):
        left.plot(x, [r["seconds"][phase] for r in rows], marker="o", label=phase)
    left.plot(
        x, [r["routing_limit_seconds"] for r in rows], linestyle="--", label="routing limit (set)"
    )
    left.set_title("End to end (routing runs to its limit, set ∝ size)")
    for phase in ("build", "allocation", "check"):
        right.plot(x, [r["seconds"][phase] for r in rows], marker="o", label=phase)
    right.set_title("Phases outside the routing search")
    for ax in (left, right):
        ax.set_xlabel("requests + due visits")
        ax.set_ylabel("seconds (wall clock)")
        ax.legend()
        ax.grid(True, alpha=0.3)
    fig.suptitle("ReliefOps planning: time per phase by size (2 shared cores)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="small,medium,large,national")
    parser.add_argument(
        "--national-seconds",
        type=float,
        default=80.0,
        help="routing limit of the national day; smaller days get a share by size",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--compare", default="medium", help="size for decomposed vs whole ('' to skip)"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "plan_scale.json"))
    args = parser.parse_args()
    national = SIZES["national"]["requests"] + SIZES["national"]["visits"]
    rows = []
    for name in [s for s in args.sizes.split(",") if s]:
        share = (SIZES[name]["requests"] + SIZES[name]["visits"]) / national
        seconds = max(5.0, args.national_seconds * share)
        rows.append(day_run(name, seconds, args.workers, args.seed))
        print(json.dumps(rows[-1]), file=sys.stderr)
    if args.compare:
        share = (SIZES[args.compare]["requests"] + SIZES[args.compare]["visits"]) / national
        seconds = max(5.0, args.national_seconds * share)
        rows.append(day_run(args.compare, seconds, args.workers, args.seed, decompose=False))
        print(json.dumps(rows[-1]), file=sys.stderr)
    header = f"{'size':9} {'decomp':6} {'build':>6} {'alloc':>6} {'route':>6} {'check':>6} {'total':>6} {'MiB':>6} {'served%':>7} {'life%':>6} {'visits':>7} {'km':>9} {'viol':>5}"
    print(header)
    print("-" * len(header))
    for r in rows:
        s = r["seconds"]
        print(
            f"{r['size']:9} {r['decompose']!s:6} {s['build']:6.1f} {s['allocation']:6.1f} {s['routing']:6.1f} {s['check']:6.1f} {s['end_to_end']:6.1f} {r['peak_memory_mib']:6.0f} {r['served_percent']:7.1f} {r['life_saving_served_percent']:6.1f} {r['visits_made']:7d} {r['distance_km']:9.0f} {r['checker_violations']:5d}"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"benchmark": "plan_scale", "machine": machine_describe(), "results": rows}
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if any(r["decompose"] for r in rows):
        plot(rows, out.with_suffix(".png"))
    return 1 if any(r["checker_violations"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Equal wall time: ReliefOps' 2-core engine against one raw PyVRP run.

``python bench/vrp/portfolio_bench.py [--seconds S] [--seeds 1 2 3] [--workers 2]``
→ ``bench/results/vrp_portfolio_<S>s.json`` and a table on stdout.

For every instance (``bench/instances`` and ``bench/instances/large``) and every seed, one
after the other on the same machine:

* **raw PyVRP**: ``pyvrp.solve(data, stop=MaxRuntime(S), seed=seed)`` in this one process;
* **ours**: ``instance_solve(instance, StopRule(max_seconds=S), seed=seed, workers=2)``, the
  portfolio engine (:mod:`reliefops.planning.portfolio`): two processes, seeds ``seed`` and
  ``seed + 100003``, each with the same S seconds, the best kept.

Both get the same ``ProblemData`` (:func:`instance_problem_data`) and the same wall-clock
limit; both solutions are scored by the independent checker. The order alternates (raw first
for odd seeds, ours first for even ones) so that load changes on the shared machine hit both.
The CPU seconds each engine actually got are recorded (``getrusage``).

``--own-sessions``: Linux's autogroup scheduler (``/proc/sys/kernel/sched_autogroup_enabled``)
shares the CPU equally among *sessions*, not processes: on a machine busy with other sessions,
two processes of one session get together what one process of another session gets, so the
2-process engine gets the CPU of one. With this flag each portfolio process starts its own
session (``os.setsid``) and competes like a separate job, as the two processes would on a
2-core machine with nothing else running; the recorded CPU seconds show what each engine got.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pyvrp  # noqa: E402
from pyvrp.stop import MaxRuntime  # noqa: E402

import reliefops.planning.portfolio as engine_portfolio  # noqa: E402
from reliefops.planning.benchmark import bks_read, instance_files, machine_describe  # noqa: E402
from reliefops.planning.instance_checker import instance_check  # noqa: E402
from reliefops.planning.instances import (  # noqa: E402
    Instance,
    instance_problem_data,
    instance_read,
    instance_solve,
)
from reliefops.planning.stopping import StopRule  # noqa: E402


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _raw(instance: Instance, seconds: float, seed: int) -> dict[str, Any]:
    data = instance_problem_data(instance)
    cpu = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pyvrp.solve(
            data, stop=MaxRuntime(seconds), seed=seed, collect_stats=False, display=False
        )
    elapsed = time.perf_counter() - started
    cpu = _cpu(resource.RUSAGE_SELF) - cpu
    routes = [
        tuple(instance.labels[a.idx] for a in route if a.is_client())
        for route in result.best.routes()
    ]
    return {
        "routes": routes,
        "seconds": elapsed,
        "cpu": cpu,
        "iterations": int(result.num_iterations),
    }


def _ours(instance: Instance, seconds: float, seed: int, workers: int) -> dict[str, Any]:
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    solution = instance_solve(instance, StopRule(max_seconds=seconds), seed=seed, workers=workers)
    elapsed = time.perf_counter() - started
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu
    return {
        "routes": solution.routes,
        "seconds": elapsed,
        "cpu": cpu,
        "iterations": solution.iterations,
    }


def _scored(instance: Instance, run: dict[str, Any], bks: float | None) -> dict[str, Any]:
    checked = instance_check(instance, run["routes"])
    distance = checked.distance if checked.feasible else None
    gap = None if distance is None or bks is None else round(100.0 * (distance - bks) / bks, 3)
    return {
        "distance": round(checked.distance, 1),
        "vehicles": len(run["routes"]),
        "feasible": checked.feasible,
        "gap_percent": gap,
        "iterations": run["iterations"],
        "wall_seconds": round(run["seconds"], 3),
        "cpu_seconds": round(run["cpu"], 3),
        "load_average_before": run["load_before"],
    }


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 3) if known else None


def run() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=None, help="instance names to run")
    parser.add_argument(
        "--own-sessions",
        action="store_true",
        help="each portfolio process in its own session (see the module docstring)",
    )
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    suffix = "_sessions" if args.own_sessions else ""
    out = Path(
        args.out or ROOT / "bench" / "results" / f"vrp_portfolio_{args.seconds:g}s{suffix}.json"
    )
    if args.own_sessions:
        engine_portfolio.child_initializer = os.setsid
    load_at_start = _load()
    folders = [ROOT / "bench" / "instances", ROOT / "bench" / "instances" / "large"]
    rows: list[dict[str, Any]] = []
    for folder in folders:
        bks = bks_read(folder / "bks.csv")
        for path in instance_files(folder):
            instance = instance_read(path)
            if args.only and instance.name not in args.only:
                continue
            best = bks.get(instance.name) or bks.get(path.stem)
            bks_distance = best.distance if best else None
            runs: list[dict[str, Any]] = []
            for seed in args.seeds:
                order = ["raw", "ours"] if seed % 2 else ["ours", "raw"]
                scored: dict[str, Any] = {"seed": seed}
                for engine in order:
                    before = _load()
                    if engine == "raw":
                        result = _raw(instance, args.seconds, seed)
                    else:
                        result = _ours(instance, args.seconds, seed, args.workers)
                    result["load_before"] = before
                    scored[engine] = _scored(instance, result, bks_distance)
                runs.append(scored)
                print(
                    f"{instance.name} seed {seed}: raw {scored['raw']['distance']} "
                    f"ours {scored['ours']['distance']} (load {_load()[0]})",
                    file=sys.stderr,
                    flush=True,
                )
            summary = {
                engine: {
                    "mean_distance": _mean([r[engine]["distance"] for r in runs]),
                    "mean_gap_percent": _mean([r[engine]["gap_percent"] for r in runs]),
                    "mean_cpu_seconds": _mean([r[engine]["cpu_seconds"] for r in runs]),
                    "all_feasible": all(r[engine]["feasible"] for r in runs),
                }
                for engine in ("raw", "ours")
            }
            rows.append(
                {
                    "instance": instance.name,
                    "clients": instance.num_clients,
                    "kind": instance.kind,
                    "bks_distance": bks_distance,
                    "summary": summary,
                    "ours_better_seeds": sum(
                        r["ours"]["distance"] < r["raw"]["distance"] for r in runs
                    ),
                    "ties": sum(r["ours"]["distance"] == r["raw"]["distance"] for r in runs),
                    "runs": runs,
                }
            )
    report = {
        "benchmark": "vrp_portfolio",
        "seconds_per_run": args.seconds,
        "seeds": args.seeds,
        "workers": args.workers,
        "own_sessions": args.own_sessions,
        "raw": "pyvrp.solve(data, stop=MaxRuntime(S), seed=seed): one process",
        "ours": "instance_solve(..., workers=W): portfolio of W seeds in W processes, best kept",
        "machine": {**machine_describe(), "load_average_at_start": load_at_start},
        "summary": {
            "instances": len(rows),
            "raw_mean_gap_percent": _mean([r["summary"]["raw"]["mean_gap_percent"] for r in rows]),
            "ours_mean_gap_percent": _mean(
                [r["summary"]["ours"]["mean_gap_percent"] for r in rows]
            ),
            "instances_ours_better_mean": sum(
                r["summary"]["ours"]["mean_distance"] < r["summary"]["raw"]["mean_distance"]
                for r in rows
            ),
            "instances_equal_mean": sum(
                r["summary"]["ours"]["mean_distance"] == r["summary"]["raw"]["mean_distance"]
                for r in rows
            ),
        },
        "results": rows,
    }
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        "| instance | n | BKS | raw PyVRP mean | gap % | ours (2 cores) mean | gap % | "
        "seeds ours better / tie |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        raw, ours = r["summary"]["raw"], r["summary"]["ours"]
        print(
            f"| {r['instance']} | {r['clients']} | {r['bks_distance']} | {raw['mean_distance']} "
            f"| {raw['mean_gap_percent']} | {ours['mean_distance']} | {ours['mean_gap_percent']} "
            f"| {r['ours_better_seeds']} / {r['ties']} |"
        )
    s = report["summary"]
    print(
        f"| **mean** | | | | **{s['raw_mean_gap_percent']}** | | **{s['ours_mean_gap_percent']}** | |"
    )
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run())

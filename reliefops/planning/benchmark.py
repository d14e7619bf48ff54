"""Benchmark runs: our engine over a folder of instances against ``bks.csv``.

An optional comparator (OR-Tools, which lives in ``bench/`` only) is passed in as a function,
so this module never imports it. Every solution of either engine is scored by the same
independent checker (:func:`reliefops.planning.instance_checker.instance_check`).
"""

from __future__ import annotations

import csv
import os
import platform
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from reliefops.planning.errors import ProblemError
from reliefops.planning.instance_checker import instance_check
from reliefops.planning.instances import Instance, instance_read, instance_solve
from reliefops.planning.stopping import ProgressCallback, StopRule

Comparator = Callable[[Instance, float], Mapping[str, Any]]
"""``comparator(instance, seconds)`` → ``{"routes": [[client, …], …], "seconds": float}``."""


@dataclass(frozen=True)
class BestKnown:
    instance: str
    vehicles: int
    distance: float


def bks_read(path: Path) -> dict[str, BestKnown]:
    """Read ``bks.csv`` (``instance,vehicles,distance[,source]``)."""
    rows: dict[str, BestKnown] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rows[row["instance"]] = BestKnown(
                    row["instance"], int(row["vehicles"]), float(row["distance"])
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ProblemError(f"{path.name}:line {line}", f"bad row: {exc}") from exc
    return rows


def instance_files(folder: Path) -> list[Path]:
    """Instance files in ``folder`` (``.txt`` and ``.vrp``), sorted by name."""
    if not folder.is_dir():
        raise ProblemError(str(folder), "not a folder")
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() in {".txt", ".vrp"} and p.is_file()
    )


def machine_describe() -> dict[str, Any]:
    """Conditions of a measurement: CPU, cores, load, library versions, time (UTC)."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for package in ("pyvrp", "highspy", "numpy", "ortools"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "taken_at_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _gap(distance: float | None, bks: BestKnown | None) -> float | None:
    if distance is None or bks is None:
        return None
    return round(100.0 * (distance - bks.distance) / bks.distance, 3)


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 3) if known else None


def benchmark_run(
    folder: Path,
    stop: StopRule,
    seed: int = 0,
    comparator: Comparator | None = None,
    comparator_name: str = "",
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Solve every instance in ``folder``; gaps against ``folder/bks.csv`` when present."""
    load_at_start = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []
    files = instance_files(folder)
    bks_path = folder / "bks.csv"
    bks = bks_read(bks_path) if bks_path.exists() else {}
    rows: list[dict[str, Any]] = []
    seconds = stop.max_seconds if stop.max_seconds is not None else 0.0
    for number, path in enumerate(files):
        read_started = time.perf_counter()
        instance = instance_read(path)
        read_seconds = time.perf_counter() - read_started
        solution = instance_solve(instance, stop, seed=seed)
        check_started = time.perf_counter()
        checked = instance_check(instance, solution.routes)
        check_seconds = time.perf_counter() - check_started
        total = read_seconds + solution.total_seconds + check_seconds
        best = bks.get(instance.name) or bks.get(path.stem)
        row: dict[str, Any] = {
            "instance": instance.name,
            "clients": instance.num_clients,
            "kind": instance.kind,
            "bks_vehicles": best.vehicles if best else None,
            "bks_distance": best.distance if best else None,
            "ours": {
                "vehicles": solution.vehicles,
                "distance": solution.distance,
                "checker_distance": checked.distance,
                "gap_percent": _gap(checked.distance if checked.feasible else None, best),
                "feasible": checked.feasible,
                "violations": [v.__dict__ for v in checked.violations[:20]],
                "iterations": solution.iterations,
                "solver_seconds": round(solution.solver_seconds, 3),
                "total_seconds": round(total, 3),
                "outside_solver_percent": round(
                    100.0 * (total - solution.solver_seconds) / total, 3
                ),
            },
        }
        if comparator is not None:
            other = comparator(instance, seconds)
            other_check = instance_check(instance, other["routes"])
            served = bool(other["routes"])
            row[comparator_name] = {
                "vehicles": len(other["routes"]),
                "distance": other_check.distance if served else None,
                "gap_percent": _gap(other_check.distance if other_check.feasible else None, best),
                "feasible": other_check.feasible,
                "violations": [v.__dict__ for v in other_check.violations[:20]],
                "seconds": round(float(other["seconds"]), 3),
            }
        rows.append(row)
        if progress is not None:
            progress("benchmark", (number + 1) / len(files))
    summary: dict[str, Any] = {
        "instances": len(rows),
        "ours_mean_gap_percent": _mean([r["ours"]["gap_percent"] for r in rows]),
        "ours_all_feasible": all(r["ours"]["feasible"] for r in rows),
    }
    if comparator is not None:
        summary[f"{comparator_name}_mean_gap_percent"] = _mean(
            [r[comparator_name]["gap_percent"] for r in rows]
        )
        summary[f"{comparator_name}_all_feasible"] = all(
            r[comparator_name]["feasible"] for r in rows
        )
    return {
        "benchmark": "vrp",
        "folder": folder.name,
        "seconds_per_instance": stop.max_seconds,
        "max_iterations": stop.max_iterations,
        "seed": seed,
        "machine": {**machine_describe(), "load_average_at_start": load_at_start},
        "summary": summary,
        "results": rows,
    }

"""The planning commands of ``reliefops``: ``solve``, ``bench vrp``, ``plan-file``, ``plan-generate``.

``reliefops.cli`` calls :func:`main` with the argument list after ``reliefops`` and without
setting up Django. Output is a human table by default and JSON with ``--json``; a progress
bar (tqdm) goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tqdm import tqdm

from reliefops.planning.errors import PlanningError
from reliefops.planning.stopping import ProgressCallback, StopRule


@contextmanager
def _progress_bar(enabled: bool, description: str) -> Iterator[ProgressCallback | None]:
    """A tqdm bar on stderr driven by ``progress(phase, fraction)`` callbacks."""
    if not enabled:
        yield None
        return
    bar = tqdm(total=1000, desc=description, file=sys.stderr, leave=False, unit="‰")

    def report(phase: str, fraction: float) -> None:
        bar.set_description(f"{description} {phase}")
        bar.n = int(1000 * max(0.0, min(1.0, fraction)))
        bar.refresh()

    try:
        yield report
    finally:
        bar.close()


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _stop(args: argparse.Namespace) -> StopRule:
    return StopRule(max_seconds=args.seconds, max_iterations=args.iterations)


def _solve(args: argparse.Namespace) -> int:
    from reliefops.planning.instance_checker import instance_check
    from reliefops.planning.instances import instance_read, instance_solve

    instance = instance_read(args.file)
    with _progress_bar(not args.no_progress, instance.name) as progress:
        solution = instance_solve(
            instance, _stop(args), seed=args.seed, progress=progress, workers=args.workers
        )
    checked = instance_check(instance, solution.routes)
    payload = {
        "instance": instance.name,
        "vehicles": solution.vehicles,
        "distance": solution.distance,
        "feasible": checked.feasible,
        "seconds": round(solution.total_seconds, 3),
        "routes": [list(route) for route in solution.routes],
    }
    if args.json:
        print(json.dumps(payload))
    else:
        print(
            _table(
                ["instance", "vehicles", "distance", "feasible", "seconds"],
                [
                    [
                        instance.name,
                        solution.vehicles,
                        solution.distance,
                        checked.feasible,
                        payload["seconds"],
                    ]
                ],
            )
        )
        for violation in checked.violations:
            print(f"violation: {violation.where}: {violation.kind}: {violation.detail}")
    return 0 if checked.feasible else 1


def _ortools_comparator() -> Any:
    """Load the OR-Tools comparator from the repository's ``bench/vrp`` (bench-only code)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "vrp" / "ortools_routing.py"
    if not path.is_file():
        raise PlanningError(f"--compare ortools needs {path.name} from the repository's bench/vrp")
    spec = importlib.util.spec_from_file_location("reliefops_bench_ortools", path)
    if spec is None or spec.loader is None:
        raise PlanningError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ortools_solve


def _bench(args: argparse.Namespace) -> int:
    from reliefops.planning.benchmark import benchmark_run

    comparator = _ortools_comparator() if args.compare == "ortools" else None
    with _progress_bar(not args.no_progress, "bench") as progress:
        report = benchmark_run(
            Path(args.folder),
            _stop(args),
            seed=args.seed,
            comparator=comparator,
            comparator_name=args.compare or "",
            progress=progress,
        )
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report))
        return 0
    headers = ["instance", "n", "BKS", "ours", "veh", "gap %", "feasible", "outside %"]
    if args.compare:
        headers += [f"{args.compare}", "veh", "gap %", "feasible"]
    rows = []
    for r in report["results"]:
        row = [
            r["instance"],
            r["clients"],
            r["bks_distance"],
            r["ours"]["checker_distance"],
            r["ours"]["vehicles"],
            r["ours"]["gap_percent"],
            r["ours"]["feasible"],
            r["ours"]["outside_solver_percent"],
        ]
        if args.compare:
            o = r[args.compare]
            row += [o["distance"], o["vehicles"], o["gap_percent"], o["feasible"]]
        rows.append(row)
    print(_table(headers, rows))
    print(json.dumps(report["summary"]))
    return 0 if report["summary"]["ours_all_feasible"] else 1


def _plan_file(args: argparse.Namespace) -> int:
    from reliefops.planning.checker import check
    from reliefops.planning.formats import plan_to_json, problem_read
    from reliefops.planning.solver import solve

    problem = problem_read(Path(args.problem))
    with _progress_bar(not args.no_progress, "plan") as progress:
        plan = solve(problem, _stop(args), seed=args.seed, progress=progress, workers=args.workers)
    violations = check(problem, plan)
    document = plan_to_json(plan, violations)
    if args.out:
        Path(args.out).write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(document if not args.out else document["summary"]))
    else:
        print(plan.summary())
        for violation in violations[:50]:
            print(f"violation: {violation}")
    return 0 if not violations else 1


def _plan_generate(args: argparse.Namespace) -> int:
    from reliefops.planning.formats import problem_to_json
    from reliefops.planning.generate import GenerateSpec, problem_generate

    spec = GenerateSpec(
        places=args.places,
        requests=args.requests,
        vehicles=args.vehicles,
        teams=args.teams,
        depots=args.depots,
        visits=args.visits,
        seed=args.seed,
    )
    problem = problem_generate(spec)
    text = json.dumps(problem_to_json(problem, include_matrix=not args.no_matrix))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reliefops", description="ReliefOps planning core")
    sub = parser.add_subparsers(dest="command", required=True)

    def limits(p: argparse.ArgumentParser, default_seconds: float | None) -> None:
        p.add_argument("--seconds", type=float, default=default_seconds, help="wall-clock limit")
        p.add_argument("--iterations", type=int, default=None, help="iteration limit")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--json", action="store_true", help="print JSON instead of a table")
        p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")

    p = sub.add_parser("solve", help="solve a Solomon/Gehring-Homberger .txt or VRPLIB .vrp file")
    p.add_argument("file")
    limits(p, 10.0)
    p.add_argument(
        "--workers", type=int, default=1, help="processes: a portfolio of seeds, best kept"
    )
    p.set_defaults(handler=_solve)

    p = sub.add_parser("bench", help="benchmarks")
    bench_sub = p.add_subparsers(dest="bench_kind", required=True)
    b = bench_sub.add_parser("vrp", help="solve every instance of a folder, gap to bks.csv")
    b.add_argument("folder")
    b.add_argument("--compare", choices=["ortools"], default=None)
    b.add_argument("--out", default=None, help="write the JSON report here")
    limits(b, 10.0)
    b.set_defaults(handler=_bench)

    p = sub.add_parser("plan-file", help="plan a problem given as JSON")
    p.add_argument("problem")
    p.add_argument("--out", default=None, help="write the plan JSON here")
    p.add_argument("--workers", type=int, default=2, help="parallel processes for sub-problems")
    limits(p, 10.0)
    p.set_defaults(handler=_plan_file)

    p = sub.add_parser("plan-generate", help="generate a synthetic planning day as problem JSON")
    p.add_argument("--places", type=int, default=200)
    p.add_argument("--requests", type=int, default=60)
    p.add_argument("--vehicles", type=int, default=10)
    p.add_argument("--teams", type=int, default=4)
    p.add_argument("--depots", type=int, default=2)
    p.add_argument("--visits", type=int, default=None, help="due team visits (default 10/team)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-matrix", action="store_true", help="omit the matrix (speed model)")
    p.add_argument("--out", default=None)
    p.set_defaults(handler=_plan_generate)
    return parser


def main(argv: list[str]) -> int:
    """Run one planning command; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except PlanningError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A national-size day in PostgreSQL to a checked draft: ``python bench/plan_db/run.py``.

Loads the day with the bench-only loader (``bench/plan_db/load.py``) into the database of
``PLAN_DB_DATABASE_URL`` (flushed first: a database of its own; ``DATABASE_URL`` is never
used, and without ``PLAN_DB_DATABASE_URL`` the bench is skipped), then runs the plan run from
the database to a checked draft three ways — inline (eager, no broker), with 1 and with 2
Celery workers on Redis (``--broker``) — and reports per phase (the run's ``timings``:
load, build, prepare, solve, merge, check, save), the wall time from ``plan_run_start``
to the draft, peak memory (sum of the RSS of the process that starts the run and of every
worker, sampled every 0.1 s), served %, life-saving served %, visits made and checker
violations. Prints a table and writes ``bench/results/plan_db.json``.

Each mode runs in a fresh child process (``--child MODE``) so caches do not carry over.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "plan_db.json"
FINISHED = {"draft", "failed", "cancelled", "committed", "discarded", "superseded"}


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
    import django

    django.setup()


class MemorySampler:
    """Peak of the summed RSS of some process trees, sampled in a thread."""

    def __init__(self, pids: list[int], interval: float = 0.1) -> None:
        self.pids = pids
        self.interval = interval
        self.peak = 0
        self.peak_by_pid: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        for pid in self.pids:
            try:
                root = psutil.Process(pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            tree = 0
            for proc in procs:
                try:
                    tree += proc.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak_by_pid[pid] = max(self.peak_by_pid.get(pid, 0), tree)
            total += tree
        return total

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


# ------------------------------------------------------------------------------ child


def child(mode: str, seconds: float, seed: int, iterations: int | None, out: Path) -> int:
    """Start one plan run for the bench day and wait for it; write what it measured."""
    django_setup()
    from bench.plan_db.load import BENCH_DAY, COORDINATOR
    from reliefops.accounts.models import User
    from reliefops.dayplans.models import PlanRun
    from reliefops.dayplans.services.runs import plan_run_start

    actor = User.objects.get(username=COORDINATOR)
    workers = {"inline": 1, "1-worker": 1, "2-workers": 2}[mode]
    started = time.perf_counter()
    run = plan_run_start(
        actor=actor,
        day=BENCH_DAY,
        seconds=int(seconds),
        seed=seed,
        iterations=iterations,
        workers=workers,
    )
    while True:
        run = PlanRun.objects.get(pk=run.pk)
        if str(run.status) in FINISHED:
            break
        time.sleep(0.2)
    wall = time.perf_counter() - started
    kpis = run.kpis or {}
    plan = run.plan or {}
    index = run.index or {}
    parts = list(run.parts.all()) if hasattr(run, "parts") else []
    result = {
        "mode": mode,
        "reference": run.reference,
        "status": str(run.status),
        "error": getattr(run, "error", ""),
        "database_to_draft_seconds": round(wall, 2),
        "timings": run.timings,
        "kpis": kpis,
        "served_percent": kpis.get("served_percent"),
        "life_saving_served_percent": kpis.get("life_saving_served_percent"),
        "visits_made": kpis.get("visits_made"),
        "violations": len(run.violations or []),
        "first_violations": (run.violations or [])[:5],
        "problem": {
            "sites": len(index.get("sites", {})),
            "demands": len(index.get("demands", {})),
            "lots": len(index.get("lots", {})),
            "vehicles": len(index.get("vehicles", {})),
            "teams": len(index.get("teams", {})),
            "visits_due": len(index.get("visits", {})),
        },
        "routes": len(plan.get("routes", [])),
        "rounds": len(plan.get("rounds", [])),
        "parts": len(parts),
        "part_workers": sorted({str(getattr(p, "worker", "")) for p in parts}),
        "child_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    out.write_text(json.dumps(result, default=str, indent=1))
    return 0 if result["status"] == "draft" else 1


# ------------------------------------------------------------------------------ parent


def workers_start(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    procs = []
    for k in range(count):
        log = open(f"/tmp/plan_db_worker{k + 1}.log", "wb")  # noqa: SIM115
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "reliefops.celery",
                    "worker",
                    "-Q",
                    "plans,celery",
                    "--pool=solo",
                    "-n",
                    f"plandb-w{k + 1}@%h",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def workers_wait_ready(env: dict[str, str], count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ping = subprocess.run(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reliefops.celery",
                "inspect",
                "ping",
                "-t",
                "2",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if ping.stdout.count("pong") >= count:
            return
        time.sleep(1)
    raise RuntimeError(f"{count} Celery worker(s) did not answer within {timeout:.0f} s")


def workers_stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def mode_run(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    count = {"inline": 0, "1-worker": 1, "2-workers": 2}[mode]
    if count:
        env["CELERY_BROKER_URL"] = args.broker
        env.pop("CELERY_RESULT_BACKEND", None)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reliefops.celery",
                "purge",
                "-f",
                "-Q",
                "plans,celery",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=False,
        )
    else:
        env.pop("CELERY_BROKER_URL", None)
        env.pop("REDIS_URL", None)
    workers = workers_start(count, env) if count else []
    try:
        if workers:
            workers_wait_ready(env, count)
        out = Path(f"/tmp/plan_db_{mode}.json")
        out.unlink(missing_ok=True)
        load_at_start = [round(x, 2) for x in os.getloadavg()]
        command = [sys.executable, str(Path(__file__).resolve()), "--child", mode]
        command += ["--seconds", str(args.seconds), "--seed", str(args.seed), "--out", str(out)]
        if args.iterations:
            command += ["--iterations", str(args.iterations)]
        proc = subprocess.Popen(command, cwd=ROOT, env=env)
        with MemorySampler([proc.pid, *(w.pid for w in workers)]) as memory:
            proc.wait()
        result: dict[str, Any] = (
            json.loads(out.read_text()) if out.exists() else {"mode": mode, "status": "crashed"}
        )
        result["peak_memory_mib"] = round(memory.peak / 2**20, 1)
        result["peak_memory_mib_by_process"] = {
            ("run" if pid == proc.pid else f"worker{k}"): round(v / 2**20, 1)
            for k, (pid, v) in enumerate(memory.peak_by_pid.items())
        }
        result["load_average_at_start"] = load_at_start
        return result
    finally:
        workers_stop(workers)


def data_load(size: str, seed: int) -> dict[str, Any]:
    django_setup()
    from django.core.management import call_command

    from bench.plan_db.load import load

    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    flushed = time.perf_counter()
    result = load(size, seed=seed)
    result["seconds"]["flush"] = round(flushed - started, 2)
    result["seconds"]["total"] = round(time.perf_counter() - flushed, 2)
    return result


def table(load: dict[str, Any] | None, rows: list[dict[str, Any]]) -> str:
    lines = []
    if load:
        lines.append(f"data load: {load['seconds']['total']:.1f} s ({json.dumps(load['counts'])})")
    phases = ["load", "build", "store", "prepare", "solve", "merge", "check", "save"]
    head = [
        "mode",
        "to draft s",
        *[f"{p} s" for p in phases],
        "peak MiB",
        "served %",
        "LS served %",
        "visits",
        "viol.",
    ]
    lines.append(" | ".join(head))
    for r in rows:
        t = r.get("timings") or {}
        cells = [r["mode"], f"{r.get('database_to_draft_seconds', float('nan'))}"]
        cells += [f"{t[p]:.1f}" if isinstance(t.get(p), int | float) else "-" for p in phases]
        cells += [
            f"{r.get('peak_memory_mib')}",
            f"{r.get('served_percent')}",
            f"{r.get('life_saving_served_percent')}",
            f"{r.get('visits_made')}",
            f"{r.get('violations')}",
        ]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="national", choices=["national", "small"])
    parser.add_argument("--seconds", type=float, default=45.0, help="the run's routing limit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--modes", default="inline,1-worker,2-workers")
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded day")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--results", default=str(RESULTS), help="where the JSON goes")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.seconds, args.seed, args.iterations, Path(args.out))
    # The bench FLUSHES its database: it takes it from PLAN_DB_DATABASE_URL only, never from
    # DATABASE_URL, so `make bench` cannot empty the application's database by accident.
    url = os.environ.get("PLAN_DB_DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(
            "bench/plan_db skipped: set PLAN_DB_DATABASE_URL to a PostgreSQL database of the "
            "bench's own (migrated; it is flushed and loaded)."
        )
        return 0
    os.environ["DATABASE_URL"] = url

    loaded = None
    if not args.skip_load:
        # in a child process, so the parent's memory stays small for the sampler
        out = Path("/tmp/plan_db_load.json")
        code = (
            f"import json,sys; sys.path.insert(0, {str(ROOT)!r}); "
            "from bench.plan_db.run import data_load; "
            f"open({str(out)!r}, 'w').write(json.dumps(data_load({args.size!r}, {args.seed})))"
        )
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        loaded = json.loads(out.read_text())
        print(f"loaded in {loaded['seconds']['total']} s: {loaded['seconds']}", flush=True)
    rows = []
    for mode in [m for m in args.modes.split(",") if m]:
        print(f"--- {mode}", flush=True)
        rows.append(mode_run(mode, args))
        print(
            json.dumps(
                {
                    k: rows[-1].get(k)
                    for k in ("status", "database_to_draft_seconds", "timings", "peak_memory_mib")
                },
                default=str,
            ),
            flush=True,
        )
    from reliefops.planning.benchmark import machine_describe

    results = Path(args.results)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() and args.skip_load else {}
    report = {
        "size": args.size,
        "routing_seconds": args.seconds,
        "seed": args.seed,
        "machine": machine_describe(),
        "data_load": loaded or previous.get("data_load"),
        "runs": rows,
        "taken_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print(table(report["data_load"], rows))
    ok = all(
        r.get("status") == "draft"
        and r.get("violations") == 0
        and (r.get("database_to_draft_seconds") or 1e9) <= 120
        and (r.get("peak_memory_mib") or 1e9) <= 2048
        for r in rows
    )
    print("MUST HOLD 1:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

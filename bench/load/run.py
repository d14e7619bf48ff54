"""50 users on the national day, on production settings: ``python bench/load/run.py``.

Loads the plan benchmark's national day and the load test's extras (``bench/load/load.py``)
into the database of ``LOAD_DATABASE_URL`` (**flushed** first: a database of its own;
``DATABASE_URL`` is never used, and without ``LOAD_DATABASE_URL`` the bench is skipped),
collects the static files, starts a Celery worker (Redis ``--broker``) and gunicorn
(``--web-workers`` sync workers on a loopback port, through ``bench/load/wsgi.py``, which
logs every request's SQL: count, time, statements slower than ``--slow-ms``), runs locust
headless (``bench/load/locustfile.py``: ``--users`` users in a fixed mix of roles, for
``--run-time`` seconds), then stops everything and reports p50/p95/p99, failures and
throughput per page and operation, the slowest statements, and checks the targets (p95 ≤
300 ms for reads, ≤ 500 ms for writes, no errors). Prints a table and writes
``bench/results/load.json`` (``--label`` names the run in it; other labels are kept).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "bench" / "results" / "load.json"
#: The bench database's encrypted fields are written and read with this key: a throwaway
#: key of the benchmark, never a production one (production refuses to start without a key).
BENCH_SECRET_KEY = "load-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
TARGET_MS = {"read": 300.0, "write": 500.0}


def environment(args: argparse.Namespace, work: Path) -> dict[str, str]:
    """Production settings as docs/operations.md has them (DEBUG off, HTTPS behind a proxy on
    the same host), with the bench's database, broker and key."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "RELIEFOPS_TEST_RUN"}
        and not k.startswith(("SECURE_", "AXES_"))
    }
    env.update(
        {
            "RELIEFOPS_ENV": "production",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": args.database_url,
            "CELERY_BROKER_URL": args.broker,
            # several web processes share one report cache, as docs/operations.md has it
            "RELIEFOPS_CACHE_URL": args.cache,
            "RELIEFOPS_VAR_DIR": str(work / "var"),
            # An empty value means the default (admin, coordinator, dpo): name no role.
            "RELIEFOPS_OTP_ROLES": "none",
            "RELIEFOPS_IMPORT_BACKGROUND_ROWS": "400",
            "LOAD_SQL_LOG_DIR": str(work / "sql"),
            "LOAD_SLOW_MS": str(args.slow_ms),
            "LOAD_THINK_SCALE": str(args.think_scale),
            "LOAD_SAMPLES": str(work / "samples.json"),
            "LOAD_FIXTURES": str(work / "fixtures.json"),
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
    )
    env.pop("CELERY_RESULT_BACKEND", None)
    # Bytecode cached, as an installed package has it (make exports the same for its runs).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(work / "pycache"))
    return env


def django_child(code: str, env: dict[str, str]) -> Any:
    """Run ``code`` (which sets ``result``) in a Django child process; return ``result``."""
    out = Path(env["LOAD_SQL_LOG_DIR"]).parent / "child.json"
    script = (
        "import json, os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'reliefops.settings')\n"
        "import django\n"
        "django.setup()\n"
        f"{code}\n"
        f"open({str(out)!r}, 'w').write(json.dumps(result, default=str))\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text())


LOAD_CODE = """
import time
from django.core.management import call_command
from django.db import connection
from bench.load.load import load
started = time.perf_counter()
with connection.cursor() as cursor:  # the planner setting of docs/operations.md (SSD)
    cursor.execute("SELECT current_database()")
    name = connection.ops.quote_name(cursor.fetchone()[0])
    cursor.execute(f"ALTER DATABASE {name} SET random_page_cost = 1.1")
call_command("flush", interactive=False, verbosity=0)
flushed = time.perf_counter()
result = load(SIZE)
result["seconds"]["flush"] = round(flushed - started, 2)
result["seconds"]["total"] = round(time.perf_counter() - started, 2)
"""

FIXTURES_CODE = """
from bench.load.load import PASSWORD, USERS
from bench.plan_db.spec import BENCH_DAY
from reliefops.accounts.models import Membership
from reliefops.logistics.models import Convoy, ConvoyStop, Vehicle
from reliefops.places.models import Facility, Place
from reliefops.teams.models import Visit
from reliefops.people.models import Person
from reliefops.teams.models import Team
from reliefops.needs.models import Request
from reliefops.stock.models import StockTransaction

on_road = Convoy.objects.filter(status="departed")
stops = ConvoyStop.objects.filter(convoy__in=on_road, delivery__isnull=True)
teams = {t.pk: t.code for t in Team.objects.all()}
pairs = list(
    Visit.objects.order_by("person_id", "-visited_at")
    .distinct("person_id")
    .values_list("person__reference", "team_id")[:4000]
)
partners = {
    m.user.username: m.organisation.acronym
    for m in Membership.objects.filter(role="partner").select_related("user", "organisation")
}
vehicles = Vehicle.objects.all()
result = {
    "password": PASSWORD,
    "day": BENCH_DAY.isoformat(),
    "convoys": list(Convoy.objects.values_list("code", flat=True)),
    "convoy_stops": [{"convoy": c, "stop": s} for c, s in stops.values_list("convoy__code", "sequence")],
    "persons": [[ref, teams[t]] for ref, t in pairs],
    "facilities": list(
        Facility.objects.filter(code__startswith="BX-F").values_list("code", flat=True)[:1500]
    ),
    "partner_organisations": partners,
    "sizes": {
        "persons": Person.objects.count(),
        "visits": Visit.objects.count(),
        "requests": Request.objects.count(),
        "convoys": Convoy.objects.count(),
        "convoys_on_the_road": on_road.count(),
        "stops_to_deliver": stops.count(),
        "ledger_lines": StockTransaction.objects.count(),
        "vehicles": vehicles.count(),
        "places": Place.objects.count(),
        "users": USERS,
    },
}
"""


def free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_serving(proc: subprocess.Popen[bytes], port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        if not free(port):
            return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


class LoadSampler:
    """The machine's 1-minute load average every 10 s while the test runs."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(10):
            self.samples.append(round(os.getloadavg()[0], 2))

    def __enter__(self) -> LoadSampler:
        self.samples.append(round(os.getloadavg()[0], 2))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(round(os.getloadavg()[0], 2))


def kind_of(name: str, method: str) -> str:
    """read / write (held to the targets), sign-in (once a session: a password hash) or
    background (exports and import uploads of national-size files: reported, not held)."""
    if name.startswith("sign-in"):
        return "sign-in"
    if name.startswith(("api: export", "api: import fleet")):
        return "background"
    return "write" if method == "POST" else "read"


def stats_read(prefix: Path) -> list[dict[str, Any]]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            count = int(row["Request Count"])
            rows.append(
                {
                    "name": row["Name"],
                    "method": row["Type"],
                    "kind": kind_of(row["Name"], row["Type"])
                    if row["Name"] != "Aggregated"
                    else "all",
                    "count": count,
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                    "max_ms": round(float(row["Max Response Time"] or 0), 1),
                    "mean_ms": round(float(row["Average Response Time"] or 0), 1),
                    "rps": round(float(row["Requests/s"] or 0), 2),
                }
            )
    return rows


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (of sorted ``values``)."""
    if not values:
        return 0.0
    return round(values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))], 1)


def phases_read(path: Path, settle: float) -> dict[str, list[dict[str, Any]]]:
    """Per operation and phase, from every request locust made: ``ramp-up`` (until every
    user runs, plus ``settle`` seconds: the sign-ins) and ``steady`` (the rest)."""
    data = json.loads(path.read_text())
    cut = (data["spawned_at"] or 0.0) + settle
    samples = data["samples"]
    end = max((t for t, *_rest in samples), default=cut)
    out: dict[str, list[dict[str, Any]]] = {}
    for phase, keep, seconds in (
        ("ramp-up", lambda t: t < cut, cut),
        ("steady", lambda t: t >= cut, max(end - cut, 1e-9)),
    ):
        groups: dict[tuple[str, str], list[tuple[float, bool]]] = defaultdict(list)
        for t, name, method, ms, failed in samples:
            if keep(t):
                groups[(name, method)].append((ms, failed))
                groups[("Aggregated", "")].append((ms, failed))
        rows = []
        for (name, method), values in sorted(groups.items(), key=lambda g: g[0][0] == "Aggregated"):
            times = sorted(ms for ms, _f in values)
            rows.append(
                {
                    "name": name,
                    "method": method,
                    "kind": kind_of(name, method) if name != "Aggregated" else "all",
                    "count": len(values),
                    "failures": sum(1 for _ms, f in values if f),
                    "p50_ms": _percentile(times, 0.50),
                    "p95_ms": _percentile(times, 0.95),
                    "p99_ms": _percentile(times, 0.99),
                    "max_ms": round(times[-1], 1),
                    "mean_ms": round(sum(times) / len(times), 1),
                    "rps": round(len(values) / seconds, 2),
                }
            )
        out[phase] = rows
        out[f"{phase}_seconds"] = round(seconds, 1)  # type: ignore[assignment]
    return out


def failures_read(prefix: Path) -> list[dict[str, Any]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [
            {
                "name": r["Name"],
                "method": r["Method"],
                "error": r["Error"][:400],
                "occurrences": int(r["Occurrences"]),
            }
            for r in csv.DictReader(handle)
        ]


def sql_read(folder: Path, top: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Per operation: statements per request (mean, max) and SQL time; the slowest
    statements over all requests, grouped by their text."""
    per_name: dict[str, list[tuple[int, float, float]]] = defaultdict(list)
    slow: dict[str, dict[str, Any]] = {}
    for path in folder.glob("sql-*.jsonl"):
        for line in path.read_text().splitlines():
            entry = json.loads(line)
            per_name[entry["name"]].append((entry["queries"], entry["sql_ms"], entry["ms"]))
            for ms, sql in entry["slow"]:
                key = re.sub(r"\s+", " ", sql)
                group = slow.setdefault(
                    key, {"sql": key[:600], "count": 0, "total_ms": 0.0, "max_ms": 0.0, "in": {}}
                )
                group["count"] += 1
                group["total_ms"] = round(group["total_ms"] + ms, 1)
                group["max_ms"] = max(group["max_ms"], ms)
                group["in"][entry["name"]] = group["in"].get(entry["name"], 0) + 1
    queries = {
        name: {
            "requests": len(v),
            "queries_mean": round(sum(q for q, _s, _m in v) / len(v), 1),
            "queries_max": max(q for q, _s, _m in v),
            "sql_ms_mean": round(sum(s for _q, s, _m in v) / len(v), 1),
            # in the web worker, from the request to the last byte (no queueing)
            "server_ms_mean": round(sum(m for _q, _s, m in v) / len(v), 1),
            "server_ms_p95": sorted(m for _q, _s, m in v)[int(0.95 * (len(v) - 1))],
        }
        for name, v in sorted(per_name.items())
    }
    ranked = sorted(slow.values(), key=lambda g: -g["total_ms"])[:top]
    for group in ranked:
        group["mean_ms"] = round(group["total_ms"] / group["count"], 1)
    return queries, ranked


def table(rows: list[dict[str, Any]], queries: dict[str, Any]) -> str:
    head = f"{'operation':<38} {'kind':<7} {'count':>6} {'fail':>5} {'p50':>6} {'p95':>6} "
    head += f"{'p99':>6} {'rps':>6} {'SQL/req':>8}"
    lines = [head, "-" * len(head)]
    for r in rows:
        q = queries.get(r["name"], {})
        lines.append(
            f"{r['name'][:38]:<38} {r['kind']:<7} {r['count']:>6} {r['failures']:>5} "
            f"{r['p50_ms']:>6.0f} {r['p95_ms']:>6.0f} {r['p99_ms']:>6.0f} {r['rps']:>6.2f} "
            f"{q.get('queries_mean', ''):>8}"
        )
    return "\n".join(lines)


def targets_check(rows: list[dict[str, Any]]) -> dict[str, Any]:
    misses = []
    for r in rows:
        limit = TARGET_MS.get(r["kind"])
        if limit is not None and r["p95_ms"] > limit:
            misses.append(f"{r['name']}: p95 {r['p95_ms']:.0f} ms > {limit:.0f} ms")
    total = next((r for r in rows if r["name"] == "Aggregated"), None)
    errors = total["failures"] if total else 0
    if errors:
        misses.append(f"{errors} failed requests")
    return {"met": not misses, "misses": misses}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="national", choices=["national", "small"])
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--think-scale", type=float, default=1.0, help="multiplies the users' think time"
    )
    parser.add_argument("--spawn-rate", type=float, default=1.0, help="users started per second")
    parser.add_argument("--run-time", type=int, default=240, help="seconds of load")
    parser.add_argument(
        "--web-workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn sync workers (default 2 × cores + 1, as docs/operations.md has it)",
    )
    parser.add_argument("--celery-concurrency", type=int, default=1)
    parser.add_argument("--port", type=int, default=8610)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/11")
    parser.add_argument(
        "--cache",
        default="redis://127.0.0.1:6379/12",
        help="the shared cache (RELIEFOPS_CACHE_URL; emptied first; '': one per process)",
    )
    parser.add_argument("--slow-ms", type=float, default=50.0, help="log statements this slow")
    parser.add_argument("--top", type=int, default=15, help="slow statements reported")
    parser.add_argument(
        "--settle",
        type=float,
        default=15.0,
        help="seconds after the last user started that still count as ramp-up",
    )
    parser.add_argument("--label", default="run", help="the run's name in the results")
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument("--work-dir", default=str(Path(tempfile.gettempdir()) / "reliefops-load"))
    args = parser.parse_args()
    # The bench FLUSHES its database: only LOAD_DATABASE_URL, never DATABASE_URL.
    args.database_url = os.environ.get("LOAD_DATABASE_URL", "")
    if not args.database_url.startswith("postgres"):
        print(
            "bench/load skipped: set LOAD_DATABASE_URL to a PostgreSQL database of the bench's "
            "own (migrated; it is flushed and loaded)."
        )
        return 0
    work = Path(args.work_dir)
    shutil.rmtree(work / "sql", ignore_errors=True)
    (work / "sql").mkdir(parents=True, exist_ok=True)
    env = environment(args, work)
    if not free(args.port):
        print(f"port {args.port} is in use")
        return 2

    loaded = None
    if not args.skip_load:
        print("loading the national day …", flush=True)
        loaded = django_child(LOAD_CODE.replace("SIZE", repr(args.size)), env)
        print(f"loaded in {loaded['seconds']['total']} s: {loaded['counts']}", flush=True)
    print("collectstatic, fixtures …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "reliefops", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    fixtures = django_child(FIXTURES_CODE, env)
    django_child("from django.core.cache import cache\ncache.clear()\nresult = True", env)
    Path(env["LOAD_FIXTURES"]).write_text(json.dumps(fixtures))
    print(f"data: {fixtures['sizes']}", flush=True)

    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "reliefops.celery", "purge", "-f"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    celery_log = (work / "celery.log").open("wb")
    web_log = (work / "gunicorn.log").open("wb")
    worker = web = None
    prefix = work / "locust"
    try:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reliefops.celery",
                "worker",
                "-Q",
                "plans,celery",
                "-c",
                str(args.celery_concurrency),
                "-n",
                "load-w1@%h",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=celery_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.load.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.web_workers),
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=web_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_serving(web, args.port)
        print(f"locust: {args.users} users for {args.run_time} s …", flush=True)
        with LoadSampler() as load_average:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(HERE / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.run_time}s",
                    "--stop-timeout",
                    "20",
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                timeout=args.run_time + 120,
            )
    finally:
        stop(web)
        stop(worker)
        celery_log.close()
        web_log.close()

    rows = stats_read(prefix)  # the whole run, as locust counts it
    phases = phases_read(work / "samples.json", args.settle)
    queries, slow = sql_read(work / "sql", args.top)
    checked = targets_check(phases["steady"])
    from reliefops.planning.benchmark import machine_describe

    results = Path(args.results)
    report: dict[str, Any] = json.loads(results.read_text()) if results.exists() else {}
    if loaded is not None:
        report["data_load"] = {"counts": loaded["counts"], "seconds": loaded["seconds"]}
    report.setdefault("runs", {})[args.label] = {
        "taken_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine_describe(),
        "load_average_during": load_average.samples,
        "setup": {
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "think_scale": args.think_scale,
            "run_time_s": args.run_time,
            "gunicorn_sync_workers": args.web_workers,
            "celery_workers": 1,
            "celery_concurrency": args.celery_concurrency,
            "slow_statement_ms": args.slow_ms,
            "shared_cache": args.cache or None,
            "settings": "RELIEFOPS_ENV=production, DEBUG off, X-Forwarded-Proto: https from "
            "loopback, RELIEFOPS_OTP_ROLES=none, RELIEFOPS_IMPORT_BACKGROUND_ROWS=400",
        },
        "data": fixtures["sizes"],
        "endpoints": rows,
        "phases": phases,
        "failures": failures_read(prefix),
        "queries_per_request": queries,
        "slow_statements": slow,
        "targets": {"p95_read_ms": 300, "p95_write_ms": 500, "errors": 0, **checked},
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=1, default=str) + "\n")
    for phase in ("ramp-up", "steady"):
        print(f"\n{phase} ({phases[phase + '_seconds']} s):")
        print(table(phases[phase], queries))
    print(f"\nload average (1 min) during the run: {load_average.samples}")
    print(f"slowest statements (≥ {args.slow_ms:.0f} ms, by total time):")
    for group in slow[:8]:
        print(f"  {group['count']:>4} × mean {group['mean_ms']:>7.1f} ms  {group['sql'][:150]}")
    for miss in checked["misses"]:
        print("MISS:", miss)
    print("MUST HOLD 1 (p95 reads ≤ 300 ms, writes ≤ 500 ms, 0 errors):", end=" ")
    print("yes" if checked["met"] else "NO")
    return 0 if checked["met"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Hostile-file benchmark: how fast and how cheaply a 60 MB CSV and an XLSX bomb are refused.

Issue 9 measured a 50 MB CSV validated for 15 s before refusal and a 1 MB XLSX whose shared
strings inflate to 300 MB taking 17 s and leaving the worker at 957 MB. This run refuses the
same files through each way in, in this process, on its own PostgreSQL database
(``--database``, default ``reliefops_bench_hostile``; dropped and re-created):

* ``page``  ``POST /intake/upload/`` and ``api`` ``POST /api/v1/imports/items/`` through
  Django's test client, the multipart body streamed from disk (``wsgi.input``), so the
  client side holds no copy of the file;
* ``cli``  ``reliefops import items FILE`` (the management command, in process);
* ``import_file``  the framework call itself.

For each: the answer (status or error code), wall time, and memory growth: peak resident
set size sampled every 2 ms during the call minus the size before it, and the peak of
Python allocations (tracemalloc). Prints a table and writes ``bench/results/hostile_files.json``.

    .venv/bin/python bench/imports/hostile.py [--server postgres://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import platform
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "hostile_files.json"
sys.path.insert(0, str(ROOT))

from bench.imports.run import database_recreate  # noqa: E402


def setup_django(url: str) -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # production settings, as a headquarters runs
    os.environ.setdefault("SECRET_KEY", "bench-hostile-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Pages render without ``collectstatic`` (the manifest storage needs it; not measured here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", interactive=False, verbosity=0)


class Sampler:
    """Peak resident set size of this process while a call runs (sampled every 2 ms)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.002)

    def measure(self, call: Callable[[], str]) -> dict[str, Any]:
        import gc

        gc.collect()
        before = self.process.memory_info().rss
        self.peak = before
        self._stop.clear()
        thread = threading.Thread(target=self._run, daemon=True)
        tracemalloc.start()
        thread.start()
        started = time.perf_counter()
        answer = call()
        seconds = time.perf_counter() - started
        self._stop.set()
        thread.join()
        _current, python_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.peak = max(self.peak, self.process.memory_info().rss)
        return {
            "answer": answer,
            "seconds": round(seconds, 3),
            "rss_before_mb": round(before / 2**20, 1),
            "rss_growth_mb": round((self.peak - before) / 2**20, 1),
            "python_peak_mb": round(python_peak / 2**20, 1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="reliefops_bench_hostile")
    args = parser.parse_args()
    database_recreate(args.server, args.database)
    setup_django(f"{args.server}/{args.database}")

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from reliefops.accounts.models import User
    from reliefops.core import exchange as ex
    from reliefops.core.errors import ApplicationError
    from reliefops.core.exchange.limits import limits
    from reliefops.core.models import AuditEvent
    from reliefops.stock.models import Item
    from tests.intake.hostile_files import csv_of_size, multipart_write, post_streamed, xlsx_bomb

    admin = User.objects.create_superuser("bench-admin", password=None)
    page, api = Client(), APIClient()
    page.force_login(admin)
    api.force_authenticate(admin)
    https = {"wsgi.url_scheme": "https", "SERVER_PORT": "443"}
    # Warm up (templates, URL resolvers, translations) so a figure is the refusal alone.
    page.get("/intake/upload/", secure=True)
    api.get("/api/v1/exports/items/?format=csv", secure=True)
    sampler = Sampler()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        files = {
            "csv-60mb": csv_of_size(tmp / "items.csv", 60 * 2**20),
            "xlsx-bomb": xlsx_bomb(tmp / "items.xlsx"),
        }
        for name, path in files.items():
            multipart_write(tmp / "page.body", {"kind": "items"}, "file", path.name, path)
            multipart_write(tmp / "api.body", {}, "file", path.name, path)

            def page_post() -> str:
                response = post_streamed(page, "/intake/upload/", tmp / "page.body", **https)
                return str(response.status_code)

            def api_post() -> str:
                response = post_streamed(api, "/api/v1/imports/items/", tmp / "api.body", **https)
                return f"{response.status_code} {response.json()['error']['code']}"

            calls: dict[str, Callable[[], str]] = {
                "page": page_post,
                "api": api_post,
                "cli": functools.partial(cli, call_command, CommandError, path),
                "import_file": functools.partial(framework, ex, ApplicationError, path, admin),
            }
            for surface, call in calls.items():
                before = (Item.objects.count(), AuditEvent.objects.count())
                row = {"file": name, "surface": surface, **sampler.measure(call)}
                row["nothing_written"] = (
                    Item.objects.count(),
                    AuditEvent.objects.count(),
                ) == before
                row["file_mb"] = round(path.stat().st_size / 2**20, 2)
                results.append(row)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        server_version = cursor.fetchone()[0]
    import psutil

    meta = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "postgresql": server_version,
        "limits": limits().__dict__,
        "xlsx_bomb_declared_mb": 300,
        "before_issue_9": "a 50 MB CSV validated for 15 s before refusal; the 1 MB XLSX bomb "
        "took 17 s and left the worker at 957 MB",
    }
    print(
        f"{'file':<10} {'surface':<12} {'answer':<28} {'seconds':>8} "
        f"{'RSS +MB':>8} {'py peak MB':>10}  written"
    )
    for r in results:
        print(
            f"{r['file']:<10} {r['surface']:<12} {r['answer'][:28]:<28} {r['seconds']:>8.3f} "
            f"{r['rss_growth_mb']:>8.1f} {r['python_peak_mb']:>10.1f}  "
            f"{'nothing' if r['nothing_written'] else 'WROTE ROWS'}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0 if all(r["nothing_written"] for r in results) else 1


def cli(call_command: Any, command_error: type[Exception], path: Path) -> str:
    try:
        call_command("import", "items", str(path), "--user", "bench-admin", stdout=io.StringIO())
    except command_error as exc:
        return f"exit 1: {str(exc)[:40]}"
    return "exit 0"


def framework(ex: Any, application_error: type[Exception], path: Path, actor: Any) -> str:
    try:
        report = ex.import_file(kind="items", path=path, actor=actor)
    except application_error as exc:
        return str(getattr(exc, "code", type(exc).__name__))
    return f"report ok={report.ok}"


if __name__ == "__main__":
    sys.exit(main())

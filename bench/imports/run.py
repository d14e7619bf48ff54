"""Bulk-import benchmark: 100,000-row stock-count and request files on PostgreSQL.

Creates its own database (``--database``, default ``reliefops_bench_imports`` on the local
PostgreSQL; dropped and re-created), generates the files, imports them through the same
path as ``reliefops import`` (``reliefops.core.exchange.import_file``) and reports rows
per second and peak memory. Then it imports a copy with one bad row at the end and checks
that nothing was written. Prints a table and writes ``bench/results/imports.json``.

    .venv/bin/python bench/imports/run.py [--rows 100000] [--kinds stock,requests]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "imports.json"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / (1024 * 1024)


def database_recreate(url_base: str, name: str) -> None:
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", url_base + "/postgres", "-q", "-c", sql], check=True)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Production settings: DEBUG off (no query log kept in memory), as a headquarters runs.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def scene_create(warehouses: int, items: int, facilities: int) -> dict[str, Any]:
    """Areas, places, warehouses, facilities, items and one superuser to act as."""
    from reliefops.accounts.models import User
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea, Facility, Place
    from reliefops.stock.models import Item, Warehouse

    admin = User.objects.create_superuser("bench-admin", password=None)
    org = Organisation.objects.create(acronym="BENCH", kind="other", names={"en": "Bench"})
    areas = [
        AdminArea.objects.create(code=f"BX-{i:02d}", level=1, names={"en": f"Area {i}"})
        for i in range(10)
    ]
    places = Place.objects.bulk_create(
        [
            Place(
                code=f"BP{i:05d}",
                kind="village",
                names={"en": f"Village {i}"},
                latitude=40 + i / 1000,
                longitude=47,
                admin1=areas[i % 10],
            )
            for i in range(max(warehouses, facilities))
        ]
    )
    wh_facilities = Facility.objects.bulk_create(
        [
            Facility(
                code=f"BW{i:03d}",
                kind="warehouse",
                place=places[i],
                latitude=40,
                longitude=47,
                names={"en": f"Warehouse {i}"},
            )
            for i in range(warehouses)
        ]
    )
    Warehouse.objects.bulk_create([Warehouse(facility=f, organisation=org) for f in wh_facilities])
    Facility.objects.bulk_create(
        [
            Facility(code=f"BF{i:04d}", kind="school", place=places[i], latitude=40, longitude=47)
            for i in range(facilities)
        ]
    )
    Item.objects.bulk_create(
        [
            Item(code=f"IT{i:03d}", names={"en": f"Item {i}"}, category="food", unit="kg")
            for i in range(items)
        ]
    )
    return {"admin": admin, "org": org}


def stock_file(
    path: Path,
    rows: int,
    warehouses: int,
    items: int,
    *,
    hxl: bool,
    bad_last: bool = False,
    offset: int = 0,
) -> None:
    lots = max(1, rows // (warehouses * items))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["warehouse", "item", "lot", "expiry_date", "quantity", "reference"])
        if hxl:
            writer.writerow(
                [
                    "#loc+warehouse+code",
                    "#item+code",
                    "#item+lot",
                    "#date+expiry",
                    "#value+stock",
                    "#meta+reference",
                ]
            )
        n = 0
        for w in range(warehouses):
            for i in range(items):
                for lot in range(lots):
                    n += 1
                    if n > rows:
                        return
                    quantity = "minus one" if bad_last and n == rows else str(10 + n % 977 + offset)
                    expiry = (dt.date(2024, 1, 1) + dt.timedelta(days=lot)).isoformat()
                    writer.writerow(
                        [
                            f"BW{w:03d}",
                            f"IT{i:03d}",
                            f"L{lot:04d}",
                            expiry,
                            quantity,
                            "COUNT-2023-10",
                        ]
                    )


def requests_file(
    path: Path, rows: int, facilities: int, items: int, *, bad_last: bool = False
) -> None:
    """Two lines per request: ``rows / 2`` requests."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "reference",
                "requester_kind",
                "facility",
                "organisation",
                "priority",
                "needed_from",
                "needed_by",
                "item",
                "quantity",
            ]
        )
        for n in range(rows):
            request = n // 2
            quantity = "0" if bad_last and n == rows - 1 else str(1 + n % 500)
            writer.writerow(
                [
                    f"BR{request:07d}",
                    "facility",
                    f"BF{request % facilities:04d}",
                    "BENCH",
                    "routine",
                    "2023-10-01",
                    "2023-10-31",
                    f"IT{n % items:03d}",
                    quantity,
                ]
            )


def measure(kind: str, path: Path, actor: Any) -> dict[str, Any]:
    """Import ``path``; wall time, CPU of this process and of its database backend, memory."""
    import psutil
    from django.db import connection

    from reliefops.core.exchange import import_file

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = psutil.Process(cursor.fetchone()[0])
    me = psutil.Process()
    rss_before = current_rss_mb()
    client_before, server_before = me.cpu_times(), backend.cpu_times()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    report = import_file(kind=kind, path=path, actor=actor)
    seconds = time.perf_counter() - started
    client_after, server_after = me.cpu_times(), backend.cpu_times()
    client_cpu = (
        client_after.user - client_before.user + client_after.system - (client_before.system)
    )
    server_cpu = (
        server_after.user - server_before.user + server_after.system - (server_before.system)
    )
    return {
        "rows": report.rows,
        "written": report.written,
        "ok": report.ok,
        "errors": [e.as_dict() for e in report.errors][:3],
        "error_count": report.error_count,
        "seconds": round(seconds, 2),
        "rows_per_second": round(report.rows / seconds),
        "client_cpu_seconds": round(client_cpu, 1),
        "database_cpu_seconds": round(server_cpu, 1),
        "load_average_1min_before": round(load_before, 2),
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kinds", default="stock,stock-hxl,requests")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="reliefops_bench_imports")
    args = parser.parse_args()
    database_recreate(args.server, args.database)
    setup_django(f"{args.server}/{args.database}")
    from django.db import connection

    from reliefops.needs.models import Request, RequestLine
    from reliefops.stock.models import StockBalance, StockTransaction

    warehouses, items, facilities = 20, 50, 500
    scene = scene_create(warehouses, items, facilities)
    results: list[dict[str, Any]] = []
    kinds = args.kinds.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for bench in kinds:
            kind = "requests" if bench == "requests" else "stock"
            path, bad = tmpdir / f"{bench}.csv", tmpdir / f"{bench}-bad.csv"
            if kind == "stock":
                # The HXL count differs from the CSV one (offset), so both post adjustments
                # for every row through the ledger.
                offset = 3 if bench.endswith("hxl") else 0
                stock_file(
                    path, args.rows, warehouses, items, hxl=bench.endswith("hxl"), offset=offset
                )
                stock_file(
                    bad,
                    args.rows,
                    warehouses,
                    items,
                    hxl=bench.endswith("hxl"),
                    bad_last=True,
                    offset=offset,
                )
                counts = (StockTransaction, StockBalance)
            else:
                requests_file(path, args.rows, facilities, items)
                requests_file(bad, args.rows, facilities, items, bad_last=True)
                counts = (Request, RequestLine)
            before = [model.objects.count() for model in counts]
            bad_result = measure(kind, bad, scene["admin"])
            after_bad = [model.objects.count() for model in counts]
            good_result = measure(kind, path, scene["admin"])
            after_good = [model.objects.count() for model in counts]
            results.append(
                {
                    "bench": bench,
                    "kind": kind,
                    "format": "hxl" if bench.endswith("hxl") else "csv",
                    "good": good_result,
                    "bad_last_row": bad_result,
                    "bad_file_wrote_nothing": after_bad == before and not bad_result["ok"],
                    "records_written": [a - b for a, b in zip(after_good, after_bad, strict=True)],
                }
            )
            if kind == "requests":
                Request.objects.all().delete()
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "database": connection.vendor,
        "server_version": connection.pg_version if connection.vendor == "postgresql" else None,
    }
    print(
        f"\nBulk imports, {args.rows:,} rows per file, {machine['cpus']} CPUs, "
        f"{machine['database']}"
    )
    print(
        f"{'file':<10} {'wall s':>7} {'rows/s':>7} {'CPU s app+db':>13} {'load':>5} "
        f"{'peak RSS MB':>12} {'bad last row':>13} {'nothing written':>16}"
    )
    for r in results:
        g = r["good"]
        cpu = f"{g['client_cpu_seconds']:.0f}+{g['database_cpu_seconds']:.0f}"
        print(
            f"{r['bench']:<10} {g['seconds']:>7.1f} {g['rows_per_second']:>7,} {cpu:>13} "
            f"{g['load_average_1min_before']:>5.1f} {g['peak_rss_mb']:>12.0f} "
            f"{r['bad_last_row']['seconds']:>11.1f} s "
            f"{'yes' if r['bad_file_wrote_nothing'] else 'NO':>16}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "rows": args.rows,
                "machine": machine,
                "results": results,
            },
            indent=1,
        )
    )
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")
    connection.close()
    database_recreate(args.server, args.database)
    ok = all(r["good"]["ok"] and r["bad_file_wrote_nothing"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

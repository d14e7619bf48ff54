"""Bench-only WSGI entry of the load benchmark: the application, with its SQL timed.

``python -m gunicorn bench.load.wsgi:application`` serves ``reliefops.wsgi.application``
unchanged, and around each request installs a Django ``connection.execute_wrapper`` that
times every statement. Per request one JSON line goes to
``$LOAD_SQL_LOG_DIR/sql-<pid>.jsonl``: the operation's name (the load test's
``X-Bench-Name`` header, else the path), the number of statements, their summed time, and
every statement slower than ``LOAD_SLOW_MS`` (default 50) with its time. The statement is
Django's SQL text with ``%s`` placeholders (no parameter values, so no personal data).
Nothing of this is in the application; only the benchmark serves through this module.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reliefops.wsgi import application as _application

SLOW_MS = float(os.environ.get("LOAD_SLOW_MS", "50"))
LOG_DIR = Path(os.environ.get("LOAD_SQL_LOG_DIR", "/tmp"))


class _Timer:
    def __init__(self) -> None:
        self.count = 0
        self.ms = 0.0
        self.slow: list[tuple[float, str]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.count += 1
            self.ms += elapsed
            if elapsed >= SLOW_MS:
                self.slow.append((round(elapsed, 1), sql[:2000]))


def _write(line: dict[str, Any]) -> None:
    with (LOG_DIR / f"sql-{os.getpid()}.jsonl").open("a") as out:
        out.write(json.dumps(line) + "\n")


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    from django.db import connection

    timer = _Timer()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        body = _application(environ, start_response)
        # Streaming bodies (exports) query while they are read: read them here.
        chunks = list(body)
        close = getattr(body, "close", None)
        if close is not None:
            close()
    _write(
        {
            "name": environ.get("HTTP_X_BENCH_NAME") or environ.get("PATH_INFO", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "queries": timer.count,
            "sql_ms": round(timer.ms, 1),
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "slow": timer.slow,
        }
    )
    return chunks

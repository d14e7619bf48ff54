"""Helpers of the retry-storm tests: devices sending through the real API in threads
(each thread its own ``django.test.Client`` and database connection), dropped answers,
and a digest of the database to prove that replays change nothing."""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client

URL = "/api/v1/submissions/"
BATCH = "/api/v1/submissions/batch/"

#: Tables a replay may touch without changing anything that matters: the login sessions
#: of the simulated devices and the login throttle's bookkeeping.
UNHASHED_TABLES = (
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
)
#: Columns that record when something was last looked at, not what it is.
UNHASHED_COLUMNS = {
    "intake_submission": {"updated_at", "attempted_at"},
    "accounts_user": {"last_login"},
}


@dataclass
class Answer:
    status: int
    body: Any


@dataclass
class Device:
    """One phone: the records it sends (``{"id", "kind", "data"}``) in batches of
    ``batch`` (1: the single endpoint), and the answers it kept."""

    user: Any
    records: list[dict[str, Any]]
    batch: int = 1
    answers: dict[str, Answer] = field(default_factory=dict)
    resent: int = 0


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, body, content_type="application/json")


def device_run(device: Device, drop: Callable[[], bool]) -> None:
    """Send every record; an answer "dropped after commit" (``drop()``) is not seen by the
    device, which sends the same request again until it gets an answer."""
    client = client_for(device.user)
    for start in range(0, len(device.records), device.batch):
        chunk = device.records[start : start + device.batch]
        while True:
            if device.batch == 1:
                response = _post(client, URL, chunk[0])
                answers = [(chunk[0]["id"], Answer(response.status_code, response.json()))]
            else:
                response = _post(client, BATCH, {"submissions": chunk})
                assert response.status_code == 200, response.content[:500]
                answers = [
                    (r["id"], Answer(r["http_status"], r)) for r in response.json()["results"]
                ]
            if drop():  # the server committed; the device never hears of it
                device.resent += 1
                continue
            for uid, answer in answers:
                device.answers[uid] = answer
            break


def threads_run(jobs: Sequence[Callable[[], None]], workers: int) -> None:
    """Run ``jobs`` on ``workers`` threads, each with its own database connection;
    re-raise the first failure."""
    queue = list(enumerate(jobs))
    lock = threading.Lock()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            while True:
                with lock:
                    if not queue or failures:
                        return
                    _index, job = queue.pop(0)
                job()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if failures:
        raise failures[0]


def dropper(seed: int, share: float) -> Callable[[], bool]:
    """A thread-safe coin that comes up "dropped" with probability ``share``."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def drop() -> bool:
        with lock:
            return rng.random() < share

    return drop


def database_digest(tables: Iterable[str] | None = None) -> dict[str, str]:
    """SHA-256 of every row of every table (or of ``tables``), by table, rows in a fixed
    order, leaving out :data:`UNHASHED_TABLES` and :data:`UNHASHED_COLUMNS`."""
    names = sorted(tables) if tables is not None else sorted(connection.introspection.table_names())
    digest: dict[str, str] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in names:
            if table in UNHASHED_TABLES:
                continue
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, table)
                if c.name not in UNHASHED_COLUMNS.get(table, set())
            ]
            listed = ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT {listed} FROM {quote(table)}")
            sha = hashlib.sha256()
            for text in sorted(repr(row) for row in cursor.fetchall()):
                sha.update(text.encode("utf-8"))
            digest[table] = sha.hexdigest()
    return digest

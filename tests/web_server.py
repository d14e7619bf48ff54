"""A real web server process for the fault tests: gunicorn on a loopback port, serving the
test database, that a test can kill (SIGKILL) and start again.

:func:`web_server` yields a :class:`WebServer` (``url``, ``restart()``, ``kill()``); the
server reads the test database (the test needs ``django_db(transaction=True)`` so the
server sees its rows) and the environment given.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.request import urlopen

from django.contrib.auth.hashers import make_password

from tests.celery_workers import worker_database_url

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = [sys.executable, "-m", "gunicorn", "reliefops.wsgi:application", "--workers", "1"]


PASSWORD = "a-Long-test-passw0rd"  # the factories' password
PRODUCTION_HASHER = "pbkdf2_sha256"


def server_password(*users: Any) -> str:
    """Hash the users' password as a server with the production settings checks it (the tests
    hash with a fast hasher the server does not know) and return it."""
    for user in users:
        user.password = make_password(PASSWORD, hasher=PRODUCTION_HASHER)
        user.save(update_fields=["password"])
    return PASSWORD


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebServer:
    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port = port
        self.env = env
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        deadline = time.monotonic() + 60  # a start-up deadline, not a speed assert
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
            try:  # serving: an HTTP answer, whatever its status
                with urlopen(f"{self.url}/healthz", timeout=5):  # noqa: S310
                    return
            except HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start within 60 s")

    def kill(self) -> None:
        """SIGKILL the server and its workers (no graceful shutdown)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None

    def restart(self) -> None:
        self.kill()
        self.start()


@contextmanager
def web_server(tmp_path: Path, **env: str) -> Iterator[WebServer]:
    """gunicorn serving the test database on a free loopback port, stopped afterwards."""
    server_env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": "",
        "RELIEFOPS_VAR_DIR": str(tmp_path / "var"),
        "AXES_ENABLED": "0",
        **env,
    }
    server_env.pop("RELIEFOPS_TEST_RUN", None)
    server = WebServer(free_port(), server_env, tmp_path / "gunicorn.log")
    server.start()
    try:
        yield server
    finally:
        server.kill()

"""The production recipe runs: collectstatic, gunicorn with DEBUG off, the deploy checks.

The README's recipe, as an operator runs it, in subprocesses with production environment
variables: ``collectstatic`` with whitenoise's manifest storage into a temporary
``RELIEFOPS_VAR_DIR``, ``migrate`` on a fresh database, gunicorn on a free loopback port,
then real HTTP requests for the sign-in page and a hashed static file.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
CSP_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]


def production_env(**extra: str) -> dict[str, str]:
    """The documented production variables, without the test run's own settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"RELIEFOPS_TEST_RUN", "DJANGO_SETTINGS_MODULE", "DEBUG"}
        and not key.startswith(("SECURE_", "AXES_"))
    }
    env.update(
        {
            "RELIEFOPS_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,ops.example.org",
        }
    )
    env.update(extra)
    return env


def reliefops(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reliefops", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A new, empty database: PostgreSQL when the suite runs on it, else SQLite in tmp."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    import psycopg

    name = f"test_reliefops_production_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db.get("PASSWORD"):
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    try:
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        headers_out = {k.lower(): v for k, v in response.getheaders()}
        # Several Set-Cookie headers: keep them all.
        headers_out["set-cookie"] = "\n".join(response.headers.get_all("Set-Cookie") or [])
        return response.status, headers_out, response.read()
    finally:
        connection.close()


def wait_until_serving(process: subprocess.Popen[str], port: int, log: Path) -> None:
    """Wait for gunicorn to accept connections (a start-up deadline, not a speed assert)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start within 60 s")


@pytest.mark.slow
def test_collectstatic_and_gunicorn_serve_with_debug_off(
    tmp_path: Path, fresh_database_url: str
) -> None:
    env = production_env(
        DEBUG="0", RELIEFOPS_VAR_DIR=str(tmp_path), DATABASE_URL=fresh_database_url
    )
    collected = reliefops("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr[-3000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    # The source maps the vendored scripts name are collected (and hashed) too.
    assert "vendor/leaflet/leaflet.js.map" in manifest
    assert "vendor/chartjs/chart.umd.js.map" in manifest
    migrated = reliefops("migrate", "--noinput", "--verbosity", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "reliefops.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_serving(server, port, tmp_path / "gunicorn.log")
        # Plain HTTP is redirected to HTTPS; the health probe is exempt.
        status, headers, _ = get(port, "/login/")
        assert status == 301
        assert headers["location"] == "https://127.0.0.1/login/"
        status, headers, _ = get(port, "/healthz")
        assert status in (200, 503) and "location" not in headers
        # Through the TLS proxy (gunicorn trusts X-Forwarded-Proto from loopback).
        status, headers, body = get(port, "/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        for directive in CSP_DIRECTIVES:
            assert directive in headers["content-security-policy"]
        assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        assert headers["x-frame-options"] == "DENY"
        assert "csrftoken=" in headers["set-cookie"] and "Secure" in headers["set-cookie"]
        html = body.decode()
        hashed = re.findall(r'/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js)', html)
        assert hashed, html[:2000]
        status, headers, body = get(port, hashed[0], **{"X-Forwarded-Proto": "https"})
        assert status == 200 and body
        assert "max-age=315360000" in headers["cache-control"]
        assert "immutable" in headers["cache-control"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_check_deploy_is_clean_with_the_documented_production_settings() -> None:
    result = reliefops("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # The checks are live: switching HSTS off is reported.
    result = reliefops(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECURE_HSTS_SECONDS="0"),
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_a_short_secret_key_is_a_start_up_error() -> None:
    result = reliefops("check", env=production_env(SECRET_KEY="short-" * 5))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


@pytest.mark.django_db
def test_csp_header_and_the_api_docs_load_under_it(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    for directive in CSP_DIRECTIVES:
        assert directive in response["Content-Security-Policy"]
    # Swagger UI (split view): no inline script, every script a file served by the app.
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html
    sources: list[Any] = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 3
    for src in sources:
        assert src.startswith("/"), src
        served = client.get(src.replace("&amp;", "&"))
        assert served.status_code == 200, src
        assert "javascript" in served["Content-Type"], src

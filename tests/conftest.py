"""Shared fixtures: users per role, API clients, database-vendor markers."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.accounts.factories import make_user

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def pytest_configure(config: pytest.Config) -> None:
    # Tasks run inline inside the test process; the Celery worker test turns this off for
    # its own job and runs it through a real worker.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from reliefops.celery import app

    app.conf.task_always_eager = True
    settings.AXES_ENABLED = False
    # Django's advice for test speed: a fast hasher first (every factory user is hashed and
    # every password sign-in checked: 0.2 s each with PBKDF2's million rounds here). The
    # production hashers stay listed, so a test can still hash for a server process that
    # runs with the production settings (``tests.web_server.server_password``).
    settings.PASSWORD_HASHERS = [FAST_HASHER, *settings.PASSWORD_HASHERS]


def pytest_report_header(config: pytest.Config) -> list[str]:
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL or "none (inline jobs)"
    return [f"reliefops: database={engine} broker={broker}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    is_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if os.environ.get("RELIEFOPS_REQUIRE_POSTGRES") and not is_postgres:
        raise pytest.UsageError("RELIEFOPS_REQUIRE_POSTGRES is set but tests would run on SQLite")
    if not is_postgres:
        skip = pytest.mark.skip(reason="needs PostgreSQL (running on SQLite)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def admin_user(db: None):  # type: ignore[no-untyped-def]
    return make_user("admin")


@pytest.fixture
def coordinator(db: None):  # type: ignore[no-untyped-def]
    return make_user("coordinator")


@pytest.fixture
def api_client():  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    return APIClient()

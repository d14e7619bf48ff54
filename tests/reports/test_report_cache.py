"""The report sections are cached per scope (``RELIEFOPS_REPORT_CACHE_SECONDS``): a second
dashboard for the same scope is served without building its sections again, a user with
another scope gets their own figures, and a cache that is down is skipped (the page is
built, never an error). The rest of the suite runs with the cache off (0 seconds)."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reliefops.reports.selectors import dashboard_report, report_figures
from tests.reports.scene import report_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> Any:
    settings.RELIEFOPS_REPORT_CACHE_SECONDS = 60
    cache.clear()
    yield report_world()
    with contextlib.suppress(Exception):  # (the test of a cache that is down)
        cache.clear()


def _built(actor: Any, day: Any) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        figures = report_figures(dashboard_report(actor=actor, day=day))
    return figures, len(queries)


def test_the_same_scope_is_built_once_and_another_scope_gets_its_own(world: Any) -> None:
    first, first_queries = _built(world.coordinator, world.day)
    again, again_queries = _built(world.coordinator, world.day)
    assert again == first and first["requests.open"] == 3
    assert first_queries > 10 and again_queries <= 3  # the grants; no section built
    in_a, _ = _built(world.field_a, world.day)
    in_b, _ = _built(world.field_b, world.day)
    assert (in_a["requests.open"], in_b["requests.open"]) == (2, 1)
    # another day is another entry
    _, other_day = _built(world.coordinator, world.day.replace(day=1))
    assert other_day > 10


def test_a_cache_that_is_down_is_skipped(world: Any, settings: Any) -> None:
    settings.CACHES = {  # (override_settings resets the cache connections)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    figures, queries = _built(world.coordinator, world.day)
    assert figures["requests.open"] == 3 and queries > 10
    _, again = _built(world.coordinator, world.day)
    assert again > 10  # nothing was kept: every section built again

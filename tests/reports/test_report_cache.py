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


def test_a_stale_section_is_built_again_by_the_page_where_jobs_run_inline(
    world: Any, settings: Any, monkeypatch: Any
) -> None:
    import time

    first, _ = _built(world.coordinator, world.day)
    _open_request_closed(world)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)  # a minute later: stale
    again, queries = _built(world.coordinator, world.day)
    # the tests' jobs run inline: the page built it again, with the request closed
    assert (first["requests.open"], again["requests.open"]) == (3, 2) and queries > 10


def _open_request_closed(_world: Any) -> None:
    from reliefops.needs.choices import OPEN_STATUSES
    from reliefops.needs.models import Request

    open_request = Request.objects.filter(status__in=OPEN_STATUSES).order_by("pk").first()
    Request.objects.filter(pk=open_request.pk).update(status="closed")


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stale_section_is_shown_while_a_real_worker_builds_it_again(settings: Any) -> None:
    """Stale while revalidating: past its freshness the page shows the cached figures at
    once and a worker builds the section again; the next page shows the new figures."""
    import time
    from urllib.parse import urlsplit

    from tests.celery_workers import celery_workers, wait_for

    broker = urlsplit(settings.CELERY_BROKER_URL or "")
    if broker.scheme != "redis":
        pytest.skip("the shared cache of this test is the broker's Redis")
    shared = broker._replace(path="/14").geturl()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": shared}
    }
    settings.RELIEFOPS_REPORT_CACHE_SECONDS = 1
    settings.CELERY_TASK_ALWAYS_EAGER = False  # (with app.conf, switched by the worker below)
    cache.clear()
    w = report_world()
    env = {"RELIEFOPS_CACHE_URL": shared, "RELIEFOPS_REPORT_CACHE_SECONDS": "1"}
    with celery_workers("celery", 1, env=env) as workers:
        first, built_queries = _built(w.coordinator, w.day)
        assert first["requests.open"] == 3 and built_queries > 10
        _open_request_closed(w)
        time.sleep(1.2)  # stale now
        shown, queries = _built(w.coordinator, w.day)
        assert shown["requests.open"] == 3  # the stale copy, at once
        assert queries < built_queries  # no section built by the page

        def rebuilt() -> bool:
            return (
                report_figures(dashboard_report(actor=w.coordinator, day=w.day))["requests.open"]
                == 2
            )

        wait_for(rebuilt, workers[0], seconds=60)
    cache.clear()

"""Browser tests of the day plans: the run list, a running plan's progress bar and a draft's
review (figures, map, timeline, manifest, unmet with reasons) at 1366 px and 390 px in
English and Russian, saved to ``test-artifacts/`` (and ``RELIEFOPS_SHOTS`` when set) for
looking at them; the journey from the "Plan a day" form to a committed plan and its
re-plan."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "plans-e2e-Pass-1"


def _page(browser: Any, live_server: Any, viewport: dict[str, int], lang: str = "en") -> Any:
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    return context, page


def _shot(page: Any, screenshot: Any, name: str, *, full: bool = True) -> None:
    screenshot(page, name)
    extra = os.environ.get("RELIEFOPS_SHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=full)


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


@pytest.fixture
def stored_plans(transactional_db: None) -> Any:
    from reliefops.dayplans.choices import PlanStatus
    from tests.accounts.factories import make_user
    from tests.dayplans.plans import plan_run

    user = make_user("coordinator", username="plans-e2e")
    user.set_password(PASSWORD)
    user.save()
    running = plan_run(status=PlanStatus.RUNNING)
    draft = plan_run()
    committed = plan_run(
        status=PlanStatus.COMMITTED, commitment={"convoys": ["CV-1"], "rounds": ["RD-1"]}
    )
    return user, running, draft, committed


def test_plan_pages_at_desktop_and_phone_widths(
    browser: Any, live_server: Any, stored_plans: Any, screenshot: Any
) -> None:
    user, running, draft, _committed = stored_plans
    for lang in ("en", "ru"):
        for label, viewport in (("1366", DESKTOP), ("390", PHONE)):
            context, page = _page(browser, live_server, viewport, lang)
            try:
                login(page, user.username, PASSWORD)
                page.goto(f"{live_server.url}/dayplans/")
                assert page.locator("#plan-table", has_text=draft.reference).count() == 1
                _shot(page, screenshot, f"plans-list-{lang}-{label}")
                page.goto(f"{live_server.url}/dayplans/{running.reference}/")
                assert page.locator("#plan-bar").get_attribute("value") == "40"
                _shot(page, screenshot, f"plans-progress-{lang}-{label}")
                page.goto(f"{live_server.url}/dayplans/{draft.reference}/")
                page.locator("#plan-map[data-ready='1']").wait_for()
                assert page.locator(".plan-stop-icon").count() == 3
                assert page.locator("#unmet [data-reason='no_stock']").count() == 1
                _shot(page, screenshot, f"plans-draft-{lang}-{label}")
                if viewport is PHONE:
                    for path in ("/dayplans/", f"/dayplans/{draft.reference}/"):
                        page.goto(live_server.url + path)
                        _fits(page)
            finally:
                context.close()


def _worker_later(monkeypatch: Any) -> None:
    """Run each queued plan's job a moment later in a thread, as a worker would, so that the
    page first shows the queued run and its progress bar polls until the draft is there."""
    import threading

    from django.db import connection

    from reliefops.dayplans.services import runs

    original = runs._enqueue

    def later(run: Any) -> None:
        def work() -> None:
            try:
                original(run)
            finally:
                connection.close()

        threading.Timer(2.0, work).start()

    monkeypatch.setattr(runs, "_enqueue", later)


@pytest.fixture
def plan_day(transactional_db: None, settings: Any, monkeypatch: Any) -> Any:
    """The day of tests/dayplans/test_problem.py in the database: a warehouse with food and
    fuel, a truck and a tanker, approved requests, a mobile team and people due a visit."""
    from tests.dayplans import test_problem

    settings.RELIEFOPS_PLAN_PROBLEM = "reliefops.dayplans.problem"
    _worker_later(monkeypatch)
    world = test_problem.world.__wrapped__()  # type: ignore[attr-defined]
    actor = world["actor"]
    actor.set_password(PASSWORD)
    actor.save()
    world["day"] = test_problem.DAY
    return world


def test_plan_a_day_edit_commit_and_replan(
    browser: Any, live_server: Any, plan_day: Any, screenshot: Any
) -> None:
    from reliefops.dayplans.models import PlanRun
    from reliefops.dayplans.services import commit as commit_service
    from reliefops.places.models import RoadSegment
    from reliefops.places.services import road_segment_set_status

    actor = plan_day["actor"]
    context, page = _page(browser, live_server, DESKTOP)
    try:
        login(page, actor.username, PASSWORD)
        page.goto(f"{live_server.url}/dayplans/")
        page.click("#plan-start-link")
        assert page.locator("#id_day").input_value()  # tomorrow by default
        page.fill("#id_day", plan_day["day"].isoformat())
        page.fill("#id_seconds", "2")
        page.click("#plan-submit")
        # The run's page: the progress bar while the job waits and runs (HTMX polls it every
        # second), then the page reloads itself with the draft.
        page.locator("#plan-bar").wait_for()
        assert page.locator("#plan-status", has_text="Queued").count() == 1
        assert page.locator("#step-cancel").count() == 1
        _shot(page, screenshot, "plans-journey-progress")
        page.locator("#plan-status", has_text="Draft").wait_for(timeout=120_000)
        assert page.locator("#plan-bar").count() == 0
        run = PlanRun.objects.get()
        assert run.status == "draft" and run.progress == 1.0, run.error
        page.locator("#plan-map[data-ready='1']").wait_for()
        assert page.locator(".plan-stop-icon").count() >= 1
        _shot(page, screenshot, "plans-journey-draft")

        # Move the last stop of the first route to the front (or onto itself: one stop).
        route = page.locator("#manifest .route").first
        last = route.locator("details.stop-edit").last
        last.locator("summary").click()
        last.locator("input[name=to_position]").fill("1")
        last.locator("button[data-edit=move]").click()
        page.locator("#edits").wait_for()
        run.refresh_from_db()
        assert [e["kind"] for e in run.edits] == ["move"]
        assert run.violations == []

        page.locator("#step-commit summary").click()
        page.locator("#step-commit button[data-step=commit]").click()
        page.locator("#plan-status", has_text="Committed").wait_for()
        run.refresh_from_db()
        convoys = run.commitment.get("convoys", [])
        rounds = run.commitment.get("rounds", [])
        assert convoys, run.commitment
        assert page.locator("#commitment a.convoy-link").count() == len(convoys)
        assert page.locator("#commitment a.round-link").count() == len(rounds)
        _shot(page, screenshot, "plans-journey-committed")
        page.locator("#commitment a.convoy-link").first.click()
        page.wait_for_load_state("networkidle")
        assert convoys[0] in page.content()

        if not hasattr(commit_service, "plan_replan"):
            pytest.skip("dayplans.services.commit.plan_replan is not in this tree yet")
        road_segment_set_status(
            actor=actor,
            segment=RoadSegment.objects.get(code="T-R1"),
            status="closed",
            reason="e2e: bridge down",
        )
        page.goto(f"{live_server.url}/dayplans/{run.reference}/")
        page.locator("#step-replan summary").click()
        page.locator("#step-replan button[data-step=replan]").click()
        page.locator("#based-on", has_text=run.reference).wait_for()
        page.locator("#plan-status", has_text="Draft").wait_for(timeout=120_000)
        page.locator("#changes").wait_for()
        _shot(page, screenshot, "plans-journey-replan")
    finally:
        context.close()

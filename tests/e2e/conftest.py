"""Browser tests: Playwright for Python driving Debian's chromium against live_server.

Skipped, with the reason, when /usr/bin/chromium is missing (``make test`` installs it
when run as root). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (run `make test` as root to install it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    # Let requests the page started (map layers, HTMX) finish before the test database is
    # flushed: a request still running in a server thread holds locks the flush waits for.
    with contextlib.suppress(Exception):  # best effort: the page may already be gone
        page.wait_for_load_state("networkidle", timeout=15_000)
    context.close()


@pytest.fixture
def screenshot() -> Any:
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    """The demo organisations, users and admin areas (real place names and outlines)."""
    import io

    from reliefops.accounts import demo as accounts_demo
    from reliefops.organisations import demo as organisations_demo
    from reliefops.places.admin_areas import admin_areas_load

    admin_areas_load()
    organisations_demo.load(stdout=io.StringIO())
    accounts_demo.load(stdout=io.StringIO())


def login(page: Any, username: str, password: str | None = None) -> None:
    from reliefops.accounts.demo import demo_password

    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or demo_password(username))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")

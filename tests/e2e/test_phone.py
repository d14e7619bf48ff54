"""The phone layout at 390 × 844: no page of the navigation is wider than the screen, for
a partner and for a coordinator, and the navigation folds into a menu that opens with the
mouse and the keyboard."""

from __future__ import annotations

import io
from importlib import import_module
from typing import Any

import pytest

from tests.e2e.conftest import login

PHONE = {"width": 390, "height": 844}
WIDTHS = """() => ({
    doc: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    viewport: window.innerWidth,
})"""


@pytest.fixture
def demo_scenario(transactional_db: None) -> None:
    """The whole demo scenario (every app's ``demo`` module, as ``reliefops demo``), so
    that lists and tables hold real rows."""
    from django.conf import settings

    from reliefops.places.admin_areas import admin_areas_load

    admin_areas_load()
    for dotted in settings.DOMAIN_APPS:
        import_module(f"{dotted}.demo").load(stdout=io.StringIO())


def _phone(browser: Any, live_server: Any, lang: str = "en") -> tuple[Any, Any]:
    # Not ``is_mobile``: a mobile viewport zooms out to fit a page that is too wide, and
    # then the viewport is as wide as the page and the check below could not fail.
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return context, page


def _assert_fits(page: Any, what: str) -> None:
    widths = page.evaluate(WIDTHS)
    assert widths["viewport"] == PHONE["width"], (what, widths)
    assert widths["doc"] <= widths["viewport"], (what, widths)
    assert widths["body"] <= widths["viewport"], (what, widths)


def _nav_expected(username: str) -> list[str]:
    """The navigation entries the user's roles allow (``core.navigation.NAV``)."""
    from django.urls import reverse

    from reliefops.accounts.models import User
    from reliefops.core.navigation import NAV
    from reliefops.core.permissions import user_can

    user = User.objects.get(username=username)
    return [reverse(item.url_name) for item in NAV if user_can(user, item.action)]


@pytest.mark.parametrize(
    ("username", "lang"), [("partner", "ru"), ("coordinator", "en"), ("coordinator", "az")]
)
def test_every_navigation_page_fits_a_phone(
    browser: Any, live_server: Any, demo_scenario: None, screenshot: Any, username: str, lang: str
) -> None:
    from reliefops.needs.models import Request

    context, page = _phone(browser, live_server, lang)
    try:
        page.goto(page.base_url + "/login/")
        _assert_fits(page, "/login/")
        login(page, username)
        hrefs = page.eval_on_selector_all(
            "nav.mainnav a", "links => links.map(a => a.getAttribute('href'))"
        )
        assert hrefs == _nav_expected(username)
        assert len(hrefs) >= 8
        request = Request.objects.filter(area__code="AZ-XA").order_by("reference").first()
        assert request is not None
        extra = ["/needs/requests/new/", f"/needs/requests/{request.pk}/", "/password/"]
        for href in hrefs + extra:
            page.goto(page.base_url + href)
            page.wait_for_load_state("networkidle")
            assert "/login/" not in page.url, href
            _assert_fits(page, href)
            slug = "request-detail" if str(request.pk) in href else href.strip("/") or "home"
            screenshot(page, f"phone-{username}-{lang}-{slug.replace('/', '-')}")
    finally:
        context.close()


def test_the_menu_folds_and_opens_with_mouse_and_keyboard(
    browser: Any, live_server: Any, demo_data: None, screenshot: Any
) -> None:
    context, page = _phone(browser, live_server)
    try:
        login(page, "coordinator")
        toggle = page.locator("button.menu-toggle")
        nav = page.locator("nav.mainnav")
        assert toggle.is_visible() and not nav.is_visible()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("text=Log out").is_visible()

        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
        # The user name and "Log out" are both in the menu and do not overlap.
        who = page.locator(".usermenu-who .whoami").bounding_box()
        logout = page.locator(".usermenu-panel button.linkbutton").bounding_box()
        assert who and logout and who["y"] + who["height"] <= logout["y"]
        assert page.locator(".usermenu-panel a[href='/admin/']").count() == 0  # not staff
        _assert_fits(page, "menu open")
        screenshot(page, "phone-menu-open")
        nav.locator("a[href='/needs/requests/']").click()
        page.wait_for_url("**/needs/requests/")
        assert page.locator("button.menu-toggle").get_attribute("aria-expanded") == "false"

        # Keyboard: Enter opens, the links are reachable, Escape closes and keeps focus.
        page.locator("button.menu-toggle").focus()
        page.keyboard.press("Enter")
        assert page.locator("nav.mainnav").is_visible()
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.closest('nav.mainnav') !== null")
        assert focused
        page.keyboard.press("Escape")
        assert not page.locator("nav.mainnav").is_visible()
        assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    finally:
        context.close()


def test_wide_screen_user_menu_is_a_dropdown_with_the_admin_link(
    page: Any, demo_data: None
) -> None:
    login(page, "admin")
    assert page.locator("nav.mainnav").is_visible()
    assert not page.locator("button.menu-toggle").is_visible()
    toggle = page.locator("button.usermenu-toggle")
    assert not page.locator("#usermenu").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.locator("#usermenu a[href='/admin/']").click()
    page.wait_for_url("**/admin/")
    assert "ReliefOps administration" in page.content()
    # The page's media rules leave Leaflet's own panes alone: its SVG layers are larger
    # than the map box on purpose (a max-width there draws no area at all).
    page.goto(page.base_url + "/reports/map/")
    page.wait_for_selector("#map[data-layers-loaded]")
    svg_width = page.evaluate(
        "() => Math.max(0, ...[...document.querySelectorAll('#map svg')]"
        ".map(s => s.getBoundingClientRect().width))"
    )
    map_width = page.evaluate("() => document.getElementById('map').clientWidth")
    assert svg_width >= map_width > 300, (svg_width, map_width)

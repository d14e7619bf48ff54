"""The page shell in a real browser: sign in, switch language, open the map."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import login


def test_login_language_switch_and_map(page: Any, demo_data: None, screenshot: Any) -> None:
    page.goto(page.base_url + "/login/")
    screenshot(page, "login-en")
    page.click("button[value=az]")
    assert page.locator("h1").inner_text() == "Daxil ol"
    screenshot(page, "login-az")
    login(page, "partner")
    nav = page.locator("nav.mainnav").inner_text()
    assert "Xəritə" in nav, nav  # "Map" in Azerbaijani
    page.click("nav.mainnav >> text=Xəritə")
    page.wait_for_selector("#map[data-loaded]")
    assert int(page.get_attribute("#map", "data-loaded") or 0) >= 80
    # The partner's own area (Khankendi) is drawn as "in scope".
    in_scope = page.evaluate(
        "() => document.querySelectorAll('path.leaflet-interactive[fill=\"#0b5394\"]').length"
    )
    assert in_scope == 1
    screenshot(page, "map-az")
    page.click("button[value=hy]")
    page.wait_for_selector("#map[data-loaded]")
    assert "Քարտեզ" in page.locator("nav.mainnav").inner_text()  # "Map" in Armenian
    screenshot(page, "map-hy")
    page.click("button[value=ru]")
    assert "Карта" in page.locator("nav.mainnav").inner_text()
    page.click("button[value=en]")
    assert "Map" in page.locator("nav.mainnav").inner_text()


def test_forced_password_change_on_first_login(page: Any, demo_data: None) -> None:
    from reliefops.accounts.models import User

    User.objects.filter(username="viewer").update(must_change_password=True)
    login(page, "viewer")
    assert page.url.endswith("/password/")
    page.goto(page.base_url + "/reports/map/")
    assert page.url.endswith("/password/")
    page.fill("#id_old_password", "viewer-demo-2023")
    page.fill("#id_new_password1", "a-new-Long-passw0rd")
    page.fill("#id_new_password2", "a-new-Long-passw0rd")
    page.click("button.primary")
    page.goto(page.base_url + "/reports/map/")
    assert page.url.endswith("/reports/map/")

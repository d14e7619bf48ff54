"""Browser journey of the offline round page (issue 13, must-hold 3; docs/offline.md).

A field user opens a planned round on a phone (390 × 844) while online, and the service
worker keeps the page. The browser goes offline (Playwright's ``context.set_offline``;
the test also checks that no request reaches the server while offline, so the service
worker's own fetches are offline too and the page really comes from its cache). The user
reloads the page, records two visits, sees "2" waiting, goes back online, sees the queue
empty and both stops done, and the database holds each visit exactly once, under the
client id the page gave it.

The waiting panel is saved at 390 px and 1366 px in English and Russian
(``test-artifacts/offline-round-*``) for looking at it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.signals import request_started
from django.utils import timezone

from tests.e2e.conftest import login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "offline-e2e-Pass-1"


@pytest.fixture
def round_world(transactional_db: None) -> Any:
    from reliefops.teams import services
    from tests.teams.scene import build_scene, person

    scene = build_scene()
    worker = scene.field["A"]
    worker.set_password(PASSWORD)
    worker.save()
    scene.people["A"].append(person(scene.places["A"], year_of_birth=1945))
    rnd = services.round_create(
        actor=scene.admin,
        team=scene.teams["A"],
        date=timezone.localdate(),
        stops=[services.StopInput(person=p) for p in scene.people["A"]],
    )
    services.round_transition(actor=scene.admin, round=rnd, step="plan")
    scene.round = rnd  # type: ignore[attr-defined]
    return scene


class Requests:
    """The paths of the requests the live server received (it runs in this process)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
        with self._lock:
            self.paths.append((environ or {}).get("PATH_INFO", "?"))


@contextmanager
def requests_seen() -> Iterator[Requests]:
    seen = Requests()
    request_started.connect(seen)
    try:
        yield seen
    finally:
        request_started.disconnect(seen)


def _context(browser: Any, live_server: Any, viewport: dict[str, int], lang: str = "en") -> Any:
    context = browser.new_context(viewport=viewport, locale="en-GB", service_workers="allow")
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    return context, page


def _record(page: Any, reference: str, outcome: str, *, service: str | None = None) -> None:
    stop = page.locator("li.stop", has_text=reference)
    stop.locator("label.tap", has_text=outcome).click()
    if service:
        stop.locator("label.tap", has_text=service).click()
    stop.get_by_role("button", name="Record the visit").click()
    stop.locator(".offline-mark").wait_for()


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_two_visits_recorded_offline_are_applied_once_each_when_back_online(
    browser: Any, live_server: Any, round_world: Any, screenshot: Any
) -> None:
    from reliefops.teams.models import RoundStop, Visit

    scene = round_world
    rnd = scene.round
    first, second, third = scene.people["A"]
    url = f"{live_server.url}/teams/rounds/{rnd.reference}/"
    context, page = _context(browser, live_server, PHONE)
    try:
        login(page, scene.field["A"].username, PASSWORD)
        page.goto(url)
        # The worker is installed, active and holds this page.
        page.wait_for_selector("html[data-offline-ready]")
        assert page.evaluate("async () => !!(await navigator.serviceWorker.ready).active")
        assert page.locator("#offline-panel").is_hidden()  # online, nothing waits

        with requests_seen() as seen:
            context.set_offline(True)
            response = page.reload()
            assert response is not None and response.from_service_worker
            page.wait_for_selector("html[data-offline-queue]")
            assert page.locator("li.stop", has_text=first.reference).is_visible()
            assert page.locator("#offline-panel").is_visible()
            _record(page, first.reference, "Visited", service="Referral")
            _record(page, second.reference, "Not at home")
            assert page.locator("#offline-count").inner_text() == "2"
            assert page.locator("#offline-panel .offline-record").count() == 2
            assert page.locator("li.stop.offline-kept").count() == 2
            # The third stop's form still works; nothing reached the server.
            assert page.locator("li.stop", has_text=third.reference).locator("form").is_visible()
            _fits(page)
            page.evaluate("() => window.scrollTo(0, 0)")
            screenshot(page, "offline-round-phone-waiting")
            # A reload offline keeps the waiting records and their marks.
            page.reload()
            page.wait_for_selector("html[data-offline-queue]")
            page.locator("#offline-count[data-count='2']").wait_for()
            assert page.locator("li.stop.offline-kept").count() == 2
            ids = page.evaluate(
                "async () => (await window.ReliefOpsOffline.records()).map(r => r.id)"
            )
        assert seen.paths == [], seen.paths  # the worker's fetches were offline too
        assert Visit.objects.filter(stop__round=rnd).count() == 0

        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.locator("#offline-count[data-count='0']").wait_for(state="attached")
        page.locator("li.stop.done", has_text=first.reference).wait_for()
        page.locator("li.stop.done", has_text=second.reference).wait_for()
        assert page.locator("#offline-panel .offline-record").count() == 0
        assert "2 of 3 stops done" in page.inner_text("#round-progress")
        done = page.locator("li.stop.done", has_text=first.reference)
        assert done.locator(".stop-state").inner_text().strip() == "Visited"
        screenshot(page, "offline-round-phone-sent")

        # Each visit exactly once, under the client id the page gave it; the stops closed.
        visits = list(Visit.objects.filter(stop__round=rnd).order_by("stop__sequence"))
        assert len(visits) == 2
        assert {str(v.client_id) for v in visits} == set(ids)
        by_person = {v.person_id: v for v in visits}
        assert by_person[first.pk].outcome == "visited"
        assert "referral" in by_person[first.pk].services
        assert by_person[second.pk].outcome == "not_at_home"
        for stop in RoundStop.objects.filter(round=rnd, person__in=[first, second]):
            assert Visit.objects.filter(stop=stop).count() == 1
        assert not Visit.objects.filter(person=third).exists()
        # The submissions list says where they came from.
        from reliefops.intake.models import Submission

        sources = set(Submission.objects.filter(client_id__in=ids).values_list("source", "status"))
        assert sources == {("offline", "applied")}

        # Sending again (a reload, the 30 s timer) sends nothing twice.
        page.reload()
        page.wait_for_selector("html[data-offline-queue]")
        page.evaluate("async () => await window.ReliefOpsOffline.send()")
        assert Visit.objects.filter(stop__round=rnd).count() == 2
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_waiting_panel_at_phone_and_desktop_width(
    browser: Any, live_server: Any, round_world: Any, screenshot: Any, lang: str
) -> None:
    scene = round_world
    first, second, _third = scene.people["A"]
    url = f"{live_server.url}/teams/rounds/{scene.round.reference}/"
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context, page = _context(browser, live_server, viewport, lang)
        try:
            login(page, scene.field["A"].username, PASSWORD)
            page.goto(url)
            page.wait_for_selector("html[data-offline-ready]")
            context.set_offline(True)
            page.reload()
            page.wait_for_selector("html[data-offline-queue]")
            for who in (first, second):
                stop = page.locator("li.stop", has_text=who.reference)
                stop.locator("form button[type=submit]").click()
                stop.locator(".offline-mark").wait_for()
            page.locator("#offline-count[data-count='2']").wait_for()
            _fits(page)
            page.evaluate("() => window.scrollTo(0, 0)")
            screenshot(page, f"offline-round-{name}-{lang}")
        finally:
            context.close()


def test_the_round_started_offline_is_started_once_back_online(
    browser: Any, live_server: Any, round_world: Any
) -> None:
    from reliefops.teams.models import Round, Visit

    scene = round_world
    rnd = scene.round
    first = scene.people["A"][0]
    context, page = _context(browser, live_server, PHONE)
    try:
        login(page, scene.field["A"].username, PASSWORD)
        page.goto(f"{live_server.url}/teams/rounds/{rnd.reference}/")
        page.wait_for_selector("html[data-offline-ready]")
        context.set_offline(True)
        page.reload()
        page.wait_for_selector("html[data-offline-queue]")
        page.click("#round-steps button[data-step=start]")
        page.locator("#round-steps .offline-mark[data-step=start]").wait_for()
        assert page.locator("#step-start").is_hidden()
        _record(page, first.reference, "Visited")
        page.locator("#offline-count[data-count='2']").wait_for()
        # A form that needs the network says so instead of leaving the page.
        cancel = page.locator("details.round-more")
        if cancel.count():
            cancel.locator("summary").click()
            cancel.locator("input[name=reason]").fill("Road closed")
            cancel.locator("button[type=submit]").click()
            cancel.locator(".offline-needs-network").wait_for()
        assert Round.objects.get(pk=rnd.pk).status == "planned"

        context.set_offline(False)
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        page.locator("#offline-count[data-count='0']").wait_for(state="attached")
        page.locator("#round-status.status-in_progress").wait_for()
        assert Round.objects.get(pk=rnd.pk).status == "in_progress"
        assert Visit.objects.filter(stop__round=rnd, person=first).count() == 1
        assert page.locator("#round-steps button[data-step=complete]").count() == 1
    finally:
        context.close()


def test_a_new_release_keeps_the_page_for_offline_use(
    browser: Any, live_server: Any, round_world: Any, monkeypatch: Any
) -> None:
    """A new static version (a release) installs a new worker with new caches: the page
    the old one kept is fetched again into them, so it still opens offline."""
    from reliefops.core import offline

    scene = round_world
    url = f"{live_server.url}/teams/rounds/{scene.round.reference}/"
    context, page = _context(browser, live_server, PHONE)
    try:
        login(page, scene.field["A"].username, PASSWORD)
        page.goto(url)
        page.wait_for_selector("html[data-offline-ready]")
        before = page.evaluate("async () => (await caches.keys()).sort()")
        assert f"reliefops-pages-{offline.static_version()}" in before

        monkeypatch.setattr(offline, "static_version", lambda: "0123456789ab")
        page.evaluate(
            """async () => {
                const registration = await navigator.serviceWorker.getRegistration();
                await registration.update();
                const worker = registration.installing || registration.waiting;
                if (worker && worker.state !== "activated") {
                    await new Promise((done) => worker.addEventListener("statechange",
                        () => worker.state === "activated" && done()));
                }
            }"""
        )
        after = page.evaluate("async () => (await caches.keys()).sort()")
        assert after == ["reliefops-pages-0123456789ab", "reliefops-shell-0123456789ab"], after
        kept = page.evaluate(
            "async () => (await (await caches.open('reliefops-pages-0123456789ab')).keys())"
            ".map(r => new URL(r.url).pathname)"
        )
        assert f"/teams/rounds/{scene.round.reference}/" in kept

        context.set_offline(True)
        response = page.reload()
        assert response is not None and response.from_service_worker
        page.wait_for_selector("html[data-offline-queue]")
        assert page.locator("li.stop form.visit-form").count() == 3
    finally:
        context.close()

"""The offline queue's answers, each produced for real on the round page (docs/offline.md):

* refused (400/409 from the services: the round was cancelled while the phone was
  offline) — the server's message is shown next to the record and on the stop, the
  record stays until the user discards it;
* the session ended (401) — the record waits, the panel offers the login, and after a
  new login it is sent and applied;
* the same id with another body (409 ``submission_id_reused``) — shown as a fault;
* logging out with a record not sent asks first, then deletes the queue and the caches.
"""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.conftest import login
from tests.e2e.test_offline_round import PASSWORD, PHONE, _context, _record, round_world

__all__ = ["round_world"]


def _offline_page(context: Any, page: Any, url: str, username: str) -> None:
    login(page, username, PASSWORD)
    page.goto(url)
    page.wait_for_selector("html[data-offline-ready]")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-offline-queue]")


# One send after "online" may still be the try that began offline (the queue shares a
# send in flight), so it can end "queued"; send again until no record is left queued.
SETTLE = """async () => {
  await window.ReliefOpsOffline.send();
  return (await window.ReliefOpsOffline.records()).map((r) => r.state);
}"""


def _online(context: Any, page: Any, *, seconds: float = 60) -> list[str]:
    context.set_offline(False)
    page.evaluate("async () => { window.dispatchEvent(new Event('online')); }")
    deadline = time.monotonic() + seconds
    states: list[str] = page.evaluate(SETTLE)
    while "queued" in states and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        states = page.evaluate(SETTLE)
    assert "queued" not in states, f"still queued after {seconds:.0f} s: {states}"
    return states


def test_a_record_the_server_refuses_is_shown_kept_and_discarded(
    browser: Any, live_server: Any, round_world: Any
) -> None:
    from reliefops.teams import services
    from reliefops.teams.models import Visit

    scene = round_world
    first = scene.people["A"][0]
    context, page = _context(browser, live_server, PHONE)
    try:
        url = f"{live_server.url}/teams/rounds/{scene.round.reference}/"
        _offline_page(context, page, url, scene.field["A"].username)
        _record(page, first.reference, "Visited")
        # Meanwhile the coordinator cancels the round.
        services.round_transition(
            actor=scene.admin, round=scene.round, step="cancel", reason="Road closed"
        )
        _online(context, page)
        record = page.locator("#offline-panel .offline-record.state-refused")
        record.wait_for()
        assert record.locator(".offline-error").inner_text().strip()
        stop = page.locator("li.stop", has_text=first.reference)
        assert "is-refused" in (stop.locator(".offline-mark").get_attribute("class") or "")
        assert stop.locator("form.visit-form").is_visible()  # to correct and record again
        assert page.locator("#offline-count").inner_text() == "0"  # nothing left to send
        assert not Visit.objects.filter(person=first).exists()

        page.once("dialog", lambda dialog: dialog.accept())
        record.locator("button.offline-discard").click()
        page.locator("#offline-panel .offline-record").wait_for(state="detached")
        assert page.evaluate("async () => (await window.ReliefOpsOffline.records()).length") == 0
    finally:
        context.close()


def test_a_record_made_before_the_session_ended_is_sent_after_a_new_login(
    browser: Any, live_server: Any, round_world: Any
) -> None:
    from reliefops.teams.models import Visit

    scene = round_world
    first = scene.people["A"][0]
    context, page = _context(browser, live_server, PHONE)
    try:
        url = f"{live_server.url}/teams/rounds/{scene.round.reference}/"
        _offline_page(context, page, url, scene.field["A"].username)
        _record(page, first.reference, "Visited")
        context.clear_cookies(name="sessionid")  # the session ends while offline
        _online(context, page)
        waiting = page.locator("#offline-panel .offline-record.state-login")
        waiting.wait_for()
        assert page.locator("#offline-count").inner_text() == "1"
        assert not Visit.objects.filter(person=first).exists()

        waiting.locator("a.offline-login").click()
        page.fill("#id_username", scene.field["A"].username)
        page.fill("#id_password", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(url)  # back on the round page (?next=)
        page.locator("li.stop.done", has_text=first.reference).wait_for()
        assert Visit.objects.filter(person=first).count() == 1
    finally:
        context.close()


def test_an_id_already_used_for_another_record_is_shown_as_a_fault(
    browser: Any, live_server: Any, round_world: Any
) -> None:
    from reliefops.intake.submissions import submission_receive

    scene = round_world
    first, second = scene.people["A"][:2]
    context, page = _context(browser, live_server, PHONE)
    try:
        url = f"{live_server.url}/teams/rounds/{scene.round.reference}/"
        _offline_page(context, page, url, scene.field["A"].username)
        _record(page, first.reference, "Visited")
        record = page.evaluate("async () => (await window.ReliefOpsOffline.records())[0]")
        # Another record already holds the id (a phone fault: an id is used once).
        other = {**record["data"], "person": second.reference, "sequence": 2}
        submission_receive(
            actor=scene.field["A"], client_id=record["id"], kind="visits", data=other
        )
        _online(context, page)
        fault = page.locator("#offline-panel .offline-record.state-conflict")
        fault.wait_for()
        assert "another record with this id" in fault.inner_text()
    finally:
        context.close()


def test_logout_asks_about_unsent_records_then_clears_the_device(
    browser: Any, live_server: Any, round_world: Any
) -> None:
    scene = round_world
    first = scene.people["A"][0]
    context, page = _context(browser, live_server, PHONE)
    try:
        url = f"{live_server.url}/teams/rounds/{scene.round.reference}/"
        _offline_page(context, page, url, scene.field["A"].username)
        _record(page, first.reference, "Visited")
        # The network stays unusable for the queue BEFORE the device is back online: else
        # the queue sends the record at once on the "online" event and nothing is unsent.
        page.route("**/api/v1/submissions/**", lambda route: route.abort("internetdisconnected"))
        context.set_offline(False)
        assert "reliefops-offline" in page.evaluate(
            "async () => (await indexedDB.databases()).map(d => d.name)"
        )
        assert page.evaluate("async () => (await caches.keys()).length") == 2

        questions: list[str] = []

        def dismiss(dialog: Any) -> None:
            questions.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.locator("button.menu-toggle").click()
        with page.expect_event("dialog"):
            page.get_by_role("button", name="Log out").click()
        # The question is answered "no": the user stays, the records stay.
        assert questions and "Records not sent yet: 1." in questions[0]
        assert page.url == url
        page.remove_listener("dialog", dismiss)

        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login/")
        assert page.evaluate("async () => (await caches.keys()).length") == 0
        assert page.evaluate("async () => (await window.indexedDB.databases()).length") == 0
        assert (
            page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length")
            == 0
        )
        assert "reliefops-offline" not in page.evaluate(
            "async () => (await indexedDB.databases()).map(d => d.name)"
        )
    finally:
        context.close()

"""Session timeouts (issue 16): signed out after 30 minutes without activity and 12 hours
after sign-in, both configurable; polling (the notices bell, progress bars) is not
activity; an ended session is answered as anonymous by the usual paths (page redirect with
the reason on the sign-in page, API 401/403 JSON, HTMX told to load the sign-in page)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings

from reliefops.accounts.choices import Role
from reliefops.core.sessions import SEEN, STARTED
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def _signed_in() -> Client:
    client = Client()
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get("/").status_code == 200
    return client


def _shift(client: Client, **ago: float) -> None:
    """Move the session's clocks into the past (``started`` / ``seen`` seconds ago)."""
    session = client.session
    now = time.time()
    if "started" in ago:
        session[STARTED] = int(now - ago["started"])
    if "seen" in ago:
        session[SEEN] = int(now - ago["seen"])
    session.save()


def _signed_out(client: Client) -> Any:
    answer = client.get("/needs/requests/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")
    return client.get(answer["Location"])


def test_a_session_that_was_used_goes_on() -> None:
    client = _signed_in()
    _shift(client, started=11 * 3600, seen=29 * 60)
    assert client.get("/needs/requests/").status_code == 200
    assert time.time() - client.session[SEEN] < 5  # the request was activity


def test_thirty_minutes_without_activity_sign_out_and_say_why() -> None:
    client = _signed_in()
    _shift(client, seen=31 * 60)
    page = _signed_out(client).content.decode()
    assert "30 minutes without activity" in page
    assert client.get("/").status_code == 302  # anonymous from now on


def test_twelve_hours_after_sign_in_the_session_ends_however_active() -> None:
    client = _signed_in()
    _shift(client, started=12 * 3600 + 60, seen=10)
    assert "12 hours after signing in" in _signed_out(client).content.decode()


@override_settings(
    SESSION_IDLE_TIMEOUT=timedelta(minutes=5), SESSION_ABSOLUTE_TIMEOUT=timedelta(hours=1)
)
def test_the_limits_are_settings() -> None:
    client = _signed_in()
    _shift(client, seen=6 * 60)
    assert "5 minutes without activity" in _signed_out(client).content.decode()
    client = _signed_in()
    _shift(client, started=3700, seen=1)
    assert "1 hours after signing in" in _signed_out(client).content.decode()


def test_polling_is_not_activity_and_an_ended_poll_loads_the_sign_in_page() -> None:
    client = _signed_in()
    _shift(client, seen=20 * 60)
    before = client.session[SEEN]
    bell = client.get("/notices/bell/", headers={"HX-Request": "true"})
    assert bell.status_code == 200
    assert client.session[SEEN] == before  # the bell asked by itself
    assert client.get("/").status_code == 200 and client.session[SEEN] > before
    _shift(client, seen=31 * 60)
    ended = client.get("/notices/bell/", headers={"HX-Request": "true"})
    assert ended.status_code == 204 and ended["HX-Redirect"] == "/login/"


def test_an_ended_session_on_the_api_is_a_json_refusal() -> None:
    client = _signed_in()
    assert client.get("/api/v1/requests/").status_code == 200
    _shift(client, seen=31 * 60)
    answer = client.get("/api/v1/requests/")
    assert answer.status_code in (401, 403)
    assert answer.json()["error"]

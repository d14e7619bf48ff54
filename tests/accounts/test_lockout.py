"""Sign-in lockout (django-axes): per username *and* address, never turned against a user.

The suite runs with axes off (tests/conftest.py); these tests turn it on and start from a
clean slate (attempts live in the test database; the anonymous throttle in the cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from tests.accounts.factories import make_user

PASSWORD = "a-Long-test-passw0rd"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def axes_on(db: None) -> Iterator[None]:
    from axes.utils import reset

    cache.clear()
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=10):
        reset()
        yield
        reset()
    cache.clear()


@pytest.fixture
def victim(db: None) -> Any:
    return make_user(Role.COORDINATOR, username="victim")


def token_post(password: str, **meta: str) -> Any:
    return APIClient().post(TOKEN_URL, {"username": "victim", "password": password}, **meta)


def test_ten_failures_lock_that_address_only_on_the_sign_in_page(
    axes_on: None, victim: Any
) -> None:
    client = Client()
    answers = [
        client.post("/login/", {"username": "victim", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
        for _ in range(10)
    ]
    assert [r.status_code for r in answers[:9]] == [200] * 9  # the form again, with an error
    assert answers[9].status_code == 429
    # The right password from the locked address is refused, on a page in the app's layout.
    locked = client.post(
        "/login/", {"username": "victim", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # From another address the user signs in.
    other = Client().post(
        "/login/", {"username": "victim", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 302 and other["Location"] == "/"


def test_the_token_endpoint_counts_failures_and_reports_the_lockout(
    axes_on: None, victim: Any
) -> None:
    codes = [token_post("wrong", REMOTE_ADDR="10.0.0.1").status_code for _ in range(10)]
    assert codes == [400] * 9 + [429]
    response = token_post(PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    body = response.json()["error"]
    assert body["code"] == "locked_out"
    assert "Too many failed sign-ins" in body["message"]
    assert body["details"] == {"retry_after": 900}
    assert response["Retry-After"] == "900"
    # The right password from another address still works.
    response = token_post(PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 200 and response.json()["token"]


def test_a_success_resets_the_failures_of_that_address(axes_on: None, victim: Any) -> None:
    for _ in range(9):
        assert token_post("wrong", REMOTE_ADDR="10.0.0.1").status_code == 400
    assert token_post(PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 200
    for _ in range(9):
        assert token_post("wrong", REMOTE_ADDR="10.0.0.1").status_code == 400


@override_settings(
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_PROXY_ORDER="right-most",
)
def test_behind_a_proxy_the_forwarded_address_counts_and_cannot_be_spoofed(
    axes_on: None, victim: Any
) -> None:
    proxy = {"REMOTE_ADDR": "10.0.0.254"}  # every request arrives from the proxy
    attacker, user = "203.0.113.9", "198.51.100.7"
    for _ in range(10):
        token_post("wrong", HTTP_X_FORWARDED_FOR=attacker, **proxy)
    assert token_post(PASSWORD, HTTP_X_FORWARDED_FOR=attacker, **proxy).status_code == 429
    # Another client behind the same proxy is not locked out.
    assert token_post(PASSWORD, HTTP_X_FORWARDED_FOR=user, **proxy).status_code == 200
    # The attacker sending the user's address itself: the proxy appends the real one, and
    # the right-most entry is what counts.
    spoofed = token_post(PASSWORD, HTTP_X_FORWARDED_FOR=f"{user}, {attacker}", **proxy)
    assert spoofed.status_code == 429

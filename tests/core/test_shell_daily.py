"""Small things of the shell: the API root, the favicon, the admin's name and link,
message levels."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.test import Client, RequestFactory

from reliefops.accounts.choices import Role
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def test_api_root_lists_the_endpoints_and_the_docs(api_client: Any) -> None:
    body = api_client.get("/api/v1/").json()
    assert body["docs"].endswith("/api/docs/") and body["schema"].endswith("/api/schema/")
    endpoints = body["endpoints"]
    assert endpoints["requests"].endswith("/api/v1/requests/")
    assert endpoints["needs/gap"].endswith("/api/v1/needs/gap/")
    assert "" not in endpoints and not any("{" in k or "<" in k for k in endpoints)
    # Every listed endpoint exists (answers something other than 404 when signed in).
    api_client.force_authenticate(make_user(Role.COORDINATOR))
    for key, url in endpoints.items():
        assert api_client.get(url).status_code != 404, key


def test_api_root_is_in_the_schema(api_client: Any) -> None:
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "get" in schema["paths"]["/api/v1/"]


def test_favicon_is_a_permanent_redirect_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("reliefops/favicon.svg")


def test_admin_has_the_product_name_and_is_linked_for_staff_only(client: Client) -> None:
    coordinator = make_user(Role.COORDINATOR)
    client.force_login(coordinator)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    html = client.get("/").content.decode()
    assert 'href="/admin/"' in html
    admin_html = client.get("/admin/").content.decode()
    assert "ReliefOps administration" in admin_html and "Django administration" not in admin_html


@pytest.mark.parametrize(
    ("level", "css"),
    [
        (messages.SUCCESS, "success"),
        (messages.INFO, "info"),
        (messages.WARNING, "warning"),
        (messages.ERROR, "error"),
    ],
)
def test_messages_carry_their_level(level: int, css: str) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template.loader import render_to_string

    request = RequestFactory().get("/")
    request.user = make_user(Role.VIEWER)
    request.session = {}  # type: ignore[assignment]
    storage = FallbackStorage(request)
    request._messages = storage  # type: ignore[attr-defined]
    messages.add_message(request, level, "Status saved")
    html = render_to_string("base.html", request=request)
    assert f'<li class="message {css}">Status saved</li>' in html

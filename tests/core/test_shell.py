"""The shell around every domain: health check, settings, CLI, demo, pages, language."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from reliefops.accounts.choices import Role
from reliefops.accounts.demo import USERS
from reliefops.accounts.models import Membership, User
from reliefops.core.models import AuditEvent
from reliefops.organisations.models import Organisation
from tests.accounts.factories import make_user


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "broker" in body["checks"]


def test_production_mode_without_secret_is_a_startup_error() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "RELIEFOPS_TEST_RUN"}}
    env.update({"RELIEFOPS_ENV": "production", "ALLOWED_HOSTS": "example.org"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        env={**env, "DJANGO_SETTINGS_MODULE": "reliefops.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_cli_without_django_and_with_django() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reliefops", "help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "demo" in result.stdout


def test_demo_refuses_a_non_loopback_address() -> None:
    with pytest.raises(CommandError, match="loopback"):
        call_command("demo", host="0.0.0.0", stdout=io.StringIO())  # noqa: S104


@pytest.mark.django_db(transaction=True)
def test_demo_is_idempotent_and_creates_one_user_per_role() -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
    assert Organisation.objects.count() == 8
    # one per role and the Red Crescent logistics, the teams' and hospital's field workers
    # and the crossing-point counter
    assert {u for u, *_ in USERS} <= set(User.objects.values_list("username", flat=True))
    assert User.objects.count() == len(USERS) + 4
    assert "coordinator-demo-2023" in out.getvalue()
    client = Client()
    assert client.login(username="partner", password="partner-demo-2023")
    assert client.get("/reports/map/").status_code == 200
    areas = client.get("/reports/map/admin-areas.geojson?level=1").json()["features"]
    in_scope = [f["properties"]["code"] for f in areas if f["properties"]["in_scope"]]
    assert in_scope == ["AZ-XA"]
    # The overview counts only what each user's scope allows.
    from reliefops.needs.choices import OPEN_STATUSES
    from reliefops.needs.models import Request

    open_requests = Request.objects.filter(status__in=OPEN_STATUSES)
    partner_count = open_requests.filter(area__code="AZ-XA").count()
    assert 0 < partner_count < open_requests.count()
    summary = client.get("/").context["summary"]
    assert summary["open_requests"] == partner_count
    assert all(r.area.code == "AZ-XA" for r in summary["latest_requests"])
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="coordinator"))
    assert coordinator.get("/").context["summary"]["open_requests"] == open_requests.count()


@pytest.mark.django_db
def test_pages_require_login_and_switch_language(client: Client) -> None:
    response = client.get("/reports/map/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    user = make_user(Role.VIEWER)
    client.force_login(user)
    client.post("/language/", {"language": "ru", "next": "/"})
    html = client.get("/").content.decode()
    assert "Карта" in html and "Организации" in html
    user.refresh_from_db()
    assert user.language == "ru"
    client.post("/language/", {"language": "hy", "next": "https://evil.example/"})
    assert "Քարտեզ" in client.get("/").content.decode()


@pytest.mark.django_db
def test_user_create_forces_password_change_and_is_audited(admin_user: Any) -> None:
    from reliefops.accounts.services import user_create
    from reliefops.core.errors import Forbidden
    from tests.accounts.factories import OrganisationFactory

    org = OrganisationFactory()
    user, password = user_create(
        actor=admin_user, username="newbie", organisation=org, role=Role.FIELD
    )
    assert user.must_change_password and user.check_password(password)
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    client = Client()
    client.force_login(user)
    assert client.get("/reports/map/")["Location"] == "/password/"
    with pytest.raises(Forbidden):
        user_create(
            actor=make_user(Role.COORDINATOR), username="x", organisation=org, role=Role.FIELD
        )


@pytest.mark.django_db
def test_django_admin_is_for_administrators_only(client: Client, admin_user: Any) -> None:
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get("/admin/").status_code == 302
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_me_endpoint(api_client: Any) -> None:
    user = make_user(Role.PARTNER)
    api_client.force_authenticate(user)
    body = api_client.get("/api/v1/me/").json()
    assert body["roles"] == ["partner"] and body["national_scope"] is False
    assert api_client.get("/api/schema/").status_code == 200
    assert api_client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_token_authentication_expiry_rotation_and_revocation(api_client: Any) -> None:
    from datetime import timedelta

    from django.core.cache import cache
    from django.test import override_settings
    from rest_framework.authtoken.models import Token

    cache.clear()  # the anonymous throttle counts per address across tests
    user = make_user(Role.VIEWER, username="tokenuser")
    credentials = {"username": "tokenuser", "password": "a-Long-test-passw0rd"}
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    # Not signed in: 401 with the token scheme named.
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    response = api_client.post("/api/v1/auth/token/", credentials)
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["expires"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").json()["username"] == user.username
    # Asking again while it is valid gives the same token.
    assert api_client.post("/api/v1/auth/token/", credentials).json()["token"] == token

    with override_settings(API_TOKEN_TTL_HOURS=2):
        Token.objects.filter(key=token).update(
            created=Token.objects.get(key=token).created - timedelta(hours=2, seconds=1)
        )
        response = api_client.get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "token_expired"
        # The token endpoint rotates the expired token.
        api_client.credentials()
        rotated = api_client.post("/api/v1/auth/token/", credentials).json()["token"]
        assert rotated != token
        assert not Token.objects.filter(key=token).exists()
        assert AuditEvent.objects.filter(action="token.rotate", object_id=str(user.pk)).exists()

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {rotated}")
    assert api_client.get("/api/v1/me/").status_code == 200
    # DELETE revokes the caller's token: it no longer authenticates.
    assert api_client.delete("/api/v1/auth/token/").status_code == 204
    assert not Token.objects.filter(user=user).exists()
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(user.pk)).exists()
    # Revoking needs a signed-in caller.
    api_client.credentials()
    assert api_client.delete("/api/v1/auth/token/").status_code == 401

"""Every API endpoint answers bad input with a 4xx in the one error format, never a 500.

Schemathesis generates requests (valid and invalid) from the OpenAPI schema and sends them
in-process through Django's WSGI application with a real token of a real user.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

from reliefops.accounts.choices import Role
from tests.accounts.factories import make_user

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def error_format(ctx: Any, response: Any, case: Any) -> bool:
    """A 4xx response carries ``{"error": {"code", "message", "details"}}``."""
    if 400 <= response.status_code < 500 and response.status_code != 405:
        body = response.json()
        assert set(body) == {"error"}, body
        assert {"code", "message", "details"} <= set(body["error"]), body
    return True


@pytest.fixture
def keep_connection() -> Any:
    """Keep the test's database connection open across in-process WSGI requests.

    Django closes "old" connections when a request ends; its own test client disconnects
    that handler, and so must a WSGI caller inside a test transaction.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None, keep_connection: None) -> str:
    user = make_user(Role.COORDINATOR)
    return Token.objects.create(user=user).key


# One pytest item per operation (unique ids, so xdist schedules and reports each one).
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_never_answers_500(label: str, token: str) -> None:
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check_operation(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Token {token}"})
        assert response.status_code < 500, (label, response.text[:500])
        error_format(None, response, case)

    check_operation()


@pytest.mark.django_db
def test_error_format_for_common_mistakes(api_client: Any) -> None:
    # Not signed in.
    response = api_client.get("/api/v1/presence/")
    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"
    user = make_user(Role.COORDINATOR)
    api_client.force_authenticate(user)
    # Malformed JSON.
    response = api_client.generic(
        "POST", "/api/v1/presence/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    # A field that fails validation names the field.
    response = api_client.post(
        "/api/v1/presence/",
        {"organisation": "NOPE", "area": "XX", "sector": "weather"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert {"organisation", "area", "sector"} <= set(body["details"])
    # Unknown object, unknown page.
    assert api_client.get("/api/v1/presence/not-a-uuid/").status_code == 404
    response = api_client.get("/api/v1/organisations/", {"page": 999})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # Unknown URL under /api/ is JSON too.
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_partner_cannot_record_presence_for_another_organisation(api_client: Any) -> None:
    from tests.accounts.factories import OrganisationFactory
    from tests.places.factories import AdminAreaFactory

    area = AdminAreaFactory(code="ZZ-1")
    own = OrganisationFactory(acronym="OWN")
    OrganisationFactory(acronym="OTHER")
    partner = make_user(Role.PARTNER, areas=[area], organisation=own)
    api_client.force_authenticate(partner)
    response = api_client.post(
        "/api/v1/presence/",
        {"organisation": "OTHER", "area": "ZZ-1", "sector": "food"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    response = api_client.post(
        "/api/v1/presence/",
        {"organisation": "OWN", "area": "ZZ-1", "sector": "food"},
        format="json",
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_values_the_database_cannot_store_are_a_400(api_client: Any) -> None:
    from tests.places.factories import AdminAreaFactory

    AdminAreaFactory(code="ZZ-2")
    coordinator = make_user(Role.COORDINATOR)
    api_client.force_authenticate(coordinator)
    org = coordinator.memberships.get().organisation.acronym
    response = api_client.post(
        "/api/v1/presence/",
        {"organisation": org + "\x00", "area": "ZZ-2", "sector": "food"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    response = api_client.get("/api/v1/presence/", {"area__code": "Z\x00"})
    assert response.status_code in (200, 400)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_deadlock_is_a_retryable_409() -> None:
    """The handler turns PostgreSQL's deadlock/serialisation errors into a 409 'retry'."""
    import psycopg
    from django.db import OperationalError

    from reliefops.core.api import exception_handler

    try:
        try:
            raise psycopg.errors.DeadlockDetected("deadlock detected")
        except psycopg.Error as cause:
            raise OperationalError("deadlock detected") from cause
    except OperationalError as exc:
        response = exception_handler(exc, {})
    assert response is not None and response.status_code == 409
    assert response.data["error"]["code"] == "retry"
    assert response["Retry-After"] == "1"
    other = OperationalError("server closed the connection")
    assert exception_handler(other, {}) is None

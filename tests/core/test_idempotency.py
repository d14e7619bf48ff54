"""``Idempotency-Key`` on API POSTs: replay, key reuse, per-user keys, what is stored.

The mechanism is one middleware; these tests use two unrelated create endpoints
(requests and 4W activities) to show that no view has code of its own for it.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.test.client import encode_multipart
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reliefops.core import idempotency
from reliefops.core.models import IdempotencyRecord
from reliefops.needs import api as needs_api
from reliefops.needs.models import Request
from reliefops.stock.models import Item
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, ItemFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"
KEY = "HTTP_IDEMPOTENCY_KEY"


@pytest.fixture
def scene() -> dict[str, Any]:
    org = OrganisationFactory(acronym="IDEMNGO")
    facility = FacilityFactory(kind="school")
    ItemFactory(code="DSL", unit="litre", category="fuel")
    partner = make_user("partner", areas=[facility.place.admin1], organisation=org)
    return {"org": org, "facility": facility, "partner": partner}


def body(scene: dict[str, Any], quantity: str = "900", facility: Any = None) -> dict[str, Any]:
    return {
        "requester_kind": "facility",
        "facility": (facility or scene["facility"]).code,
        "organisation": scene["org"].acronym,
        "needed_from": "2023-10-01",
        "needed_by": "2023-10-31",
        "lines": [{"item": "DSL", "quantity": quantity}],
    }


def client_for(user: Any, *, token: bool = True) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if token:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    else:
        client.force_login(user)
    return client


def error_code(response: Any) -> str:
    return response.json()["error"]["code"]


@pytest.mark.parametrize("token", [True, False], ids=["token", "session"])
def test_a_retry_with_the_same_key_replays_the_first_answer(scene, token: bool) -> None:
    client = client_for(scene["partner"], token=token)
    first = client.post(URL, body(scene), format="json", **{KEY: "k-1"})
    again = client.post(URL, body(scene), format="json", **{KEY: "k-1"})
    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert Request.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.user, record.key, record.method, record.path, record.status) == (
        scene["partner"],
        "k-1",
        "POST",
        URL,
        201,
    )
    assert record.expires_at - record.created_at == dt.timedelta(hours=24)
    # Without the key the duplicate check answers as before.
    assert error_code(client.post(URL, body(scene), format="json")) == "possible_duplicate"


def test_the_quoted_form_of_the_draft_is_the_same_key(scene) -> None:
    client = client_for(scene["partner"])
    first = client.post(URL, body(scene), format="json", **{KEY: "abc-123"})
    again = client.post(URL, body(scene), format="json", **{KEY: '"abc-123"'})
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content


def test_the_same_key_with_another_body_or_path_is_a_409(scene) -> None:
    client = client_for(scene["partner"])
    assert client.post(URL, body(scene), format="json", **{KEY: "k-2"}).status_code == 201
    other = client.post(URL, body(scene, quantity="5"), format="json", **{KEY: "k-2"})
    assert other.status_code == 409
    assert error_code(other) == "idempotency_key_reused"
    assert other.json()["error"]["details"] == {"differs": ["body"]}
    elsewhere = client.post(
        "/api/v1/activities/", {"organisation": "IDEMNGO"}, format="json", **{KEY: "k-2"}
    )
    assert elsewhere.status_code == 409
    assert elsewhere.json()["error"]["details"] == {"differs": ["path", "body"]}
    assert Request.objects.count() == 1


def test_keys_are_per_user(scene) -> None:
    other_facility = FacilityFactory(kind="school", place=scene["facility"].place)
    colleague = make_user(
        "partner", areas=[scene["facility"].place.admin1], organisation=scene["org"]
    )
    mine = client_for(scene["partner"]).post(URL, body(scene), format="json", **{KEY: "same"})
    theirs = client_for(colleague).post(
        URL, body(scene, facility=other_facility), format="json", **{KEY: "same"}
    )
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert mine.json()["id"] != theirs.json()["id"]
    assert Request.objects.count() == 2
    assert IdempotencyRecord.objects.filter(key="same").count() == 2


def test_client_errors_are_stored_but_not_permission_errors(scene) -> None:
    client = client_for(scene["partner"])
    invalid = {**body(scene), "needed_by": "2023-09-01"}
    first = client.post(URL, invalid, format="json", **{KEY: "bad"})
    again = client.post(URL, invalid, format="json", **{KEY: "bad"})
    assert first.status_code == again.status_code == 400
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    viewer = make_user("viewer", areas=[scene["facility"].place.admin1])
    forbidden = client_for(viewer).post(URL, body(scene), format="json", **{KEY: "nope"})
    assert forbidden.status_code == 403
    assert not IdempotencyRecord.objects.filter(key="nope").exists()


def test_a_server_error_rolls_back_and_is_not_stored(scene, monkeypatch) -> None:
    """The request was written, then the response failed: nothing stays, the retry works."""

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("rendering failed")

    client = client_for(scene["partner"])
    monkeypatch.setattr(needs_api, "request_get", broken)
    failed = client.post(URL, body(scene), format="json", **{KEY: "k-500"})
    assert failed.status_code == 500
    assert Request.objects.count() == 0
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.undo()
    retried = client.post(URL, body(scene), format="json", **{KEY: "k-500"})
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert Request.objects.count() == 1


def test_an_expired_key_is_new_again_and_purged(scene) -> None:
    client = client_for(scene["partner"])
    assert client.post(URL, body(scene), format="json", **{KEY: "old"}).status_code == 201
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    fresh = client.post(URL, body(scene, quantity="7"), format="json", **{KEY: "old"})
    assert fresh.status_code == 409 and error_code(fresh) == "possible_duplicate"  # ran again
    record = IdempotencyRecord.objects.get()
    assert record.status == 409 and record.expires_at > timezone.now()
    IdempotencyRecord.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("idempotency_purge")
    assert not IdempotencyRecord.objects.exists()


def test_purge_keeps_live_records(scene) -> None:
    user = scene["partner"]
    now = timezone.now()
    for key, expires in [
        ("gone", now - dt.timedelta(hours=1)),
        ("kept", now + dt.timedelta(hours=1)),
    ]:
        IdempotencyRecord.objects.create(
            user=user, key=key, method="POST", path=URL, body_hash="0" * 64, expires_at=expires
        )
    assert idempotency.idempotency_purge(now=now) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["kept"]


def test_invalid_keys_and_other_requests(scene) -> None:
    client = client_for(scene["partner"])
    for bad in ["", "   ", "x" * 256, "ключ", '""']:
        response = client.post(URL, body(scene), format="json", **{KEY: bad})
        assert response.status_code == 400, bad
        assert error_code(response) == "idempotency_key_invalid"
        assert response.json()["error"]["details"] == {"header": "Idempotency-Key"}
    assert Request.objects.count() == 0
    # GETs are idempotent already; anonymous calls are refused by the view as before.
    assert client.get(URL, **{KEY: "g"}).status_code == 200
    anonymous = APIClient().post(URL, body(scene), format="json", **{KEY: "anon"})
    assert anonymous.status_code in (401, 403) and error_code(anonymous) == "not_authenticated"
    assert not IdempotencyRecord.objects.exists()


def test_every_create_endpoint_honours_it() -> None:
    AdminAreaFactory(code="ZZ-9")
    coordinator = make_user("coordinator")
    org = coordinator.memberships.get().organisation.acronym
    client = client_for(coordinator)
    data = {"organisation": org, "area": "ZZ-9", "sector": "food"}
    first = client.post("/api/v1/activities/", data, format="json", **{KEY: "p-1"})
    again = client.post("/api/v1/activities/", data, format="json", **{KEY: "p-1"})
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content


def test_an_upload_retried_with_another_multipart_boundary_is_replayed() -> None:
    admin = UserFactory(is_superuser=True)
    client = client_for(admin)
    csv = b"code,category,unit,name_en\nWTR-5L,water,piece,Water 5 L\n"
    answers = []
    for boundary in ["first-boundary-1a2b", "second-boundary-3c4d"]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        payload = encode_multipart(
            boundary, {"file": SimpleUploadedFile("items.csv", csv, "text/csv")}
        )
        answers.append(
            client.generic(
                "POST",
                "/api/v1/imports/items/",
                payload,
                content_type=f"multipart/form-data; boundary={boundary}",
                **{KEY: "upload-1"},
            )
        )
    assert answers[0].status_code < 300, answers[0].content
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert answers[1].content == answers[0].content
    assert Item.objects.filter(code="WTR-5L").count() == 1


def test_the_view_reads_the_same_body_after_hashing() -> None:
    """Bodies past the in-memory spool limit go to disk and reach the view unchanged."""
    payload = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    request = RequestFactory().generic("POST", URL, payload, content_type="application/json")
    captured = idempotency._body_capture(request)
    assert captured is not None
    digest, spool = captured
    assert request.read() == payload
    spool.close()
    again = RequestFactory().generic("POST", URL, payload, content_type="application/json")
    assert idempotency._body_capture(again)[0] == digest  # type: ignore[index]


def test_the_schema_documents_the_header_on_every_post(client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    posts = gets = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if method == "post":
                posts += 1
                assert "Idempotency-Key" in names, path
            elif method == "get":
                gets += 1
                assert "Idempotency-Key" not in names, path
    assert posts > 10 and gets > 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_key_in_use_is_a_409_and_the_first_call_alone_runs(scene, monkeypatch) -> None:
    """While the first call with a key runs, another call with it is told to retry later."""
    from django.db import connection

    from reliefops.needs import services

    started, release = threading.Event(), threading.Event()
    original = services.request_submit

    def held(**kwargs: Any) -> Any:
        started.set()
        assert release.wait(timeout=30)
        return original(**kwargs)

    monkeypatch.setattr(services, "request_submit", held)
    client = client_for(scene["partner"])
    answers: list[Any] = []

    def first_call() -> None:
        try:
            answers.append(client.post(URL, body(scene), format="json", **{KEY: "busy"}))
        finally:
            connection.close()

    thread = threading.Thread(target=first_call)
    thread.start()
    assert started.wait(timeout=30)
    busy = client_for(scene["partner"]).post(URL, body(scene), format="json", **{KEY: "busy"})
    other_body = client_for(scene["partner"]).post(
        URL, body(scene, quantity="1"), format="json", **{KEY: "busy"}
    )
    release.set()
    thread.join(timeout=30)
    for response in (busy, other_body):
        assert response.status_code == 409
        assert error_code(response) == "idempotency_key_in_use"
        assert response["Retry-After"] == "1"
    assert answers[0].status_code == 201
    retried = client.post(URL, body(scene), format="json", **{KEY: "busy"})
    assert retried["Idempotent-Replayed"] == "true" and retried.content == answers[0].content
    assert Request.objects.count() == 1

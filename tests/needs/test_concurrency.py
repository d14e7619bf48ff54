"""50 identical request submissions at once make exactly one request (PostgreSQL).

Each submission runs in its own thread with its own database connection and its own
token-authenticated API client, released together by a barrier. Without the advisory
lock in ``request_submit`` such a burst made 4 requests; with it, one is created and the
49 others are told "possible duplicate" (409). With one ``Idempotency-Key`` the burst
creates one request too and every client ends with the same 201 body.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reliefops.needs import services
from reliefops.needs.models import Request
from tests.accounts.factories import OrganisationFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory

BURST = 50

# the tests that open 50 connections at once share one xdist worker: side by side on
# two workers they would ask a default PostgreSQL (100 connections) for more than it has
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("connection_burst"),
]


@pytest.fixture
def scene() -> dict[str, Any]:
    org = OrganisationFactory(acronym="BURSTNGO")
    facility = FacilityFactory(kind="school")
    item = ItemFactory(code="DSL", unit="litre", category="fuel")
    partner = make_user("partner", areas=[facility.place.admin1], organisation=org)
    return {
        "org": org,
        "facility": facility,
        "item": item,
        "partner": partner,
        "token": Token.objects.create(user=partner).key,
    }


def body(scene: dict[str, Any]) -> dict[str, Any]:
    return {
        "requester_kind": "facility",
        "facility": scene["facility"].code,
        "organisation": scene["org"].acronym,
        "needed_from": "2023-10-01",
        "needed_by": "2023-10-31",
        "lines": [{"item": scene["item"].code, "quantity": "900"}],
    }


def wait_for_free_connections(needed: int, timeout: float = 30.0) -> None:
    """Wait until the server can take ``needed`` more client connections.

    The backends of an earlier burst leave the server a moment after their clients
    close; starting the next burst before that makes some threads fail with "too many
    clients", and the burst would no longer be ``needed`` connections at once.
    """
    deadline = time.monotonic() + timeout
    free = 0
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('max_connections')::int"
                " - current_setting('superuser_reserved_connections')::int"
                " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
            )
            free = cursor.fetchone()[0]
        if free >= needed:
            return
        time.sleep(0.1)
    raise AssertionError(f"the server has {free} free connections, the burst needs {needed}")


def in_threads(work: Callable[[int], Any], count: int = BURST) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; each closes its connection."""
    wait_for_free_connections(count)
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    backends: set[int] = set()

    def run(i: int) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.add(cursor.fetchone()[0])
            barrier.wait(timeout=60)
            results[i] = work(i)
        except Exception as exc:  # reported through the results
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    failed = [result for result in results if isinstance(result, Exception)]
    # the reason a thread could not connect first, the broken barrier it caused after
    failed.sort(key=lambda exc: isinstance(exc, threading.BrokenBarrierError))
    # really one database connection per thread; a thread that could not connect says why
    assert len(backends) == count, failed[:3]
    return results


def client_for(scene: dict[str, Any]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {scene['token']}")
    return client


def outcome(response: Any) -> str:
    if response.status_code == 201:
        return "201 replayed" if response.headers.get("Idempotent-Replayed") else "201 created"
    return f"{response.status_code} {response.json()['error']['code']}"


def test_fifty_identical_posts_make_one_request(scene) -> None:
    def post(_i: int) -> Any:
        return client_for(scene).post("/api/v1/requests/", body(scene), format="json")

    responses = in_threads(post)

    counts = Counter(outcome(r) for r in responses)
    print(f"\nburst without key: {dict(counts)}; requests created: {Request.objects.count()}")
    assert counts == {"201 created": 1, "409 possible_duplicate": BURST - 1}, counts
    created = Request.objects.get()
    for response in responses:
        if response.status_code == 409:
            assert response.json()["error"]["details"]["duplicates"] == [created.reference]


def test_fifty_identical_posts_with_one_idempotency_key_make_one_request(scene) -> None:
    first_answers: list[str] = [""] * BURST

    def post(i: int) -> Any:
        client = client_for(scene)
        for attempt in range(600):
            response = client.post(
                "/api/v1/requests/",
                body(scene),
                format="json",
                HTTP_IDEMPOTENCY_KEY="burst-3f1c9a",
            )
            if attempt == 0:
                first_answers[i] = outcome(response)
            if response.status_code != 409:
                return response
            # The first call with the key is still running: retry as told.
            assert response.json()["error"]["code"] == "idempotency_key_in_use"
            assert response["Retry-After"] == "1"
            time.sleep(0.02)
        raise AssertionError("the key stayed in use")

    responses = in_threads(post)

    first = Counter(first_answers)
    final = Counter(outcome(r) for r in responses)
    print(
        f"\nburst with one key: first answers {dict(first)}; final {dict(final)}; "
        f"requests created: {Request.objects.count()}"
    )
    assert Request.objects.count() == 1
    assert final == {"201 created": 1, "201 replayed": BURST - 1}, final
    assert len({r.content for r in responses}) == 1  # the same 201 body for every client
    assert responses[0].json()["id"] == str(Request.objects.get().pk)
    assert set(first) <= {"201 created", "201 replayed", "409 idempotency_key_in_use"}


def test_concurrent_service_calls_pass_the_duplicate_check_once(scene) -> None:
    """The service itself is serialised: direct calls (pages, imports, jobs) too."""
    data = services.RequestInput(
        requester_kind="facility",
        organisation=scene["org"],
        facility=scene["facility"],
        lines=[services.LineInput(quantity=Decimal(900), item=scene["item"])],
        needed_from=dt.date(2023, 10, 1),
        needed_by=dt.date(2023, 10, 31),
    )

    def submit(_i: int) -> str:
        try:
            services.request_submit(actor=scene["partner"], data=data)
        except services.PossibleDuplicate:
            return "duplicate"
        return "created"

    results = in_threads(submit, count=20)

    assert Counter(results) == {"created": 1, "duplicate": 19}, results
    assert Request.objects.count() == 1


def test_the_lock_is_per_requester_and_item(scene) -> None:
    """Different facilities, or different items, do not wait for each other or collide."""
    other = FacilityFactory(kind="school", place=scene["facility"].place)
    petrol = ItemFactory(code="PTR", unit="litre", category="fuel")
    cases = [(scene["facility"], scene["item"]), (other, scene["item"]), (other, petrol)]

    def submit(i: int) -> str:
        facility, item = cases[i % 3]
        try:
            services.request_submit(
                actor=scene["partner"],
                data=services.RequestInput(
                    requester_kind="facility",
                    organisation=scene["org"],
                    facility=facility,
                    lines=[services.LineInput(quantity=Decimal(1), item=item)],
                    needed_from=dt.date(2023, 10, 1),
                    needed_by=dt.date(2023, 10, 31),
                ),
            )
        except services.PossibleDuplicate:
            return "duplicate"
        return "created"

    results = in_threads(submit, count=12)

    assert Counter(results) == {"created": 3, "duplicate": 9}, results
    assert sorted(
        (r.facility.code, r.lines.get().item.code) for r in Request.objects.all()
    ) == sorted((f.code, i.code) for f, i in cases)

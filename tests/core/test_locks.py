"""Advisory locks: stable keys, held until commit, per key, only inside a transaction."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, transaction

from reliefops.core.locks import advisory_key, advisory_lock, advisory_lock_try, advisory_locks
from tests.stock.factories import ItemFactory


def test_keys_are_stable_signed_64_bit_and_distinct() -> None:
    # A fixed value: the key must not change between processes, machines or releases.
    assert advisory_key("needs.request.duplicate", "facility", 1) == advisory_key(
        "needs.request.duplicate", "facility", 1
    )
    assert advisory_key("a", 1) == -9114791504259826495
    keys = {advisory_key("ns", i) for i in range(10_000)}
    assert len(keys) == 10_000
    assert all(-(2**63) <= k < 2**63 for k in keys)
    assert advisory_key("ns", "1", "2") != advisory_key("ns", "12")  # parts are separated
    assert advisory_key("ns", None) == advisory_key("ns", "")
    with pytest.raises(ValueError):
        advisory_key()


@pytest.mark.django_db
def test_a_model_instance_stands_for_its_label_and_key() -> None:
    item = ItemFactory()
    assert advisory_key("ns", item) == advisory_key("ns", f"stock.item:{item.pk}")


@pytest.mark.django_db(transaction=True)
def test_locks_need_a_transaction() -> None:
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        advisory_lock("ns", 1)
    with transaction.atomic():
        advisory_lock("ns", 1)
        advisory_lock("ns", 1)  # re-entrant within one transaction
        assert advisory_lock_try("ns", 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_lock_is_held_until_commit_and_only_for_its_key() -> None:
    namespace = f"test.{uuid.uuid4().hex}"
    held, release, queued = threading.Event(), threading.Event(), threading.Event()
    order: list[str] = []
    seen: dict[str, bool] = {}

    def holder() -> None:
        try:
            with transaction.atomic():
                advisory_lock(namespace, 1)
                held.set()
                assert release.wait(timeout=30)
                order.append("holder commits")
        finally:
            connection.close()

    def waiter() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                seen["waiter pid"] = cursor.fetchone()[0]
            queued.set()
            with transaction.atomic():
                advisory_lock(namespace, 1)
                order.append("waiter has the lock")
        finally:
            connection.close()

    def other_key() -> None:
        try:
            with transaction.atomic():
                seen["free key taken"] = advisory_lock_try(namespace, 2)
                seen["held key taken"] = advisory_lock_try(namespace, 1)
                advisory_locks([(namespace, 3), (namespace, 4)])
        finally:
            connection.close()

    first = threading.Thread(target=holder)
    first.start()
    assert held.wait(timeout=30)
    second = threading.Thread(target=waiter)
    second.start()
    assert queued.wait(timeout=30)
    # Wait until PostgreSQL shows the waiter queued on the advisory lock.
    for _ in range(3000):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND pid = %s",
                [seen["waiter pid"]],
            )
            if cursor.fetchone()[0]:
                break
        threading.Event().wait(0.01)
    else:
        raise AssertionError("the second transaction never queued")
    third = threading.Thread(target=other_key)
    third.start()
    third.join(timeout=30)
    assert not third.is_alive()  # other keys are not blocked by the held one
    assert (seen["free key taken"], seen["held key taken"]) == (True, False)
    assert order == []  # the waiter is still waiting
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert order == ["holder commits", "waiter has the lock"]

"""Must-hold 1 of issue 13: the retry storm, on PostgreSQL, through the real API.

Threads play the phones, each with its own ``django.test.Client`` and database
connection (``transaction=True``: what one commits the others see), sending real records
of a real kind through its real importer and services:

(a) 50 identical submissions at the same moment → one record, every answer 200/201 with
    the same body;
(b) 200 devices × 25 records, 20 % of the answers lost after the commit and the request
    sent again → exactly 5,000 records, none twice, none missing;
(c) a whole batch replayed three times in shuffled order → the database as the first run
    left it (a digest of every table);
(d) the same id with two bodies at the same moment → one applied, the other body 409
    naming the id.

``RELIEFOPS_STORM_DEVICES`` (default 200) scales (b) for a quick run by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import threading
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from reliefops.accounts.choices import Role
from reliefops.crossings.models import CrossingCount
from reliefops.intake.models import Submission
from tests.accounts.factories import make_user
from tests.crossings.scene import crossings_scene
from tests.intake.storm import (
    BATCH,
    URL,
    Device,
    client_for,
    database_digest,
    device_run,
    dropper,
    threads_run,
)

# the tests that open 50 connections at once share one xdist worker: side by side on
# two workers they would ask a default PostgreSQL (100 connections) for more than it has
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("connection_burst"),
]

DEVICES = int(os.environ.get("RELIEFOPS_STORM_DEVICES", "200"))
RECORDS_PER_DEVICE = 25
DROPPED = 0.2
WORKERS = 4


@dataclass
class Recipe:
    """The kind the storm sends — crossing-point counts, the cheapest field record to make
    by the thousand: its senders, the n-th record (each its own crossing point, day, hour
    and direction), and what was made."""

    kind: str
    users: list[Any]
    point: str
    organisation: str
    first_day: dt.date

    def data(self, n: int) -> dict[str, Any]:
        return {
            "crossing_point": self.point,
            "date": (self.first_day + dt.timedelta(days=n // 48)).isoformat(),
            "hour": (n // 2) % 24,
            "direction": ("outbound", "inbound")[n % 2],
            "persons": 10 + n % 90,
            "vehicles": n % 7,
            "organisation": self.organisation,
            "method": "count",
        }

    def key(self, n: int) -> str:
        data = self.data(n)
        return " / ".join(str(data[k]) for k in ("crossing_point", "date", "hour", "direction"))

    def submission(self, n: int) -> dict[str, Any]:
        return {"id": str(uuid.uuid4()), "kind": self.kind, "data": self.data(n)}

    def made(self) -> Counter[str]:
        """Counts recorded, by their key text."""
        return Counter(
            f"{code} / {day.isoformat()} / {hour} / {direction}"
            for code, day, hour, direction in CrossingCount.objects.values_list(
                "crossing_point__code", "date", "hour", "direction"
            )
        )


@pytest.fixture
def recipe() -> Recipe:
    scene = crossings_scene()
    users = [scene.recorder] + [
        make_user(Role.FIELD, areas=[scene.area["CP"]], organisation=scene.org) for _ in range(3)
    ]
    return Recipe(
        kind="crossing-counts",
        users=users,
        point=scene.point.code,
        organisation=scene.org.acronym,
        first_day=dt.date(2023, 6, 1),
    )


def test_fifty_identical_submissions_at_once_make_one_record(recipe: Recipe) -> None:
    body = recipe.submission(0)
    user = recipe.users[0]
    clients = [client_for(user) for _ in range(50)]
    start = threading.Barrier(50)
    answers: list[tuple[int, Any, bytes]] = []
    lock = threading.Lock()

    def send(client: Any) -> None:
        try:
            start.wait(timeout=120)
            response = client.post(URL, body, content_type="application/json")
            with lock:
                answers.append((response.status_code, response.json(), response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(answers) == 50
    statuses = Counter(status for status, _body, _raw in answers)
    assert statuses == {201: 1, 200: 49}, statuses
    assert len({raw for _status, _body, raw in answers}) == 1  # the very same body
    assert answers[0][1]["status"] == "applied" and answers[0][1]["outcome"] == "created"
    assert recipe.made() == {recipe.key(0): 1}
    assert Submission.objects.get().attempts == 1


def test_two_hundred_devices_with_lost_answers_make_every_record_once(recipe: Recipe) -> None:
    devices = []
    n = 0
    for d in range(DEVICES):
        records = []
        for _ in range(RECORDS_PER_DEVICE):
            records.append(recipe.submission(n))
            n += 1
        # A third of the phones send one record per request, a third batches of five,
        # a third their whole queue at once.
        batch = (1, 5, RECORDS_PER_DEVICE)[d % 3]
        devices.append(Device(recipe.users[d % len(recipe.users)], records, batch=batch))
    drop = dropper(seed=13, share=DROPPED)
    threads_run([lambda device=device: device_run(device, drop) for device in devices], WORKERS)
    total = DEVICES * RECORDS_PER_DEVICE
    made = recipe.made()
    assert set(made) == {recipe.key(n) for n in range(total)}  # none missing, none else
    assert max(made.values()) == 1 and made.total() == total  # none twice
    assert sum(d.resent for d in devices) > 0  # answers really were lost and re-sent
    records: set[str] = set()
    for device in devices:
        for record in device.records:
            answer = device.answers[record["id"]]
            assert answer.status in (200, 201), answer
            assert answer.body["status"] == "applied" and answer.body["outcome"] == "created"
            records.add(answer.body["record"])
    assert len(records) == total  # every submission made its own record
    assert Submission.objects.filter(status="applied").count() == total


def test_a_batch_replayed_three_times_in_any_order_changes_nothing(recipe: Recipe) -> None:
    items = [recipe.submission(n) for n in range(100)]
    client = client_for(recipe.users[0])
    first = client.post(BATCH, {"submissions": items}, content_type="application/json")
    assert first.status_code == 200
    results = {r["id"]: r for r in first.json()["results"]}
    assert [r["http_status"] for r in results.values()] == [201] * len(items)
    assert recipe.made().total() == len(items)
    before = database_digest()
    rng = random.Random(3)
    for _round in range(3):
        shuffled = items[:]
        rng.shuffle(shuffled)
        again = client.post(BATCH, {"submissions": shuffled}, content_type="application/json")
        assert again.status_code == 200
        answered = again.json()["results"]
        assert [r["id"] for r in answered] == [i["id"] for i in shuffled]
        for result in answered:
            assert result["http_status"] == 200 and result["replayed"] is True
            original = {k: v for k, v in results[result["id"]].items() if k != "http_status"}
            assert {k: v for k, v in result.items() if k not in ("http_status", "replayed")} == (
                original
            )
        after = database_digest()
        assert sorted(t for t in before if before[t] != after.get(t)) == []
        assert set(after) == set(before)


def test_one_id_with_two_bodies_at_once_applies_one_and_refuses_the_other(
    recipe: Recipe,
) -> None:
    uid = str(uuid.uuid4())
    bodies = [
        {"id": uid, "kind": recipe.kind, "data": recipe.data(1)},
        {"id": uid, "kind": recipe.kind, "data": {**recipe.data(1), "persons": 3}},
    ]
    start = threading.Barrier(20)
    answers: list[tuple[int, int, Any]] = []
    lock = threading.Lock()

    def send(which: int) -> None:
        try:
            client = client_for(recipe.users[0])
            start.wait(timeout=120)
            response = client.post(URL, bodies[which], content_type="application/json")
            with lock:
                answers.append((which, response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i % 2,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    winner = next(which for which, status, _body in answers if status == 201)
    for which, status, body in answers:
        if which == winner:
            assert status in (200, 201)
        else:
            assert status == 409 and body["error"]["code"] == "submission_id_reused"
            assert body["error"]["details"]["id"] == uid
    assert recipe.made() == {recipe.key(1): 1}

"""The load test's users (locust): ``bench/load/run.py`` runs it headless.

Who does what (the number of users of each kind is fixed; ``run.py`` starts 50):

* coordinators (pages, signed in through the login page): dashboard, gap analysis, plan
  list and the plan start page, requests, visits due;
* logistics officers (pages): convoy list and a convoy's page, stock balances, ledger;
* field workers (API, token): visits and proofs of delivery through
  ``POST /api/v1/submissions/`` (a client UUID per record, and an ``Idempotency-Key``);
  every tenth record is sent twice, as a phone that did not hear the answer does;
* partners (API, token): create requests (``POST /api/v1/requests/``), list theirs;
* background (API, token, logistics role): exports (requests CSV, stock XLSX, gap CSV)
  and an import of the fleet file (500 rows: a background job on the Celery worker;
  ``RELIEFOPS_IMPORT_BACKGROUND_ROWS`` is set to 400 by ``run.py``), polled to its end;
* viewers (pages): dashboard, requests, stock.

Think time between a user's requests: 10-30 s for coordinators and logistics officers,
15-45 s for viewers and field workers, 20-60 s for partners, 30-60 s for the background
user (``THINK``; ``run.py --think-scale`` multiplies it).

Every request goes to the loopback server with ``X-Forwarded-Proto: https`` (what the TLS
proxy of the operations guide sends) and names its operation in ``X-Bench-Name`` for the
SQL log of ``bench/load/wsgi.py``. The fixtures (users, persons, convoys, facilities) come
from ``$LOAD_FIXTURES``, written by ``run.py`` from the loaded database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import threading
import time
import uuid
from typing import Any

from locust import HttpUser, between, events, task

#: Every request's (seconds since the start, name, method, ms, failed), written to
#: ``$LOAD_SAMPLES`` when locust quits, and when all users were running: ``run.py`` reports
#: the ramp-up (every user signing in) apart from the steady state.
_SAMPLES: list[tuple[float, str, str, float, bool]] = []
_PHASE: dict[str, float] = {"start": time.monotonic()}


@events.request.add_listener
def _sample(request_type: str, name: str, response_time: float, exception: Any, **kw: Any) -> None:
    _SAMPLES.append(
        (time.monotonic() - _PHASE["start"], name, request_type, response_time, bool(exception))
    )


@events.spawning_complete.add_listener
def _spawned(user_count: int, **kw: Any) -> None:
    _PHASE.setdefault("spawned", time.monotonic() - _PHASE["start"])


@events.quitting.add_listener
def _write_samples(**kw: Any) -> None:
    target = os.environ.get("LOAD_SAMPLES")
    if target:
        with open(target, "w") as handle:
            json.dump({"spawned_at": _PHASE.get("spawned"), "samples": _SAMPLES}, handle)


#: Think time: a person reads a page for 10-30 s before the next, a field worker sends a
#: record every 15-45 s (a phone flushing its queue), partners and exports less often.
#: ``run.py --think-scale`` multiplies it (0.2: the stress run, about 5 times the traffic).
THINK = float(os.environ.get("LOAD_THINK_SCALE", "1"))
FIXTURES: dict[str, Any] = json.loads(open(os.environ["LOAD_FIXTURES"]).read())  # noqa: SIM115
PASSWORD = FIXTURES["password"]
_counters: dict[str, itertools.count[int]] = {}
_lock = threading.Lock()
_convoy_stops = list(FIXTURES["convoy_stops"])  # each stop is delivered once
random.Random(7).shuffle(_convoy_stops)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _next(role: str) -> int:
    with _lock:
        counter = _counters.setdefault(role, itertools.count(1))
        return next(counter)


def _stop_take() -> dict[str, Any] | None:
    with _lock:
        return _convoy_stops.pop() if _convoy_stops else None


class BenchUser(HttpUser):
    abstract = True
    role = ""
    #: the accounts of the role that exist (``bench/load/load.py``: USERS)
    accounts = 1

    def on_start(self) -> None:
        n = (_next(self.role) - 1) % self.accounts + 1
        self.username = f"load-{self.role}-{n}"
        self.headers: dict[str, str] = {"X-Forwarded-Proto": "https"}
        self.sign_in()

    def sign_in(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def call(
        self,
        method: str,
        path: str,
        name: str,
        expect: tuple[int, ...] = (200,),
        replayed: bool = False,
        **kw: Any,
    ) -> Any:
        headers = {**self.headers, "X-Bench-Name": name, **kw.pop("headers", {})}
        with self.client.request(
            method,
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **kw,
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code}: {response.text[:300]}")
            elif replayed and response.headers.get("Idempotent-Replayed") != "true":
                response.failure("a replay was not answered as a replay (applied twice?)")
            else:
                response.success()
            return response


class PageUser(BenchUser):
    """Signs in through the login page; sends its cookies itself (they are ``Secure``, and
    the loopback connection is plain HTTP behind the pretended proxy)."""

    abstract = True

    def sign_in(self) -> None:
        self.client.cookies.clear()
        page = self.call("GET", "/login/", "sign-in page")
        cookies = dict(page.cookies)
        token = CSRF_INPUT.search(page.text)
        base = f"https://{self.host.split('://', 1)[-1].rstrip('/')}"
        done = self.call(
            "POST",
            "/login/",
            "sign-in (login page)",
            expect=(302,),
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "Referer": f"{base}/login/",
                "Origin": base,
            },
        )
        cookies.update(dict(done.cookies))
        self.client.cookies.clear()
        self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())

    def page(self, path: str, name: str) -> Any:
        return self.call("GET", path, f"page: {name}")


class ApiUser(BenchUser):
    """Signs in through the token endpoint."""

    abstract = True

    def sign_in(self) -> None:
        response = self.call(
            "POST",
            "/api/v1/auth/token/",
            "sign-in (API token)",
            json={"username": self.username, "password": PASSWORD},
        )
        token = response.json().get("token", "") if response.status_code == 200 else ""
        self.headers["Authorization"] = f"Token {token}"


class Coordinator(PageUser):
    role = "coordinator"
    accounts = 12
    fixed_count = 12
    wait_time = between(10 * THINK, 30 * THINK)

    @task(4)
    def dashboard(self) -> None:
        self.page("/reports/dashboard/", "dashboard")

    @task(3)
    def gap(self) -> None:
        self.page("/needs/gap/", "gap analysis")

    @task(2)
    def plans(self) -> None:
        self.page("/dayplans/", "plan list")

    @task(1)
    def plan_start(self) -> None:
        self.page("/dayplans/new/", "plan start")

    @task(2)
    def requests(self) -> None:
        self.page("/needs/requests/", "request list")

    @task(1)
    def due(self) -> None:
        self.page("/teams/due/", "visits due")


class Logistics(PageUser):
    role = "logistics"
    accounts = 8  # load-logistics-9 and -10 are the background users
    fixed_count = 8
    wait_time = between(10 * THINK, 30 * THINK)

    @task(3)
    def convoys(self) -> None:
        self.page("/logistics/convoys/", "convoy list")

    @task(2)
    def convoy(self) -> None:
        code = random.choice(FIXTURES["convoys"])
        self.page(f"/logistics/convoys/{code}/", "convoy page")

    @task(3)
    def balances(self) -> None:
        self.page("/stock/", "stock balances")

    @task(2)
    def ledger(self) -> None:
        self.page("/stock/ledger/", "stock ledger")


class Viewer(PageUser):
    role = "viewer"
    accounts = 4
    fixed_count = 4
    wait_time = between(15 * THINK, 45 * THINK)

    @task
    def dashboard(self) -> None:
        self.page("/reports/dashboard/", "dashboard")

    @task
    def requests(self) -> None:
        self.page("/needs/requests/", "request list")

    @task
    def balances(self) -> None:
        self.page("/stock/", "stock balances")


class Field(ApiUser):
    role = "field"
    accounts = 16
    fixed_count = 16
    wait_time = between(15 * THINK, 45 * THINK)

    def submit(self, name: str, kind: str, data: dict[str, Any]) -> None:
        record_id = str(uuid.uuid4())
        body = {"id": record_id, "kind": kind, "data": data}
        headers = {"Idempotency-Key": record_id}
        self.call("POST", "/api/v1/submissions/", name, expect=(201,), json=body, headers=headers)
        if random.random() < 0.1:  # the phone did not hear the answer: the same again
            self.call(
                "POST",
                "/api/v1/submissions/",
                f"{name} (replay)",
                expect=(200, 201),
                replayed=True,
                json=body,
                headers=headers,
            )

    @task(3)
    def visit(self) -> None:
        person, team = random.choice(FIXTURES["persons"])
        visited = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=random.randint(5, 240))
        self.submit(
            "api: submit visit",
            "visits",
            {
                "person": person,
                "team": team,
                "visited_at": visited.isoformat(timespec="seconds"),
                "outcome": "visited",
                "services": ["consultation"],
            },
        )

    @task(1)
    def delivery(self) -> None:
        stop = _stop_take()
        if stop is None:
            return self.visit()
        self.submit(
            "api: submit delivery",
            "deliveries",
            {
                "convoy": stop["convoy"],
                "stop": stop["stop"],
                "receiver_name": f"Receiver {self.username}",
                "receiver_role": "Storekeeper",
            },
        )
        return None


class Partner(ApiUser):
    role = "partner"
    accounts = 10
    fixed_count = 7
    wait_time = between(20 * THINK, 60 * THINK)

    def on_start(self) -> None:
        super().on_start()
        self.acronym = FIXTURES["partner_organisations"][self.username]

    @task(2)
    def create(self) -> None:
        facility = random.choice(FIXTURES["facilities"])
        day = dt.date.fromisoformat(FIXTURES["day"])
        self.call(
            "POST",
            "/api/v1/requests/",
            "api: create request",
            expect=(201,),
            json={
                "requester_kind": "facility",
                "facility": facility,
                "organisation": self.acronym,
                "needed_from": day.isoformat(),
                "needed_by": (day + dt.timedelta(days=14)).isoformat(),
                "priority": random.choice(["urgent", "routine"]),
                "lines": [
                    {"item": "food_parcel", "quantity": str(random.randint(5, 40))},
                    {"item": "hygiene_kit", "quantity": str(random.randint(5, 30))},
                ],
                "confirm_duplicate": True,
            },
        )

    @task(3)
    def mine(self) -> None:
        self.call("GET", "/api/v1/requests/?page_size=50", "api: list requests")


class Background(ApiUser):
    role = "logistics"
    accounts = 10
    fixed_count = 3
    wait_time = between(30 * THINK, 60 * THINK)

    def on_start(self) -> None:
        # the last logistics accounts (the page users take 1-8)
        self.username = f"load-logistics-{8 + _next('background')}"
        self.headers = {"X-Forwarded-Proto": "https"}
        self.sign_in()

    @task(3)
    def export(self) -> None:
        kind, fmt = random.choice([("requests", "csv"), ("stock", "xlsx"), ("gap", "csv")])
        self.call("GET", f"/api/v1/exports/{kind}/?format={fmt}", f"api: export {kind} {fmt}")

    @task(1)
    def fleet_import(self) -> None:
        """The fleet file exported, then imported again (a background job: 500 rows)."""
        exported = self.call(
            "GET", "/api/v1/exports/vehicles/?format=csv", "api: export vehicles csv"
        )
        if exported.status_code != 200:
            return
        started = self.call(
            "POST",
            "/api/v1/imports/vehicles/",
            "api: import fleet file (queued)",
            expect=(202, 200),
            files={"file": ("vehicles.csv", exported.content, "text/csv")},
        )
        if started.status_code != 202:
            return
        run = started.json().get("id")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(2)
            polled = self.call("GET", f"/api/v1/import-runs/{run}/", "api: import run status")
            if polled.status_code != 200 or polled.json().get("finished_at"):
                break

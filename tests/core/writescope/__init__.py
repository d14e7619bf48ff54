"""The registry of write paths the write-scope property test drives.

Each app declares its write paths in ``tests/<app>/write_paths*.py``:

* ``@service("reliefops.<app>.services…function")`` — a probe that calls the service;
* ``@api("POST /api/v1/…")`` — a probe that sends that OpenAPI operation;
* ``@page("<app>:<url name>")`` — a probe that posts the page's form;
* ``@import_kind("<kind>")`` — the rows of a file of that import kind;
* ``not_a_write(key, why)`` — a service function, API operation or page that writes
  nothing scoped (validators, reads, signing in), said once with the reason.

Meta-tests in ``tests/core/test_write_scope.py`` fail when a function of a ``services``
module, a write operation of the OpenAPI schema, a page URL or an import kind is neither
probed nor declared. A probe receives an :class:`Attempt` — the acting user, the world,
the target area and organisation (and where a move goes) drawn by hypothesis — and
makes ONE write attempt; refusals (``ApplicationError``) are expected, anything else
fails. Whether the attempt wrote out of scope is then read from the database.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Probe = Callable[["Attempt"], Any]
ImportRows = Callable[["Attempt"], str]


@dataclass
class Attempt:
    actor: Any
    world: Any
    area: str  # key of the target area: "WA", "WB", "WC" or "OUT" (no known area)
    to: str  # where a move goes
    org: str  # "OWN" (the user's organisation) or "OTHER"
    draw: Callable[[list[Any]], Any]  # hypothesis: one more choice
    api: Any = None  # an APIClient signed in as actor
    page: Any = None  # a django Client signed in as actor
    tmp: Path | None = None


SERVICES: dict[str, Probe] = {}
API: dict[str, Probe] = {}
PAGES: dict[str, Probe] = {}
IMPORTS: dict[str, ImportRows] = {}
NOT_WRITES: dict[str, str] = {}


def _register(table: dict[str, Any], key: str) -> Callable[[Any], Any]:
    def decorate(fn: Any) -> Any:
        if key in table:
            raise ValueError(f"{key} registered twice")
        table[key] = fn
        return fn

    return decorate


def service(dotted: str) -> Callable[[Probe], Probe]:
    return _register(SERVICES, dotted)


def api(operation: str) -> Callable[[Probe], Probe]:
    return _register(API, operation)


def page(url_name: str) -> Callable[[Probe], Probe]:
    return _register(PAGES, url_name)


def import_kind(kind: str) -> Callable[[ImportRows], ImportRows]:
    return _register(IMPORTS, kind)


def not_a_write(key: str, why: str) -> None:
    NOT_WRITES[key] = why


TESTS = Path(__file__).resolve().parents[2]


def discover() -> None:
    """Import every ``tests/<app>/write_paths*.py`` (their decorators fill the tables); an
    app may split its probes by topic (``write_paths_pages.py``)."""
    for path in sorted(TESTS.glob("*/write_paths*.py")):
        importlib.import_module(f"tests.{path.parent.name}.{path.stem}")

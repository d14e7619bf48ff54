"""Every write stays inside the writer's scope: a property test over random memberships
that drives EVERY write path, plus the six leaks found by review as regression tests.

The write paths are declared per app in ``tests/<app>/write_paths.py`` (see
``tests/core/writescope``); the meta-tests below fail when a service function, an API
write operation, a page or an import kind is neither probed nor declared as writing
nothing, so a new one is covered without editing this file.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.accounts.models import Membership
from reliefops.core.errors import ApplicationError
from reliefops.intake import exchange as ex
from tests.accounts.factories import UserFactory
from tests.core import writescope
from tests.core.writescope import IMPORTS, Attempt
from tests.core.writescope.oracle import snapshot, violations
from tests.core.writescope.world import CODES, KEYS, ORGS, World

writescope.discover()
WRITE_METHODS = {"post", "put", "patch", "delete"}
EXAMPLES = int(os.environ.get("RELIEFOPS_WRITE_SCOPE_EXAMPLES", "25"))


# --------------------------------------------------------------------------- coverage


def _service_functions() -> Iterator[str]:
    """Every public function defined in a ``services`` module or package of an app."""
    for app in django_settings.DOMAIN_APPS:
        try:
            package = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        modules = [package]
        if hasattr(package, "__path__"):
            modules += [
                importlib.import_module(info.name)
                for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")
            ]
        for module in modules:
            for name, obj in vars(module).items():
                if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                    if not name.startswith("_"):
                        yield f"{module.__name__}.{name}"


def _api_write_operations() -> Iterator[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in WRITE_METHODS:
                yield f"{method.upper()} {path}"


def _page_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("api/", "admin/")):
                continue
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _page_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_service_function_is_probed_or_declared() -> None:
    functions = set(_service_functions())
    assert len(functions) > 40
    missing = sorted(functions - set(writescope.SERVICES) - set(writescope.NOT_WRITES))
    assert missing == [], "service functions the write-scope test does not drive"
    stale = sorted(k for k in writescope.SERVICES if k not in functions)
    assert stale == [], "probes of service functions that no longer exist"


def test_every_api_write_operation_is_probed_or_declared() -> None:
    operations = set(_api_write_operations())
    assert "POST /api/v1/requests/{id}/approve/" in operations
    missing = sorted(operations - set(writescope.API) - set(writescope.NOT_WRITES))
    assert missing == [], "API write operations the write-scope test does not drive"
    assert sorted(set(writescope.API) - operations) == []


def test_every_page_is_probed_or_declared_read_only() -> None:
    names = set(_page_names())
    assert "needs:request_step" in names
    missing = sorted(names - set(writescope.PAGES) - set(writescope.NOT_WRITES))
    assert missing == [], "pages neither probed nor declared read-only"
    assert sorted(set(writescope.PAGES) - names) == []


def test_every_import_kind_is_probed() -> None:
    kinds = {e.kind for e in ex.registry_kinds() if e.importer is not None}
    assert kinds == set(IMPORTS)


# --------------------------------------------------------------------------- the driver


def _paths() -> list[tuple[str, Any]]:
    """(label, callable(attempt)) for every probe, in a stable order."""
    paths: list[tuple[str, Any]] = []
    for table, label in (
        (writescope.SERVICES, "service"),
        (writescope.API, "api"),
        (writescope.PAGES, "page"),
    ):
        paths += [(f"{label} {key}", table[key]) for key in sorted(table)]
    for kind in sorted(IMPORTS):
        paths.append((f"import {kind}", _importer(kind)))
    return paths


def _importer(kind: str) -> Any:
    def run(t: Attempt) -> None:
        assert t.tmp is not None
        path = t.tmp / f"{kind}.csv"
        path.write_text(IMPORTS[kind](t), encoding="utf-8")
        ex.import_file(kind=kind, path=path, actor=t.actor)

    return run


PATHS = _paths()


def attempt_once(t: Attempt, probe: Any, baseline: Any, memberships: Any) -> tuple[bool, list[str]]:
    """Run one probe in a savepoint; return (it wrote something, out-of-scope writes)."""
    with transaction.atomic():
        try:
            probe(t)
        except ApplicationError:
            pass
        after = snapshot()
        transaction.set_rollback(True)
    return after != baseline, violations(baseline, after, memberships, t.actor.pk)


class WorldTestCase(HypothesisTestCase):
    world: ClassVar[World]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = World()

    def signed_in(self, user: Any) -> tuple[APIClient, Client]:
        api = APIClient()
        api.force_authenticate(user)
        page = Client()
        page.force_login(user)
        return api, page


memberships_strategy = st.lists(
    st.tuples(
        st.sampled_from(list(Role.values)),
        st.lists(st.sampled_from(CODES), max_size=2, unique=True),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda m: m[0],
)


class TestWriteScopeProperty(WorldTestCase):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(memberships=memberships_strategy, data=st.data())
    def test_no_write_path_writes_outside_the_users_scope(
        self, memberships: list[tuple[str, list[str]]], data: st.DataObject
    ) -> None:
        """Random memberships × every write path × random target area, move and
        organisation: 0 rows created, changed or deleted outside what the memberships
        allow (read back from the database)."""
        user = UserFactory()
        for role, codes in memberships:
            membership = Membership.objects.create(
                user=user, organisation=self.world.org["OWN"], role=role
            )
            membership.areas.set([self.world.areas[c] for c in codes])
        api, page = self.signed_in(user)
        baseline = snapshot()
        with tempfile.TemporaryDirectory() as tmp:
            for label, probe in PATHS:
                t = Attempt(
                    actor=user,
                    world=self.world,
                    area=data.draw(st.sampled_from(KEYS), label="area"),
                    to=data.draw(st.sampled_from(KEYS), label="to"),
                    org=data.draw(st.sampled_from(ORGS), label="organisation"),
                    draw=lambda options: data.draw(st.sampled_from(options)),
                    api=api,
                    page=page,
                    tmp=Path(tmp),
                )
                _wrote, bad = attempt_once(t, probe, baseline, memberships)
                assert bad == [], (label, t.area, t.to, t.org, bad[:3])


class TestEveryProbeWrites(WorldTestCase):
    def test_every_probe_writes_for_an_administrator(self) -> None:
        """Each probe really writes when allowed (a probe refused for everyone would make
        the property above pass without testing anything)."""
        admin = self.world.admin
        api, page = self.signed_in(admin)
        baseline = snapshot()
        silent = []
        with tempfile.TemporaryDirectory() as tmp:
            for label, probe in PATHS:
                t = Attempt(
                    actor=admin,
                    world=self.world,
                    area="WA",
                    to="WA",
                    org="OWN",
                    draw=lambda options: options[0],
                    api=api,
                    page=page,
                    tmp=Path(tmp),
                )
                wrote, bad = attempt_once(t, probe, baseline, [(Role.ADMIN, [])])
                assert bad == [], (label, bad[:3])
                if not wrote:
                    silent.append(label)
        assert silent == [], "probes that write nothing even for an administrator"
        assert len(PATHS) > 70

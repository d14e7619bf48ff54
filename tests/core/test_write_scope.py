"""Every write stays inside the writer's scope: a property test over random memberships
that drives EVERY write path, plus the six leaks found by review as regression tests.

The write paths are declared per app in ``tests/<app>/write_paths.py`` (see
``tests/core/writescope``); the meta-tests below fail when a service function, an API
write operation, a page or an import kind is neither probed nor declared as writing
nothing, so a new one is covered without editing this file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import inspect
import os
import pkgutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
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
from reliefops.core import exchange as ex
from reliefops.core.errors import ApplicationError
from reliefops.core.models import AuditEvent
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
                if (
                    inspect.isfunction(obj)
                    and obj.__module__ == module.__name__
                    and not name.startswith("_")
                ):
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
    kinds = {
        e.kind
        for e in ex.registry_kinds()
        if e.importer is not None and e.importer.__module__.startswith("reliefops.")
    }  # (other tests register kinds of their own)
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


def attempt_once(
    t: Attempt, probe: Any, baseline: Any, memberships: Any, audited: list[str] | None = None
) -> tuple[bool, list[str]]:
    """Run one probe in a savepoint; return (it wrote something, out-of-scope writes).
    With ``audited``, the actions of the audit events the attempt wrote are added to it."""
    with transaction.atomic():
        known = set(AuditEvent.objects.values_list("pk", flat=True)) if audited is not None else ()
        with contextlib.suppress(ApplicationError):
            probe(t)
        after = snapshot()
        if audited is not None:
            events = AuditEvent.objects.exclude(pk__in=known)
            audited += list(events.values_list("action", flat=True))
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
        the property above pass without testing anything), and every write path that
        changes data leaves an audit event in the same transaction: services, API
        operations, pages and import kinds alike (issue 16: no service without its audit
        event, bulk imports and plan commits included)."""
        admin = self.world.admin
        api, page = self.signed_in(admin)
        baseline = snapshot()
        silent: list[str] = []
        unaudited: list[str] = []
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
                actions: list[str] = []
                wrote, bad = attempt_once(t, probe, baseline, [(Role.ADMIN, [])], actions)
                assert bad == [], (label, bad[:3])
                if not wrote:
                    silent.append(label)
                elif not actions:
                    unaudited.append(label)
        assert silent == [], "probes that write nothing even for an administrator"
        assert unaudited == [], "write paths that change data without an audit event"
        assert len(PATHS) > 70


# --------------------------------------------------------------------------- the six leaks


class TestReviewedLeaks(WorldTestCase):
    """The six out-of-scope writes found by review, each refused now (checked in the DB)."""

    def user(self, role: str, *codes: str) -> Any:
        user = UserFactory()
        membership = Membership.objects.create(
            user=user, organisation=self.world.org["OWN"], role=role
        )
        membership.areas.set([self.world.areas[c] for c in codes])
        return user

    def imported(self, kind: str, text: str, actor: Any) -> ex.ImportReport:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{kind}.csv"
            path.write_text(text, encoding="utf-8")
            return ex.import_file(kind=kind, path=path, actor=actor)

    def test_facility_import_checks_the_area_a_facility_leaves(self) -> None:
        officer = self.user(Role.LOGISTICS, "AZ-WB", "AZ-WC")
        moved = self.imported(
            "facilities",
            "code,kind,place,status,status_reason\nF-WA,hospital,AZ-PWB,closed,x\n",
            officer,
        )
        assert not moved.ok and [(e.row, e.column) for e in moved.errors] == [(2, "place")]
        facility = self.world.facility["WA"]
        facility.refresh_from_db()
        assert (facility.place_id, facility.status) == (self.world.place["WA"].pk, "operating")
        into = self.imported("facilities", "code,kind,place\nF-WB,school,AZ-PWA\n", officer)
        assert not into.ok
        within = self.imported("facilities", "code,kind,place\nF-WB,school,AZ-PWC\n", officer)
        assert within.ok and within.written == 1

    def test_road_import_checks_the_segment_area_and_places_new_nodes(self) -> None:
        from reliefops.places.models import RoadSegment
        from reliefops.places.selectors import road_segment_area

        officer = self.user(Role.LOGISTICS, "AZ-WB")
        head = "code,from_node,from_lat,from_lon,to_node,to_lat,to_lon,length_km,status,status_reason\n"
        repointed = self.imported(
            "roads", head + "S-WA,X1,40.6,41.7,X2,40.7,41.8,3,closed,x\n", officer
        )
        assert not repointed.ok
        segment = RoadSegment.objects.get(code="S-WA")
        assert (segment.status, segment.from_node.code) == ("open", "N-WA")
        nowhere = self.imported(
            "roads", head + "S-NEW,X1,40.5,45.6,X2,40.5,45.9,3,open,\n", officer
        )
        assert not nowhere.ok and not RoadSegment.objects.filter(code="S-NEW").exists()
        assert "not known" in nowhere.errors[0].message
        national = self.user(Role.COORDINATOR)
        assert self.imported(
            "roads", head + "S-NEW,X1,40.5,45.6,X2,40.5,45.9,3,open,\n", national
        ).ok
        placed = self.imported("roads", head + "S-WB2,Y1,40.6,41.7,Y2,40.7,41.8,3,open,\n", officer)
        assert placed.ok
        new = RoadSegment.objects.select_related("from_node", "to_node").get(code="S-WB2")
        assert road_segment_area(new) == self.world.areas["AZ-WB"]

    def test_request_naming_a_facility_outside_the_users_areas_is_refused(self) -> None:
        from reliefops.core.errors import Forbidden, InvalidInput
        from reliefops.needs import services
        from reliefops.needs.models import Request

        before = Request.objects.count()
        for role in (Role.PARTNER, Role.FIELD):
            user = self.user(role, "AZ-WB")
            data = services.RequestInput(
                requester_kind="facility",
                organisation=self.world.org["OWN"],
                facility=self.world.facility["WA"],
                lines=[services.LineInput(quantity=Decimal(3), item=self.world.item)],
                needed_from=dt.date(2023, 12, 1),
                needed_by=dt.date(2023, 12, 9),
            )
            with pytest.raises(Forbidden):
                services.request_submit(actor=user, data=data, confirm_duplicate=True)
            data.place = self.world.place["WB"]  # an in-scope place does not launder it
            with pytest.raises(InvalidInput):
                services.request_submit(actor=user, data=data, confirm_duplicate=True)
            api, _page = self.signed_in(user)
            response = api.post(
                "/api/v1/requests/",
                {
                    "requester_kind": "facility",
                    "facility": "F-WA",
                    "organisation": "OWN",
                    "needed_from": "2023-12-01",
                    "needed_by": "2023-12-09",
                    "lines": [{"item": "ITM", "quantity": "3"}],
                },
                format="json",
            )
            assert response.status_code == 403, response.content
        assert Request.objects.count() == before

    def test_partner_cannot_pledge_to_a_warehouse_outside_its_areas(self) -> None:
        from reliefops.core.errors import Forbidden
        from reliefops.stock import services
        from reliefops.stock.models import Pledge

        partner = self.user(Role.PARTNER, "AZ-WB")
        before = Pledge.objects.count()
        with pytest.raises(Forbidden):
            services.pledge_create(
                actor=partner,
                donor=self.world.org["OWN"],
                item=self.world.item,
                quantity=Decimal(5),
                expected_date=dt.date(2023, 12, 1),
                warehouse=self.world.warehouse["WA"]["OWN"],
            )
        api, _page = self.signed_in(partner)
        body = {"donor": "OWN", "item": "ITM", "quantity": "5", "expected_date": "2023-12-01"}
        assert api.post("/api/v1/pledges/", {**body, "warehouse": "W-WA-OWN"}).status_code == 403
        assert Pledge.objects.count() == before
        assert api.post("/api/v1/pledges/", {**body, "warehouse": "W-WB-OWN"}).status_code == 201

    def test_pledge_import_cannot_mark_received_without_a_stock_receipt(self) -> None:
        from reliefops.core.workflow import InvalidTransition
        from reliefops.stock import services
        from reliefops.stock.models import StockTransaction

        coordinator = self.user(Role.COORDINATOR)
        pledge = self.world.pledge[("WA", "OWN")]
        report = self.imported(
            "pledges",
            "donor,reference,item,quantity,expected_date,warehouse,status\n"
            "OWN,PL-WA-OWN,ITM,80000,2023-11-01,W-WA-OWN,received\n",
            coordinator,
        )
        assert not report.ok and [e.column for e in report.errors] == ["status"]
        pledge.refresh_from_db()
        assert (pledge.status, pledge.quantity) == ("pledged", Decimal(50))
        with pytest.raises(InvalidTransition):
            services.pledge_set_status(actor=coordinator, pledge=pledge, status="received")
        assert not StockTransaction.objects.filter(pledge=pledge).exists()
        officer = self.user(Role.LOGISTICS, "AZ-WA")
        line = services.pledge_receive(actor=officer, pledge=pledge)
        pledge.refresh_from_db()
        assert pledge.status == "received" and line.quantity == Decimal(50)

    def test_viewer_cannot_comment(self) -> None:
        from reliefops.core.errors import Forbidden
        from reliefops.needs import services
        from reliefops.needs.models import RequestComment

        request = self.world.request[("WA", "OWN", "submitted")]
        viewer = self.user(Role.VIEWER, "AZ-WA")
        with pytest.raises(Forbidden):
            services.request_comment_add(actor=viewer, request=request, text="hello")
        _api, page = self.signed_in(viewer)
        response = page.post(f"/needs/requests/{request.pk}/comment/", {"text": "hello"})
        assert response.status_code in {302, 403}
        assert not RequestComment.objects.filter(request=request).exists()
        assert "Add comment" not in page.get(f"/needs/requests/{request.pk}/").content.decode()
        field = self.user(Role.FIELD, "AZ-WA")
        services.request_comment_add(actor=field, request=request, text="seen")
        assert RequestComment.objects.filter(request=request).count() == 1

    def test_unknown_area_is_only_for_national_users(self) -> None:
        from reliefops.core.errors import Forbidden
        from reliefops.places import services

        limited = self.user(Role.COORDINATOR, "AZ-WA", "AZ-WB", "AZ-WC")
        with pytest.raises(Forbidden) as refused:
            services.facility_set_status(
                actor=limited, facility=self.world.facility["OUT"], status="closed", reason="x"
            )
        assert refused.value.code == "area_unknown"
        national = self.user(Role.COORDINATOR)
        services.facility_set_status(
            actor=national, facility=self.world.facility["OUT"], status="closed", reason="x"
        )

"""Every page URL pattern, as every role, with a known, an unknown and an out-of-scope id.

The walk reads the project's URL resolver, so a new page pattern in any app is visited
without editing this file; a pattern with a URL argument the registry below does not know
fails the test, so that a new kind of id must say how to make an in-scope and an
out-of-scope one. ``admin/`` (Django's) and ``api/`` (``test_api_contract``, schemathesis)
are left to their own tests.

Each role's user works in area A; the world also holds the same objects in area B. Every
URL is requested with GET and with an empty POST (CSRF off, as the test client does):

* no response is ever a 5xx;
* an unknown id is a 404 (a 403 when the role lacks the action, a 405 for a wrong method);
* an out-of-scope id of scoped data is a 404/403 and the page does not show the object;
  for reference data every role reads (places, facilities, roads), a write (POST) to an
  out-of-scope object is refused (4xx).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from reliefops.accounts.choices import Role
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user

SKIPPED_PREFIXES = ("admin/", "api/")
#: Statuses that say "no such object / not for you" (405: the method is not offered at all).
REFUSED = {403, 404, 405}


@dataclass
class Pattern:
    name: str
    route: str
    converters: dict[str, str]
    kwargs: list[str]


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Pattern]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            if not isinstance(entry.pattern, RoutePattern) and not route.startswith(
                SKIPPED_PREFIXES
            ):
                pytest.fail(f"{route}: a regex page pattern; give it a path() route")
            names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
            yield Pattern(
                name=f"{namespace}{entry.name or route}",
                route=route,
                converters={kw: conv or "str" for conv, kw in names},
                kwargs=[kw for _conv, kw in names],
            )


def page_patterns() -> list[Pattern]:
    return [
        p for p in _walk(get_resolver().url_patterns) if not p.route.startswith(SKIPPED_PREFIXES)
    ]


def url_for(pattern: Pattern, values: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        return values[match.group(2)]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, pattern.route)


# --------------------------------------------------------------------------- the world


@dataclass
class World:
    """Two areas (the users' A and another B) and the same objects in each."""

    area_in: Any
    area_out: Any
    #: kind → (id in A, id in B, a text only the page of the object in B shows)
    objects: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def build_world() -> World:
    from reliefops.needs import services as needs
    from reliefops.places.models import RoadNode, RoadSegment
    from tests.places.factories import AdminAreaFactory
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

    area_in = AdminAreaFactory(code="ZA-IN", names={"en": "Inside"})
    area_out = AdminAreaFactory(code="ZA-OUT", names={"en": "Outside"})
    world = World(area_in, area_out)
    admin = UserFactory(is_superuser=True)
    org = OrganisationFactory(acronym="WORLD")
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    places, facilities, roads, requests = [], [], [], []
    markers: dict[str, str] = {}
    for tag, area in (("IN", area_in), ("OUT", area_out)):
        place = PlaceFactory(code=f"ZP-{tag}", admin1=area, names={"en": f"Place {tag}"})
        facility = FacilityFactory(code=f"ZF-{tag}", kind="school", place=place, operator=org)
        nodes = [
            RoadNode.objects.create(
                code=f"ZN-{tag}-{i}", kind="place", place=place, latitude=40.0, longitude=47 + i
            )
            for i in (0, 1)
        ]
        road = RoadSegment.objects.create(
            code=f"ZR-{tag}", from_node=nodes[0], to_node=nodes[1], length_km=10
        )
        request = needs.request_submit(
            actor=admin,
            data=needs.RequestInput(
                requester_kind="facility",
                organisation=org,
                facility=facility,
                lines=[needs.LineInput(quantity=Decimal(100), item=diesel)],
                needed_from=dt.date(2023, 10, 1),
                needed_by=dt.date(2023, 10, 31),
                justification=f"Heating for {tag}",
            ),
        )
        places.append(place.code)
        facilities.append(facility.code)
        roads.append(road.code)
        requests.append(str(request.pk))
        markers[tag] = request.reference
    world.objects = {
        "place": (places[0], places[1], "Place OUT"),
        "facility": (facilities[0], facilities[1], "Facility ZF-OUT"),
        "road": (roads[0], roads[1], "ZR-OUT"),
        "request": (requests[0], requests[1], markers["OUT"]),
    }
    return world


# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Ids:
    """Values of one URL argument: known (in scope), unknown, and out of scope (or None)."""

    known: str
    unknown: str
    out_of_scope: str | None
    #: Reads of the object are scoped (an out-of-scope GET must be refused, not shown).
    scoped_reads: bool = True
    #: A text only the out-of-scope object's page shows (its reference).
    marker: str = ""


def _object(kind: str, unknown: str, *, scoped_reads: bool) -> Callable[[World], Ids]:
    def make(world: World) -> Ids:
        inside, outside, marker = world.objects[kind]
        return Ids(inside, unknown, outside, scoped_reads, marker)

    return make


def _step(world: World) -> Ids:
    return Ids("verify", "no-such-step", None)


def _export_kind(world: World) -> Ids:
    return Ids("requests", "no-such-kind", None)


def _import_run(world: World) -> Ids:
    """A run of another user (visible to coordinators and administrators only; the
    history's scope is tested in tests/intake/test_history.py)."""
    from reliefops.intake.models import ImportRun

    run = ImportRun.objects.create(kind="items", file_name="items.csv", source="api")
    return Ids(str(run.pk), "00000000-0000-4000-8000-000000000000", None)


def _convoys(world: World) -> None:
    """A convoy in each area (origin warehouse, a stop, a vehicle, a line), made once."""
    if "convoy" in world.objects:
        return
    from reliefops.logistics.models import (
        ConsignmentLine,
        Convoy,
        ConvoyStop,
        ConvoyVehicle,
        Vehicle,
    )
    from reliefops.places.models import Place
    from tests.stock.factories import FacilityFactory, ItemFactory, WarehouseFactory

    org = OrganisationFactory(acronym="CVORG")
    item = ItemFactory(code="CV-BRD", unit="kg", category="bread")
    codes = []
    for tag, area in (("IN", world.area_in), ("OUT", world.area_out)):
        place = Place.objects.get(code=f"ZP-{tag}")
        origin = WarehouseFactory(
            facility=FacilityFactory(code=f"ZW-{tag}", kind="warehouse", place=place),
            organisation=org,
        )
        convoy = Convoy.objects.create(
            code=f"CV-ZZ-{tag}",
            departure_date=dt.date(2023, 10, 5),
            origin=origin,
            organisation=org,
            area=area,
            leader=f"Leader of convoy {tag}",
        )
        stop = ConvoyStop.objects.create(convoy=convoy, sequence=1, place=place)
        vehicle = Vehicle.objects.create(
            registration=f"ZV-{tag}", kind="truck", organisation=org, capacity_kg=Decimal(5000)
        )
        carrier = ConvoyVehicle.objects.create(
            convoy=convoy, vehicle=vehicle, tracking_number=f"CV-ZZ-{tag}-01"
        )
        ConsignmentLine.objects.create(carrier=carrier, stop=stop, item=item, quantity=10)
        codes.append(convoy.code)
    # The marker is not in the URL (a 404 page may repeat the address).
    world.objects["convoy"] = (codes[0], codes[1], "Leader of convoy OUT")


def _convoy(world: World) -> Ids:
    _convoys(world)
    inside, outside, marker = world.objects["convoy"]
    return Ids(inside, "CV-NOPE", outside, True, marker)


def _convoy_step(world: World) -> Ids:
    return Ids("load", "no-such-step", None)


def _stop_sequence(world: World) -> Ids:
    return Ids("1", "999", None)


#: URL argument → how to make its ids, keyed by "namespace:url_name.argument" (an argument
#: name means different things in different patterns: ``code`` of a place or of a road).
REGISTRY: dict[str, Callable[[World], Ids]] = {
    "needs:request_detail.pk": _object(
        "request", "00000000-0000-4000-8000-000000000000", scoped_reads=True
    ),
    "needs:request_step.pk": _object(
        "request", "00000000-0000-4000-8000-000000000000", scoped_reads=True
    ),
    "needs:request_step.step": _step,
    "needs:request_comment.pk": _object(
        "request", "00000000-0000-4000-8000-000000000000", scoped_reads=True
    ),
    "places:place_detail.code": _object("place", "ZP-NOPE", scoped_reads=False),
    "places:facility_detail.code": _object("facility", "ZF-NOPE", scoped_reads=False),
    "places:road_detail.code": _object("road", "ZR-NOPE", scoped_reads=False),
    "places:road_status.code": _object("road", "ZR-NOPE", scoped_reads=False),
    "places:place_edit.code": _object("place", "ZP-NOPE", scoped_reads=False),
    "places:facility_edit.code": _object("facility", "ZF-NOPE", scoped_reads=False),
    "intake:export.kind": _export_kind,
    "intake:run_detail.pk": _import_run,
    "logistics:convoy_detail.code": _convoy,
    "logistics:convoy_road.code": _convoy,
    "logistics:convoy_step.code": _convoy,
    "logistics:convoy_step.step": _convoy_step,
    "logistics:delivery_photo.code": _convoy,
    "logistics:delivery_photo.sequence": _stop_sequence,
    "logistics:convoy_waybill.code": _convoy,
    "accounts:token_revoke.pk": lambda world: _api_token(world),
}


def _api_token(world: World) -> Ids:
    """Another user's token: only an administrator may revoke it (so no out-of-scope id:
    for the administrator it is in scope; owner and admin rules: tests/accounts)."""
    from reliefops.accounts.models import ApiToken

    owner = make_user(Role.VIEWER)
    token = ApiToken.objects.create(
        user=owner,
        name="contract",
        scope="read",
        organisation=owner.memberships.get().organisation,
        key_prefix="ro_pat_xxxx",
        key_hash="0" * 64,
        expires_at=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
    )
    return Ids(str(token.pk), "00000000-0000-4000-8000-000000000000", None)


@dataclass
class Visit:
    pattern: str
    method: str
    id_kind: str
    url: str
    status: int


def _cases(pattern: Pattern, world: World) -> Iterator[tuple[str, dict[str, str], Ids | None]]:
    """(id kind, URL values, the ids varied) per case: all known, then one argument varied."""
    ids = {}
    for kw in pattern.kwargs:
        key = f"{pattern.name}.{kw}"
        if key not in REGISTRY:
            pytest.fail(
                f"URL pattern {pattern.name} ({pattern.route}) has the argument {kw!r} "
                f"({pattern.converters[kw]}) that the page contract registry does not know: "
                f"add REGISTRY[{key!r}] in tests/core/test_page_contract.py"
            )
        ids[kw] = REGISTRY[key](world)
    known = {kw: v.known for kw, v in ids.items()}
    yield "known", known, None
    for kw, v in ids.items():
        yield "unknown", {**known, kw: v.unknown}, v
        if v.out_of_scope is not None:
            yield "out_of_scope", {**known, kw: v.out_of_scope}, v


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


ROLES = [r.value for r in Role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_pattern_as_every_role(role: str) -> None:
    world = build_world()
    user = make_user(role, areas=[world.area_in])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    patterns = page_patterns()
    visits: list[Visit] = []
    problems: list[str] = []
    for pattern in patterns:
        for id_kind, values, varied in _cases(pattern, world):
            url = url_for(pattern, values)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                visits.append(Visit(pattern.name, method, id_kind, url, response.status_code))
                where = f"{role} {method.upper()} {url} [{id_kind}] → {response.status_code}"
                if response.status_code >= 500:
                    exc = getattr(response, "exc_info", None)
                    problems.append(f"{where}: {exc[1]!r}" if exc else where)
                elif id_kind == "unknown" and response.status_code not in REFUSED:
                    problems.append(f"{where}: an unknown id must be a 404")
                elif id_kind == "out_of_scope" and varied is not None:
                    status = response.status_code
                    if method == "get" and varied.scoped_reads:
                        body = response.content.decode(errors="replace")
                        if status not in REFUSED or varied.marker in body:
                            problems.append(f"{where}: out-of-scope object shown")
                    elif method == "post" and not 400 <= status < 500:
                        problems.append(f"{where}: out-of-scope write not refused")
                if not _logged_in(client):  # the logout pattern signed us out
                    client.force_login(user)
    assert not problems, "\n".join(problems)
    walked = {v.pattern for v in visits}
    assert walked == {p.name for p in patterns}
    # Every id kind was exercised for every pattern with an argument.
    for pattern in patterns:
        kinds = {v.id_kind for v in visits if v.pattern == pattern.name}
        assert ("unknown" in kinds) == bool(pattern.kwargs), pattern.name


def test_the_walk_sees_every_app_and_the_registry_has_no_stale_entry() -> None:
    patterns = page_patterns()
    names = {p.name for p in patterns}
    apps = {n.split(":")[0] for n in names if ":" in n}
    from importlib import import_module

    from django.conf import settings

    with_pages = {
        dotted.rsplit(".", 1)[-1]
        for dotted in settings.DOMAIN_APPS
        if getattr(import_module(f"{dotted}.urls"), "urlpatterns", None)
    }
    assert {"needs", "places", "stock", "intake", "coordination", "reports"} <= with_pages
    assert with_pages <= apps, with_pages - apps
    assert {"home", "login", "logout", "healthz"} <= names
    used = {f"{p.name}.{kw}" for p in patterns for kw in p.kwargs}
    assert set(REGISTRY) == used, set(REGISTRY) ^ used


# --- added for pweb: the people registry's pages (a person and a merge in each area)


def _people(world: World) -> None:
    if "person" in world.objects:
        return
    from reliefops.people.models import PersonMerge
    from reliefops.places.models import Place
    from tests.people.factories import PersonFactory, consent_all

    refs, merges = [], []
    for tag in ("IN", "OUT"):
        place = Place.objects.get(code=f"ZP-{tag}")
        person = PersonFactory(reference=f"P-ZZ-{tag}", place=place, full_name=f"Name {tag}")
        twin = PersonFactory(reference=f"P-ZY-{tag}", place=place, full_name=f"Name {tag}")
        consent_all(person)
        merges.append(str(PersonMerge.objects.create(survivor=person, duplicate=twin).pk))
        refs.append(person.reference)
    # The marker is the village: the out-of-scope person's page is the only one naming it.
    world.objects["person"] = (refs[0], refs[1], "Place OUT")
    world.objects["person_merge"] = (merges[0], merges[1], "P-ZY-OUT")


def _person(world: World) -> Ids:
    _people(world)
    inside, outside, marker = world.objects["person"]
    return Ids(inside, "P-NOPE", outside, True, marker)


def _person_merge(world: World) -> Ids:
    _people(world)
    inside, outside, marker = world.objects["person_merge"]
    return Ids(inside, "00000000-0000-4000-8000-000000000000", outside, True, marker)


# --- added for rounds
def _teams_world(world: World) -> None:
    """A team in each area with a planned round of one person (made once)."""
    if "team" in world.objects:
        return
    from reliefops.places.models import Place
    from reliefops.teams.models import Round, RoundStop, Team
    from tests.people.factories import PersonFactory, consent_all

    org = OrganisationFactory(acronym="TMORG")
    teams, rounds = [], []
    for tag, area in (("IN", world.area_in), ("OUT", world.area_out)):
        place = Place.objects.get(code=f"ZP-{tag}")
        team = Team.objects.create(
            code=f"ZT-{tag}", name=f"Team {tag}", kind="mobile_medical", organisation=org, area=area
        )
        person = PersonFactory(reference=f"P-Z{tag}", place=place, area=area)
        consent_all(person)
        rnd = Round.objects.create(
            reference=f"RD-ZT-{tag}",
            team=team,
            date=dt.date(2023, 10, 5),
            area=area,
            status="planned",
        )
        RoundStop.objects.create(round=rnd, sequence=1, person=person, place=place)
        teams.append(team.code)
        rounds.append(rnd.reference)
    world.objects["team"] = (teams[0], teams[1], "Team OUT")
    world.objects["round"] = (rounds[0], rounds[1], "P-ZOUT")


def _team(world: World) -> Ids:
    _teams_world(world)
    inside, outside, marker = world.objects["team"]
    return Ids(inside, "ZT-NOPE", outside, True, marker)


def _round(world: World) -> Ids:
    _teams_world(world)
    inside, outside, marker = world.objects["round"]
    return Ids(inside, "RD-NOPE", outside, True, marker)


def _round_step(world: World) -> Ids:
    return Ids("start", "no-such-step", None)


# --- added for hosp
def _hospitals(world: World) -> None:
    """A field hospital in each area and a referral to it of a person of that area (the
    out-of-scope marker is the person's reference: not in the URL)."""
    if "hospital" in world.objects:
        return
    from django.utils import timezone

    from reliefops.places.models import Place
    from reliefops.teams import services as teams
    from tests.people.factories import PersonFactory, consent_all
    from tests.stock.factories import FacilityFactory

    admin = UserFactory(is_superuser=True)
    codes, refs, people = [], [], []
    for tag in ("IN", "OUT"):
        place = Place.objects.get(code=f"ZP-{tag}")
        hospital = FacilityFactory(code=f"ZH-{tag}", kind="field_hospital", place=place)
        person = PersonFactory(place=place, reference=f"P-WORLD-{tag}")
        consent_all(person)
        referral = teams.referral_create(
            actor=admin,
            person=person,
            facility=hospital,
            reason="surgery",
            urgency="urgent",
            transport="ambulance",
            referred_at=timezone.now(),
        )
        codes.append(hospital.code)
        refs.append(referral.reference)
        people.append(person.reference)
    world.objects["hospital"] = (codes[0], codes[1], "")
    world.objects["referral"] = (refs[0], refs[1], people[1])


def _hospital(world: World) -> Ids:
    _hospitals(world)
    inside, outside, _marker = world.objects["hospital"]
    # Beds and caseload counts are read by every role; the report (POST) is scoped.
    return Ids(inside, "ZH-NOPE", outside, scoped_reads=False)


def _referral(world: World) -> Ids:
    _hospitals(world)
    inside, outside, marker = world.objects["referral"]
    return Ids(inside, "RF-000000-0", outside, True, marker)


def _referral_step(world: World) -> Ids:
    return Ids("admit", "no-such-step", None)


REGISTRY.update(
    {
        **{
            f"people:{name}.reference": _person
            for name in (
                "person_detail",
                "person_edit",
                "person_reveal",
                "consent_record",
                "consent_withdraw",
                "person_deactivate",
                "subject_access",
                "person_erase",
            )
        },
        "people:merge_undo.pk": _person_merge,
        "teams:team_detail.code": _team,
        "teams:team_edit.code": _team,
        "teams:member_add.code": _team,
        "teams:round_detail.reference": _round,
        "teams:round_step.reference": _round,
        "teams:round_step.step": _round_step,
        "teams:stop_visit.reference": _round,
        "teams:stop_visit.sequence": _stop_sequence,
        "teams:hospital_detail.code": _hospital,
        "teams:referral_detail.reference": _referral,
        "teams:referral_step.reference": _referral,
        "teams:referral_step.step": _referral_step,
    }
)


# --- added for crossings
def _crossings(world: World) -> None:
    """A crossing point in each area with a count (the out-of-scope marker is the count's
    source: not in the URL). Counts and crossing points are read by every role; writes
    (the setting, a correction) are scoped."""
    if "crossing_point" in world.objects:
        return
    from reliefops.crossings import services as crossings
    from reliefops.places.models import Place
    from tests.stock.factories import FacilityFactory

    admin = UserFactory(is_superuser=True)
    org = OrganisationFactory(acronym="XPORG")
    points, counts = [], []
    for tag in ("IN", "OUT"):
        point = FacilityFactory(
            code=f"ZX-{tag}", kind="crossing_point", place=Place.objects.get(code=f"ZP-{tag}")
        )
        result = crossings.crossing_count_record(
            actor=admin,
            data=crossings.CountInput(
                crossing_point=point,
                date=dt.date(2023, 9, 26),
                direction="outbound",
                persons=120,
                organisation=org,
                source=f"Tally {tag}",
            ),
        )
        points.append(point.code)
        counts.append(str(result.count.pk))
    world.objects["crossing_point"] = (points[0], points[1], "")
    world.objects["crossing_count"] = (counts[0], counts[1], "Tally OUT")


def _crossing_point(world: World) -> Ids:
    _crossings(world)
    inside, outside, _marker = world.objects["crossing_point"]
    return Ids(inside, "ZX-NOPE", outside, scoped_reads=False)


def _crossing_count(world: World) -> Ids:
    _crossings(world)
    inside, outside, _marker = world.objects["crossing_count"]
    return Ids(inside, "00000000-0000-4000-8000-000000000000", outside, scoped_reads=False)


REGISTRY.update(
    {
        "crossings:point_detail.code": _crossing_point,
        "crossings:count_detail.pk": _crossing_count,
    }
)


# --- added for pages: a draft day plan in each area (tests/dayplans/page_contract.py)
from tests.dayplans.page_contract import plan_registry  # noqa: E402

REGISTRY.update(plan_registry(Ids))

# --- added for meetings: a meeting, decision, action item, contact and group per area
from tests.coordination.page_contract import meeting_registry  # noqa: E402

REGISTRY.update(meeting_registry(Ids))
# --- added for fourw: a 4W activity in each area (tests/coordination/page_contract.py)
from tests.coordination.page_contract import activity_registry  # noqa: E402

REGISTRY.update(activity_registry(Ids))


# --- added for notices: a notice of another user (every role's user reads only its own;
# the out-of-scope one carries a marker only its recipient's list shows)
def _notice(world: World) -> Ids:
    if "notice" not in world.objects:
        from reliefops.notices.services import notify

        owner = UserFactory(username="notice-owner")
        known, outside = (
            notify([owner], "plan_ready", {"reference": ref}, "/", ref)[0]
            for ref in ("PL-NOTICE-A", "PL-NOTICE-SECRET")
        )
        world.objects["notice"] = (str(known.pk), str(outside.pk), "PL-NOTICE-SECRET")
    inside, outside, marker = world.objects["notice"]
    return Ids(inside, "00000000-0000-4000-8000-000000000000", outside, True, marker)


REGISTRY["notices:notice_open.pk"] = _notice

"""Every API endpoint answers bad input with a 4xx in the one error format, never a 500.

Schemathesis generates requests (valid and invalid) from the OpenAPI schema and sends them
in-process through Django's WSGI application with a real token of a real user. A small
world (an area, places, facilities, a road, items, a warehouse with stock, requests, a
pledge, a 4W activity) exists, and about half of the examples name its objects in the path
and in the body (``KNOWN``), so that the generated data reaches the services instead of
stopping at "not found".
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def build_world() -> dict[str, list[str]]:
    """Objects the examples can name, as ``{kind: [values]}`` (ids, codes, kinds)."""
    import datetime as dt
    from decimal import Decimal

    from reliefops.accounts.models import Membership
    from reliefops.coordination.models import Activity
    from reliefops.needs import services as needs
    from reliefops.needs.models import ClimateStation
    from reliefops.places.models import PopulationEstimate, RoadNode, RoadSegment
    from reliefops.stock import services as stock
    from reliefops.stock.models import StockBalance, StockTransaction
    from tests.accounts.factories import OrganisationFactory, UserFactory
    from tests.places.factories import AdminAreaFactory
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory

    admin = UserFactory(is_superuser=True)
    area = AdminAreaFactory(code="ZK-1", names={"en": "Known area"})
    org = OrganisationFactory(acronym="KNOWN")
    place = PlaceFactory(code="ZK-P1", admin1=area)
    bare = PlaceFactory(code="ZK-P2", admin1=area)
    PopulationEstimate.objects.create(place=place, value=1200, source="test")
    ClimateStation.objects.create(
        code="ZK-C", name="Known", latitude=40, longitude=47, monthly_mean_c=[0.0] * 12
    )
    school = FacilityFactory(
        code="ZK-F1", kind="kindergarten", place=place, operator=org, heated_area_m2=400
    )
    warehouses = [
        WarehouseFactory(facility=FacilityFactory(code=f"ZK-W{i}", place=place), organisation=org)
        for i in (1, 2)
    ]
    nodes = [
        RoadNode.objects.create(
            code=f"ZK-N{i}", kind="place", place=place, latitude=40, longitude=47
        )
        for i in (1, 2)
    ]
    road = RoadSegment.objects.create(
        code="ZK-R1", from_node=nodes[0], to_node=nodes[1], length_km=12
    )
    items = [ItemFactory(code="DSL", unit="litre", category="fuel"), ItemFactory(code="FLR")]
    stock.stock_receive(
        actor=admin, warehouse=warehouses[0], item=items[1], quantity=Decimal(50), lot_code="L1"
    )
    requests = [
        needs.request_submit(
            actor=admin,
            data=needs.RequestInput(
                requester_kind="facility",
                organisation=org,
                facility=school,
                lines=[needs.LineInput(quantity=Decimal(5), item=item)],
                needed_from=dt.date(2023, 10, 1),
                needed_by=dt.date(2023, 10, 31),
                status=status,
            ),
            confirm_duplicate=True,
        )
        for item, status in ((items[1], "submitted"), (items[1], "submitted"), (items[0], "draft"))
    ]
    needs.request_verify(actor=admin, request=requests[1])
    needs.request_approve(actor=admin, request=requests[1])
    pledge = stock.pledge_create(
        actor=admin,
        donor=org,
        item=items[0],
        quantity=Decimal(100),
        expected_date=dt.date(2023, 10, 5),
        warehouse=warehouses[0],
    )
    activity = Activity.objects.create(
        reference="4W-API1", organisation=org, area=area, sector="food"
    )
    from reliefops.intake.models import ImportRun

    run = ImportRun.objects.create(user=admin, kind="items", file_name="items.csv", source="api")
    from reliefops.logistics import services as logistics
    from reliefops.logistics.models import ConsignmentLine, Passage, Vehicle

    crossing = FacilityFactory(code="ZK-CP", kind="crossing_point", place=place)
    vehicle = Vehicle.objects.create(
        registration="ZK-V1", kind="truck", organisation=org, capacity_kg=Decimal(5000)
    )
    convoy = logistics.convoy_from_requests(
        actor=admin,
        requests=[requests[1]],
        origin=warehouses[0],
        organisation=org,
        departure_date=dt.date(2023, 10, 2),
        carriers=[logistics.CarrierInput(vehicle)],
    )
    for step in ("load", "depart"):
        logistics.convoy_transition(actor=admin, convoy=convoy, step=step)
    logistics.passage_record(
        actor=admin,
        convoy=convoy,
        data=logistics.PassageInput(
            crossing_point=crossing,
            outcome="passed",
            time_in=dt.datetime(2023, 10, 2, 9, tzinfo=dt.UTC),
        ),
    )
    world: dict[str, list[str]] = {
        "convoy": [convoy.code],
        "vehicle": [vehicle.registration],
        "crossing_point": [crossing.code],
        "consignment_id": [str(pk) for pk in ConsignmentLine.objects.values_list("pk", flat=True)],
        "passage_id": [str(pk) for pk in Passage.objects.values_list("pk", flat=True)],
        "import_run_id": [str(run.pk)],
        "area": [area.code],
        "organisation": [org.acronym],
        "organisation_id": [str(org.pk)],
        "membership_id": [str(pk) for pk in Membership.objects.values_list("pk", flat=True)],
        "place": [place.code, bare.code],
        "facility": [school.code, warehouses[0].facility.code],
        "warehouse": [w.facility.code for w in warehouses],
        "warehouse_id": [str(w.pk) for w in warehouses],
        "road": [road.code],
        "item": [i.code for i in items],
        "request_id": [str(r.pk) for r in requests],
        "pledge_id": [str(pledge.pk)],
        "activity": [activity.reference],
        "balance_id": [str(b.pk) for b in StockBalance.objects.all()],
        "transaction_id": [str(t.pk) for t in StockTransaction.objects.all()],
        "kind": ["requests", "items", "gap", "facilities", "pledges"],
    }
    _people_world(world)
    _teams_world(world)
    _hospital_world(world)
    _submissions_world(world)
    _crossings_world(world)
    _kobo_world(world)
    _plans_world(world)  # added for pages
    _meetings_world(world)  # added for meetings
    _notices_world(world)  # added for notices
    return world


#: Path parameter → the kind of known object it names, per operation path.
PATH_KNOWN = {
    ("/api/v1/admin-areas/{code}/", "code"): "area",
    ("/api/v1/exports/{kind}/", "kind"): "kind",
    ("/api/v1/imports/{kind}/", "kind"): "kind",
    ("/api/v1/import-runs/{id}/", "id"): "import_run_id",
    ("/api/v1/facilities/{code}/", "code"): "facility",
    ("/api/v1/facilities/{code}/status/", "code"): "facility",
    ("/api/v1/items/{code}/", "code"): "item",
    ("/api/v1/memberships/{id}/", "id"): "membership_id",
    ("/api/v1/needs/heating-fuel/{code}/", "code"): "facility",
    ("/api/v1/needs/sphere/{code}/", "code"): "place",
    ("/api/v1/organisations/{id}/", "id"): "organisation_id",
    ("/api/v1/places/{code}/", "code"): "place",
    ("/api/v1/pledges/{id}/", "id"): "pledge_id",
    ("/api/v1/activities/{reference}/", "reference"): "activity",
    ("/api/v1/requests/{id}/", "id"): "request_id",
    ("/api/v1/road-segments/{code}/", "code"): "road",
    ("/api/v1/road-segments/{code}/status/", "code"): "road",
    ("/api/v1/stock/balances/{id}/", "id"): "balance_id",
    ("/api/v1/stock/transactions/{id}/", "id"): "transaction_id",
    ("/api/v1/warehouses/{id}/", "id"): "warehouse_id",
    ("/api/v1/vehicles/{registration}/", "registration"): "vehicle",
    ("/api/v1/consignments/{id}/", "id"): "consignment_id",
    ("/api/v1/passages/{id}/", "id"): "passage_id",
    ("/api/v1/auth/tokens/{id}/", "id"): "api_token_id",
}
#: Body (and query) fields that name a known object, in every operation.
FIELD_KNOWN = {
    "area": "area",
    "organisation": "organisation",
    "donor": "organisation",
    "place": "place",
    "facility": "facility",
    "warehouse": "warehouse",
    "destination": "warehouse",
    "item": "item",
    "origin": "warehouse",
    "crossing_point": "crossing_point",
}


def _path_kind(path: str, name: str) -> str:
    if path.startswith("/api/v1/requests/{id}/"):
        return "request_id"
    if path.startswith("/api/v1/convoys/{code}/"):
        return "convoy"
    key = (path, name)
    if key not in PATH_KNOWN:
        pytest.fail(f"{path}: add PATH_KNOWN[{key!r}] in tests/core/test_api_contract.py")
    return PATH_KNOWN[key]


def _name_known(value: Any, world: dict[str, list[str]], draw: Any) -> Any:
    """``value`` with the fields that name objects replaced by known ones (recursively)."""
    if isinstance(value, list):
        return [_name_known(v, world, draw) for v in value]
    if not isinstance(value, dict):
        return value
    return {
        k: draw(st.sampled_from(world[FIELD_KNOWN[k]]))
        if k in FIELD_KNOWN and world.get(FIELD_KNOWN[k])
        else _name_known(v, world, draw)
        for k, v in value.items()
    }


def _path_names(path: str) -> list[str]:
    import re

    return re.findall(r"{(\w+)}", path)


#: Examples per operation (``RELIEFOPS_API_EXAMPLES=500`` for a deeper run by hand).
MAX_EXAMPLES = int(os.environ.get("RELIEFOPS_API_EXAMPLES", "50"))

# One pytest item per operation (unique ids, so xdist schedules and reports each one).
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_never_answers_500(label: str, token: str) -> None:
    operation = OPERATIONS[label]
    world = build_world()
    kinds = {name: _path_kind(operation.path, name) for name in _path_names(operation.path)}

    @given(case=operation.as_strategy(), data=st.data())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check_operation(case: Any, data: Any) -> None:
        if data.draw(st.booleans(), label="name known objects"):
            for name, kind in kinds.items():
                if world.get(kind):
                    case.path_parameters[name] = data.draw(st.sampled_from(world[kind]))
            if isinstance(case.body, (dict, list)):
                case.body = _name_known(case.body, world, data.draw)
            if case.query:
                case.query = _name_known(dict(case.query), world, data.draw)
        response = case.call(headers={"Authorization": f"Token {token}"})
        assert response.status_code < 500, (label, response.text[:500])
        error_format(None, response, case)

    check_operation()


@pytest.mark.django_db
def test_error_format_for_common_mistakes(api_client: Any) -> None:
    # Not signed in.
    response = api_client.get("/api/v1/activities/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"
    user = make_user(Role.COORDINATOR)
    api_client.force_authenticate(user)
    # Malformed JSON.
    response = api_client.generic(
        "POST", "/api/v1/activities/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    # A field that fails validation names the field.
    response = api_client.post(
        "/api/v1/activities/",
        {"organisation": "NOPE", "area": "XX", "sector": "weather"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert {"organisation", "area", "sector"} <= set(body["details"])
    # Unknown object, unknown page.
    assert api_client.get("/api/v1/activities/4W-NOPE/").status_code == 404
    response = api_client.get("/api/v1/organisations/", {"page": 999})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    # Unknown URL under /api/ is JSON too.
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_partner_cannot_record_activities_for_another_organisation(api_client: Any) -> None:
    from tests.accounts.factories import OrganisationFactory
    from tests.places.factories import AdminAreaFactory

    area = AdminAreaFactory(code="ZZ-1")
    own = OrganisationFactory(acronym="OWN")
    OrganisationFactory(acronym="OTHER")
    partner = make_user(Role.PARTNER, areas=[area], organisation=own)
    api_client.force_authenticate(partner)
    response = api_client.post(
        "/api/v1/activities/",
        {"organisation": "OTHER", "area": "ZZ-1", "sector": "food"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    response = api_client.post(
        "/api/v1/activities/",
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
        "/api/v1/activities/",
        {"organisation": org + "\x00", "area": "ZZ-2", "sector": "food"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    response = api_client.get("/api/v1/activities/", {"area": "Z\x00"})
    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["area"]


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


# --------------------------------------------------------------------------- people, teams


def _people_world(world: dict[str, list[str]]) -> None:
    """People (a duplicate pair across scripts) and a merge."""
    from reliefops.people.models import PersonMerge
    from reliefops.places.models import Place
    from tests.people.factories import PersonFactory, consent_all

    place = Place.objects.get(code="ZK-P1")
    people = [
        PersonFactory(reference=ref, place=place, full_name=name, year_of_birth=year)
        for ref, name, year in (
            ("P-K1", "Anna Known", 1950),
            ("P-K2", "Анна Кноун", 1951),
            ("P-K3", "Other Known", 1960),
            ("P-K4", "Merged Known", 1970),
        )
    ]
    for person in people:
        consent_all(person)
    merge = PersonMerge.objects.create(survivor=people[2], duplicate=people[3])
    people[3].merged_into, people[3].status = people[2], "merged"
    people[3].save()
    world.setdefault("person", []).extend(p.reference for p in people)
    world["merge_id"] = [str(merge.pk)]


def _teams_world(world: dict[str, list[str]]) -> None:
    """A team with a round (a planned and a draft) and a visit."""
    import datetime as dt

    from reliefops.places.models import AdminArea, Place
    from reliefops.teams.models import Round, RoundStop, Team, Visit
    from tests.accounts.factories import OrganisationFactory
    from tests.people.factories import PersonFactory, consent_all

    area = AdminArea.objects.get(code="ZK-1")
    place = Place.objects.get(code="ZK-P1")
    team = Team.objects.create(
        code="ZK-T1",
        name="Known team",
        kind="mobile_medical",
        organisation=OrganisationFactory(acronym="ZKT"),
        area=area,
    )
    people = [PersonFactory(reference=f"P-ZK{n}", place=place, area=area) for n in (1, 2)]
    for person in people:
        consent_all(person)
    rounds = []
    for n, status in ((1, "planned"), (2, "draft")):
        rnd = Round.objects.create(
            reference=f"RD-ZK-{n}", team=team, date=dt.date.today(), area=area, status=status
        )
        RoundStop.objects.create(round=rnd, sequence=1, person=people[n - 1], place=place)
        rounds.append(rnd.reference)
    visit = Visit.objects.create(
        person=people[0], team=team, place=place, area=area, visited_at=dt.datetime.now(dt.UTC)
    )
    world.update(
        {
            "team": [team.code],
            "round": rounds,
            "visit_id": [str(visit.pk)],
        }
    )
    world["person"].extend(p.reference for p in people)


def _hospital_world(world: dict[str, list[str]]) -> None:
    """A field hospital, a person (with consent) and referrals in several statuses, its
    status and caseload."""
    import datetime as dt

    from django.utils import timezone

    from reliefops.places.models import Place
    from reliefops.teams import services as teams
    from tests.accounts.factories import UserFactory
    from tests.people.factories import PersonFactory, consent_all
    from tests.stock.factories import FacilityFactory

    admin = UserFactory(is_superuser=True)
    place = Place.objects.get(code="ZK-P1")
    hospital = FacilityFactory(code="ZK-FH", kind="field_hospital", place=place)
    other = FacilityFactory(code="ZK-HOSP", kind="hospital", place=place)
    person = PersonFactory(place=place, reference="P-KNOWN")
    consent_all(person)
    refs = []
    for steps in ([], ["admit"], ["admit", "treat"]):
        referral = teams.referral_create(
            actor=admin,
            person=person,
            facility=hospital,
            reason="surgery",
            urgency="urgent",
            transport="ambulance",
            referred_at=timezone.now() - dt.timedelta(hours=3),
        )
        for step in steps:
            teams.referral_transition(actor=admin, referral=referral, step=step)
        refs.append(referral.reference)
    teams.hospital_status_report(
        actor=admin,
        facility=hospital,
        date=timezone.localdate(),
        beds_total=50,
        beds_available=20,
        services=["surgery"],
    )
    world["facility"] = [*world["facility"], hospital.code, other.code]
    world["transferred_to"] = [other.code]
    world["hospital"] = [hospital.code]
    world["person"].append(person.reference)
    world["referral"] = refs
    world["kind"] = [*world["kind"], "people", "teams", "rounds", "visits", "referrals", "caseload"]


PATH_KNOWN.update(
    {
        ("/api/v1/people/{reference}/", "reference"): "person",
        ("/api/v1/people/{reference}/consent/", "reference"): "person",
        ("/api/v1/people/{reference}/withdraw-consent/", "reference"): "person",
        ("/api/v1/people/{reference}/reveal/", "reference"): "person",
        ("/api/v1/people/merges/{id}/undo/", "id"): "merge_id",
    }
)
FIELD_KNOWN.update(
    {"survivor": "person", "duplicate": "person", "first": "person", "second": "person"}
)
PATH_KNOWN.update(
    {
        ("/api/v1/teams/{code}/", "code"): "team",
        ("/api/v1/rounds/{reference}/", "reference"): "round",
        ("/api/v1/rounds/{reference}/plan/", "reference"): "round",
        ("/api/v1/rounds/{reference}/start/", "reference"): "round",
        ("/api/v1/rounds/{reference}/complete/", "reference"): "round",
        ("/api/v1/rounds/{reference}/cancel/", "reference"): "round",
        ("/api/v1/visits/{id}/", "id"): "visit_id",
    }
)
FIELD_KNOWN.update({"team": "team", "round": "round", "person": "person"})
PATH_KNOWN.update(
    {
        ("/api/v1/hospitals/{code}/", "code"): "hospital",
        ("/api/v1/hospitals/{code}/status/", "code"): "hospital",
        ("/api/v1/hospitals/{code}/caseload/", "code"): "hospital",
        ("/api/v1/referrals/{reference}/", "reference"): "referral",
        **{
            (f"/api/v1/referrals/{{reference}}/{step}/", "reference"): "referral"
            for step in ("admit", "treat", "discharge", "transfer", "cancel")
        },
    }
)
FIELD_KNOWN.update({"person": "person", "transferred_to": "transferred_to"})


# --- added for submissions: a stored field submission (the detail path names its id)
def _submissions_world(world: dict[str, list[str]]) -> None:
    import uuid

    from reliefops.accounts.models import User
    from reliefops.intake.submissions import submission_receive

    answer = submission_receive(
        actor=User.objects.filter(is_superuser=True).first(),
        client_id=uuid.uuid4(),
        kind="visits",
        data={"person": "P-ZK1", "team": "ZK-T1", "outcome": "visited"},
    )
    assert answer.submission is not None
    world["submission_id"] = [str(answer.submission.client_id)]


PATH_KNOWN.update({("/api/v1/submissions/{client_id}/", "client_id"): "submission_id"})


# --- added for crossings
def _crossings_world(world: dict[str, list[str]]) -> None:
    """The known crossing point's setting (its area as catchment) and counts in both
    directions (one broken down by sex and age)."""
    import datetime as dt

    from reliefops.crossings import services as crossings
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea, Facility
    from tests.accounts.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    point = Facility.objects.get(code="ZK-CP")
    crossings.crossing_point_setting_set(
        actor=admin,
        crossing_point=point,
        catchment=[AdminArea.objects.get(code="ZK-1")],
        outbound_labels={"en": "towards the border"},
    )
    org = Organisation.objects.get(acronym="KNOWN")
    ids = []
    for day, direction, cells in (
        (dt.date(2023, 9, 25), "outbound", {"female_18_59": 40, "male_0_4": 3}),
        (dt.date(2023, 9, 26), "inbound", {}),
    ):
        result = crossings.crossing_count_record(
            actor=admin,
            data=crossings.CountInput(
                crossing_point=point,
                date=day,
                direction=direction,
                cells=cells,
                persons=None if cells else 12,
                organisation=org,
            ),
        )
        ids.append(str(result.count.pk))
    world["crossing_count_id"] = ids
    world["kind"] = [*world["kind"], "crossing-counts", "crossing-points", "populations"]


PATH_KNOWN.update(
    {
        ("/api/v1/crossing-counts/{id}/", "id"): "crossing_count_id",
        ("/api/v1/crossing-points/{code}/", "code"): "crossing_point",
    }
)


# --- added for kobo: a form link whose secret is the contract test's own API token, so
# the generated bodies reach the payload reader and the mapping, not only the secret check
def _kobo_world(world: dict[str, list[str]]) -> None:
    import json as _json
    from pathlib import Path

    from rest_framework.authtoken.models import Token as _Token

    from reliefops.intake.kobo.services import secret_digest
    from reliefops.intake.models import FormLink
    from reliefops.teams.models import Team

    token = _Token.objects.select_related("user").order_by("-created").first()
    team = Team.objects.get(code="ZK-T1")
    user = make_user(Role.FIELD, areas=[team.area], organisation=team.organisation)
    spec = _json.loads(
        (Path(__file__).resolve().parents[2] / "forms" / "home_visit.mapping.json").read_text()
    )
    FormLink.objects.create(
        key="zk-home-visit",
        title="Known form",
        kind=spec["kind"],
        mapping=spec["mapping"],
        user=user,
        secret_hash=secret_digest(token.key) if token else "",
    )
    world["kobo_form"] = ["zk-home-visit"]


PATH_KNOWN[("/api/v1/kobo/{key}/", "key")] = "kobo_form"


# --- added for pages: a draft day plan (the plan paths name its reference)
def _plans_world(world: dict[str, list[str]]) -> None:
    from tests.dayplans.plans import plan_run

    world["plan"] = [plan_run().reference]


PATH_KNOWN.update(
    {
        (f"/api/v1/plans/{{reference}}/{step}", "reference"): "plan"
        for step in ("", "cancel/", "edit/", "commit/", "replan/", "discard/")
    }
)


# --- added for meetings: a working group, a contact, a meeting with a decision and an
# action item at the known place, for the known organisation
def _meetings_world(world: dict[str, list[str]]) -> None:
    import datetime as dt

    from django.utils import timezone

    from reliefops.coordination import services as coordination
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea, Place
    from tests.accounts.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    org = Organisation.objects.get(acronym="KNOWN")
    group = coordination.working_group_create(
        actor=admin, code="WG-K", name="Known group", lead_organisation=org
    )
    contact = coordination.contact_create(
        actor=admin,
        organisation=org,
        name="Known contact",
        phone="+1",
        areas=[AdminArea.objects.get(code=world["area"][0])],
    )
    meeting = coordination.meeting_create(
        actor=admin,
        title="Known meeting",
        kind="working_group",
        organisation=org,
        starts_at=timezone.make_aware(dt.datetime(2023, 9, 25, 10)),
        place=Place.objects.get(code=world["place"][0]),
        working_group=group,
        agenda=["Known item"],
    )
    decision = coordination.decision_record(
        actor=admin, agenda_item=meeting.agenda.get(), text="Known decision"
    )
    item = coordination.decision_action_create(
        actor=admin,
        decision=decision,
        title="Known action",
        owner_organisation=org,
        due_date=dt.date(2023, 10, 1),
    )
    world["working_group"] = [group.code]
    world["contact_id"] = [str(contact.pk)]
    world["meeting"] = [meeting.reference]
    world["decision"] = [decision.reference]
    world["action_item"] = [item.reference]
    world["kind"] = [*world["kind"], "meetings", "decisions", "action-items"]


PATH_KNOWN.update(
    {
        ("/api/v1/working-groups/{code}/", "code"): "working_group",
        ("/api/v1/contacts/{id}/", "id"): "contact_id",
        ("/api/v1/contacts/{id}/details/", "id"): "contact_id",
        ("/api/v1/meetings/{reference}/", "reference"): "meeting",
        ("/api/v1/meetings/{reference}/agenda/", "reference"): "meeting",
        ("/api/v1/decisions/{reference}/", "reference"): "decision",
        ("/api/v1/decisions/{reference}/request/", "reference"): "decision",
        **{
            (f"/api/v1/action-items/{{reference}}/{step}", "reference"): "action_item"
            for step in ("", "start/", "complete/", "drop/", "reopen/", "link/", "unlink/")
        },
    }
)


# --- added for notices: notices of the token's user (its own) and of another user
def _notices_world(world: dict[str, list[str]]) -> None:
    from rest_framework.authtoken.models import Token

    from reliefops.notices.services import notify

    readers = [t.user for t in Token.objects.select_related("user")]
    other = make_user(Role.VIEWER)
    own = notify(readers, "plan_ready", {"reference": "PL-X"}, "/dayplans/PL-X/", "PL-X")
    foreign = notify([other], "plan_ready", {"reference": "PL-Y"}, "", "PL-Y")
    world["notice_id"] = [str(n.pk) for n in [*own, *foreign]]


PATH_KNOWN[("/api/v1/notices/{id}/read/", "id")] = "notice_id"

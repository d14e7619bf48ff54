"""One declared field list per request: the API, the request file and the service agree.

``reliefops.needs.fields`` declares a request and its lines once; these tests hold the
serializer, the exporter/importer and the service to it, and check the API's related
fields (a facility, place, organisation, item or warehouse named by its code) answer a
bad code with a 400 that names the field.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from reliefops.core import exchange as ex
from reliefops.needs import services
from reliefops.needs.fields import REQUEST, REQUEST_LINE
from reliefops.needs.models import Request
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    org = OrganisationFactory(acronym="KGNGO")
    facility = FacilityFactory(kind="kindergarten")
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    partner = make_user("partner", areas=[facility.place.admin1], organisation=org)
    return {"org": org, "facility": facility, "diesel": diesel, "partner": partner}


def _submit(scene, **overrides) -> Request:
    data = services.RequestInput(
        requester_kind="facility",
        organisation=scene["org"],
        facility=scene["facility"],
        lines=[services.LineInput(quantity=Decimal(900), item=scene["diesel"])],
        needed_from=dt.date(2023, 10, 1),
        needed_by=dt.date(2023, 10, 31),
        **overrides,
    )
    return services.request_submit(actor=scene["partner"], data=data)


def test_every_stored_field_is_an_input_and_a_column_and_the_service_writes_it(scene) -> None:
    inputs = {f.name for f in dataclasses.fields(services.RequestInput)}
    columns = {f.name for f in Request._meta.get_fields()}
    stored = set(REQUEST.stored_names())
    assert stored and stored <= inputs and stored <= columns
    assert {f.name for f in REQUEST if f.key} == {"reference"}
    request = _submit(
        scene,
        priority="urgent",
        justification="Boiler restarted",
        source="field_assessment",
        decision_reference="WG-12",
        people_count=40,
    )
    given = {
        "requester_kind": "facility",
        "facility": scene["facility"],
        "place": scene["facility"].place,
        "organisation": scene["org"],
        "people_count": 40,
        "priority": "urgent",
        "needed_from": dt.date(2023, 10, 1),
        "needed_by": dt.date(2023, 10, 31),
        "justification": "Boiler restarted",
        "source": "field_assessment",
        "decision_reference": "WG-12",
        "status": "submitted",
    }
    assert set(given) == stored
    request.refresh_from_db()
    assert {name: getattr(request, name) for name in stored} == given


def test_the_api_and_the_request_file_show_the_same_request(scene) -> None:
    request = _submit(scene, people_count=40, justification="Cold week", priority="urgent")
    api = APIClient()
    api.force_authenticate(scene["partner"])
    shown = api.get(f"/api/v1/requests/{request.pk}/").json()
    assert list(shown) == ["id", *REQUEST.api_names(), "lines", "overdue", "created_at"]
    assert list(shown["lines"][0]) == ["id", *REQUEST_LINE.api_names()]

    stream = io.BytesIO()
    ex.export_write(kind="requests", stream=stream, actor=scene["partner"], fmt="csv")
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    assert list(rows[0]) == [c.name for c in [*REQUEST.columns(), *REQUEST_LINE.columns()]]
    assert len(rows) == 1
    for field in [*REQUEST, *REQUEST_LINE]:
        if not (field.api and field.file):
            continue
        value = shown[field.name] if field in REQUEST else shown["lines"][0][field.name]
        assert ex.render_value(value) == rows[0][field.name] or (
            Decimal(rows[0][field.name]) == Decimal(value)
        ), field.name


def _body(scene, **overrides):
    return {
        "requester_kind": "facility",
        "facility": scene["facility"].code,
        "organisation": "KGNGO",
        "needed_from": "2023-10-01",
        "needed_by": "2023-10-31",
        "lines": [{"item": "DSL", "quantity": "500"}],
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"facility": "NO-SUCH-FACILITY"}, "facility"),
        ({"organisation": "NOSUCH"}, "organisation"),
        ({"organisation": "kgngo"}, "organisation"),  # acronyms are exact, as before
        ({"requester_kind": "place", "facility": None, "place": "NOPCODE"}, "place"),
        ({"lines": [{"item": "NOPE", "quantity": "5"}]}, "lines"),
        ({"lines": [{"item": "D\x00SL", "quantity": "5"}]}, "lines"),
        ({"facility": {"code": "X"}}, "facility"),
        ({"organisation": ["KGNGO"]}, "organisation"),
    ],
)
def test_an_unknown_or_malformed_code_is_a_400_naming_the_field(scene, overrides, field) -> None:
    api = APIClient()
    api.force_authenticate(scene["partner"])
    response = api.post("/api/v1/requests/", _body(scene, **overrides), format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["details"], error
    assert Request.objects.count() == 0


def test_codes_are_found_and_an_empty_code_is_none(scene) -> None:
    api = APIClient()
    api.force_authenticate(scene["partner"])
    created = api.post(
        "/api/v1/requests/",
        _body(
            scene,
            place=scene["facility"].place.code,
            lines=[{"item": "", "quantity": "3", "service_type": "transport"}],
        ),
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["facility"] == scene["facility"].code
    assert body["place"] == scene["facility"].place.code
    assert body["organisation"] == "KGNGO"
    assert body["area"] == scene["facility"].place.admin1.code
    assert body["lines"][0]["item"] is None


def test_dispatch_names_the_warehouse_by_its_facility_code(scene) -> None:
    request = _submit(scene)
    admin = UserFactory(is_superuser=True)
    warehouse = WarehouseFactory(organisation=scene["org"])
    api = APIClient()
    api.force_authenticate(admin)
    for step in ("verify", "approve"):
        assert api.post(f"/api/v1/requests/{request.pk}/{step}/", {}).status_code == 200
    unknown = api.post(
        f"/api/v1/requests/{request.pk}/dispatch/", {"warehouse": "NOWHERE"}, format="json"
    )
    assert unknown.status_code == 400 and "warehouse" in unknown.json()["error"]["details"]
    # A known warehouse reaches the service: with no stock there, the ledger refuses (409).
    empty = api.post(
        f"/api/v1/requests/{request.pk}/dispatch/",
        {"warehouse": warehouse.facility.code},
        format="json",
    )
    assert empty.status_code == 409, empty.json()


def test_the_gap_export_validates_its_days(scene) -> None:
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True))
    bad = api.get("/api/v1/exports/gap/", {"days": "soon"})
    assert bad.status_code == 400 and "days" in bad.json()["error"]["details"]
    assert api.get("/api/v1/exports/gap/", {"days": "0"}).status_code == 400
    assert api.get("/api/v1/exports/gap/", {"days": "30"}).status_code == 200
    assert api.get("/api/v1/exports/gap/").status_code == 200

"""The one error path: each 500 the review found, now the right 4xx on pages and in the API.

Pages render service errors in the layout (or re-show the form, or an HTMX fragment);
the API renders the same status and code as JSON; both come from one table.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput, NotFound
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene() -> dict[str, Any]:
    from reliefops.needs import services
    from tests.stock.factories import FacilityFactory, ItemFactory

    org = OrganisationFactory(acronym="ERRNGO")
    facility = FacilityFactory(kind="kindergarten")
    other = FacilityFactory(kind="school")
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    admin = UserFactory(is_superuser=True)
    requests = [
        services.request_submit(
            actor=admin,
            data=services.RequestInput(
                requester_kind="facility",
                organisation=org,
                facility=f,
                lines=[services.LineInput(quantity=Decimal(10), item=diesel)],
                needed_from=dt.date(2023, 10, 1),
                needed_by=dt.date(2023, 10, 31),
            ),
        )
        for f in (facility, other)
    ]
    return {
        "org": org,
        "facility": facility,
        "area": facility.place.admin1,
        "diesel": diesel,
        "own": requests[0],
        "foreign": requests[1],
    }


def client_for(role: str, **kwargs: Any) -> Client:
    client = Client()
    client.force_login(make_user(role, **kwargs))
    return client


def api_for(role: str, **kwargs: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role, **kwargs))
    return client


def in_layout(response: HttpResponse) -> str:
    body = response.content.decode()
    assert 'class="topbar"' in body and 'id="page-errors"' in body, body[:300]
    return body


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("url", ["/needs/requests/new/", "/intake/upload/"])
def test_a_viewer_opening_a_form_it_may_not_use_gets_a_403_page(url: str) -> None:
    viewer = client_for(Role.VIEWER)
    for response in (viewer.get(url), viewer.post(url, {})):
        assert response.status_code == 403
        assert "You are not allowed to do this." in in_layout(response)


def test_unknown_and_out_of_scope_request_ids_are_404_pages(scene: dict[str, Any]) -> None:
    partner = client_for(Role.PARTNER, areas=[scene["area"]], organisation=scene["org"])
    assert partner.get(f"/needs/requests/{scene['own'].pk}/").status_code == 200
    for pk in (scene["foreign"].pk, "00000000-0000-4000-8000-000000000000"):
        for response in (
            partner.get(f"/needs/requests/{pk}/"),
            partner.post(f"/needs/requests/{pk}/step/cancel/", {"reason": "x"}),
            partner.post(f"/needs/requests/{pk}/comment/", {"text": "x"}),
        ):
            assert response.status_code == 404
            body = in_layout(response)
            assert scene["foreign"].reference not in body
    unknown_step = partner.post(f"/needs/requests/{scene['own'].pk}/step/nope/")
    assert unknown_step.status_code == 404


def test_an_unknown_export_kind_is_a_404_page() -> None:
    response = client_for(Role.COORDINATOR).get("/intake/export/nope/")
    assert response.status_code == 404
    assert "There is no import or export of this kind." in in_layout(response)


def test_a_refused_step_re_shows_the_request_with_the_error(scene: dict[str, Any]) -> None:
    partner = client_for(Role.PARTNER, areas=[scene["area"]], organisation=scene["org"])
    response = partner.post(f"/needs/requests/{scene['own'].pk}/step/approve/")
    assert response.status_code == 403
    body = in_layout(response)
    assert scene["own"].reference in body and 'id="request-status"' in body
    assert "You are not allowed to do this." in body


def test_a_refused_movement_re_shows_the_form_with_the_error() -> None:
    from tests.stock.factories import ItemFactory, WarehouseFactory

    warehouse, item = WarehouseFactory(), ItemFactory(code="FLR")
    officer = client_for(Role.LOGISTICS, areas=[warehouse.facility.place.admin1])
    response = officer.post(
        "/stock/",
        {"kind": "dispatch", "warehouse": warehouse.pk, "item": item.pk, "quantity": "5"},
    )
    assert response.status_code == 409
    body = in_layout(response)
    assert 'name="quantity"' in body and 'value="5"' in body  # the form, as typed
    assert "errorlist nonfield" in body


def test_htmx_requests_get_the_error_fragment_retargeted() -> None:
    viewer = client_for(Role.VIEWER)
    response = viewer.get("/intake/upload/", HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#page-errors"
    assert response["HX-Reswap"] == "innerHTML"
    body = response.content.decode()
    assert "<html" not in body and 'role="alert"' in body and 'data-status="403"' in body


def test_error_pages_are_translated() -> None:
    viewer = client_for(Role.VIEWER)
    response = viewer.get("/needs/requests/new/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 403
    assert "У вас нет права на это действие." in response.content.decode()
    api = api_for(Role.VIEWER)
    body = api.get("/api/v1/needs/gap/?days=abc", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["error"]["details"]["days"] == ["Введите правильное число."]


def test_a_control_character_in_a_url_argument_is_a_404() -> None:
    viewer = client_for(Role.VIEWER)
    assert viewer.get("/needs/requests/%01/").status_code == 404
    assert viewer.get("/places/facilities/A%00B/").status_code == 404


# --------------------------------------------------------------------------- query parameters


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/needs/gap/?days=abc",
        "/api/v1/needs/gap/?days=0",
        "/api/v1/needs/sphere/{place}/?days=abc",
        "/api/v1/exports/gap/?days=abc",
        "/api/v1/needs/heating-fuel/{facility}/?season=2023-13",
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(url: str, scene: dict[str, Any]) -> None:
    url = url.format(place=scene["facility"].place.code, facility=scene["facility"].code)
    response = api_for(Role.COORDINATOR).get(url)
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    name = url.split("?")[1].split("=")[0]
    assert error["code"] == "invalid" and list(error["details"]) == [name]
    assert error["details"][name] and all(isinstance(m, str) for m in error["details"][name])


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/needs/gap/?days=abc", "days"),
        ("/intake/export/gap/?days=abc", "days"),
        ("/intake/export/requests/?format=pdf", "format"),
        ("/needs/requests/?status=bogus", "status"),
        ("/stock/items/?category=bogus", "category"),
        ("/coordination/activities/?sector=weather", "sector"),
        ("/places/map/facilities.geojson?kind=school,castle", "kind"),
        ("/places/map/places.geojson?area=NOWHERE", "area"),
        ("/places/travel/?from=a&to=b&vehicle=bicycle", "vehicle"),
        ("/reports/map/admin-areas.geojson?level=x", "level"),
    ],
)
def test_pages_answer_a_bad_query_parameter_with_a_400_naming_it(url: str, name: str) -> None:
    response = client_for(Role.COORDINATOR).get(url)
    assert response.status_code == 400
    assert f"<code>{name}</code>" in in_layout(response)


def test_list_filters_are_shared_by_page_and_api(scene: dict[str, Any]) -> None:
    coordinator = client_for(Role.COORDINATOR)
    page = coordinator.get(f"/needs/requests/?q={scene['own'].reference}").content.decode()
    assert scene["own"].reference in page and scene["foreign"].reference not in page
    api = api_for(Role.COORDINATOR)
    listed = api.get("/api/v1/requests/", {"q": scene["own"].reference}).json()["results"]
    assert [r["reference"] for r in listed] == [scene["own"].reference]
    bad = api.get("/api/v1/requests/", {"status": "bogus"})
    assert bad.status_code == 400 and list(bad.json()["error"]["details"]) == ["status"]


def test_the_schema_documents_the_declared_parameters() -> None:
    schema = APIClient().get("/api/schema/?format=json").json()

    def params(path: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    assert {"days", "shape"} <= params("/api/v1/needs/gap/")
    assert "days" in params("/api/v1/needs/sphere/{code}/")
    assert "season" in params("/api/v1/needs/heating-fuel/{code}/")
    assert {"format", "days"} <= params("/api/v1/exports/{kind}/")
    assert {"status", "priority", "q"} <= params("/api/v1/requests/")
    assert {"kind", "area", "in_scope"} <= params("/api/v1/places/")
    assert {"places", "vehicle"} <= params("/api/v1/travel-matrix")
    assert {"q", "near", "area"} <= params("/api/v1/places/match")
    assert {"warehouse", "item"} <= params("/api/v1/stock/balances/")


# --------------------------------------------------------------------------- JSON bodies


@pytest.mark.parametrize(
    "names",
    ["x", ["x"], 5, {"en": ["x"]}, {"en": {"a": 1}}, {"english": "x"}, {"": "x"}],
)
def test_item_names_must_be_an_object_of_language_to_text(names: Any) -> None:
    api = api_for(Role.COORDINATOR)
    body = {"code": "NEWX", "names": names, "category": "food", "unit": "kg"}
    response = api.post("/api/v1/items/", body, format="json")
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()["error"]["details"]) == ["names"]
    good = api.post("/api/v1/items/", {**body, "names": {"en": "New", "az": "Yeni"}}, format="json")
    assert good.status_code == 201 and good.json()["names"] == {"en": "New", "az": "Yeni"}


def test_an_unauthenticated_api_call_is_a_401_with_a_challenge() -> None:
    response = APIClient().get("/api/v1/requests/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"
    wrong = APIClient().get("/api/v1/requests/", HTTP_AUTHORIZATION="Token nope")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "authentication_failed"
    signed_in = api_for(Role.VIEWER).get("/api/v1/requests/")  # the session still works
    assert signed_in.status_code == 200


# --------------------------------------------------------------------------- the one table


def _retryable() -> OperationalError:
    import psycopg

    try:
        try:
            raise psycopg.errors.SerializationFailure("could not serialize access")
        except psycopg.Error as cause:
            raise OperationalError("could not serialize access") from cause
    except OperationalError as exc:
        return exc


TABLE_CASES: list[tuple[Any, int, str]] = [
    (NotFound(), 404, "not_found"),
    (Forbidden(), 403, "forbidden"),
    (Conflict(), 409, "conflict"),
    (InvalidInput(field="x"), 400, "invalid"),
    (ApplicationError(), 400, "application_error"),
    (Http404("internal detail"), 404, "not_found"),
    (PermissionDenied(), 403, "forbidden"),
    (ValidationError({"x": ["bad"]}), 400, "invalid"),
    (IntegrityError("duplicate key"), 409, "conflict"),
    (DataError("NUL"), 400, "invalid"),
    (_retryable(), 409, "retry"),
]


@pytest.mark.parametrize(("exc", "status", "code"), TABLE_CASES, ids=lambda v: repr(v)[:30])
def test_pages_and_api_render_an_error_from_the_same_table(
    exc: Exception, status: int, code: str
) -> None:
    from reliefops.core.api import exception_handler
    from reliefops.core.middleware import ErrorPageMiddleware

    middleware = ErrorPageMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    page_request = factory.get("/stock/")
    page_request.user = make_user(Role.VIEWER)
    page = middleware.process_exception(page_request, exc)
    assert page is not None and page.status_code == status
    assert f'data-code="{code}"' in in_layout(page)
    api = exception_handler(exc, {})
    assert api is not None and api.status_code == status
    assert api.data["error"]["code"] == code
    json_page = middleware.process_exception(factory.get("/api/v1/anything/"), exc)
    assert json_page is not None and json_page.status_code == status
    if code == "retry":
        assert page["Retry-After"] == api["Retry-After"] == "1"


def test_an_unknown_exception_stays_a_500_for_the_logs() -> None:
    from reliefops.core.api import exception_handler
    from reliefops.core.middleware import ErrorPageMiddleware

    middleware = ErrorPageMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ZeroDivisionError()) is None
    assert exception_handler(ZeroDivisionError(), {}) is None
    assert exception_handler(OperationalError("server closed the connection"), {}) is None

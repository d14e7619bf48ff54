"""Estimators against the database: facility fuel, draft generation, Sphere API, gap."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.needs import services
from reliefops.needs.demo import climate_stations_load
from reliefops.needs.models import Request
from reliefops.needs.selectors import gap_analysis, heating_fuel_for_facility
from reliefops.places.models import PopulationEstimate
from reliefops.stock import services as stock
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kindergarten():
    climate_stations_load()
    place = PlaceFactory(latitude=39.8177, longitude=46.7528)  # Khankendi station
    return FacilityFactory(
        kind="kindergarten",
        place=place,
        heated_area_m2=600,
        heating_fuel="diesel",
        boiler_efficiency=0.82,
        latitude=39.8177,
        longitude=46.7528,
        operator=OrganisationFactory(acronym="UTIL"),
    )


def test_facility_estimate_uses_nearest_station_and_stock_at_facility(kindergarten) -> None:
    admin = UserFactory(is_superuser=True)
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    tank = WarehouseFactory(facility=kindergarten)
    stock.stock_receive(actor=admin, warehouse=tank, item=diesel, quantity=Decimal(800))
    assessment = heating_fuel_for_facility(facility=kindergarten, season_start=(2023, 10))
    assert assessment.station_name == "Khankendi"
    january = next(m for m in assessment.estimate.months if m.month == 1)
    # The shipped Khankendi January mean is 0.5 °C: worked example 1 of docs/estimators.md.
    assert math.isclose(january.fuel_quantity, 1457.6, rel_tol=0.01)
    assert assessment.stock == 800


def test_generate_drafts_is_idempotent_and_page_button_works(kindergarten) -> None:
    ItemFactory(code="DSL", unit="litre", category="fuel")
    coordinator = make_user("coordinator")
    client = Client()
    client.force_login(coordinator)
    response = client.post("/needs/estimators/", {"key": "generate"})
    assert response.status_code == 302
    draft = Request.objects.get()
    assert (draft.status, draft.source, draft.organisation.acronym) == (
        "draft",
        "estimator",
        "UTIL",
    )
    assert "Heating fuel estimate (method: heated area" in draft.justification
    client.post("/needs/estimators/", {"key": "generate"})
    assert Request.objects.count() == 1  # the open draft covers the season
    services.request_submit_draft(actor=coordinator, request=draft)


def test_sphere_api_and_gap_estimates_in_areas_of_operation(kindergarten) -> None:
    admin = UserFactory(is_superuser=True)
    place = kindergarten.place
    PopulationEstimate.objects.create(
        place=place, value=1000, source="test", as_of=dt.date(2023, 9, 1)
    )
    for code in ("FLR", "BRD", "HYG"):
        ItemFactory(code=code)
    api = APIClient()
    api.force_authenticate(admin)
    body = api.get(f"/api/v1/needs/sphere/{place.code}/?days=30").json()
    lines = {x["item"]: x["quantity"] for x in body["lines"]}
    assert lines["FLR"] == pytest.approx(9519.2, rel=0.01)
    # No open request in the area yet: no estimate in the gap (areas of operation only).
    assert gap_analysis(actor=admin, days=30).rows == []
    services.request_submit(
        actor=admin,
        data=services.RequestInput(
            requester_kind="place",
            organisation=OrganisationFactory(),
            place=place,
            lines=[services.LineInput(quantity=Decimal(500), item=ItemFactory(code="FLR"))],
            needed_from=dt.date(2023, 10, 1),
            needed_by=dt.date(2023, 10, 14),
        ),
    )
    rows = {r.item_code: r for r in gap_analysis(actor=admin, days=30).rows}
    assert rows["FLR"].requested == 500
    assert rows["FLR"].estimated == pytest.approx(9519.2, rel=0.01)
    assert rows["FLR"].need == rows["FLR"].estimated
    assert rows["BRD"].requested == 0 and rows["BRD"].estimated == pytest.approx(10500)


def test_coordinator_edits_climate_table_and_parameters(kindergarten) -> None:
    from reliefops.core.models import AuditEvent
    from reliefops.needs.models import ClimateStation

    coordinator = make_user("coordinator")
    client = Client()
    client.force_login(coordinator)
    row = {f"climate-KHANKENDI-m{i}": "-1" for i in range(1, 13)}
    client.post("/needs/estimators/", {"key": "climate", "code": "KHANKENDI", **row})
    station = ClimateStation.objects.get(code="KHANKENDI")
    assert station.monthly_mean_c == [-1.0] * 12
    assert AuditEvent.objects.filter(action="estimator.climate").exists()
    form = estimator_form_data("heating_fuel", {"specific_heat_loss_w_m2k": "0.9"})
    assert client.post("/needs/estimators/", form).status_code == 302
    assessment = heating_fuel_for_facility(facility=kindergarten, season_start=(2023, 10))
    january = next(m for m in assessment.estimate.months if m.month == 1)
    # 31 × 19 K·day × 600 m² × 0.9 W/(m²·K) × 24 h / 1000 × 0.85 / (10 kWh/L × 0.82)
    assert math.isclose(
        january.fuel_quantity, 31 * 19 * 600 * 0.9 * 24 / 1000 * 0.85 / 8.2, rel_tol=1e-6
    )
    assert AuditEvent.objects.filter(action="estimator.edit").exists()
    partner = make_user("partner", areas=[kindergarten.place.admin1])
    client.force_login(partner)
    row = {f"climate-KHANKENDI-m{i}": "5" for i in range(1, 13)}
    refused = client.post("/needs/estimators/", {"key": "climate", "code": "KHANKENDI", **row})
    assert refused.status_code == 403
    assert ClimateStation.objects.get(code="KHANKENDI").monthly_mean_c == [-1.0] * 12


def estimator_form_data(key: str, changes: dict[str, str]) -> dict[str, str]:
    """The settings form of estimator ``key`` as the page shows it, with ``changes``."""
    from reliefops.needs.forms import parameter_field_name
    from reliefops.needs.selectors import estimator_values

    data = {"key": key}
    for name, value in estimator_values(key).items():
        data[f"{key}-{parameter_field_name(name)}"] = str(changes.get(name, value))
    return data


def test_heating_fuel_api_reads_the_facility_in_the_callers_areas(kindergarten) -> None:
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    admin = UserFactory(is_superuser=True)
    stock.stock_receive(
        actor=admin, warehouse=WarehouseFactory(facility=kindergarten), item=diesel, quantity=500
    )
    local = make_user("coordinator", areas=[kindergarten.place.admin1])
    elsewhere = make_user("coordinator", areas=[FacilityFactory().place.admin1])
    url = f"/api/v1/needs/heating-fuel/{kindergarten.code}/?season=2023-10"
    api = APIClient()
    api.force_authenticate(local)
    response = api.get(url)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["facility"], body["climate_station"], body["stock"]) == (
        kindergarten.code,
        "Khankendi",
        500.0,
    )
    api.force_authenticate(elsewhere)
    assert api.get(url).status_code == 404
    unheated = FacilityFactory(kind="kindergarten", place=kindergarten.place, heated_area_m2=None)
    api.force_authenticate(local)
    refused = api.get(f"/api/v1/needs/heating-fuel/{unheated.code}/?season=2023-10")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "estimate_impossible"


def test_heating_cover_list_reads_once_for_all_facilities(kindergarten) -> None:
    """The dashboard's fuel cover: the same figures as each facility's own estimate, in a
    number of queries that does not grow with the facilities (it was three per facility)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reliefops.needs.selectors import heating_cover_list

    admin = UserFactory(is_superuser=True)
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    tank = WarehouseFactory(facility=kindergarten)
    stock.stock_receive(actor=admin, warehouse=tank, item=diesel, quantity=Decimal(800))
    day = dt.date(2024, 1, 15)

    def listed() -> tuple[int, dict[str, float | None]]:
        with CaptureQueriesContext(connection) as queries:
            rows = heating_cover_list(actor=admin, day=day, kinds={"kindergarten"})
        return len(queries), {r.facility.code: r.days_of_cover for r in rows}

    few, covers = listed()
    for _n in range(4):
        FacilityFactory(
            kind="kindergarten",
            place=kindergarten.place,
            heated_area_m2=300,
            heating_fuel="diesel",
            latitude=39.82,
            longitude=46.75,
        )
    many, covers_many = listed()
    assert many == few
    assert len(covers_many) == 5
    own = heating_fuel_for_facility(facility=kindergarten, season_start=(2023, 10), day=day)
    assert covers[kindergarten.code] == covers_many[kindergarten.code] == own.days_of_cover
    assert own.days_of_cover is not None and own.days_of_cover > 0
    # the others hold no fuel: no cover
    assert sorted(v for k, v in covers_many.items() if k != kindergarten.code) == [0.0] * 4

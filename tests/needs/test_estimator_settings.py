"""Estimator settings: a form field per declared parameter, validated by the estimator (the
service's check too); climate table rows saved in place."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.needs import services
from reliefops.needs.estimators import ESTIMATORS, HEATING_DEFAULTS
from reliefops.needs.models import ClimateStation, EstimatorSetting
from reliefops.needs.selectors import estimator_parameters, estimator_values
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The values a browser would send, per form (by its hidden ``key``)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._ids: dict[str, dict[str, str]] = {}
        self._owned: list[tuple[str, str, str]] = []  # inputs with form="id"
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
            self._ids[a.get("id", "")] = self.forms[-1]
        elif tag == "input" and a.get("name") and a.get("form"):
            self._owned.append((a["form"], a["name"], a.get("value", "")))
        elif tag == "input" and a.get("name") and self.forms:
            self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "select" and self.forms:
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None

    def form(self, key: str) -> dict[str, str]:
        for form_id, name, value in self._owned:
            self._ids[form_id][name] = value
        return next(f for f in self.forms if f.get("key") == key)


def page_forms(client: Client) -> FormFields:
    parser = FormFields()
    parser.feed(client.get("/needs/estimators/").content.decode())
    return parser


@pytest.fixture
def coordinator() -> Client:
    client = Client()
    client.force_login(make_user("coordinator"))
    return client


@pytest.mark.parametrize("key", ["heating_fuel", "sphere"])
def test_saving_the_form_unchanged_succeeds_and_changes_nothing(coordinator, key) -> None:
    form = page_forms(coordinator).form(key)
    fields = [n for n in form if n.startswith(f"{key}-")]
    assert len(fields) == len(ESTIMATORS[key].parameters)  # one field per parameter
    before = estimator_parameters(key)
    response = coordinator.post("/needs/estimators/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert estimator_parameters(key) == before
    assert not AuditEvent.objects.filter(action="estimator.edit").exists()
    assert not EstimatorSetting.objects.filter(key=key).exists()  # no row for the defaults


def test_a_changed_value_is_saved_shown_and_saving_again_changes_nothing(coordinator) -> None:
    form = page_forms(coordinator).form("heating_fuel")
    form["heating_fuel-occupancy__school"] = "0.5"
    form["heating_fuel-fuels__lpg__unit"] = "kg"
    assert coordinator.post("/needs/estimators/", form).status_code == 302
    assert EstimatorSetting.objects.get(key="heating_fuel").parameters == {
        "fuels": {"lpg": {"unit": "kg"}},
        "occupancy": {"school": 0.5},
    }
    assert estimator_parameters("heating_fuel")["occupancy"]["school"] == 0.5
    assert estimator_parameters("heating_fuel")["occupancy"]["kindergarten"] == 0.85
    again = page_forms(coordinator).form("heating_fuel")
    assert float(again["heating_fuel-occupancy__school"]) == 0.5
    assert again["heating_fuel-fuels__lpg__unit"] == "kg"
    assert coordinator.post("/needs/estimators/", again).status_code == 302
    assert AuditEvent.objects.filter(action="estimator.edit").count() == 1


def test_a_bad_value_is_refused_next_to_its_field(coordinator) -> None:
    form = page_forms(coordinator).form("heating_fuel")
    form["heating_fuel-occupancy__school"] = "3"
    form["heating_fuel-design_temperature_c"] = "20"
    response = coordinator.post("/needs/estimators/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Must be at most 1." in html and "Must be at most 10." in html
    assert not EstimatorSetting.objects.filter(key="heating_fuel").exists()
    form["heating_fuel-occupancy__school"] = "0.6"
    form["heating_fuel-base_temperature_c"] = "10"
    form["heating_fuel-design_temperature_c"] = "10"
    response = coordinator.post("/needs/estimators/", form)
    assert response.status_code == 400
    assert "Must be below the base temperature" in response.content.decode()


def test_the_service_names_unknown_and_out_of_range_parameters() -> None:
    coordinator = make_user("coordinator")
    with pytest.raises(InvalidInput) as refused:
        services.estimator_parameters_set(
            actor=coordinator,
            key="heating_fuel",
            parameters={"occupancy": {"school": 1.5}, "winter_mood": 3},
        )
    assert set(refused.value.details) == {"occupancy.school", "winter_mood"}
    assert "occupancy.school" in str(refused.value.message)
    assert "winter_mood" in str(refused.value.message)
    # The JSON text the old page sent back (a string, not names and values) is refused whole.
    with pytest.raises(InvalidInput) as refused:
        services.estimator_parameters_set(actor=coordinator, key="sphere", parameters="{}")  # type: ignore[arg-type]
    assert "parameters" in refused.value.details
    saved = services.estimator_parameters_set(
        actor=coordinator, key="heating_fuel", parameters={"duty_hours.school": "10"}
    )
    assert saved.parameters == {"duty_hours": {"school": 10.0}}
    assert estimator_values("heating_fuel")["duty_hours.school"] == 10.0
    with pytest.raises(Forbidden):
        services.estimator_parameters_set(actor=make_user("partner"), key="sphere", parameters={})


def test_stored_values_the_schema_no_longer_takes_are_ignored() -> None:
    EstimatorSetting.objects.create(
        key="heating_fuel", parameters={"occupancy": {"school": "x"}, "gone": 1}
    )
    assert estimator_parameters("heating_fuel") == HEATING_DEFAULTS


@pytest.fixture
def station() -> ClimateStation:
    return ClimateStation.objects.create(
        code="KHANKENDI",
        name="Khankendi",
        latitude=39.8,
        longitude=46.75,
        monthly_mean_c=[0.5, 1.4, 5.0, 10.6, 15.4, 19.5, 22.5, 22.1, 17.7, 11.8, 6.0, 1.9],
        source="shipped",
    )


def test_a_climate_row_is_saved_in_place(coordinator, station) -> None:
    form = page_forms(coordinator).form("climate")
    assert form["climate-KHANKENDI-m1"] == "0.5"
    form["climate-KHANKENDI-m1"] = "-1.5"
    response = coordinator.post("/needs/estimators/", form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<tr id="climate-KHANKENDI"')
    assert 'value="-1.5"' in html and "Saved" in html
    station.refresh_from_db()
    assert station.monthly_mean_c[0] == -1.5 and station.monthly_mean_c[1] == 1.4
    assert AuditEvent.objects.filter(action="estimator.climate").count() == 1
    form["climate-KHANKENDI-m7"] = "99"
    refused = coordinator.post("/needs/estimators/", form, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "A temperature from -60 to 45 °C is needed." in refused.content.decode()
    station.refresh_from_db()
    assert station.monthly_mean_c[6] == 22.5


def test_climate_service_names_the_bad_months(station) -> None:
    coordinator = make_user("coordinator")
    values = list(station.monthly_mean_c)
    values[2], values[11] = "warm", 80
    with pytest.raises(InvalidInput) as refused:
        services.climate_station_months_set(
            actor=coordinator, station=station, monthly_mean_c=values
        )
    assert set(refused.value.details["monthly_mean_c"]) == {"3", "12"}
    with pytest.raises(Forbidden):
        services.climate_station_months_set(
            actor=make_user("field"), station=station, monthly_mean_c=station.monthly_mean_c
        )


def test_viewers_see_the_settings_without_inputs_to_save(station) -> None:
    client = Client()
    client.force_login(make_user("viewer"))
    html = client.get("/needs/estimators/").content.decode()
    assert "Khankendi" in html
    assert 'name="climate-KHANKENDI-m1"' not in html
    assert '<fieldset class="parameter-group" disabled>' in html

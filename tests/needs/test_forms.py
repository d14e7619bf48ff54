"""Forms that guide: the request form and the workflow steps ask for what they need.

* a partner cannot give a request the source "estimator" (form choices and service);
* a fuel the facility does not heat with is a warning that must be confirmed;
* every problem of a bad submission is shown at once, next to its field;
* the plan step asks for the planned quantities and date, and is not offered once planned;
* reject and cancel are styled apart and need a confirmation (and their reason).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from reliefops.core.error_path import ErrorOutcome
from reliefops.core.errors import InvalidInput
from reliefops.core.forms import GuidedForm, attach_error
from reliefops.needs import services
from reliefops.needs.choices import RequestSource
from reliefops.needs.forms import RequestForm
from reliefops.needs.models import Request
from reliefops.needs.selectors import request_form_choices, request_sources_allowed
from tests.accounts.factories import OrganisationFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene() -> dict[str, Any]:
    org = OrganisationFactory(acronym="KGNGO")
    facility = FacilityFactory(kind="kindergarten", heating_fuel="electricity")
    area = facility.place.admin1
    return {
        "org": org,
        "facility": facility,
        "area": area,
        "diesel": ItemFactory(code="DSL", unit="litre", category="fuel"),
        "oil": ItemFactory(code="HOIL", unit="litre", category="fuel"),
        "flour": ItemFactory(code="FLR", unit="kg", category="food"),
        "partner": make_user("partner", areas=[area], organisation=org),
        "coordinator": make_user("coordinator"),
    }


def request_input(scene: dict[str, Any], item: Any = None, **extra: Any) -> services.RequestInput:
    values: dict[str, Any] = {
        "requester_kind": "facility",
        "organisation": scene["org"],
        "facility": scene["facility"],
        "lines": [services.LineInput(quantity=Decimal(900), item=item or scene["flour"])],
        "needed_from": dt.date(2023, 10, 1),
        "needed_by": dt.date(2023, 10, 31),
    }
    values.update(extra)
    return services.RequestInput(**values)


def page_data(scene: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = {
        "requester_kind": "facility",
        "facility": scene["facility"].pk,
        "organisation": scene["org"].pk,
        "priority": "routine",
        "source": "partner",
        "needed_from": "2023-10-01",
        "needed_by": "2023-10-31",
        "line0_item": scene["flour"].pk,
        "line0_quantity": "900",
    }
    data.update(extra)
    return data


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def field_errors(html: str) -> dict[str, str]:
    """``{field id: its error}`` as the shared field partial renders them."""
    return dict(re.findall(r'<span class="field-error" id="(id_\w+)_error">([^<]*)</span>', html))


# --------------------------------------------------------------------------- source


def test_a_partner_is_not_offered_the_estimator_source_and_the_service_refuses_it(scene) -> None:
    partner = scene["partner"]
    assert RequestSource.ESTIMATOR not in request_sources_allowed(actor=partner)
    choices = request_form_choices(actor=partner)
    form = RequestForm(
        facilities=choices.facilities,
        organisations=choices.organisations,
        items=choices.items,
        sources=request_sources_allowed(actor=partner),
    )
    offered = [value for value, _label in form.fields["source"].choices]
    assert "estimator" not in offered and "partner" in offered
    with pytest.raises(InvalidInput) as info:
        services.request_submit(actor=partner, data=request_input(scene, source="estimator"))
    assert info.value.details["field"] == "source"
    assert not Request.objects.exists()
    # Through the page: the choice is refused next to the field, nothing written.
    response = client(partner).post("/needs/requests/new/", page_data(scene, source="estimator"))
    assert response.status_code == 400
    assert "id_source" in field_errors(response.content.decode())
    assert not Request.objects.exists()
    # Those who run the estimators may.
    assert RequestSource.ESTIMATOR in request_sources_allowed(actor=scene["coordinator"])
    created = services.request_submit(
        actor=scene["coordinator"], data=request_input(scene, source="estimator")
    )
    assert created.source == "estimator"


# --------------------------------------------------------------------------- heating fuel


def test_a_fuel_the_facility_does_not_heat_with_warns_and_needs_confirmation(scene) -> None:
    partner = scene["partner"]
    with pytest.raises(services.HeatingFuelMismatch) as info:
        services.request_submit(actor=partner, data=request_input(scene, item=scene["oil"]))
    assert info.value.details["items"] == ["HOIL"]
    assert info.value.details["heating_fuel"] == "electricity"
    assert not Request.objects.exists()
    # Items that are no heating fuel are not checked; the facility's own fuel passes.
    services.request_submit(actor=partner, data=request_input(scene))
    scene["facility"].heating_fuel = "heating_oil"
    scene["facility"].save()
    services.request_submit(
        actor=partner,
        data=request_input(
            scene,
            item=scene["oil"],
            needed_from=dt.date(2023, 12, 1),
            needed_by=dt.date(2023, 12, 31),
        ),
    )
    assert Request.objects.count() == 2


def test_the_page_shows_the_fuel_warning_and_submits_once_confirmed(scene) -> None:
    c = client(scene["partner"])
    data = page_data(scene, line0_item=scene["oil"].pk)
    warned = c.post("/needs/requests/new/", data)
    assert warned.status_code == 409
    html = warned.content.decode()
    assert 'id="fuel-warning"' in html and "HOIL" in html and 'name="confirm_fuel"' in html
    assert not Request.objects.exists()
    confirmed = c.post("/needs/requests/new/", {**data, "confirm_fuel": "on"})
    assert confirmed.status_code == 302
    assert Request.objects.get().lines.get().item == scene["oil"]


# --------------------------------------------------------------------------- all errors at once


def test_every_problem_of_a_bad_submission_is_shown_at_once_next_to_its_field(scene) -> None:
    data = page_data(
        scene,
        needed_from="2023-10-20",
        needed_by="2023-10-01",  # before needed_from
        line0_quantity="-5",  # negative
        line3_item="",
        line3_quantity="10",  # a line without an item (index 3: lines are not numbered 0..n)
    )
    data["people_count"] = "0"
    response = client(scene["partner"]).post("/needs/requests/new/", data)
    assert response.status_code == 400
    errors = field_errors(response.content.decode())
    assert {"id_needed_by", "id_line0_quantity", "id_line3_item", "id_people_count"} <= set(
        errors
    ), errors
    assert "before" in errors["id_needed_by"]
    assert not Request.objects.exists()
    missing = client(scene["partner"]).post(
        "/needs/requests/new/", page_data(scene, needed_by="", line0_item="")
    )
    errors = field_errors(missing.content.decode())
    assert {"id_needed_by", "id_line0_item"} <= set(errors), errors


def test_a_service_error_naming_fields_goes_next_to_them() -> None:
    class Form(GuidedForm):
        from django import forms

        a = forms.CharField(required=False)
        b = forms.CharField(required=False)

    form = Form({"a": "x", "b": "y"})
    assert form.is_valid()
    error = InvalidInput("first", field="a", fields={"a": ["A is wrong"], "b": ["B too"]})
    attach_error(form, ErrorOutcome(400, "invalid", error.message, error.details))
    assert form.errors == {"a": ["A is wrong"], "b": ["B too"]}
    other = Form({"a": "x"})
    other.is_valid()
    attach_error(other, ErrorOutcome(409, "conflict", "not about a field", {"refs": ["R1"]}))
    assert other.non_field_errors() == ["not about a field"]


def test_lines_are_added_without_javascript_by_posting_back(scene) -> None:
    response = client(scene["partner"]).post(
        "/needs/requests/new/", {**page_data(scene), "add_line": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="line1_item"' in html and 'name="line0_quantity"' in html
    assert 'value="900"' in html  # what was typed is kept
    assert not Request.objects.exists()
    # The item options carry their unit for the quantity's suffix.
    assert re.search(r'data-unit="[^"]+"', html)


# --------------------------------------------------------------------------- workflow steps


def approved(scene: dict[str, Any]) -> Request:
    request = services.request_submit(actor=scene["partner"], data=request_input(scene))
    services.request_verify(actor=scene["coordinator"], request=request)
    return services.request_approve(actor=scene["coordinator"], request=request)


def test_the_plan_step_asks_for_quantities_and_a_date_and_is_not_offered_once_planned(
    scene,
) -> None:
    request = approved(scene)
    line = request.lines.get()
    c = client(scene["coordinator"])
    page = c.get(f"/needs/requests/{request.pk}/").content.decode()
    assert f'name="line_{line.pk}"' in page and 'id="id_plan_planned_for"' in page
    url = f"/needs/requests/{request.pk}/step/plan/"
    nothing = c.post(url, {})
    assert nothing.status_code == 400
    request.refresh_from_db()
    assert request.status == "approved" and request.lines.get().quantity_planned == 0
    too_much = c.post(url, {f"line_{line.pk}": "5000", "planned_for": "2023-10-05"})
    assert too_much.status_code == 400
    assert f"id_plan_line_{line.pk}" in too_much.content.decode()
    done = c.post(url, {f"line_{line.pk}": "600", "planned_for": "2023-10-05"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == "planned" and request.planned_for == dt.date(2023, 10, 5)
    assert request.lines.get().quantity_planned == Decimal(600)
    assert "plan" not in services.transitions_allowed(actor=scene["coordinator"], request=request)
    assert 'data-step="plan"' not in c.get(f"/needs/requests/{request.pk}/").content.decode()
    again = c.post(url, {f"line_{line.pk}": "600", "planned_for": "2023-10-05"})
    assert again.status_code == 409


@pytest.mark.parametrize("step", ["reject", "cancel"])
def test_reject_and_cancel_are_styled_apart_and_need_confirmation(scene, step: str) -> None:
    transition = services.TRANSITIONS[step]
    assert transition.style == "danger" and transition.confirm and transition.needs_reason
    request = services.request_submit(actor=scene["partner"], data=request_input(scene))
    actor = scene["coordinator"] if step == "reject" else scene["partner"]
    c = client(actor)
    page = c.get(f"/needs/requests/{request.pk}/").content.decode()
    assert re.search(r'<summary class="button danger">[^<]+</summary>', page)
    assert f'id="id_{step}_confirm"' in page
    url = f"/needs/requests/{request.pk}/step/{step}/"
    unconfirmed = c.post(url, {"reason": "no longer needed"})
    assert unconfirmed.status_code == 400
    assert f"id_{step}_confirm" in field_errors(unconfirmed.content.decode())
    no_reason = c.post(url, {"confirm": "on"})
    assert no_reason.status_code == 400
    request.refresh_from_db()
    assert request.status == "submitted"
    done = c.post(url, {"reason": "no longer needed", "confirm": "on"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == transition.target and request.status_reason == "no longer needed"


def test_the_request_page_says_what_happens_next(scene) -> None:
    request = services.request_submit(actor=scene["partner"], data=request_input(scene))
    page = client(scene["partner"]).get(f"/needs/requests/{request.pk}/").content.decode()
    assert 'id="what-next"' in page and "verifies" in page
    assert 'aria-current="step"' in page


def test_the_service_names_every_problem_of_a_request_at_once(scene) -> None:
    data = request_input(
        scene,
        needed_from=dt.date(2023, 11, 20),  # after needed_by (2023-10-31)
        lines=[
            services.LineInput(quantity=Decimal(-1), item=scene["flour"]),
            services.LineInput(quantity=Decimal(5)),
        ],
    )
    with pytest.raises(InvalidInput) as info:
        services.request_submit(actor=scene["partner"], data=data)
    assert set(info.value.details["fields"]) == {"needed_by", "lines.0.quantity", "lines.1.item"}
    assert info.value.details["field"] == "needed_by"  # the first, for one-field readers

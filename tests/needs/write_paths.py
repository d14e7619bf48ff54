"""Write paths of the needs domain for the write-scope property test (tests/core/writescope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from reliefops.needs import services
from tests.core.writescope import Attempt, api, import_kind, not_a_write, page, service
from tests.core.writescope.world import ORGS

R = "reliefops.needs.services.requests"
W = "reliefops.needs.services.steps"
E = "reliefops.needs.services.estimators"
not_a_write(f"{E}.climate_months_check", "the check of a climate row (no write)")
not_a_write(f"{R}.request_duplicates", "read")
not_a_write(f"{R}.request_reference_new", "a new reference")
not_a_write(f"{R}.request_import_check", "the check of request imports (driven by the import)")
not_a_write(f"{R}.request_problems", "the check of a request's own data (the form calls it too)")
not_a_write(f"{R}.request_fuel_mismatches", "read: fuel items the facility does not heat with")
not_a_write(f"{R}.request_source_check", "the check of the source (request_submit calls it)")
not_a_write(f"{W}.transitions_allowed", "read (buttons)")
for name in ("needs:request_list", "needs:request_detail", "needs:gap"):
    not_a_write(name, "read-only page")

#: Step → the status a request must be in to take it.
SOURCE = {
    "submit": "draft",
    "verify": "submitted",
    "approve": "verified",
    "reject": "submitted",
    "cancel": "submitted",
    "plan": "approved",
    "dispatch": "approved",
    "deliver": "dispatched",
    "close": "delivered",
}


def target(t: Attempt, step: str) -> Any:
    return t.world.request[(t.area, t.org, SOURCE[step])]


def request_input(t: Attempt, **extra: Any) -> services.RequestInput:
    """A request for the school of ``t.area``, naming the place of ``t.to``."""
    values: dict[str, Any] = {
        "requester_kind": "facility",
        "organisation": t.world.org[t.org],
        "facility": t.world.facility[t.area],
        "place": t.world.place[t.to],
        "lines": [services.LineInput(quantity=Decimal(3), item=t.world.item)],
        "needed_from": dt.date(2023, 12, 1),
        "needed_by": dt.date(2023, 12, 9),
    }
    values.update(extra)
    return services.RequestInput(**values)


@service(f"{R}.request_submit")
def _submit(t: Attempt) -> None:
    services.request_submit(actor=t.actor, data=request_input(t), confirm_duplicate=True)


@service(f"{R}.request_import_bulk")
def _import_bulk(t: Attempt) -> None:
    status = t.draw(["submitted", "verified", "approved", "dispatched", "delivered"])
    services.request_import_bulk(
        actor=t.actor,
        requests=[request_input(t, status=status, reference=f"IMP-{t.area}", place=None)],
    )


def _step(step: str, **kwargs: Any) -> None:
    def probe(t: Attempt) -> None:
        extra = {k: (v(t) if callable(v) else v) for k, v in kwargs.items()}
        getattr(services, f"request_{step}" if step != "submit" else "request_submit_draft")(
            actor=t.actor, request=target(t, step), **extra
        )

    service(f"{W}.request_{step if step != 'submit' else 'submit_draft'}")(probe)


def _warehouse(t: Attempt) -> Any:
    return t.world.warehouse[t.to][t.draw(ORGS)]


_step("submit")
_step("verify")
_step("approve")
_step("reject", reason="probe")
_step("cancel", reason="probe")
_step("plan")
_step("dispatch", warehouse=_warehouse)
_step("deliver")
_step("close")


@service(f"{W}.request_transition")
def _transition(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    services.request_transition(
        actor=t.actor,
        request=target(t, step),
        step=step,
        reason="probe",
        warehouse=_warehouse(t),
    )


@service(f"{W}.request_comment_add")
def _comment(t: Attempt) -> None:
    services.request_comment_add(actor=t.actor, request=target(t, "verify"), text="probe")


@service(f"{E}.estimator_parameters_set")
def _estimator(t: Attempt) -> None:
    services.estimator_parameters_set(
        actor=t.actor, key="heating_fuel", parameters={"duty_hours.school": "10"}
    )


@service(f"{E}.climate_station_save")
def _climate(t: Attempt) -> None:
    services.climate_station_save(
        actor=t.actor,
        code="PROBE",
        name="Probe",
        latitude=40.5,
        longitude=41.5,
        monthly_mean_c=[0.0] * 12,
    )


@service(f"{E}.climate_station_months_set")
def _climate_months(t: Attempt) -> None:
    from reliefops.needs.models import ClimateStation

    services.climate_station_months_set(
        actor=t.actor,
        station=ClimateStation.objects.get(code="CLIM"),
        monthly_mean_c=[float(t.draw([1, 2]))] * 12,
    )


@service(f"{E}.heating_requests_generate")
def _heating(t: Attempt) -> None:
    facility = t.world.facility[t.area]
    facility.heated_area_m2, facility.heating_fuel = 500.0, "diesel"
    services.heating_requests_generate(
        actor=t.actor,
        facilities=[facility],
        season_start=(2024, 10),
        organisation=t.world.org[t.org],
        item_by_fuel={"diesel": t.world.item},
    )


@api("POST /api/v1/requests/")
def _api_create(t: Attempt) -> None:
    t.api.post(
        "/api/v1/requests/",
        {
            "requester_kind": "facility",
            "facility": t.world.facility[t.area].code,
            "place": t.world.place[t.to].code,
            "organisation": t.org,
            "needed_from": "2023-12-01",
            "needed_by": "2023-12-09",
            "lines": [{"item": "ITM", "quantity": "3"}],
            "confirm_duplicate": True,
        },
        format="json",
    )


def _api_step(step: str) -> None:
    path = "dispatch" if step == "dispatch" else step

    def probe(t: Attempt) -> None:
        body: dict[str, Any] = {"reason": "probe"}
        if step == "dispatch":
            body["warehouse"] = _warehouse(t).facility.code
        t.api.post(f"/api/v1/requests/{target(t, step).pk}/{path}/", body, format="json")

    api(f"POST /api/v1/requests/{{id}}/{path}/")(probe)


for _name in SOURCE:
    _api_step(_name)


@page("needs:request_create")
def _page_create(t: Attempt) -> None:
    t.page.post(
        "/needs/requests/new/",
        {
            "requester_kind": "facility",
            "facility": t.world.facility[t.area].pk,
            "organisation": t.world.org[t.org].pk,
            "priority": "routine",
            "needed_from": "2023-12-01",
            "needed_by": "2023-12-09",
            "source": "partner",
            "line0_item": t.world.item.pk,
            "line0_quantity": "3",
            "confirm_duplicate": "on",
        },
    )


@page("needs:request_step")
def _page_step(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    request = target(t, step)
    data: dict[str, Any] = {
        "reason": "probe",
        "warehouse": _warehouse(t).pk,
        "confirm": "on",  # reject, cancel and close ask for a confirmation
        "planned_for": "2023-12-05",  # the plan step asks for the date and the quantities
    }
    for line in request.lines.all():
        data[f"line_{line.pk}"] = "1"
    t.page.post(f"/needs/requests/{request.pk}/step/{step}/", data)


@page("needs:request_comment")
def _page_comment(t: Attempt) -> None:
    t.page.post(f"/needs/requests/{target(t, 'verify').pk}/comment/", {"text": "probe"})


@page("needs:estimators")
def _page_estimators(t: Attempt) -> None:
    key = t.draw(["sphere", "generate", "climate"])
    data = {"key": key, "sphere-kcal_per_person_day": "2000", "code": "CLIM"}
    data.update({f"climate-CLIM-m{i}": "1" for i in range(1, 13)})
    if key == "sphere":  # every other parameter of the form at its default
        from reliefops.needs.estimators import SPHERE
        from reliefops.needs.forms import parameter_field_name

        for p in SPHERE.parameters:
            data.setdefault(f"sphere-{parameter_field_name(p.name)}", str(p.default))
    t.page.post("/needs/estimators/", data)


@import_kind("requests")
def _import_requests(t: Attempt) -> str:
    status = t.draw(["submitted", "verified", "approved", "planned", "dispatched", "delivered"])
    dispatched = t.draw(["0", "2"])
    head = (
        "reference,requester_kind,facility,organisation,needed_from,needed_by,status,"
        "item,quantity,quantity_dispatched\n"
    )
    new = (
        f"IMP-{t.area}-{status},facility,{t.world.facility[t.area].code},{t.org},"
        f"2023-12-01,2023-12-09,{status},ITM,3,{dispatched}\n"
    )
    # An update of an existing request (possibly moved to the facility of ``t.to``, given
    # to the other organisation, one step on): scoped where it is and where it goes.
    current = t.draw(["submitted", "verified", "approved"])
    existing = t.world.request[(t.area, t.org, current)]
    moved = t.draw([(t.area, t.org), (t.to, t.org), (t.area, t.draw(ORGS))])
    update = (
        f"{existing.reference},facility,{t.world.facility[moved[0]].code},{moved[1]},"
        f"2023-10-01,2023-10-31,{t.draw([current, UPDATE_STEPS[current]])},ITM,"
        f"{t.draw(['5', '9'])},0\n"
    )
    return head + t.draw([new, update])


# --- added for imports
not_a_write(f"{R}.request_import_changes", "read (what an import row would change)")
not_a_write(f"{R}.request_import_update_check", "the check of request updates by import")
#: An update moves one step ahead (or stays) and changes the quantity (status → target).
UPDATE_STEPS = {"submitted": "verified", "verified": "approved", "approved": "planned"}


@service(f"{R}.request_import_update")
def _import_update(t: Attempt) -> None:
    status = t.draw(["submitted", "verified", "approved"])
    request = t.world.request[(t.area, t.org, status)]
    target_status = t.draw([status, UPDATE_STEPS[status]])
    services.request_import_update(
        actor=t.actor,
        request=request,
        data=request_input(
            t,
            facility=t.world.facility[t.to],
            place=None,
            organisation=t.world.org[t.draw(ORGS)],
            lines=[services.LineInput(quantity=Decimal(7), item=t.world.item)],
            status=target_status,
            reference=request.reference,
        ),
    )


# --- added for logistics: what convoys tell the requests


def _line(t: Attempt, status: str) -> Any:
    return t.world.request[(t.area, t.org, status)].lines.get()


@service(f"{W}.request_lines_dispatched")
def _lines_dispatched(t: Attempt) -> None:
    services.request_lines_dispatched(actor=t.actor, moves={_line(t, "approved").pk: Decimal(1)})


@service(f"{W}.request_lines_delivered")
def _lines_delivered(t: Attempt) -> None:
    services.request_lines_delivered(actor=t.actor, moves={_line(t, "dispatched").pk: Decimal(1)})


@service(f"{W}.request_lines_returned")
def _lines_returned(t: Attempt) -> None:
    services.request_lines_returned(actor=t.actor, moves={_line(t, "dispatched").pk: Decimal(5)})


@service(f"{W}.request_recall")
def _recall(t: Attempt) -> None:
    # Recall needs nothing on the road: bring the 5 dispatched back first (it recalls).
    request = t.world.request[(t.area, t.org, "dispatched")]
    services.request_lines_returned(actor=t.actor, moves={request.lines.get().pk: Decimal(5)})
    services.request_recall(actor=t.actor, request=request)

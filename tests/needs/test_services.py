"""Request workflow: each step its own service and permission, in the request's area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.needs import services
from reliefops.needs.choices import RequestStatus
from reliefops.stock import services as stock
from reliefops.stock.models import StockTransaction
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    partner_org = OrganisationFactory(acronym="KGNGO")
    kindergarten = FacilityFactory(kind="kindergarten", heated_area_m2=600)
    area = kindergarten.place.admin1
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    return {
        "org": partner_org,
        "facility": kindergarten,
        "area": area,
        "diesel": diesel,
        "partner": make_user("partner", areas=[area], organisation=partner_org),
        "coordinator": make_user("coordinator"),
        "field": make_user("field", areas=[area]),
    }


def fuel_request(scene, **overrides) -> services.RequestInput:
    values = {
        "requester_kind": "facility",
        "organisation": scene["org"],
        "facility": scene["facility"],
        "lines": [services.LineInput(quantity=Decimal(1500), item=scene["diesel"])],
        "needed_from": dt.date(2023, 10, 1),
        "needed_by": dt.date(2023, 10, 31),
        "priority": "urgent",
        "justification": "boiler heating",
    }
    values.update(overrides)
    return services.RequestInput(**values)


def test_full_workflow_with_partial_delivery(scene) -> None:
    request = services.request_submit(actor=scene["partner"], data=fuel_request(scene))
    assert request.status == RequestStatus.SUBMITTED and request.area == scene["area"]
    assert services.transitions_allowed(actor=scene["partner"], request=request) == ["cancel"]
    services.request_verify(actor=scene["field"], request=request)
    services.request_approve(actor=scene["coordinator"], request=request)
    services.request_plan(actor=scene["coordinator"], request=request)
    warehouse = WarehouseFactory()
    admin = UserFactory(is_superuser=True)
    stock.stock_receive(
        actor=admin, warehouse=warehouse, item=scene["diesel"], quantity=Decimal(1000)
    )
    line = request.lines.get()
    services.request_dispatch(
        actor=admin, request=request, warehouse=warehouse, quantities={line.pk: Decimal(1000)}
    )
    assert StockTransaction.objects.get(kind="dispatch").request_line_id == line.pk
    services.request_deliver(actor=admin, request=request)
    request.refresh_from_db()
    line.refresh_from_db()
    assert request.status == RequestStatus.PARTIALLY_DELIVERED
    assert (line.quantity_dispatched, line.quantity_delivered) == (1000, 1000)
    services.request_close(actor=scene["coordinator"], request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert [h.status for h in request.history.order_by("history_date")][-1] == "closed"


def test_each_step_has_its_own_permission(scene) -> None:
    request = services.request_submit(actor=scene["partner"], data=fuel_request(scene))
    with pytest.raises(Forbidden):
        services.request_verify(actor=scene["partner"], request=request)
    services.request_verify(actor=scene["field"], request=request)
    with pytest.raises(Forbidden):
        services.request_approve(actor=scene["field"], request=request)
    elsewhere = make_user("coordinator", areas=[FacilityFactory().place.admin1])
    with pytest.raises(Forbidden):
        services.request_approve(actor=elsewhere, request=request)
    services.request_approve(actor=scene["coordinator"], request=request)


def test_steps_out_of_order_are_refused(scene) -> None:
    request = services.request_submit(actor=scene["partner"], data=fuel_request(scene))
    with pytest.raises(services.InvalidTransition):
        services.request_approve(actor=scene["coordinator"], request=request)
    with pytest.raises(InvalidInput):
        services.request_reject(actor=scene["coordinator"], request=request, reason=" ")
    services.request_reject(
        actor=scene["coordinator"], request=request, reason="covered by the municipality"
    )
    with pytest.raises(services.InvalidTransition):
        services.request_cancel(actor=scene["partner"], request=request, reason="x")


def test_partner_submits_only_for_own_organisation_and_area(scene) -> None:
    with pytest.raises(Forbidden):
        services.request_submit(
            actor=scene["partner"], data=fuel_request(scene, organisation=OrganisationFactory())
        )
    with pytest.raises(Forbidden):
        services.request_submit(
            actor=scene["partner"], data=fuel_request(scene, facility=FacilityFactory())
        )


def test_duplicate_warns_before_saving(scene) -> None:
    first = services.request_submit(actor=scene["partner"], data=fuel_request(scene))
    overlapping = fuel_request(
        scene, needed_from=dt.date(2023, 10, 20), needed_by=dt.date(2023, 11, 20)
    )
    with pytest.raises(services.PossibleDuplicate) as info:
        services.request_submit(actor=scene["partner"], data=overlapping)
    assert info.value.details["duplicates"] == [first.reference]
    second = services.request_submit(
        actor=scene["partner"], data=overlapping, confirm_duplicate=True
    )
    assert second.pk != first.pk
    later = fuel_request(scene, needed_from=dt.date(2023, 12, 1), needed_by=dt.date(2023, 12, 31))
    services.request_submit(actor=scene["partner"], data=later)  # no overlap: no warning


def test_comment_is_recorded(scene) -> None:
    request = services.request_submit(actor=scene["partner"], data=fuel_request(scene))
    services.request_comment_add(
        actor=scene["coordinator"],
        request=request,
        text="Confirmed with the head of the kindergarten.",
    )
    assert request.comments.get().author == scene["coordinator"]


def test_one_entry_takes_every_step_and_refuses_unknown_ones(scene) -> None:
    from reliefops.core.workflow import UnknownStep

    request = services.request_submit(actor=scene["partner"], data=fuel_request(scene))
    services.request_transition(actor=scene["field"], request=request, step="verify")
    services.request_transition(actor=scene["coordinator"], request=request, step="approve")
    with pytest.raises(UnknownStep):
        services.request_transition(actor=scene["coordinator"], request=request, step="teleport")
    with pytest.raises(InvalidInput):  # a reason is needed
        services.request_transition(actor=scene["coordinator"], request=request, step="reject")
    services.request_transition(
        actor=scene["coordinator"], request=request, step="reject", reason="duplicate"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.status_reason == "duplicate"
    assert set(services.REQUEST_WORKFLOW.next_states(RequestStatus.SUBMITTED)) == {
        "verify",
        "reject",
        "cancel",
    }


def test_import_in_a_later_status_goes_through_the_same_steps(scene) -> None:
    """An imported request may start verified only for someone who may verify, and never
    dispatched (only the dispatch step posts the stock) nor with dispatched quantities."""
    from reliefops.core.workflow import InvalidTransition

    verified = fuel_request(scene, status=RequestStatus.VERIFIED, reference="IMP-1")
    with pytest.raises(Forbidden):  # the partner may submit but not verify
        services.request_import_bulk(actor=scene["partner"], requests=[verified])
    own_field = make_user("field", areas=[scene["area"]], organisation=scene["org"])
    assert services.request_import_bulk(actor=own_field, requests=[verified]) == 1
    dispatched = fuel_request(scene, status=RequestStatus.DISPATCHED, reference="IMP-2")
    with pytest.raises(InvalidTransition):
        services.request_import_bulk(actor=scene["coordinator"], requests=[dispatched])
    sent = fuel_request(
        scene,
        status=RequestStatus.SUBMITTED,
        reference="IMP-3",
        planned=[(Decimal(0), Decimal(10), Decimal(0))],
    )
    with pytest.raises(InvalidInput):
        services.request_import_bulk(actor=scene["coordinator"], requests=[sent])


def test_a_facility_request_cannot_name_another_place(scene) -> None:
    from tests.stock.factories import PlaceFactory

    elsewhere = PlaceFactory(admin1=scene["area"])
    with pytest.raises(InvalidInput):
        services.request_submit(actor=scene["partner"], data=fuel_request(scene, place=elsewhere))

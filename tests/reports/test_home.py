"""The overview says what waits for each user: requests at a step the user may take, in
the user's areas and (for own-organisation steps) organisation; overdue requests; roads
closed in the user's areas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from reliefops.needs import services
from reliefops.places.models import RoadNode, RoadSegment
from reliefops.reports.selectors import awaiting_action
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def _request(admin: Any, facility: Any, org: Any, status: str, needed_by: dt.date) -> Any:
    return services.request_submit(
        actor=admin,
        data=services.RequestInput(
            requester_kind="facility",
            organisation=org,
            facility=facility,
            lines=[services.LineInput(quantity=Decimal(5), item=ItemFactory(code="FLR"))],
            needed_from=needed_by - dt.timedelta(days=10),
            needed_by=needed_by,
            status=status,
        ),
        confirm_duplicate=True,
    )


@pytest.fixture
def world() -> dict[str, Any]:
    admin = UserFactory(is_superuser=True)
    here, there = FacilityFactory(kind="school"), FacilityFactory(kind="school")
    own, other = OrganisationFactory(acronym="OWN"), OrganisationFactory(acronym="OTHER")
    future = dt.date.today() + dt.timedelta(days=30)
    past = dt.date.today() - dt.timedelta(days=3)
    reqs = {
        "draft_own": _request(admin, here, own, "draft", future),
        "draft_other": _request(admin, here, other, "draft", future),
        "submitted_here": _request(admin, here, own, "submitted", past),
        "submitted_there": _request(admin, there, own, "submitted", future),
        "verified_here": _request(admin, here, other, "submitted", future),
    }
    services.request_verify(actor=admin, request=reqs["verified_here"])
    area = here.place.admin1
    nodes = [
        RoadNode.objects.create(code=f"N{i}", kind="place", place=place, latitude=40, longitude=47)
        for i, place in enumerate([here.place, PlaceFactory(admin1=area), there.place])
    ]
    RoadSegment.objects.create(
        code="R-HERE", from_node=nodes[0], to_node=nodes[1], length_km=5, status="closed"
    )
    RoadSegment.objects.create(
        code="R-THERE", from_node=nodes[2], to_node=nodes[2], length_km=5, status="restricted"
    )
    return {"area": area, "own": own, "reqs": reqs}


def _groups(actor: Any) -> dict[str, list[str]]:
    return {
        g.key: [getattr(o, "reference", getattr(o, "code", "")) for o in g.items]
        for g in awaiting_action(actor=actor)
    }


def test_each_role_sees_the_steps_it_may_take_in_its_scope(world: dict[str, Any]) -> None:
    reqs = {k: r.reference for k, r in world["reqs"].items()}
    partner = make_user("partner", areas=[world["area"]], organisation=world["own"])
    groups = _groups(partner)
    # Submitting is an own-organisation step: the other organisation's draft is not listed.
    assert groups["submit"] == [reqs["draft_own"]]
    assert "verify" not in groups and "approve" not in groups and "roads" not in groups
    assert groups["overdue"] == [reqs["submitted_here"]]

    field = make_user("field", areas=[world["area"]])
    groups = _groups(field)
    assert groups["verify"] == [reqs["submitted_here"]]  # not the one in another area
    assert "approve" not in groups

    coordinator = make_user("coordinator")
    groups = _groups(coordinator)
    assert set(groups["submit"]) == {reqs["draft_own"], reqs["draft_other"]}
    assert groups["verify"] == [reqs["submitted_here"], reqs["submitted_there"]]
    assert groups["approve"] == [reqs["verified_here"]]
    assert groups["roads"] == ["R-HERE", "R-THERE"]  # closed first, every area

    logistics = make_user("logistics", areas=[world["area"]])
    assert _groups(logistics)["roads"] == ["R-HERE"]
    assert _groups(make_user("viewer", areas=[world["area"]])) == {}


def test_home_page_links_each_item_to_where_to_act(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(make_user("coordinator"))
    html = client.get("/").content.decode()
    assert 'id="awaiting"' in html
    verified = world["reqs"]["verified_here"]
    assert f'href="/needs/requests/{verified.pk}/"' in html
    assert 'href="/places/roads/R-HERE/"' in html
    client.force_login(make_user("viewer", areas=[world["area"]]))
    assert 'id="awaiting-none"' in client.get("/").content.decode()


def test_groups_count_beyond_the_items_shown(world: dict[str, Any]) -> None:
    groups = {g.key: g for g in awaiting_action(actor=make_user("coordinator"), limit=1)}
    assert groups["verify"].count == 2 and len(groups["verify"].items) == 1
    assert groups["verify"].status == "submitted"

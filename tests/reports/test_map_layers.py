"""The map's open-requests layer: scoped like the request list, coloured by priority."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from reliefops.needs import services
from reliefops.needs.models import Request
from tests.accounts.factories import OrganisationFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory

pytestmark = pytest.mark.django_db

URL = "/reports/map/requests.geojson"


def _submit(actor, org, facility, item, *, priority: str, quantity: int = 1200) -> Request:  # type: ignore[no-untyped-def]
    return services.request_submit(
        actor=actor,
        data=services.RequestInput(
            requester_kind="facility",
            organisation=org,
            facility=facility,
            priority=priority,
            lines=[services.LineInput(quantity=Decimal(quantity), item=item)],
            needed_from=dt.date(2023, 10, 1),
            needed_by=dt.date(2023, 10, 31),
        ),
    )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_areas():  # type: ignore[no-untyped-def]
    org = OrganisationFactory(acronym="KGNGO")
    here = FacilityFactory(kind="kindergarten", names={"en": "Kindergarten 3", "ru": "Детсад № 3"})
    there = FacilityFactory(kind="school")
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel", names={"en": "Diesel"})
    partner = make_user("partner", areas=[here.place.admin1], organisation=org)
    other = make_user("partner", areas=[there.place.admin1], organisation=org)
    mine = _submit(partner, org, here, diesel, priority="life_saving")
    theirs = _submit(other, org, there, diesel, priority="routine")
    return {"partner": partner, "mine": mine, "theirs": theirs, "here": here}


def test_an_out_of_scope_request_never_appears(two_areas) -> None:  # type: ignore[no-untyped-def]
    data = _client(two_areas["partner"]).get(URL).json()
    refs = {f["properties"]["reference"] for f in data["features"]}
    assert two_areas["mine"].reference in refs
    assert two_areas["theirs"].reference not in refs
    coordinator = _client(make_user("coordinator")).get(URL).json()
    assert {two_areas["mine"].reference, two_areas["theirs"].reference} <= {
        f["properties"]["reference"] for f in coordinator["features"]
    }


def test_features_carry_priority_place_items_and_link(two_areas) -> None:  # type: ignore[no-untyped-def]
    client = _client(two_areas["partner"])
    client.cookies["django_language"] = "ru"
    (feature,) = client.get(URL).json()["features"]
    props = feature["properties"]
    here = two_areas["here"]
    assert feature["geometry"]["coordinates"] == [round(here.longitude, 6), round(here.latitude, 6)]
    assert props["priority"] == "life_saving" and props["colour"] == "#c53030"
    assert props["priority_label"] and props["where"] == "Детсад № 3"
    assert props["lines"][0]["quantity"].replace("\xa0", " ").startswith("1 200")
    assert props["needed_by"] == "2023-10-31" and props["overdue"] is True
    assert props["url"] == f"/needs/requests/{two_areas['mine'].pk}/"


def test_closed_requests_leave_the_layer(two_areas) -> None:  # type: ignore[no-untyped-def]
    Request.objects.filter(pk=two_areas["mine"].pk).update(status="cancelled")
    assert _client(two_areas["partner"]).get(URL).json()["features"] == []


def test_the_map_page_offers_the_layer_toggle(two_areas) -> None:  # type: ignore[no-untyped-def]
    page = _client(two_areas["partner"]).get("/reports/map/").content.decode()
    assert (
        'id="layer-requests"' in page
        and 'data-requests-url="/reports/map/requests.geojson"' in page
    )
    assert page.count('name="request_priority"') == 3


def test_with_a_date_the_layer_holds_the_requests_made_by_then(two_areas) -> None:  # type: ignore[no-untyped-def]
    """The dashboard's and the situation report's map follow the open-requests figure of
    their day: requests made after it are not on the map of that day."""
    Request.objects.filter(pk=two_areas["mine"].pk).update(
        created_at=dt.datetime(2023, 9, 28, 12, tzinfo=dt.UTC)
    )
    client = _client(two_areas["partner"])

    def refs(query: str) -> set[str]:
        return {f["properties"]["reference"] for f in client.get(URL + query).json()["features"]}

    assert refs("?date=2023-09-27") == set()
    assert refs("?date=2023-09-28") == {two_areas["mine"].reference}
    assert refs("") == {two_areas["mine"].reference}
    assert client.get(URL + "?date=soon").status_code == 400


def test_requests_open_on_a_past_day_follow_their_history(two_areas) -> None:  # type: ignore[no-untyped-def]
    """A report of a past day counts the requests open at its end by their recorded
    versions: cancelled since counts on the day before the cancellation, not after."""
    from reliefops.needs.selectors import request_open_on

    def at(day: int) -> dt.datetime:
        return dt.datetime(2023, 9, day, 12, tzinfo=dt.UTC)

    mine = Request.objects.get(pk=two_areas["mine"].pk)
    Request.objects.filter(pk=mine.pk).update(created_at=at(20))
    mine.history.update(history_date=at(20))
    mine.refresh_from_db()
    mine.status = "cancelled"
    mine.save()  # a new recorded version, dated below
    mine.history.filter(status="cancelled").update(history_date=at(25))
    partner = two_areas["partner"]

    def open_on(day: int) -> set[str]:
        return set(
            request_open_on(actor=partner, day=dt.date(2023, 9, day)).values_list(
                "reference", flat=True
            )
        )

    assert open_on(19) == set()  # not made yet
    assert open_on(20) == open_on(24) == {mine.reference}
    assert open_on(25) == open_on(26) == set()
    assert not request_open_on(actor=partner, day=dt.date.today()).filter(pk=mine.pk).exists()

    def figure(day: str) -> int:
        data = _client(partner).get(f"/api/v1/reports/dashboard/?date={day}").json()
        (section,) = [s for s in data["sections"] if s["key"] == "requests"]
        return {f["key"]: f["value"] for f in section["figures"]}["requests.open"]

    assert (figure("2023-09-22"), figure("2023-09-26")) == (1, 0)

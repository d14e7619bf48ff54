"""The list mechanism (core.lists) on the request list: paging, sort, filters, search in
every language held, the overdue mark, and the API and the export sharing the FilterSet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from reliefops.core.lists import ListOrdering, area_q, name_languages, search_q
from reliefops.core.templatetags.lists import number
from reliefops.needs.filtersets import RequestFilterSet
from reliefops.needs.models import Request, RequestLine
from reliefops.needs.selectors import request_list
from reliefops.places.models import PlaceName
from tests.accounts.factories import OrganisationFactory, make_user
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

pytestmark = pytest.mark.django_db

TOTAL = 60
KINDERGARTEN_REQUESTS = 3


@pytest.fixture
def world() -> dict[str, Any]:
    region = AdminAreaFactory(code="TL-REG", level=1, names={"en": "Testregion"})
    district = AdminAreaFactory(
        code="TL-DIS", level=2, parent=region, names={"en": "Testdistrict", "ru": "Тестрайон"}
    )
    elsewhere = AdminAreaFactory(code="TL-OTH", level=1, names={"en": "Otherregion"})
    village = PlaceFactory(code="TL-P1", admin1=district, names={"en": "Testville"})
    PlaceName.objects.create(place=village, name="Tesztfalu", language="hu")
    other_place = PlaceFactory(code="TL-P2", admin1=elsewhere, names={"en": "Othertown"})
    kindergarten = FacilityFactory(
        code="TL-KG1",
        kind="kindergarten",
        place=village,
        names={"en": "Kindergarten No. 1, Testville", "ru": "Детский сад № 1, Тествиль"},
    )
    school = FacilityFactory(
        code="TL-SCH1",
        kind="school",
        place=other_place,
        names={"en": "School No. 1, Othertown", "ru": "Школа № 1, Озертаун"},
    )
    diesel = ItemFactory(code="TL-DSL", unit="litre", names={"en": "Diesel fuel", "ru": "Дизель"})
    bread = ItemFactory(code="TL-BRD", unit="kg", names={"en": "Bread", "ru": "Хлеб"})
    org = OrganisationFactory(acronym="TLORG", names={"en": "Test Relief"})
    today = timezone.localdate()
    requests = []
    for n in range(TOTAL):
        in_kindergarten = n < KINDERGARTEN_REQUESTS
        facility = kindergarten if in_kindergarten else school
        requests.append(
            Request(
                reference=f"TL-{n:03d}",
                requester_kind="facility",
                facility=facility,
                place=facility.place,
                area=facility.place.admin1,
                organisation=org,
                priority=["routine", "urgent", "life_saving"][n % 3],
                needed_from=today - dt.timedelta(days=40),
                needed_by=today + dt.timedelta(days=n - 10),
                justification="heating for the winter" if n == 7 else "",
                status="closed" if n == 5 else "submitted",
            )
        )
    Request.objects.bulk_create(requests)
    RequestLine.objects.bulk_create(
        RequestLine(
            request=r,
            item=diesel if i % 2 == 0 else bread,
            quantity=Decimal("45877050") if i == 0 else Decimal(100 + i),
            unit="litre" if i % 2 == 0 else "kg",
        )
        for i, r in enumerate(Request.objects.order_by("reference"))
    )
    return {
        "region": region,
        "district": district,
        "kindergarten": kindergarten,
        "coordinator": make_user("coordinator"),
        "today": today,
    }


def client_for(user: Any, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def references(html: str) -> list[str]:
    return re.findall(r'data-reference="([^"]+)"', html)


def page_refs(client: Client, **params: Any) -> list[str]:
    response = client.get("/needs/requests/", params)
    assert response.status_code == 200, response.content[:500]
    return references(response.content.decode())


def test_paging_never_cuts_silently_and_pages_do_not_overlap(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    seen: list[str] = []
    for page in (1, 2, 3):
        rows = page_refs(client, page_size=25, page=page)
        assert len(rows) == (25 if page < 3 else TOTAL - 50)
        seen += rows
    assert sorted(seen) == sorted(f"TL-{n:03d}" for n in range(TOTAL))
    html = client.get("/needs/requests/", {"page_size": 25}).content.decode()
    assert "page=2" in html and "Rows 1–25 of 60" in html
    assert len(page_refs(client)) == 50  # the default page size
    assert client.get("/needs/requests/", {"page_size": 7}).status_code == 400


def test_page_links_keep_the_filters_and_the_sort(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    html = client.get(
        "/needs/requests/", {"status": "submitted", "o": "-reference", "page_size": 25}
    ).content.decode()
    links = set(re.findall(r'href="/needs/requests/\?([^"]+)"', html))
    page_two = [q for q in links if "page=2" in q]
    assert page_two and all("status=submitted" in q and "o=-reference" in q for q in page_two)


def test_sorting_by_a_declared_column_both_ways(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    ascending = page_refs(client, o="reference", page_size=100)
    assert ascending == sorted(ascending) and len(ascending) == TOTAL
    assert page_refs(client, o="-reference", page_size=100) == ascending[::-1]
    by_date = page_refs(client, o="-needed_by", page_size=25)
    assert by_date[0] == f"TL-{TOTAL - 1:03d}"
    by_priority = page_refs(client, o="priority", page_size=100)
    first = Request.objects.get(reference=by_priority[0])
    last = Request.objects.get(reference=by_priority[-1])
    assert (first.priority, last.priority) == ("life_saving", "routine")
    assert client.get("/needs/requests/", {"o": "justification"}).status_code == 400


def test_search_finds_a_facility_by_its_name_in_another_language(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"], "ru")
    html = client.get("/needs/requests/", {"q": "Kindergarten"}).content.decode()
    expected = {f"TL-{n:03d}" for n in range(KINDERGARTEN_REQUESTS)}
    assert set(references(html)) == expected
    assert "Детский сад № 1, Тествиль" in html  # shown in the user's language
    assert set(page_refs(client, q="Детский сад")) == expected
    assert set(page_refs(client, q="tesztfalu")) == expected  # an alternate place name
    assert set(page_refs(client, q="TL-KG1")) == expected  # the facility's code


def test_search_covers_justification_items_and_organisation(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    assert page_refs(client, q="winter") == ["TL-007"]
    diesel = page_refs(client, q="diesel FUEL", page_size=100)
    assert sorted(diesel) == [f"TL-{n:03d}" for n in range(0, TOTAL, 2)]
    assert len(page_refs(client, q="Test Relief", page_size=100)) == TOTAL
    assert page_refs(client, q="nothing like this") == []


def test_filters_area_with_descendants_item_and_dates(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    expected = {f"TL-{n:03d}" for n in range(KINDERGARTEN_REQUESTS)}
    assert set(page_refs(client, area="TL-REG")) == expected  # the region holds the district
    assert set(page_refs(client, area="TL-DIS")) == expected
    assert len(page_refs(client, item="TL-BRD", page_size=100)) == TOTAL // 2
    today = world["today"]
    window = page_refs(
        client,
        needed_after=(today + dt.timedelta(days=0)).isoformat(),
        needed_before=(today + dt.timedelta(days=2)).isoformat(),
    )
    assert sorted(window) == ["TL-010", "TL-011", "TL-012"]


def test_overdue_requests_are_flagged_and_filtered(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    overdue = sorted(page_refs(client, overdue="true", page_size=100))
    # needed_by = today + n - 10: n < 10 is past; TL-005 is closed (terminal), never overdue.
    assert overdue == [f"TL-{n:03d}" for n in range(10) if n != 5]
    html = client.get("/needs/requests/", {"o": "reference", "page_size": 25}).content.decode()
    flagged = re.findall(r'<tr class="overdue" data-reference="([^"]+)"', html)
    assert flagged == overdue
    rows = request_list(actor=world["coordinator"])
    from reliefops.needs.selectors import request_overdue_annotate

    marks = {r.reference: r.is_overdue for r in request_overdue_annotate(rows)}
    assert marks["TL-004"] and not marks["TL-005"] and not marks["TL-010"]


def test_numbers_are_grouped_by_the_locale_and_units_shown(world: dict[str, Any]) -> None:
    with translation.override("en"):
        assert number(Decimal("45877050.000")) == "45,877,050"
        assert number(Decimal("1.500")) == "1.5"
    with translation.override("ru"):
        assert number(Decimal("45877050.000")).replace("\xa0", " ") == "45 877 050"
    html = client_for(world["coordinator"]).get("/needs/requests/", {"q": "TL-000"})
    assert "45,877,050 litre" in html.content.decode()


def test_the_api_list_shares_filters_sort_and_paging(world: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world["coordinator"])
    body = api.get("/api/v1/requests/", {"q": "Kindergarten", "o": "-reference", "page_size": 2})
    assert body.status_code == 200, body.json()
    data = body.json()
    assert data["count"] == KINDERGARTEN_REQUESTS and data["next"]
    assert [r["reference"] for r in data["results"]] == ["TL-002", "TL-001"]
    second = api.get(data["next"]).json()
    assert [r["reference"] for r in second["results"]] == ["TL-000"]
    overdue = api.get("/api/v1/requests/", {"overdue": "true", "page_size": 100}).json()
    assert overdue["count"] == 9
    assert all(r["overdue"] for r in overdue["results"])
    on_time = api.get("/api/v1/requests/", {"overdue": "false", "page_size": 100}).json()
    assert on_time["results"] and not any(r["overdue"] for r in on_time["results"])
    refused = api.get("/api/v1/requests/", {"o": "nope"})
    assert refused.status_code == 400


def test_the_export_holds_exactly_the_filtered_rows(world: dict[str, Any]) -> None:
    client = client_for(world["coordinator"])
    html = client.get("/needs/requests/", {"area": "TL-REG", "page_size": 25}).content.decode()
    link = re.search(r'href="(/intake/export/requests/\?[^"]*format=csv[^"]*)"', html)
    assert link, "the list offers an export of its rows"
    href = link.group(1).replace("&amp;", "&")
    assert "area=TL-REG" in href and "page_size" not in href
    response = client.get(href)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    filtered = RequestFilterSet(
        data={"area": "TL-REG"}, queryset=request_list(actor=world["coordinator"])
    ).qs
    assert {r["reference"] for r in rows} == set(filtered.values_list("reference", flat=True))
    assert len({r["reference"] for r in rows}) == KINDERGARTEN_REQUESTS


def test_search_q_looks_in_every_language_held() -> None:
    langs = name_languages()
    assert {"en", "az", "ru", "hy"} <= set(langs)
    q = search_q("x", texts=["reference"], names=["facility__names"])
    lookups = {child[0] for child in q.children}
    assert "reference__icontains" in lookups
    assert {f"facility__names__{lang}__icontains" for lang in langs} <= lookups
    assert "area__parent__parent__code" in str(area_q("area", "X"))


def test_ordering_refuses_an_undeclared_column() -> None:
    ordering = ListOrdering(columns={"reference": "reference"})
    assert [value for value, _label in ordering.field.choices if value] == [
        "reference",
        "-reference",
    ]

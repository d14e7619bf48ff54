"""Browser journey over a list (core.lists): the request list is searched, filtered,
sorted and paged in place (HTMX, URL pushed), and its export link holds exactly the
filtered rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.browser

KINDERGARTEN = 60  # half urgent: 30 rows filtered, two pages of 25


def _scene() -> None:
    from django.utils import timezone

    from reliefops.needs.models import Request, RequestLine
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea
    from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory

    area = AdminArea.objects.get(code="AZ-XA")
    place = PlaceFactory(code="AZ-E2E-L", kind="city", admin1=area, names={"en": "Listville"})
    kindergarten = FacilityFactory(
        code="F-E2E-LKG",
        kind="kindergarten",
        place=place,
        names={"en": "Kindergarten No. 9, Listville", "ru": "Детский сад № 9, Листвиль"},
    )
    school = FacilityFactory(
        code="F-E2E-LSC", kind="school", place=place, names={"en": "School No. 9, Listville"}
    )
    diesel = ItemFactory(code="DSL", category="fuel", unit="litre", names={"en": "Diesel fuel"})
    organisation = Organisation.objects.order_by("acronym").first()
    today = timezone.localdate()
    requests = [
        Request(
            reference=f"E2E-L-{n:03d}",
            requester_kind="facility",
            facility=kindergarten if n < KINDERGARTEN else school,
            place=place,
            area=area,
            organisation=organisation,
            priority="urgent" if n % 2 else "routine",
            needed_from=today,
            needed_by=today + dt.timedelta(days=n % 7),
            status="submitted",
        )
        for n in range(KINDERGARTEN + 10)
    ]
    Request.objects.bulk_create(requests)
    RequestLine.objects.bulk_create(
        RequestLine(request=r, item=diesel, quantity=Decimal(1000 + i), unit="litre")
        for i, r in enumerate(Request.objects.filter(reference__startswith="E2E-L-"))
    )


def _shown(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#request-rows tr[data-reference]", "rows => rows.map(r => r.dataset.reference)"
    )


def _wait_count(page: Any, text: str) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "t => (document.querySelector('.pager-count') || {}).textContent?.includes(t)", arg=text
    )


def test_request_list_sorted_filtered_paged_and_exported(
    page: Any, demo_data: None, screenshot: Any
) -> None:
    from reliefops.accounts.models import User
    from reliefops.needs.filtersets import RequestFilterSet
    from reliefops.needs.selectors import request_list

    _scene()
    login(page, "coordinator")
    page.goto(page.base_url + "/needs/requests/")
    page.click(".pager-sizes a[data-page-size='25']")
    _wait_count(page, "1–25 of")
    assert "page_size=25" in page.url

    page.fill("#request-filters input[name=q]", "Kindergarten")
    _wait_count(page, f"of {KINDERGARTEN}")
    page.select_option("#request-filters select[name=priority]", "urgent")
    _wait_count(page, "1–25 of 30")
    assert "priority=urgent" in page.url and "q=Kindergarten" in page.url
    assert "page_size=25" in page.url  # the page size travels with the filters
    assert len(_shown(page)) == 25

    page.click(
        "#request-table th a[data-sort^='o=reference'], #request-table th a[data-sort*='&o=reference']"
    )
    page.wait_for_function("() => document.querySelector('#request-table th[aria-sort=ascending]')")
    page.wait_for_load_state("networkidle")
    ascending = _shown(page)
    assert ascending == sorted(ascending)
    page.click("#request-table th[aria-sort=ascending] a")
    page.wait_for_function(
        "() => document.querySelector('#request-table th[aria-sort=descending]')"
    )
    page.wait_for_load_state("networkidle")
    descending = _shown(page)
    assert descending == sorted(descending, reverse=True) and descending != ascending
    assert "o=-reference" in page.url

    page.click(".pager-pages a[data-page='2']")
    _wait_count(page, "26–30 of 30")
    second = _shown(page)
    assert len(second) == 5 and not set(second) & set(descending)
    assert second == sorted(second, reverse=True) and second[0] < descending[-1]
    assert "page=2" in page.url and "priority=urgent" in page.url
    screenshot(page, "lists-requests-filtered")

    href = page.get_attribute(".list-export a[data-export='csv']", "href")
    assert href and "priority=urgent" in href and "page=" not in href.replace("page_size", "")
    response = page.request.get(page.base_url + href)
    assert response.ok
    exported = {
        row["reference"] for row in csv.DictReader(io.StringIO(response.body().decode("utf-8-sig")))
    }
    coordinator = User.objects.get(username="coordinator")
    filtered = RequestFilterSet(
        data={"q": "Kindergarten", "priority": "urgent"},
        queryset=request_list(actor=coordinator),
    ).qs
    expected = set(filtered.values_list("reference", flat=True))
    assert len(expected) == 30
    assert exported == expected
    assert exported == set(descending) | set(second)  # what the two pages showed

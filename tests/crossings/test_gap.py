"""Must hold (issue 13, 4): changing a flow count changes the estimated population and the
Sphere need in the gap analysis — through the gap selector, the gap page and the gap API,
on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from reliefops.crossings.selectors import population_current
from reliefops.needs import services as needs
from reliefops.needs.selectors import gap_analysis
from tests.crossings.scene import crossings_scene
from tests.stock.factories import ItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DAYS = 10
BREAD_KG_PER_PERSON_DAY = 0.35  # the Sphere estimator's default (needs/parameters.py)


def _bread(scene: object, user: object) -> dict[str, float]:
    """Area A's bread row of the gap analysis: by the selector, the API and the page."""
    rows = {(r.area_code, r.item_code): r for r in gap_analysis(actor=user, days=DAYS).rows}
    api = APIClient()
    api.force_authenticate(user)
    body = api.get(f"/api/v1/needs/gap/?days={DAYS}").json()
    api_rows = {(r["area"], r["item"]): r for r in body["rows"]}
    page = Client()
    page.force_login(user)
    html = page.get(f"/needs/gap/?days={DAYS}").content.decode()
    estimated = rows[("ZC-A", "BRD")].estimated
    assert api_rows[("ZC-A", "BRD")]["estimated"] == pytest.approx(estimated)
    assert f'<td class="num">{estimated:,.0f}</td>' in html
    return {"estimated": estimated, "need": rows[("ZC-A", "BRD")].need}


def test_a_flow_count_moves_the_estimated_population_and_the_sphere_need() -> None:
    scene = crossings_scene()
    for code in ("BRD", "FLR"):
        ItemFactory(code=code)
    today = timezone.localdate()
    needs.request_submit(  # an open request makes area A an area of operation
        actor=scene.admin,
        data=needs.RequestInput(
            requester_kind="place",
            organisation=scene.org,
            place=scene.place["A1"],
            lines=[needs.LineInput(quantity=Decimal(5), item=ItemFactory(code="BRD"))],
            needed_from=today,
            needed_by=today + dt.timedelta(days=13),
        ),
    )
    coordinator = scene.coordinator
    people = 4000  # A1 1,000 + A2 3,000 (census, before any count)
    before = _bread(scene, coordinator)
    assert before["estimated"] == pytest.approx(people * DAYS * BREAD_KG_PER_PERSON_DAY)

    day = today - dt.timedelta(days=3)
    scene.count(day=day, persons=1000)
    assert sum(e.value for e in population_current(on=today).values() if e.crossing_points) == 3000
    after = _bread(scene, coordinator)
    assert after["estimated"] == pytest.approx(3000 * DAYS * BREAD_KG_PER_PERSON_DAY)
    assert after["need"] < before["need"]

    # A correction of the same count moves them again; an inbound flow brings people back.
    scene.count(day=day, persons=2000, reason="the second lane was not counted")
    scene.count(day=day, persons=500, direction="inbound")
    corrected = _bread(scene, coordinator)
    assert corrected["estimated"] == pytest.approx(2500 * DAYS * BREAD_KG_PER_PERSON_DAY)

    # The Sphere estimate of one place follows too (its share: 1,000 / 4,000).
    api = APIClient()
    api.force_authenticate(coordinator)
    sphere = api.get(f"/api/v1/needs/sphere/{scene.place['A1'].code}/?days={DAYS}").json()
    assert sphere["population"] == 1000 - 500 + 125

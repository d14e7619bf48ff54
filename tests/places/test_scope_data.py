"""The scope data: cities that are ISO 3166-2 units beside a district (Yevlakh city AZ-YE
and Yevlakh District AZ-YEV …) — names told apart, villages in the district's area, demo
memberships that reach the facilities and roads their users work with."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from reliefops.places.admin_areas import DATA_DIR, LANGS

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("places_gazetteer")]


def test_no_two_areas_of_a_country_share_a_name_in_any_language() -> None:
    with (DATA_DIR / "admin_areas.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for lang in LANGS:
        holders: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in rows:
            if row[f"name_{lang}"]:
                holders[(row["code"][:2], row[f"name_{lang}"])].append(row["code"])
        shared = {name: codes for name, codes in holders.items() if len(codes) > 1}
        assert not shared, f"{lang}: areas a person cannot tell apart: {shared}"


def test_no_village_of_a_district_is_filed_in_the_city_beside_it(gazetteer: None) -> None:
    from reliefops.places.models import Place
    from reliefops.places.scope_data import misfiled_places

    found = misfiled_places()
    assert not found, "\n".join(f"{f.code} {f.name} in {f.area}" for f in found)
    # The cases this caught, now fixed in the data: a village of Lankaran District that
    # GeoNames files with the city, a village of Khojaly District hand-placed in Khankendi.
    areas = dict(
        Place.objects.filter(code__in=["AZ-G148088", "AZ-S0034", "AZ-G147622"]).values_list(
            "code", "admin1__code"
        )
    )
    assert areas == {"AZ-G148088": "AZ-LAN", "AZ-S0034": "AZ-XCI", "AZ-G147622": "AZ-LA"}


def _demo_areas() -> dict[str, set[str]]:
    from reliefops.accounts.demo import USERS

    return {username: set(codes) for username, _role, _org, codes in USERS if codes}


def test_demo_memberships_that_name_a_district_name_the_city_they_work_in(
    gazetteer: None,
) -> None:
    """A membership naming a district also names the city beside it when the demo has
    facilities or roads in that city (the logistics officer "in Yevlakh")."""
    from reliefops.places.scope_data import city_district_pairs, in_city_areas

    pairs = city_district_pairs()
    used = {f.area for f in in_city_areas()}
    problems = [
        f"{user}: {', '.join(sorted(set(pairs[city].districts) & areas))} without {city}"
        for user, areas in _demo_areas().items()
        for city in sorted(used)
        if set(pairs[city].districts) & areas and city not in areas
    ]
    assert not problems, problems


def test_demo_users_reach_the_warehouses_their_organisation_manages(gazetteer: None) -> None:
    from reliefops.accounts.choices import Role
    from reliefops.accounts.demo import USERS
    from reliefops.places.models import Facility
    from reliefops.stock.demo import WAREHOUSES

    area_of = dict(Facility.objects.values_list("code", "place__admin1__code"))
    problems = []
    for username, role, org, codes in USERS:
        if role != Role.LOGISTICS or not codes:
            continue
        for facility, manager, _stock in WAREHOUSES:
            if manager == org and area_of[facility] not in codes and area_of[facility][:2] == "AZ":
                problems.append(f"{username} ({org}) cannot use {facility} in {area_of[facility]}")
    assert not problems, problems


def test_the_logistics_officer_can_close_the_yevlakh_barda_road(gazetteer: None) -> None:
    from reliefops.accounts.demo import USERS
    from reliefops.core.errors import Forbidden
    from reliefops.places.models import AdminArea, RoadSegment
    from reliefops.places.services import road_segment_set_status
    from tests.accounts.factories import make_user

    codes = next(c for name, _r, _o, c in USERS if name == "logistics")
    officer = make_user("logistics", areas=AdminArea.objects.filter(code__in=codes))
    segment = RoadSegment.objects.get(code="SR-YEV-BAR")
    closed = road_segment_set_status(
        actor=officer, segment=segment, status="closed", reason="Bridge inspection"
    )
    assert closed.status == "closed"
    # The district alone does not reach the road: its first end is Yevlakh city (AZ-YE).
    district_only = make_user("logistics", areas=[AdminArea.objects.get(code="AZ-YEV")])
    with pytest.raises(Forbidden):
        road_segment_set_status(actor=district_only, segment=segment, status="open")
    road_segment_set_status(actor=officer, segment=segment, status="open")


def test_khankendi_population_is_the_sourced_dated_figure(gazetteer: None) -> None:
    import datetime as dt

    from reliefops.places.selectors import place_get, place_population
    from tests.accounts.factories import make_user

    place = place_get(actor=make_user("viewer"), code="AZ-G146970")
    population = place_population(place)
    assert population is not None
    assert (population.value, population.as_of) == (55200, dt.date(2015, 10, 1))
    assert "2015 census" in population.source

"""Checks of the scope data: is every place, facility and road in the area it belongs to?

A facility's area is its place's ``admin1``; a road segment's is its first end place's
(:func:`reliefops.places.selectors.road_segment_area`). Eight Azerbaijani cities are ISO
3166-2 units of their own beside (or inside) a district: Yevlakh city (AZ-YE) and Yevlakh
District (AZ-YEV), Shaki, Lankaran, Ganja/Goygol, Mingachevir, Naftalan, Shirvan and
Khankendi/Khojaly (``data/city_districts.csv``). Two mistakes follow from it, and this
module finds the first:

* a village of the district filed in the city's area (GeoNames files Lankaran District's
  villages with Lankaran city; a hand-placed village next to Khankendi) — a place whose
  kind is below a town, in a city's area, and not listed as part of the city;
* a membership that names the district but not the city (an officer "in Yevlakh" who
  cannot use the Yevlakh warehouse) — memberships are the accounts app's, so
  ``tests/places/test_scope_data.py`` checks the demo's against :func:`city_district_pairs`.

A table for people: ``reliefops shell -c "from reliefops.places.scope_data import report;
report()"``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from reliefops.places.choices import PlaceKind
from reliefops.places.models import Facility, Place, RoadSegment
from reliefops.places.selectors import road_segment_area

DATA_DIR = Path(__file__).resolve().parent / "data"
#: Kinds a city's own area may hold without being listed as part of the city.
CITY_KINDS = {PlaceKind.CITY, PlaceKind.TOWN}


@dataclass(frozen=True)
class CityDistricts:
    city: str
    districts: tuple[str, ...]
    part_of_city: frozenset[str]
    note: str


@dataclass(frozen=True)
class ScopeFinding:
    kind: str  # "place", "facility" or "road"
    code: str
    name: str
    area: str
    city: CityDistricts


def city_district_pairs() -> dict[str, CityDistricts]:
    """The cities that are ISO 3166-2 units beside a district, by city code."""
    with (DATA_DIR / "city_districts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["city"]: CityDistricts(
            city=r["city"],
            districts=tuple(filter(None, r["districts"].split("|"))),
            part_of_city=frozenset(filter(None, r["part_of_city"].split("|"))),
            note=r["note"],
        )
        for r in rows
    }


def misfiled_places() -> list[ScopeFinding]:
    """Villages, settlements and sites in a city's area that the data does not list as
    part of the city: each is most likely in the district beside it."""
    pairs = city_district_pairs()
    places = Place.objects.select_related("admin1").filter(admin1__code__in=list(pairs))
    return [
        ScopeFinding("place", p.code, p.name_in("en"), p.admin1.code, pairs[p.admin1.code])
        for p in places.order_by("code")
        if p.admin1 is not None
        and p.kind not in CITY_KINDS
        and p.code not in pairs[p.admin1.code].part_of_city
    ]


def in_city_areas() -> list[ScopeFinding]:
    """Every facility and road segment whose area is one of those cities (to review
    against the memberships that should reach them)."""
    pairs = city_district_pairs()
    found = [
        ScopeFinding(
            "facility",
            f.code,
            f.names.get("en", f.code),
            f.place.admin1.code,
            pairs[f.place.admin1.code],
        )
        for f in Facility.objects.select_related("place__admin1")
        .filter(place__admin1__code__in=list(pairs))
        .order_by("code")
        if f.place.admin1 is not None
    ]
    segments = RoadSegment.objects.select_related(
        "from_node__place__admin1", "to_node__place__admin1"
    ).order_by("code")
    for segment in segments:
        area = road_segment_area(segment)
        if area is not None and area.code in pairs:
            found.append(
                ScopeFinding("road", segment.code, segment.name, area.code, pairs[area.code])
            )
    return found


def report() -> None:  # pragma: no cover - a table for people
    print("Places in a city's area that look like the district's:")
    for f in misfiled_places():
        print(f"  {f.code:<12} {f.name:<30} {f.area:<7} districts {','.join(f.city.districts)}")
    print("Facilities and roads in a city's area (memberships must name the city):")
    for f in in_city_areas():
        print(f"  {f.kind:<8} {f.code:<12} {f.name:<45} {f.area}  ({f.city.note})")

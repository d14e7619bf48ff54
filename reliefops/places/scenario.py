"""The scenario region's road graph and facilities (part of ``reliefops demo``).

Data files (``data/scenario_roads.csv``, ``data/scenario_facilities.csv``; sources in
``data/SOURCES.md``) are hand-built along the real corridors and are **approximate, not
surveyed**:

* A road segment joins the road nodes of two places. Its length, when the file leaves it
  blank, is the great-circle distance between the places × :data:`ROAD_FACTOR`; speeds per
  vehicle class, surface, condition and weight limits are typical values, not measured.
* Segments with the same ``route`` form a named route, in file order.
* A facility stands at its place's point shifted by a small fixed offset (≤ ~600 m,
  derived from its code) so markers do not overlap; its names are composed per language
  from the facility kind and the place's preferred name unless the file names it.

Loading is idempotent (upsert by code) and goes through the bulk services.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction

from reliefops.core import exchange as ex
from reliefops.core.permissions import Actor
from reliefops.places.fields import FACILITY, parse_fraction, parse_non_negative_float
from reliefops.places.models import Facility, Place, RoadSegment, Route, RouteSegment
from reliefops.places.network import haversine_km
from reliefops.places.services import facility_upsert_bulk, road_upsert_bulk

DATA_DIR = Path(__file__).resolve().parent / "data"
ROAD_FACTOR = 1.25
SCENARIO_SOURCE = "ReliefOps scenario data: approximate, not surveyed"

KIND_LABELS: dict[str, dict[str, str]] = {
    "school": {"en": "School", "az": "məktəb", "ru": "Школа", "hy": "Դպրոց"},
    "kindergarten": {
        "en": "Kindergarten",
        "az": "uşaq bağçası",
        "ru": "Детский сад",
        "hy": "Մանկապարտեզ",
    },
    "hospital": {"en": "Hospital", "az": "xəstəxana", "ru": "Больница", "hy": "Հիվանդանոց"},
    "field_hospital": {
        "en": "Field hospital",
        "az": "səhra hospitalı",
        "ru": "Полевой госпиталь",
        "hy": "Դաշտային հոսպիտալ",
    },
    "health_post": {
        "en": "Polyclinic",
        "az": "poliklinika",
        "ru": "Поликлиника",
        "hy": "Պոլիկլինիկա",
    },
    "ambulance_station": {
        "en": "Ambulance station",
        "az": "təcili yardım stansiyası",
        "ru": "Станция скорой помощи",
        "hy": "Շտապ օգնության կայան",
    },
    "fire_station": {
        "en": "Fire station",
        "az": "yanğınsöndürmə hissəsi",
        "ru": "Пожарная часть",
        "hy": "Հրշեջ ջոկատ",
    },
    "boiler_house": {
        "en": "Boiler house",
        "az": "qazanxana",
        "ru": "Котельная",
        "hy": "Կաթսայատուն",
    },
    "bakery": {"en": "Bakery", "az": "çörək zavodu", "ru": "Хлебозавод", "hy": "Հացի գործարան"},
    "warehouse": {"en": "Warehouse", "az": "anbar", "ru": "Склад", "hy": "Պահեստ"},
    "fuel_depot": {
        "en": "Fuel depot",
        "az": "yanacaq anbarı",
        "ru": "Нефтебаза",
        "hy": "Վառելիքի պահեստ",
    },
    "distribution_point": {
        "en": "Distribution point",
        "az": "paylama məntəqəsi",
        "ru": "Пункт раздачи",
        "hy": "Բաշխման կետ",
    },
    "water_point": {
        "en": "Water point",
        "az": "su məntəqəsi",
        "ru": "Пункт водоснабжения",
        "hy": "Ջրի կետ",
    },
    "collective_shelter": {
        "en": "Collective shelter",
        "az": "kollektiv sığınacaq",
        "ru": "Пункт временного размещения",
        "hy": "Կոլեկտիվ կացարան",
    },
    "crossing_point": {
        "en": "Crossing point",
        "az": "keçid məntəqəsi",
        "ru": "Пункт пропуска",
        "hy": "Անցման կետ",
    },
}
_LANGS = ("en", "az", "ru", "hy")
#: The file's capacities and heating measures, parsed as a facilities import parses them.
_MEASURES = tuple(
    f for f in FACILITY if f.parse in (ex.parse_int, parse_non_negative_float, parse_fraction)
)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _offset(code: str) -> tuple[float, float]:
    digest = hashlib.sha256(code.encode()).digest()
    return (digest[0] - 127.5) / 127.5 * 0.004, (digest[1] - 127.5) / 127.5 * 0.005


def facility_names(kind: str, number: str, place: Place, name_en: str = "") -> dict[str, str]:
    """Names of a scenario facility in en/az/ru/hy, composed from kind and place names."""
    labels = KIND_LABELS.get(kind, {})
    names: dict[str, str] = {}
    for lang in _LANGS:
        place_name = place.name_in(lang)
        label = labels.get(lang, labels.get("en", kind))
        no = f" № {number}" if number else ""
        if lang == "az":
            names[lang] = f"{place_name} {number + ' nömrəli ' if number else ''}{label}".strip()
        elif lang == "en":
            names[lang] = name_en or f"{label}{' No. ' + number if number else ''}, {place_name}"
        else:
            names[lang] = f"{label}{no}, {place_name}"
    return names


def scenario_roads_load(*, actor: Actor | None = None) -> int:
    """Road nodes, segments and named routes of the scenario region (idempotent)."""
    rows = _rows("scenario_roads.csv")
    codes = {r["from_place"] for r in rows} | {r["to_place"] for r in rows}
    places = {p.code: p for p in Place.objects.filter(code__in=codes)}
    missing = codes - set(places)
    if missing:
        raise ValueError(f"scenario roads refer to unknown places: {sorted(missing)}")
    segment_rows: list[dict[str, Any]] = []
    for row in rows:
        a, b = places[row["from_place"]], places[row["to_place"]]
        length = (
            float(row["length_km"])
            if row["length_km"]
            else round(
                float(haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)) * ROAD_FACTOR,
                1,
            )
        )
        route = row["route"]
        segment_rows.append(
            {
                "code": row["code"],
                "name": f"{route} ({a.name_in('en')}–{b.name_in('en')})",
                "ref": row["ref"],
                "from_node": f"N-{a.code}",
                "from_lat": a.latitude,
                "from_lon": a.longitude,
                "from_place": a,
                "to_node": f"N-{b.code}",
                "to_lat": b.latitude,
                "to_lon": b.longitude,
                "to_place": b,
                "length_km": length,
                "speed_light_kmh": float(row["speed_light_kmh"]),
                "speed_truck_kmh": float(row["speed_truck_kmh"]),
                "speed_heavy_kmh": float(row["speed_heavy_kmh"]),
                "surface": row["surface"],
                "condition": row["condition"],
                "max_weight_t": float(row["max_weight_t"]) if row["max_weight_t"] else None,
                "source": SCENARIO_SOURCE,
            }
        )
    with transaction.atomic():
        existing = set(
            RoadSegment.objects.filter(code__in=[r["code"] for r in rows]).values_list(
                "code", flat=True
            )
        )
        # Status is operational data: a reload never reopens a segment someone closed.
        for seg in segment_rows:
            if seg["code"] in existing:
                seg.pop("status", None)
        road_upsert_bulk(actor=actor, rows=segment_rows)
        _routes_load(rows)
    return len(segment_rows)


def _routes_load(rows: list[dict[str, str]]) -> None:
    by_route: dict[str, list[str]] = {}
    for row in rows:
        if row["route"] != "local road":
            by_route.setdefault(row["route"], []).append(row["code"])
    segments = {s.code: s for s in RoadSegment.objects.filter(code__in=[r["code"] for r in rows])}
    for index, (name, codes) in enumerate(by_route.items(), start=1):
        route, _created = Route.objects.update_or_create(
            code=f"SR-ROUTE-{index:02d}",
            defaults={"names": {"en": name}, "source": SCENARIO_SOURCE},
        )
        route.route_segments.all().delete()
        RouteSegment.objects.bulk_create(
            [
                RouteSegment(route=route, segment=segments[c], sequence=i)
                for i, c in enumerate(codes, start=1)
            ]
        )


def scenario_facilities_load(*, actor: Actor | None = None) -> int:
    """The ~60 facilities of the scenario region (idempotent; status kept on reload)."""
    rows = _rows("scenario_facilities.csv")
    places = {p.code: p for p in Place.objects.filter(code__in={r["place"] for r in rows})}
    existing = set(
        Facility.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True)
    )
    prepared: list[dict[str, Any]] = []
    for row in rows:
        place = places[row["place"]]
        dlat, dlon = _offset(row["code"])
        values: dict[str, Any] = {
            "code": row["code"],
            "kind": row["kind"],
            "place": place,
            "latitude": round(place.latitude + dlat, 5),
            "longitude": round(place.longitude + dlon, 5),
            "names": facility_names(row["kind"], row["number"], place, row["name_en"]),
            "heating_fuel": row["heating_fuel"],
            "operating_hours": row["operating_hours"],
            "source": SCENARIO_SOURCE,
            "operator": None,
        }
        if row["code"] not in existing:
            values["status"] = row["status"]
            if row["status"] != "operating":
                values["status_reason"] = "Scenario baseline (approximate, not surveyed)"
        for field in _MEASURES:
            raw = row.get(field.name, "")  # a measure the file has no column for (notice_hours)
            values[field.name] = field.parse(raw) if raw else None
        prepared.append(values)
    with transaction.atomic():
        facility_upsert_bulk(actor=actor, rows=prepared)
    return len(prepared)

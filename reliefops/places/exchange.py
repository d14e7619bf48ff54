"""Bulk exchange of places, facilities and roads (CSV, XLSX, HXL, GeoJSON).

Registered kinds (``reliefops import KIND FILE`` / ``reliefops export KIND``):

``places``
    One row per place, keyed by its P-code (``code``). ``name_en/az/ru/hy`` hold the
    preferred name per language; ``names`` (optional) the complete list as JSON
    (``[{"name", "language", "type", "script", "source", "preferred"}]``) — when present it
    wins, so an export re-imports unchanged; a common operational dataset only needs the
    ``name_*`` columns (taken as official names). ``admin1``/``admin2`` are admin-area
    codes (ISO 3166-2 or the file's own, which must already exist); without them the
    area is found from the point.
``facilities``
    Keyed by ``code``; ``place`` is a P-code, or give ``place_name`` (free text in any
    language, resolved by the matcher: no match or an ambiguous one is a row error).
    Coordinates default to the place's.
``roads``
    Road segments keyed by ``code`` between two nodes (``from_node``/``to_node`` codes
    with their coordinates, optionally the P-code of the place each node serves).

P-codes: two upper-case letters of an ISO 3166-1 country, then letters, digits and
hyphens (``AZ-G146970``, ``AM-S0001``, an OCHA COD's ``AZ0101001``), at most 32.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.organisations.models import Organisation
from reliefops.places.choices import (
    FacilityKind,
    FacilityStatus,
    HeatingFuel,
    NameType,
    PlaceKind,
    RoadCondition,
    RoadStatus,
    RoadSurface,
)
from reliefops.places.gazetteer import AreaLookup, script_of
from reliefops.places.models import AdminArea, Facility, Place, RoadNode, RoadSegment
from reliefops.places.selectors import facility_list, place_list, place_resolve, road_segment_list
from reliefops.places.services import (
    NameInput,
    facility_upsert_bulk,
    facility_upsert_check,
    place_upsert_bulk,
    place_upsert_check,
    road_row_nodes,
    road_upsert_bulk,
    road_upsert_check,
)

LANGS = ("en", "az", "ru", "hy")
P_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9-]{1,30}$")


def parse_p_code(text: str) -> str:
    value = text.strip()
    if not P_CODE.match(value):
        raise ValueError(_("Not a P-code (two country letters, then A-Z, 0-9, '-')."))
    import pycountry

    if pycountry.countries.get(alpha_2=value[:2]) is None:
        raise ValueError(_("P-code does not start with an ISO 3166-1 country code."))
    return value


def parse_latitude(text: str) -> float:
    value = ex.parse_float(text)
    if not -90.0 <= value <= 90.0:
        raise ValueError(_("Latitude must be between -90 and 90."))
    return value


def parse_longitude(text: str) -> float:
    value = ex.parse_float(text)
    if not -180.0 <= value <= 180.0:
        raise ValueError(_("Longitude must be between -180 and 180."))
    return value


def parse_fraction(text: str) -> float:
    value = ex.parse_float(text)
    if not 0.0 < value <= 1.0:
        raise ValueError(_("Must be a fraction above 0 and at most 1."))
    return value


def parse_non_negative_float(text: str) -> float:
    return float(ex.parse_non_negative_decimal(text))


def parse_names(text: str) -> list[NameInput]:
    data = ex.parse_json(text)
    if not isinstance(data, list):
        raise ValueError(_("Names must be a JSON list."))
    names = []
    for item in data:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise ValueError(_("Each name needs a 'name'."))
        name_type = str(item.get("type") or NameType.ALTERNATE)
        if name_type not in NameType.values:
            raise ValueError(_("Unknown name type %(type)s.") % {"type": name_type})
        names.append(
            NameInput(
                name=str(item["name"]).strip(),
                language=str(item.get("language") or ""),
                name_type=name_type,
                script=str(item.get("script") or ""),
                source=str(item.get("source") or ""),
                is_preferred=bool(item.get("preferred")),
            )
        )
    return names


def names_render(names: list[dict[str, Any]] | None) -> str:
    return json.dumps(names, ensure_ascii=False) if names else ""


def _positive(text: str) -> float:
    return float(ex.parse_positive_decimal(text))


PLACE_COLUMNS = [
    ex.Column("code", hxl="#loc+code", parse=parse_p_code, required=True),
    ex.Column("kind", hxl="#loc+type", parse=ex.parse_choice(PlaceKind), required=True),
    *[ex.Column(f"name_{lang}", hxl=f"#loc+name+i_{lang}") for lang in LANGS],
    ex.Column("names", hxl="#loc+name+all", parse=parse_names, render=names_render),
    ex.Column("lat", hxl="#geo+lat", parse=parse_latitude, required=True),
    ex.Column("lon", hxl="#geo+lon", parse=parse_longitude, required=True),
    ex.Column("country", hxl="#country+code"),
    ex.Column("admin1", hxl="#adm1+code"),
    ex.Column("admin2", hxl="#adm2+code"),
    ex.Column("population", hxl="#population+total", parse=ex.parse_int),
    ex.Column("population_as_of", hxl="#date+population", parse=ex.parse_date),
    ex.Column("population_source", hxl="#meta+source+population"),
    ex.Column("geonames_id", hxl="#loc+code+geonames", parse=ex.parse_int),
    ex.Column("source", hxl="#meta+source"),
]


class _AreaCodes:
    """Admin-area lookups shared by the importers (loaded once per pass)."""

    def __init__(self) -> None:
        self.codes = set(AdminArea.objects.values_list("code", flat=True))

    def check(self, data: dict[str, Any], *columns: str) -> str | None:
        """The deepest given area code, or a CellError for an unknown one."""
        deepest = None
        for column in columns:
            code = data.get(column)
            if not code:
                continue
            if code not in self.codes:
                raise ex.CellError(column, _("Unknown admin area P-code."))
            deepest = code
        return deepest


class PlaceImporter(ex.Importer):
    columns = PLACE_COLUMNS
    permission = Action.PLACE_EDIT
    description = "Places with P-codes, names per language, coordinates, population."

    def prepare(self) -> None:
        self.areas = _AreaCodes()
        self.lookup = AreaLookup.load()
        self.existing = {p.code: p for p in Place.objects.select_related("admin1")}
        self.seen: set[str] = set()

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        if data["code"] in self.seen:
            raise ex.CellError("code", _("This P-code appears twice in the file."))
        self.seen.add(data["code"])
        admin_code = self.areas.check(data, "country", "admin1", "admin2")
        names: list[NameInput] = data["names"] or [
            NameInput(
                data[f"name_{lang}"],
                lang,
                NameType.OFFICIAL,
                is_preferred=True,
                source=data["source"] or "",
            )
            for lang in LANGS
            if data.get(f"name_{lang}")
        ]
        if not names:
            raise ex.CellError("name_en", _("A place needs at least one name."))
        if data["population"] is not None and data["population"] < 0:
            raise ex.CellError("population", _("Must not be negative."))
        clean = {
            "code": data["code"],
            "kind": data["kind"],
            "latitude": data["lat"],
            "longitude": data["lon"],
            "admin_code": admin_code,
            "names": names,
            "population": data["population"],
            "population_as_of": data["population_as_of"],
            "population_source": data["population_source"] or "",
            "geonames_id": data["geonames_id"],
            "source": data["source"] or "",
        }
        try:
            place_upsert_check(
                actor=self.actor,
                row=clean,
                existing=self.existing.get(data["code"]),
                lookup=self.lookup,
            )
        except ApplicationError as exc:
            raise ex.CellError("code", str(exc.message)) from exc
        return clean

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return place_upsert_bulk(actor=self.actor, rows=rows)


class PlaceExporter(ex.Exporter):
    columns = PLACE_COLUMNS

    def rows(self) -> Iterator[dict[str, Any]]:
        qs = place_list(actor=self.actor).prefetch_related("place_names", "population_estimates")
        for place in qs.iterator(chunk_size=1000):
            estimates = sorted(
                place.population_estimates.all(),
                key=lambda e: (e.as_of is not None, e.as_of or "", e.created_at),
            )
            latest = estimates[-1] if estimates else None
            names = [
                {
                    "name": n.name,
                    "language": n.language,
                    "type": n.name_type,
                    "script": n.script or script_of(n.name),
                    "source": n.source,
                    "preferred": n.is_preferred,
                }
                for n in sorted(
                    place.place_names.all(), key=lambda n: (n.language, not n.is_preferred, n.name)
                )
            ]
            yield {
                "code": place.code,
                "kind": place.kind,
                **{f"name_{lang}": place.names.get(lang, "") for lang in LANGS},
                "names": names,
                "lat": place.latitude,
                "lon": place.longitude,
                "country": place.admin0.code if place.admin0 else "",
                "admin1": place.admin1.code if place.admin1 else "",
                "admin2": place.admin2.code if place.admin2 else "",
                "population": latest.value if latest else None,
                "population_as_of": latest.as_of if latest else None,
                "population_source": latest.source if latest else "",
                "geonames_id": place.geonames_id,
                "source": place.source,
            }


FACILITY_COLUMNS = [
    ex.Column("code", hxl="#loc+code+facility", required=True),
    ex.Column("kind", hxl="#loc+type+facility", parse=ex.parse_choice(FacilityKind), required=True),
    *[ex.Column(f"name_{lang}", hxl=f"#loc+name+facility+i_{lang}") for lang in LANGS],
    ex.Column("place", hxl="#loc+code"),
    ex.Column("place_name", hxl="#loc+name", help="Free text, resolved by the matcher."),
    ex.Column("lat", hxl="#geo+lat", parse=parse_latitude),
    ex.Column("lon", hxl="#geo+lon", parse=parse_longitude),
    ex.Column("operator", hxl="#org+acronym"),
    ex.Column(
        "status",
        hxl="#status",
        parse=ex.parse_choice(FacilityStatus),
        default=FacilityStatus.OPERATING,
    ),
    ex.Column("status_reason", hxl="#status+reason"),
    ex.Column("capacity_pupils", hxl="#capacity+pupils", parse=ex.parse_int),
    ex.Column("capacity_beds", hxl="#capacity+beds", parse=ex.parse_int),
    ex.Column("capacity_people", hxl="#capacity+people", parse=ex.parse_int),
    ex.Column("heated_area_m2", hxl="#indicator+area+heated", parse=parse_non_negative_float),
    ex.Column("heating_fuel", hxl="#item+fuel", parse=ex.parse_choice(HeatingFuel)),
    ex.Column("boiler_kw", hxl="#indicator+boiler+kw", parse=parse_non_negative_float),
    ex.Column("boiler_efficiency", hxl="#indicator+boiler+efficiency", parse=parse_fraction),
    ex.Column("tank_capacity_litres", hxl="#capacity+tank+litres", parse=parse_non_negative_float),
    ex.Column("operating_hours", hxl="#meta+hours"),
    ex.Column("source", hxl="#meta+source"),
]


class FacilityImporter(ex.Importer):
    columns = FACILITY_COLUMNS
    permission = Action.FACILITY_EDIT
    description = "Facilities at places (by P-code or by name in any script)."

    def prepare(self) -> None:
        self.seen: set[str] = set()
        self.existing = {f.code: f for f in Facility.objects.select_related("place__admin1")}
        self.places: dict[str, Place] = {}
        self.operators = {o.acronym: o for o in Organisation.objects.all()}

    def _place(self, data: dict[str, Any]) -> Place:
        if data.get("place"):
            code = data["place"]
            if code not in self.places:
                found = Place.objects.select_related("admin1").filter(code=code).first()
                if found is None:
                    raise ex.CellError("place", _("Unknown place P-code."))
                self.places[code] = found
            return self.places[code]
        if data.get("place_name"):
            try:
                return place_resolve(data["place_name"])
            except ApplicationError as exc:
                raise ex.CellError("place_name", str(exc.message)) from exc
        raise ex.CellError("place", _("Give the place P-code or its name."))

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        if data["code"] in self.seen:
            raise ex.CellError("code", _("This code appears twice in the file."))
        self.seen.add(data["code"])
        place = self._place(data)
        operator = None
        if data["operator"]:
            operator = self.operators.get(data["operator"])
            if operator is None:
                raise ex.CellError("operator", _("Unknown organisation acronym."))
        if (data["lat"] is None) != (data["lon"] is None):
            raise ex.CellError("lat", _("Give both latitude and longitude, or neither."))
        names = {lang: data[f"name_{lang}"] for lang in LANGS if data.get(f"name_{lang}")}
        try:
            facility_upsert_check(
                actor=self.actor, row={"place": place}, existing=self.existing.get(data["code"])
            )
        except ApplicationError as exc:
            raise ex.CellError(
                "place" if data.get("place") else "place_name", str(exc.message)
            ) from exc
        return {
            "code": data["code"],
            "kind": data["kind"],
            "place": place,
            "names": names,
            "latitude": data["lat"] if data["lat"] is not None else place.latitude,
            "longitude": data["lon"] if data["lon"] is not None else place.longitude,
            "operator": operator,
            "status": data["status"],
            "status_reason": data["status_reason"] or "",
            **{
                key: data[key]
                for key in (
                    "capacity_pupils",
                    "capacity_beds",
                    "capacity_people",
                    "heated_area_m2",
                    "boiler_kw",
                    "boiler_efficiency",
                    "tank_capacity_litres",
                )
            },
            "heating_fuel": data["heating_fuel"] or "",
            "operating_hours": data["operating_hours"] or "",
            "source": data["source"] or "",
        }

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return facility_upsert_bulk(actor=self.actor, rows=rows)


class FacilityExporter(ex.Exporter):
    columns = FACILITY_COLUMNS

    def rows(self) -> Iterator[dict[str, Any]]:
        for f in facility_list(actor=self.actor).iterator(chunk_size=1000):
            yield {
                "code": f.code,
                "kind": f.kind,
                **{f"name_{lang}": f.names.get(lang, "") for lang in LANGS},
                "place": f.place.code,
                "place_name": "",
                "lat": f.latitude,
                "lon": f.longitude,
                "operator": f.operator.acronym if f.operator else "",
                "status": f.status,
                "status_reason": f.status_reason,
                "capacity_pupils": f.capacity_pupils,
                "capacity_beds": f.capacity_beds,
                "capacity_people": f.capacity_people,
                "heated_area_m2": f.heated_area_m2,
                "heating_fuel": f.heating_fuel,
                "boiler_kw": f.boiler_kw,
                "boiler_efficiency": f.boiler_efficiency,
                "tank_capacity_litres": f.tank_capacity_litres,
                "operating_hours": f.operating_hours,
                "source": f.source,
            }


ROAD_COLUMNS = [
    ex.Column("code", hxl="#loc+code+road", required=True),
    ex.Column("name", hxl="#loc+name+road"),
    ex.Column("ref", hxl="#loc+ref+road"),
    ex.Column("from_node", hxl="#loc+code+from", required=True),
    ex.Column("from_place", hxl="#loc+code+from+place"),
    ex.Column("from_lat", hxl="#geo+lat+from", parse=parse_latitude, required=True),
    ex.Column("from_lon", hxl="#geo+lon+from", parse=parse_longitude, required=True),
    ex.Column("to_node", hxl="#loc+code+to", required=True),
    ex.Column("to_place", hxl="#loc+code+place+to"),
    ex.Column("to_lat", hxl="#geo+lat+to", parse=parse_latitude, required=True),
    ex.Column("to_lon", hxl="#geo+lon+to", parse=parse_longitude, required=True),
    ex.Column("length_km", hxl="#indicator+length+km", parse=_positive, required=True),
    ex.Column("speed_light_kmh", hxl="#indicator+speed+light", parse=_positive),
    ex.Column("speed_truck_kmh", hxl="#indicator+speed+truck", parse=_positive),
    ex.Column("speed_heavy_kmh", hxl="#indicator+speed+heavy", parse=_positive),
    ex.Column("surface", hxl="#indicator+surface", parse=ex.parse_choice(RoadSurface)),
    ex.Column("condition", hxl="#indicator+condition", parse=ex.parse_choice(RoadCondition)),
    ex.Column("max_weight_t", hxl="#indicator+weight+max", parse=_positive),
    ex.Column("oneway", hxl="#indicator+oneway", parse=ex.parse_bool, default=False),
    ex.Column("status", hxl="#status", parse=ex.parse_choice(RoadStatus), default=RoadStatus.OPEN),
    ex.Column("status_reason", hxl="#status+reason"),
    ex.Column("source", hxl="#meta+source"),
    ex.Column("geometry", hxl="#geo+geometry"),
]


class RoadImporter(ex.Importer):
    columns = ROAD_COLUMNS
    permission = Action.ROAD_EDIT
    description = "Road segments between nodes, with speeds per vehicle class and status."
    _OPTIONAL: ClassVar[tuple[str, ...]] = (
        "name",
        "ref",
        "speed_light_kmh",
        "speed_truck_kmh",
        "speed_heavy_kmh",
        "surface",
        "condition",
        "max_weight_t",
        "oneway",
        "status",
        "status_reason",
        "source",
    )

    def prepare(self) -> None:
        self.seen: set[str] = set()
        self.places: dict[str, Place] = {}
        self.lookup = AreaLookup.load()
        self.nodes = {n.code: n for n in RoadNode.objects.select_related("place__admin1")}
        self.segments = {
            s.code: s
            for s in RoadSegment.objects.select_related(
                "from_node__place__admin1", "to_node__place__admin1"
            )
        }

    def _scope_check(self, clean: dict[str, Any]) -> None:
        """The service's check on this row, reported as a row error (nodes are not saved)."""
        code = clean["code"]
        ends = road_row_nodes(clean, self.nodes)
        try:
            road_upsert_check(
                actor=self.actor, ends=ends, existing=self.segments.get(code), lookup=self.lookup
            )
        except ApplicationError as exc:
            raise ex.CellError("code", str(exc.message)) from exc

    def _place(self, data: dict[str, Any], column: str) -> Place | None:
        code = data.get(column)
        if not code:
            return None
        if code not in self.places:
            found = Place.objects.select_related("admin1").filter(code=code).first()
            if found is None:
                raise ex.CellError(column, _("Unknown place P-code."))
            self.places[code] = found
        return self.places[code]

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        if data["code"] in self.seen:
            raise ex.CellError("code", _("This code appears twice in the file."))
        self.seen.add(data["code"])
        if data["from_node"] == data["to_node"]:
            raise ex.CellError("to_node", _("A segment must join two different nodes."))
        if data["status"] != RoadStatus.OPEN and not (data["status_reason"] or "").strip():
            raise ex.CellError("status_reason", _("Give a reason for closing or restricting."))
        clean = {key: data[key] for key in self._OPTIONAL if data.get(key) is not None}
        clean.update(
            code=data["code"],
            length_km=data["length_km"],
            from_node=data["from_node"],
            from_lat=data["from_lat"],
            from_lon=data["from_lon"],
            from_place=self._place(data, "from_place"),
            to_node=data["to_node"],
            to_lat=data["to_lat"],
            to_lon=data["to_lon"],
            to_place=self._place(data, "to_place"),
        )
        self._scope_check(clean)
        return clean

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return road_upsert_bulk(actor=self.actor, rows=rows)


class RoadExporter(ex.Exporter):
    columns = ROAD_COLUMNS

    def rows(self) -> Iterator[dict[str, Any]]:
        qs = road_segment_list(actor=self.actor).select_related(
            "from_node__place", "to_node__place"
        )
        for s in qs.iterator(chunk_size=1000):
            a, b = s.from_node, s.to_node
            yield {
                "code": s.code,
                "name": s.name,
                "ref": s.ref,
                "from_node": a.code,
                "from_place": a.place.code if a.place else "",
                "from_lat": a.latitude,
                "from_lon": a.longitude,
                "to_node": b.code,
                "to_place": b.place.code if b.place else "",
                "to_lat": b.latitude,
                "to_lon": b.longitude,
                "length_km": s.length_km,
                "speed_light_kmh": s.speed_light_kmh,
                "speed_truck_kmh": s.speed_truck_kmh,
                "speed_heavy_kmh": s.speed_heavy_kmh,
                "surface": s.surface,
                "condition": s.condition,
                "max_weight_t": s.max_weight_t,
                "oneway": s.oneway,
                "status": s.status,
                "status_reason": s.status_reason,
                "source": s.source,
                "geometry": json.dumps(
                    s.geometry
                    or {
                        "type": "LineString",
                        "coordinates": [[a.longitude, a.latitude], [b.longitude, b.latitude]],
                    },
                    separators=(",", ":"),
                ),
            }


ex.register("places", importer=PlaceImporter, exporter=PlaceExporter, label=gettext_lazy("Places"))
ex.register(
    "facilities",
    importer=FacilityImporter,
    exporter=FacilityExporter,
    label=gettext_lazy("Facilities"),
)
ex.register(
    "roads", importer=RoadImporter, exporter=RoadExporter, label=gettext_lazy("Road segments")
)

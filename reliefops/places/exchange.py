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
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.organisations.selectors import organisations_by_acronym
from reliefops.places.choices import NameType, RoadStatus
from reliefops.places.fields import FACILITY, PLACE, ROAD, NameInput
from reliefops.places.gazetteer import AreaLookup, script_of
from reliefops.places.models import AdminArea, Facility, Place, RoadNode, RoadSegment
from reliefops.places.selectors import facility_list, place_list, place_resolve, road_segment_list
from reliefops.places.services import (
    FACILITY_FIELDS,
    PLACE_FIELDS,
    ROAD_FIELDS,
    facility_upsert_bulk,
    facility_upsert_check,
    place_upsert_bulk,
    place_upsert_check,
    road_row_nodes,
    road_upsert_bulk,
    road_upsert_check,
)

PLACE_COLUMNS = PLACE.columns()
FACILITY_COLUMNS = FACILITY.columns()
ROAD_COLUMNS = ROAD.columns()
#: A place row's latest population estimate (the service records it beside the place).
PLACE_POPULATION = ("population", "population_as_of", "population_source")
END = ("from", "to")


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
    key_columns = ("code",)
    geometry = True

    def prepare(self) -> None:
        self.areas = _AreaCodes()
        self.area_lookup = AreaLookup.load()
        self.existing = {
            p.code: p
            for p in Place.objects.select_related("admin1").prefetch_related(
                "place_names", "population_estimates"
            )
        }
        self.seen: set[str] = set()

    def lookup(self, key: Any) -> Place | None:
        return self.existing.get(key[0])

    def current(self, record: Any) -> dict[str, Any]:
        values = {key: getattr(record, key) for key in PLACE_FIELDS}
        values["names"] = _name_set(
            (n.name, n.language, n.name_type, n.is_preferred) for n in record.place_names.all()
        )
        estimates = sorted(
            record.population_estimates.all(),
            key=lambda e: (e.as_of is not None, e.as_of or "", e.created_at),
        )
        if estimates:
            latest = estimates[-1]
            values.update(
                population=latest.value,
                population_as_of=latest.as_of,
                population_source=latest.source,
            )
        return values

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        row = {
            **data,
            "names": _name_set(
                (n.name, n.language, n.name_type, n.is_preferred) for n in data["names"]
            ),
        }
        if row.get("population") is None:  # no estimate in the row: the stored one stays
            row = {k: v for k, v in row.items() if k not in PLACE_POPULATION}
        return ex.changes(self.current(record), row)

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        if data["code"] in self.seen:
            raise ex.CellError("code", _("This P-code appears twice in the file."))
        self.seen.add(data["code"])
        admin_code = self.areas.check(data, "country", "admin1", "admin2")
        values = PLACE.row_values(data)
        names: list[NameInput] = values["all_names"] or [
            NameInput(text, lang, NameType.OFFICIAL, is_preferred=True, source=values["source"])
            for lang, text in values["names"].items()
        ]
        if not names:
            raise ex.CellError("name_en", _("A place needs at least one name."))
        if values["population"] is not None and values["population"] < 0:
            raise ex.CellError("population", _("Must not be negative."))
        clean = {
            **{key: values[key] for key in ("code", *PLACE_FIELDS)},
            "admin_code": admin_code,
            "names": names,
            **{key: values[key] for key in PLACE_POPULATION},
        }
        try:
            place_upsert_check(
                actor=self.actor,
                row=clean,
                existing=self.existing.get(data["code"]),
                lookup=self.area_lookup,
            )
        except ApplicationError as exc:
            raise ex.CellError("code", str(exc.message)) from exc
        return clean

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return place_upsert_bulk(actor=self.actor, rows=rows)


def _name_set(names: Iterator[tuple[str, str, str, bool]]) -> str:
    """A place's names as one comparable text (``name (language)``, sorted)."""
    return "; ".join(
        sorted(
            f"{name} ({lang}{', preferred' if preferred else ''})"
            for name, lang, _t, preferred in names
        )
    )


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
            yield PLACE.row_cells(
                place,
                all_names=names,
                admin0=place.admin0.code if place.admin0 else "",
                admin1=place.admin1.code if place.admin1 else "",
                admin2=place.admin2.code if place.admin2 else "",
                population=latest.value if latest else None,
                population_as_of=latest.as_of if latest else None,
                population_source=latest.source if latest else "",
            )


class FacilityImporter(ex.Importer):
    columns = FACILITY_COLUMNS
    permission = Action.FACILITY_EDIT
    description = "Facilities at places (by P-code or by name in any script)."
    key_columns = ("code",)
    geometry = True

    def lookup(self, key: Any) -> Facility | None:
        return self.existing.get(key[0])

    def current(self, record: Any) -> dict[str, Any]:
        return {key: getattr(record, key) for key in FACILITY_FIELDS}

    def prepare(self) -> None:
        self.seen: set[str] = set()
        self.existing = {f.code: f for f in Facility.objects.select_related("place__admin1")}
        self.places: dict[str, Place] = {}
        self.operators = organisations_by_acronym()

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
        try:
            facility_upsert_check(
                actor=self.actor, row={"place": place}, existing=self.existing.get(data["code"])
            )
        except ApplicationError as exc:
            raise ex.CellError(
                "place" if data.get("place") else "place_name", str(exc.message)
            ) from exc
        values = FACILITY.row_values(data)
        return {
            **{key: values[key] for key in ("code", *FACILITY_FIELDS)},
            "place": place,
            "operator": operator,
            "latitude": place.latitude if values["latitude"] is None else values["latitude"],
            "longitude": place.longitude if values["longitude"] is None else values["longitude"],
        }

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return facility_upsert_bulk(actor=self.actor, rows=rows)


class FacilityExporter(ex.Exporter):
    columns = FACILITY_COLUMNS

    def rows(self) -> Iterator[dict[str, Any]]:
        for f in facility_list(actor=self.actor).iterator(chunk_size=1000):
            yield FACILITY.row_cells(
                f,
                place=f.place.code,
                place_name="",
                operator=f.operator.acronym if f.operator else "",
            )


class RoadImporter(ex.Importer):
    columns = ROAD_COLUMNS
    permission = Action.ROAD_EDIT
    description = "Road segments between nodes, with speeds per vehicle class and status."
    key_columns = ("code",)
    geometry = True

    def lookup(self, key: Any) -> RoadSegment | None:
        return self.segments.get(key[0])

    def current(self, record: Any) -> dict[str, Any]:
        return {
            **{key: getattr(record, key) for key in ROAD_FIELDS},
            "from_node": record.from_node.code,
            "to_node": record.to_node.code,
        }

    def prepare(self) -> None:
        self.seen: set[str] = set()
        self.places: dict[str, Place] = {}
        self.area_lookup = AreaLookup.load()
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
                actor=self.actor,
                ends=ends,
                existing=self.segments.get(code),
                lookup=self.area_lookup,
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
        # A blank cell leaves the stored value (the service sets what the row holds).
        clean = {key: data[key] for key in ROAD_FIELDS if data[key] is not None}
        clean.update(
            {f"{end}_{key}": data[f"{end}_{key}"] for end in END for key in ("node", "lat", "lon")},
            code=data["code"],
            from_place=self._place(data, "from_place"),
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
            ends = {
                f"{end}_{key}": value
                for end, node in zip(END, (a, b), strict=True)
                for key, value in (
                    ("node", node.code),
                    ("place", node.place.code if node.place else ""),
                    ("lat", node.latitude),
                    ("lon", node.longitude),
                )
            }
            line = {
                "type": "LineString",
                "coordinates": [[a.longitude, a.latitude], [b.longitude, b.latitude]],
            }
            geometry = json.dumps(s.geometry or line, separators=(",", ":"))
            yield ROAD.row_cells(s, geometry=geometry, **ends)


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

"""Writes of the places domain: places, names, population, facilities, road status.

Every function checks permission (area-scoped through the place's ``admin1``), writes in
one transaction, and records one audit event. Bulk upserts serve the importers
(``reliefops/places/exchange.py``); they run inside the importer's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import require
from reliefops.places.caches import PLACE_INDEX, ROAD_NETWORK, caches_invalidate
from reliefops.places.choices import FacilityStatus, NameType, RoadStatus
from reliefops.places.gazetteer import AreaLookup, script_of
from reliefops.places.models import (
    AdminArea,
    Facility,
    Place,
    PlaceName,
    PopulationEstimate,
    RoadNode,
    RoadSegment,
)


class InvalidCoordinates(InvalidInput):
    code = "invalid_coordinates"
    default_message = _("Coordinates are out of range.")


class StatusUnchanged(Conflict):
    code = "status_unchanged"
    default_message = _("The status is already set to this value.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    default_message = _("Give a reason for closing or restricting.")


def _require(actor: Any, action: str, *, area: AdminArea | None) -> None:
    """Permission check; ``actor=None`` is the system itself (demo and seed loaders, CLI run
    by the operator of the installation) — views and the API always pass the user."""
    if actor is not None:
        require(actor, action, area=area)


def text_check(field: str, value: str) -> str:
    """Refuse control characters (NUL …) in free text; returns the stripped text."""
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in value):
        raise InvalidInput(_("Text contains control characters."), code="invalid_text", field=field)
    return value.strip()


def coordinates_check(latitude: float, longitude: float) -> None:
    """Raise :class:`InvalidCoordinates` unless -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180."""
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise InvalidCoordinates(latitude=latitude, longitude=longitude)


@dataclass(frozen=True)
class NameInput:
    name: str
    language: str
    name_type: str = NameType.OFFICIAL
    script: str = ""
    source: str = ""
    is_preferred: bool = False


def _names_map(names: Iterable[PlaceName | NameInput]) -> dict[str, str]:
    result: dict[str, str] = {}
    ordered = sorted(names, key=lambda n: (not n.is_preferred, n.name_type != NameType.OFFICIAL))
    for name in ordered:
        if name.language and name.language not in result:
            result[name.language] = name.name
    return result


def place_names_refresh(place: Place) -> None:
    """Recompute ``place.names`` (preferred name per language) from its PlaceName rows."""
    place.names = _names_map(place.place_names.all())
    place.save(update_fields=["names", "updated_at"])


def _area_fields(
    lookup: AreaLookup, latitude: float, longitude: float, admin_code: str | None
) -> dict[str, AdminArea | None]:
    area = lookup.by_code.get(admin_code) if admin_code else None
    if admin_code and area is None:
        raise InvalidInput(_("Unknown admin area code."), code="unknown_area", area=admin_code)
    if area is None:
        area = lookup.for_point(latitude, longitude)
    levels = lookup.levels(area)
    return {"admin0": levels.get(0), "admin1": levels.get(1), "admin2": levels.get(2)}


@transaction.atomic
def place_create(
    *,
    actor: Any,
    code: str,
    kind: str,
    latitude: float,
    longitude: float,
    names: Sequence[NameInput],
    admin_code: str | None = None,
    source: str = "",
) -> Place:
    coordinates_check(latitude, longitude)
    areas = _area_fields(AreaLookup.load(), latitude, longitude, admin_code)
    _require(actor, "place.edit", area=areas["admin1"])
    if Place.objects.filter(code=code).exists():
        raise Conflict(_("A place with this code exists."), code="duplicate_code", code_=code)
    place = Place.objects.create(
        code=code,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        source=source,
        names=_names_map(names),
        created_by=actor,
        **areas,
    )
    PlaceName.objects.bulk_create(
        [_place_name_row(place, n, actor=actor, default_source=source) for n in names]
    )
    audit_record(actor=actor, action="place.create", obj=place, after={"code": code})
    caches_invalidate(PLACE_INDEX)
    return place


def _place_name_row(
    place: Place, name: NameInput, *, actor: Any, default_source: str = ""
) -> PlaceName:
    """An unsaved name row; the script is detected when the input does not give it."""
    return PlaceName(
        place=place,
        name=name.name,
        language=name.language,
        script=name.script or script_of(name.name),
        name_type=name.name_type,
        is_preferred=name.is_preferred,
        source=name.source or default_source,
        created_by=actor,
    )


@transaction.atomic
def place_name_add(*, actor: Any, place: Place, name: NameInput) -> PlaceName:
    _require(actor, "place.edit", area=place.admin1)
    if PlaceName.objects.filter(place=place, name=name.name, language=name.language).exists():
        raise Conflict(_("This place already has this name."), code="duplicate_name")
    row = _place_name_row(place, name, actor=actor)
    row.save()
    place_names_refresh(place)
    audit_record(
        actor=actor,
        action="place.name_add",
        obj=place,
        after={"name": name.name, "language": name.language},
    )
    caches_invalidate(PLACE_INDEX)
    return row


@transaction.atomic
def population_estimate_add(
    *, actor: Any, place: Place, value: int, as_of: dt.date | None, source: str
) -> PopulationEstimate:
    _require(actor, "place.edit", area=place.admin1)
    if value < 0:
        raise InvalidInput(_("Population cannot be negative."), code="negative_population")
    estimate, _created = PopulationEstimate.objects.update_or_create(
        place=place, as_of=as_of, source=source, defaults={"value": value, "created_by": actor}
    )
    audit_record(
        actor=actor,
        action="place.population_add",
        obj=place,
        after={"value": value, "as_of": as_of, "source": source},
    )
    return estimate


# ----------------------------------------------------------------------------------------
# Bulk upserts used by the importers (run inside the importer's atomic block).
# ----------------------------------------------------------------------------------------


def place_upsert_bulk(*, actor: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Create or update places by code with their names and latest population.

    Each row: ``code, kind, latitude, longitude, admin_code`` (optional), ``names``
    (list of :class:`NameInput`), ``population``/``population_as_of``/``population_source``
    (optional), ``source``. The names of an imported place are replaced by the file's.
    """
    lookup = AreaLookup.load()
    existing = {p.code: p for p in Place.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        coordinates_check(row["latitude"], row["longitude"])
        areas = _area_fields(lookup, row["latitude"], row["longitude"], row.get("admin_code"))
        _require(actor, "place.edit", area=areas["admin1"])
        values = {
            "kind": row["kind"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "source": row.get("source", ""),
            "names": _names_map(row["names"]),
            **areas,
        }
        if "geonames_id" in row:
            values["geonames_id"] = row["geonames_id"]
        place = existing.get(row["code"])
        if place is None:
            place = Place.objects.create(code=row["code"], created_by=actor, **values)
        else:
            for key, value in values.items():
                setattr(place, key, value)
            place.updated_by = actor
            place.save()
        place.place_names.all().delete()
        PlaceName.objects.bulk_create(
            [_place_name_row(place, n, actor=actor) for n in row["names"]]
        )
        if row.get("population") is not None:
            PopulationEstimate.objects.update_or_create(
                place=place,
                as_of=row.get("population_as_of"),
                source=row.get("population_source") or row.get("source", ""),
                defaults={"value": row["population"]},
            )
    audit_record(actor=actor, action="place.import", obj=None, after={"rows": len(rows)})
    caches_invalidate(PLACE_INDEX)
    return len(rows)


FACILITY_FIELDS = (
    "kind",
    "latitude",
    "longitude",
    "status",
    "status_reason",
    "capacity_pupils",
    "capacity_beds",
    "capacity_people",
    "heated_area_m2",
    "heating_fuel",
    "boiler_kw",
    "boiler_efficiency",
    "tank_capacity_litres",
    "operating_hours",
    "source",
)


def facility_upsert_bulk(*, actor: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Create or update facilities by code. Each row holds the model fields plus
    ``place`` (a Place), ``operator`` (an Organisation or None) and ``names``."""
    existing = {f.code: f for f in Facility.objects.filter(code__in=[r["code"] for r in rows])}
    now = timezone.now()
    for row in rows:
        coordinates_check(row["latitude"], row["longitude"])
        place: Place = row["place"]
        _require(actor, "facility.edit", area=place.admin1)
        values = {key: row.get(key) for key in FACILITY_FIELDS if key in row}
        for key in ("status_reason", "heating_fuel", "operating_hours", "source"):
            if key in values and values[key] is None:
                values[key] = ""
        values.update(place=place, operator=row.get("operator"), names=row.get("names") or {})
        facility = existing.get(row["code"])
        if facility is None:
            values.setdefault("status", FacilityStatus.OPERATING)
            facility = Facility(code=row["code"], created_by=actor, status_since=now, **values)
        else:
            if values.get("status") and values["status"] != facility.status:
                facility.status_since = now
            for key, value in values.items():
                setattr(facility, key, value)
            facility.updated_by = actor
        facility.full_clean(validate_unique=False, validate_constraints=False)
        facility.save()
    audit_record(actor=actor, action="facility.import", obj=None, after={"rows": len(rows)})
    return len(rows)


@transaction.atomic
def facility_set_status(
    *, actor: Any, facility: Facility, status: str, reason: str = ""
) -> Facility:
    """Set a facility's status (operating, damaged, closed); history keeps every change."""
    _require(actor, "facility.edit", area=facility.place.admin1)
    status = str(FacilityStatus(status))
    reason = text_check("reason", reason)
    if status == facility.status and reason == facility.status_reason:
        raise StatusUnchanged(status=status)
    if status != FacilityStatus.OPERATING and not reason.strip():
        raise ReasonRequired()
    before = {"status": facility.status, "reason": facility.status_reason}
    facility.status, facility.status_reason = status, reason.strip()
    facility.status_since = timezone.now()
    facility.updated_by = actor
    facility.save()
    audit_record(
        actor=actor,
        action="facility.set_status",
        obj=facility,
        before=before,
        after={"status": status, "reason": facility.status_reason},
    )
    return facility


def road_segment_area(segment: RoadSegment) -> AdminArea | None:
    """The admin area a segment belongs to for permissions: its end places' or midpoint's."""
    for node in (segment.from_node, segment.to_node):
        if node.place_id and node.place and node.place.admin1_id:
            return node.place.admin1
    lookup = AreaLookup.load()
    area = lookup.for_point(
        (segment.from_node.latitude + segment.to_node.latitude) / 2,
        (segment.from_node.longitude + segment.to_node.longitude) / 2,
    )
    levels = lookup.levels(area)
    return levels.get(1)


@transaction.atomic
def road_segment_set_status(
    *, actor: Any, segment: RoadSegment, status: str, reason: str = ""
) -> RoadSegment:
    """Open, restrict or close a road segment; travel-time caches follow on commit.

    Closing or restricting needs a reason. History (django-simple-history) and the audit
    log keep who changed what, when and why.
    """
    segment = (
        RoadSegment.objects.select_for_update(of=("self",))
        .select_related("from_node__place__admin1", "to_node__place__admin1")
        .get(pk=segment.pk)
    )
    _require(actor, "road.set_status", area=road_segment_area(segment))
    status = str(RoadStatus(status))
    reason = text_check("reason", reason)
    if status == segment.status and reason == segment.status_reason:
        raise StatusUnchanged(status=status)
    if status != RoadStatus.OPEN and not reason:
        raise ReasonRequired()
    before = {"status": segment.status, "reason": segment.status_reason}
    segment.status, segment.status_reason = status, reason
    segment.status_since = timezone.now()
    segment.updated_by = actor
    segment.save()
    audit_record(
        actor=actor,
        action="road.set_status",
        obj=segment,
        before=before,
        after={"status": status, "reason": reason},
    )
    caches_invalidate(ROAD_NETWORK)
    return segment


ROAD_FIELDS = (
    "name",
    "ref",
    "length_km",
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


def road_node_get_or_create(
    *,
    actor: Any,
    code: str,
    latitude: float,
    longitude: float,
    place: Place | None = None,
    name: str = "",
    osm_id: int | None = None,
    cache: dict[str, RoadNode] | None = None,
) -> RoadNode:
    """The node ``code``, created at the given point when new (nodes are shared by roads)."""
    from reliefops.places.choices import NodeKind

    if cache is not None and code in cache:
        return cache[code]
    coordinates_check(latitude, longitude)
    node, _created = RoadNode.objects.get_or_create(
        code=code,
        defaults={
            "kind": NodeKind.PLACE if place else NodeKind.JUNCTION,
            "place": place,
            "name": name or (place.names.get("en", "") if place else ""),
            "latitude": latitude,
            "longitude": longitude,
            "osm_id": osm_id,
            "created_by": actor,
        },
    )
    if cache is not None:
        cache[code] = node
    return node


def road_upsert_bulk(*, actor: Any, rows: Sequence[dict[str, Any]]) -> int:
    """Create or update road segments by code. Each row holds the segment fields plus
    ``from_node``/``to_node`` codes with ``from_lat``... coordinates and optional places."""
    nodes: dict[str, RoadNode] = {}
    existing = {s.code: s for s in RoadSegment.objects.filter(code__in=[r["code"] for r in rows])}
    now = timezone.now()
    for row in rows:
        ends = []
        for end in ("from", "to"):
            place = row.get(f"{end}_place")
            ends.append(
                road_node_get_or_create(
                    actor=actor,
                    code=row[f"{end}_node"],
                    latitude=row[f"{end}_lat"],
                    longitude=row[f"{end}_lon"],
                    place=place,
                    cache=nodes,
                )
            )
        area = next((n.place.admin1 for n in ends if n.place and n.place.admin1_id), None)
        _require(actor, "road.set_status", area=area)
        values = {key: row[key] for key in ROAD_FIELDS if key in row and row[key] is not None}
        values.update(from_node=ends[0], to_node=ends[1])
        segment = existing.get(row["code"])
        if segment is None:
            segment = RoadSegment(code=row["code"], created_by=actor, status_since=now, **values)
        else:
            if values.get("status") and values["status"] != segment.status:
                segment.status_since = now
            for key, value in values.items():
                setattr(segment, key, value)
            segment.updated_by = actor
        segment.save()
    audit_record(actor=actor, action="road.import", obj=None, after={"rows": len(rows)})
    caches_invalidate(ROAD_NETWORK)
    return len(rows)

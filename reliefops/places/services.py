"""Writes of the places domain: places, names, population, facilities, road status.

Every function checks permission with :func:`reliefops.core.permissions.require_write`,
area-scoped through the place's ``admin1`` — for a change that moves a record (a place's
point, a facility's place, a segment's nodes), at the old area and the new one — writes
in one transaction, and records one audit event. Bulk upserts serve the importers
(``reliefops/places/exchange.py``); they run inside the importer's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import (
    UNCHANGED,
    UNSCOPED,
    Actor,
    Area,
    actor_user,
    require_write,
)
from reliefops.places.caches import PLACE_INDEX, ROAD_NETWORK, caches_invalidate
from reliefops.places.choices import FacilityStatus, NameType, NodeKind, PlaceKind, RoadStatus
from reliefops.places.fields import FACILITY, PLACE, ROAD, NameInput
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
from reliefops.places.selectors import road_segment_area


class InvalidCoordinates(InvalidInput):
    code = "invalid_coordinates"
    default_message = _("Coordinates are out of range.")


class StatusUnchanged(Conflict):
    code = "status_unchanged"
    default_message = _("The status is already set to this value.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    default_message = _("Give a reason for closing or restricting.")


def _require(
    actor: Actor | None,
    action: Action,
    *,
    area: Area,
    new_area: Area | Any = UNCHANGED,
) -> None:
    """The scope check; ``actor=None`` is the system itself (demo and seed loaders, CLI run
    by the operator of the installation) — views, the API and imports always pass the user.
    Places, facilities and roads are not any organisation's: the area decides."""
    if actor is not None:
        require_write(actor, action, area=area, organisation=UNSCOPED, new_area=new_area)


def text_check(field: str, value: str) -> str:
    """Refuse control characters (NUL …) in free text; returns the stripped text."""
    if any(ord(ch) < 32 and ch not in "\t\n" for ch in value):
        raise InvalidInput(_("Text contains control characters."), code="invalid_text", field=field)
    return value.strip()


def coordinates_check(latitude: float, longitude: float) -> None:
    """Raise :class:`InvalidCoordinates` unless -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180."""
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise InvalidCoordinates(latitude=latitude, longitude=longitude)


def _names_map(names: Iterable[PlaceName | NameInput]) -> dict[str, str]:
    result: dict[str, str] = {}
    ordered = sorted(names, key=lambda n: (not n.is_preferred, n.name_type != NameType.OFFICIAL))
    for name in ordered:
        if name.language and name.language not in result:
            result[name.language] = name.name
    return result


def _place_names_refresh(place: Place) -> None:
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
    actor: Actor | None,
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
    _require(actor, Action.PLACE_EDIT, area=areas["admin1"])
    if Place.objects.filter(code=code).exists():
        raise Conflict(_("A place with this code exists."), code="duplicate_code", code_=code)
    place = Place.objects.create(
        code=code,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        source=source,
        names=_names_map(names),
        created_by=actor_user(actor),
        **areas,
    )
    PlaceName.objects.bulk_create(
        [_place_name_row(place, n, actor=actor, default_source=source) for n in names]
    )
    audit_record(actor=actor, action="place.create", obj=place, after={"code": code})
    caches_invalidate(PLACE_INDEX)
    return place


def _place_name_row(
    place: Place, name: NameInput, *, actor: Actor | None, default_source: str = ""
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
        created_by=actor_user(actor),
    )


@transaction.atomic
def place_name_add(*, actor: Actor | None, place: Place, name: NameInput) -> PlaceName:
    _require(actor, Action.PLACE_EDIT, area=place.admin1)
    if PlaceName.objects.filter(place=place, name=name.name, language=name.language).exists():
        raise Conflict(_("This place already has this name."), code="duplicate_name")
    row = _place_name_row(place, name, actor=actor)
    row.save()
    _place_names_refresh(place)
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
    *,
    actor: Actor | None,
    place: Place,
    value: int,
    as_of: dt.date | None,
    source: str,
    notes: str | None = None,
) -> PopulationEstimate:
    """Write a population baseline (upsert by place, date and source; ``notes`` None
    keeps the notes held). Baselines feed the population estimates (``crossings``)."""
    _require(actor, Action.POPULATION_EDIT, area=place.admin1)
    if value < 0:
        raise InvalidInput(_("Population cannot be negative."), code="negative_population")
    if as_of is not None and as_of > timezone.localdate():
        raise InvalidInput(_("A population figure is as of a past day."), field="as_of")
    if not source.strip():
        raise InvalidInput(_("Name the source of the figure."), field="source")
    extra = {} if notes is None else {"notes": notes}
    estimate, _created = PopulationEstimate.objects.update_or_create(
        place=place,
        as_of=as_of,
        source=source.strip(),
        defaults={"value": value, "created_by": actor_user(actor), **extra},
    )
    audit_record(
        actor=actor,
        action="place.population_add",
        obj=place,
        after={"value": value, "as_of": as_of, "source": source},
    )
    return estimate


@transaction.atomic
def place_update(
    *,
    actor: Actor | None,
    place: Place,
    kind: str,
    latitude: float,
    longitude: float,
    admin_code: str | None = None,
) -> Place:
    """Change a place's kind, point and area (``admin_code``; else the outline containing
    the point). ``place.edit`` at the area it is in and at the one it moves to."""
    place = Place.objects.select_for_update(of=("self",)).select_related("admin1").get(pk=place.pk)
    coordinates_check(latitude, longitude)
    areas = _area_fields(AreaLookup.load(), latitude, longitude, admin_code)
    _require(actor, Action.PLACE_EDIT, area=place.admin1, new_area=areas["admin1"])
    fields = {"kind": str(PlaceKind(kind)), "latitude": latitude, "longitude": longitude, **areas}
    before = {k: str(getattr(place, k)) for k in fields}
    for key, value in fields.items():
        setattr(place, key, value)
    place.updated_by = actor_user(actor)
    place.save()
    after = {k: str(v) for k, v in fields.items()}
    audit_record(actor=actor, action="place.update", obj=place, before=before, after=after)
    caches_invalidate(PLACE_INDEX)
    return place


#: What the facility page's edit form changes (status has its own service).
FACILITY_EDITABLE = (
    "kind",
    "latitude",
    "longitude",
    "operating_hours",
    "notice_hours",
    "notice_to",
    "capacity_pupils",
    "capacity_beds",
    "capacity_people",
    "heated_area_m2",
    "heating_fuel",
    "boiler_kw",
    "boiler_efficiency",
    "tank_capacity_litres",
)


@transaction.atomic
def facility_update(
    *,
    actor: Actor | None,
    facility: Facility,
    place: Place,
    names: dict[str, str],
    values: dict[str, Any],
) -> Facility:
    """Change a facility's place, names and the :data:`FACILITY_EDITABLE` fields in
    ``values``. ``facility.edit`` at its place's area now and at the new place's."""
    facility = (
        Facility.objects.select_for_update(of=("self",))
        .select_related("place__admin1")
        .get(pk=facility.pk)
    )
    _require(actor, Action.FACILITY_EDIT, area=facility.place.admin1, new_area=place.admin1)
    unknown = set(values) - set(FACILITY_EDITABLE)
    if unknown:
        raise InvalidInput(_("These fields cannot be edited here."), fields=sorted(unknown))
    coordinates_check(
        values.get("latitude", facility.latitude), values.get("longitude", facility.longitude)
    )
    clean_names = {lang: text_check(f"name_{lang}", n) for lang, n in names.items() if n.strip()}
    if not clean_names:
        raise InvalidInput(_("Give the facility a name."), code="name_required", field="names")
    fields = {**values, "place": place, "names": clean_names}
    for key in FACILITY_TEXT_FIELDS:
        if key in fields and fields[key] is None:
            fields[key] = ""
    if "operating_hours" in fields:
        fields["operating_hours"] = text_check("operating_hours", fields["operating_hours"])
    before = {k: str(getattr(facility, k)) for k in fields}
    for key, value in fields.items():
        setattr(facility, key, value)
    facility.updated_by = actor_user(actor)
    facility.full_clean(validate_unique=False, validate_constraints=False)
    facility.save()
    after = {k: str(getattr(facility, k)) for k in fields}
    audit_record(actor=actor, action="facility.update", obj=facility, before=before, after=after)
    return facility


# ----------------------------------------------------------------------------------------
# Bulk upserts used by the importers (run inside the importer's atomic block).
# ----------------------------------------------------------------------------------------


PLACE_FIELDS = PLACE.stored_names()


def place_upsert_check(
    *, actor: Actor | None, row: dict[str, Any], existing: Place | None, lookup: AreaLookup
) -> dict[str, AdminArea | None]:
    """``place.edit`` at the area the row puts the place in and, for an existing place, at
    the one it is in now (the importer reports it per row); returns the row's areas."""
    coordinates_check(row["latitude"], row["longitude"])
    areas = _area_fields(lookup, row["latitude"], row["longitude"], row.get("admin_code"))
    if existing is None:
        _require(actor, Action.PLACE_EDIT, area=areas["admin1"])
    else:
        _require(actor, Action.PLACE_EDIT, area=existing.admin1, new_area=areas["admin1"])
    return areas


def place_upsert_bulk(*, actor: Actor | None, rows: Sequence[dict[str, Any]]) -> int:
    """Create or update places by code with their names and latest population.

    Each row: ``code, kind, latitude, longitude, admin_code`` (optional), ``names``
    (list of :class:`NameInput`), ``population``/``population_as_of``/``population_source``
    (optional), ``source``. The names of an imported place are replaced by the file's.
    ``place.edit`` in the place's area — for an existing place, before and after.
    """
    lookup = AreaLookup.load()
    existing = {
        p.code: p
        for p in Place.objects.select_related("admin1").filter(code__in=[r["code"] for r in rows])
    }
    author = actor_user(actor)
    for row in rows:
        areas = place_upsert_check(
            actor=actor, row=row, existing=existing.get(row["code"]), lookup=lookup
        )
        values = {key: row[key] for key in PLACE_FIELDS if key in row}
        values.update(names=_names_map(row["names"]), **areas)
        place = existing.get(row["code"])
        if place is None:
            place = Place.objects.create(code=row["code"], created_by=author, **values)
        else:
            for key, value in values.items():
                setattr(place, key, value)
            place.updated_by = author
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


FACILITY_FIELDS = FACILITY.stored_names()
#: Text fields whose blank is "" (a row's None for them is stored as "").
FACILITY_TEXT_FIELDS = tuple(f.name for f in FACILITY if f.stored and f.default == "")


def facility_existing(codes: Iterable[str]) -> dict[str, Facility]:
    """Facilities by code with their place's area (what a change is checked against)."""
    return {
        f.code: f
        for f in Facility.objects.select_related("place__admin1").filter(code__in=list(codes))
    }


def facility_upsert_check(
    *, actor: Actor | None, row: dict[str, Any], existing: Facility | None
) -> None:
    """``facility.edit`` at the facility's place's area — for an existing facility at the
    area it is in now AND the one the row moves it to (the importer reports it per row)."""
    new_area = row["place"].admin1
    if existing is None:
        _require(actor, Action.FACILITY_EDIT, area=new_area)
    else:
        _require(actor, Action.FACILITY_EDIT, area=existing.place.admin1, new_area=new_area)


def facility_upsert_bulk(*, actor: Actor | None, rows: Sequence[dict[str, Any]]) -> int:
    """Create or update facilities by code. Each row holds the model fields plus
    ``place`` (a Place), ``operator`` (an Organisation or None) and ``names``; every row
    passes :func:`facility_upsert_check`."""
    existing = facility_existing(r["code"] for r in rows)
    now = timezone.now()
    author = actor_user(actor)
    for row in rows:
        coordinates_check(row["latitude"], row["longitude"])
        place: Place = row["place"]
        facility_upsert_check(actor=actor, row=row, existing=existing.get(row["code"]))
        values = {key: row.get(key) for key in FACILITY_FIELDS if key in row}
        for key in FACILITY_TEXT_FIELDS:
            if key in values and values[key] is None:
                values[key] = ""
        values.update(place=place, operator=row.get("operator"), names=row.get("names") or {})
        facility = existing.get(row["code"])
        if facility is None:
            values.setdefault("status", FacilityStatus.OPERATING)
            facility = Facility(code=row["code"], created_by=author, status_since=now, **values)
        else:
            if values.get("status") and values["status"] != facility.status:
                facility.status_since = now
            for key, value in values.items():
                setattr(facility, key, value)
            facility.updated_by = author
        facility.full_clean(validate_unique=False, validate_constraints=False)
        facility.save()
    audit_record(actor=actor, action="facility.import", obj=None, after={"rows": len(rows)})
    return len(rows)


@transaction.atomic
def facility_set_status(
    *, actor: Actor | None, facility: Facility, status: str, reason: str = ""
) -> Facility:
    """Set a facility's status (operating, damaged, closed); history keeps every change."""
    _require(actor, Action.FACILITY_EDIT, area=facility.place.admin1)
    status = str(FacilityStatus(status))
    reason = text_check("reason", reason)
    if status == facility.status and reason == facility.status_reason:
        raise StatusUnchanged(status=status)
    if status != FacilityStatus.OPERATING and not reason.strip():
        raise ReasonRequired()
    before = {"status": facility.status, "reason": facility.status_reason}
    facility.status, facility.status_reason = status, reason.strip()
    facility.status_since = timezone.now()
    facility.updated_by = actor_user(actor)
    facility.save()
    audit_record(
        actor=actor,
        action="facility.set_status",
        obj=facility,
        before=before,
        after={"status": status, "reason": facility.status_reason},
    )
    return facility


@transaction.atomic
def road_segment_set_status(
    *, actor: Actor | None, segment: RoadSegment, status: str, reason: str = ""
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
    _require(actor, Action.ROAD_EDIT, area=road_segment_area(segment))
    status = str(RoadStatus(status))
    reason = text_check("reason", reason)
    if status == segment.status and reason == segment.status_reason:
        raise StatusUnchanged(status=status)
    if status != RoadStatus.OPEN and not reason:
        raise ReasonRequired()
    before = {"status": segment.status, "reason": segment.status_reason}
    segment.status, segment.status_reason = status, reason
    segment.status_since = timezone.now()
    segment.updated_by = actor_user(actor)
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


ROAD_FIELDS = ROAD.stored_names()


def road_upsert_bulk(*, actor: Actor | None, rows: Sequence[dict[str, Any]]) -> int:
    """Create or update road segments by code. Each row holds the segment fields plus
    ``from_node``/``to_node`` codes with ``from_lat``... coordinates and optional places
    (a new node is made at the given point; an existing node keeps its own).

    Every row passes :func:`road_upsert_check` before its nodes or segment are written.
    """
    lookup = AreaLookup.load()
    nodes: dict[str, RoadNode] = road_nodes_existing(
        code for row in rows for code in (row["from_node"], row["to_node"])
    )
    existing = road_segments_existing(r["code"] for r in rows)
    now = timezone.now()
    author = actor_user(actor)
    for row in rows:
        ends = road_row_nodes(row, nodes)
        road_upsert_check(actor=actor, ends=ends, existing=existing.get(row["code"]), lookup=lookup)
        for node in ends:
            if node._state.adding:
                coordinates_check(node.latitude, node.longitude)
                node.created_by = author
                node.save()
        values = {key: row[key] for key in ROAD_FIELDS if key in row and row[key] is not None}
        values.update(from_node=ends[0], to_node=ends[1])
        segment = existing.get(row["code"])
        if segment is None:
            segment = RoadSegment(code=row["code"], created_by=author, status_since=now, **values)
        else:
            if values.get("status") and values["status"] != segment.status:
                segment.status_since = now
            for key, value in values.items():
                setattr(segment, key, value)
            segment.updated_by = author
        segment.save()
    audit_record(actor=actor, action="road.import", obj=None, after={"rows": len(rows)})
    caches_invalidate(ROAD_NETWORK)
    return len(rows)


def road_nodes_existing(codes: Iterable[str]) -> dict[str, RoadNode]:
    return {
        n.code: n
        for n in RoadNode.objects.select_related("place__admin1").filter(code__in=set(codes))
    }


def road_segments_existing(codes: Iterable[str]) -> dict[str, RoadSegment]:
    return {
        s.code: s
        for s in RoadSegment.objects.select_related(
            "from_node__place__admin1", "to_node__place__admin1"
        ).filter(code__in=list(codes))
    }


def road_row_nodes(row: dict[str, Any], nodes: dict[str, RoadNode]) -> tuple[RoadNode, RoadNode]:
    """The two end nodes of a row: existing ones by code, else new (unsaved) ones at the
    row's point, remembered in ``nodes`` so later rows share them."""
    ends = []
    for end in ("from", "to"):
        code = row[f"{end}_node"]
        if code not in nodes:
            place: Place | None = row.get(f"{end}_place")
            nodes[code] = RoadNode(
                code=code,
                kind=NodeKind.PLACE if place else NodeKind.JUNCTION,
                place=place,
                name=(place.names.get("en", "") if place else ""),
                latitude=row[f"{end}_lat"],
                longitude=row[f"{end}_lon"],
            )
        ends.append(nodes[code])
    return ends[0], ends[1]


def road_upsert_check(
    *,
    actor: Actor | None,
    ends: tuple[RoadNode, RoadNode],
    existing: RoadSegment | None,
    lookup: AreaLookup | None = None,
) -> None:
    """``road.set_status`` at the segment's area as it will be (from its end nodes: a
    node's place, else the admin-area outline containing its point) and, for an existing
    segment, as it is now. An area that cannot be found is unknown: only a user acting for
    the whole installation may write such a segment."""
    new_area = road_segment_area(RoadSegment(from_node=ends[0], to_node=ends[1]), lookup=lookup)
    if existing is None:
        _require(actor, Action.ROAD_EDIT, area=new_area)
    else:
        _require(
            actor,
            Action.ROAD_EDIT,
            area=road_segment_area(existing, lookup=lookup),
            new_area=new_area,
        )

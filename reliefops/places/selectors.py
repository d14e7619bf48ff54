"""Reads of the places domain, scoped by the caller's access."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.i18n import localized
from reliefops.core.permissions import Actor, allowed_area_ids, user_can
from reliefops.places.choices import FacilityKind, FacilityStatus, RoadStatus
from reliefops.places.gazetteer import AreaLookup
from reliefops.places.matching import AMBIGUOUS, MATCHED, place_match
from reliefops.places.models import (
    AdminArea,
    Facility,
    Place,
    PopulationEstimate,
    RoadNode,
    RoadSegment,
)
from reliefops.places.route_geometry import path_line


def admin_area_children() -> dict[uuid.UUID | None, list[uuid.UUID]]:
    """The admin-area tree in one query: parent id → ids of its children."""
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for area_id, parent_id in AdminArea.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(area_id)
    return children


def admin_area_descendant_ids(
    area_ids: Iterable[uuid.UUID],
    *,
    children: Mapping[uuid.UUID | None, list[uuid.UUID]] | None = None,
) -> set[uuid.UUID]:
    """The given areas and every area below them (``children``: a preloaded tree)."""
    tree = admin_area_children() if children is None else children
    result: set[uuid.UUID] = set()
    stack = list(area_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(tree.get(current, []))
    return result


def admin_area_at_point(
    latitude: float, longitude: float, *, lookup: AreaLookup | None = None
) -> AdminArea | None:
    """The level-1 area whose outline contains the point (None outside every outline).

    ``lookup``: an :class:`~reliefops.places.gazetteer.AreaLookup` reused across calls.
    """
    lookup = lookup or AreaLookup.load()
    return lookup.levels(lookup.for_point(latitude, longitude)).get(1)


def road_segment_area(
    segment: RoadSegment, *, lookup: AreaLookup | None = None
) -> AdminArea | None:
    """The area a segment belongs to for permissions: the first end place's area, else
    the area whose outline contains the first end that lies in one.

    None when neither end lies in a known area (only a national user may change it).
    """
    ends = (segment.from_node, segment.to_node)
    for node in ends:
        if node.place_id is not None and node.place is not None and node.place.admin1_id:
            return node.place.admin1
    for node in ends:
        area = admin_area_at_point(node.latitude, node.longitude, lookup=lookup)
        if area is not None:
            return area
    return None


def admin_area_list(*, actor: Actor, in_scope: bool = False) -> QuerySet[AdminArea]:
    """Admin areas are reference data every user may read; ``in_scope`` keeps the user's."""
    if not user_can(actor, Action.VIEW):
        return AdminArea.objects.none()
    qs = AdminArea.objects.select_related("parent").order_by("level", "code")
    if in_scope:
        scope = allowed_area_ids(actor)
        if scope is not None:
            qs = qs.filter(id__in=scope)
    return qs


# ----------------------------------------------------------------------------------------
# Places, facilities and roads are reference data: every signed-in user with ``view`` reads
# them everywhere (a partner must know where a village is). ``in_scope=True`` narrows a
# list to the caller's areas; writes are area-scoped in the services.
# ----------------------------------------------------------------------------------------


def _area_filter(qs: QuerySet[Any], prefix: str, area: AdminArea | None) -> QuerySet[Any]:
    """Rows whose place lies in ``area`` or below it (any admin level)."""
    if area is None:
        return qs
    from django.db.models import Q

    ids = admin_area_descendant_ids([area.pk])
    return qs.filter(
        Q(**{f"{prefix}admin0__in": ids})
        | Q(**{f"{prefix}admin1__in": ids})
        | Q(**{f"{prefix}admin2__in": ids})
    )


def _scope_filter(qs: QuerySet[Any], actor: Actor, field: str, in_scope: bool) -> QuerySet[Any]:
    if not in_scope:
        return qs
    scope = allowed_area_ids(actor)
    return qs if scope is None else qs.filter(**{f"{field}__in": scope})


def place_list(
    *,
    actor: Actor,
    kind: str | None = None,
    area: AdminArea | None = None,
    in_scope: bool = False,
) -> QuerySet[Place]:
    if not user_can(actor, Action.VIEW):
        return Place.objects.none()
    qs = Place.objects.select_related("admin0", "admin1", "admin2").order_by("code")
    if kind:
        qs = qs.filter(kind=kind)
    qs = _area_filter(qs, "", area)
    return _scope_filter(qs, actor, "admin1", in_scope)


def place_get(*, actor: Actor, code: str) -> Place:
    """One place with its names and population estimates prefetched."""
    if not user_can(actor, Action.VIEW):
        raise NotFound(code=code)
    place = (
        Place.objects.select_related("admin0", "admin1", "admin2")
        .prefetch_related("place_names", "population_estimates", "facilities")
        .filter(code=code)
        .first()
    )
    if place is None:
        raise NotFound(code=code)
    return place


def place_population(place: Place) -> PopulationEstimate | None:
    """The latest population estimate (dated ones first, newest date; then undated)."""
    estimates = list(place.population_estimates.all())
    dated = [e for e in estimates if e.as_of is not None]
    if dated:
        return max(dated, key=lambda e: (e.as_of, e.created_at))
    return estimates[0] if estimates else None


def facility_list(
    *,
    actor: Actor,
    kind: str | None = None,
    status: str | None = None,
    area: AdminArea | None = None,
    in_scope: bool = False,
) -> QuerySet[Facility]:
    if not user_can(actor, Action.VIEW):
        return Facility.objects.none()
    qs = Facility.objects.select_related("place", "operator").order_by("code")
    if kind:
        qs = qs.filter(kind__in=kind.split(","))
    if status:
        qs = qs.filter(status=status)
    qs = _area_filter(qs, "place__", area)
    return _scope_filter(qs, actor, "place__admin1", in_scope)


def road_segment_list(*, actor: Actor, status: str | None = None) -> QuerySet[RoadSegment]:
    if not user_can(actor, Action.VIEW):
        return RoadSegment.objects.none()
    qs = RoadSegment.objects.select_related("from_node", "to_node").order_by("code")
    if status:
        qs = qs.filter(status=status)
    return qs


def _status_changes(history: Any, choices: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Status changes in a django-simple-history table, newest first, each with the
    status's label (translated when shown) beside its stored value."""
    rows = list(
        history.order_by("-history_date").values(
            "history_date", "status", "status_reason", "history_user__username"
        )
    )
    labels = dict(choices)
    changes = []
    for current, previous in zip(rows, [*rows[1:], None], strict=False):
        if previous is None or (current["status"], current["status_reason"]) != (
            previous["status"],
            previous["status_reason"],
        ):
            changes.append({**current, "status_label": labels.get(current["status"], "")})
    return changes


def road_segment_history(segment: RoadSegment) -> list[Any]:
    """Status changes of a segment, newest first (from django-simple-history)."""
    return _status_changes(segment.history, RoadStatus.choices)


def facility_status_history(facility: Facility) -> list[Any]:
    """Status changes of a facility, newest first (from django-simple-history)."""
    return _status_changes(facility.history, FacilityStatus.choices)


def admin_areas_among(area_ids: Iterable[Any]) -> list[AdminArea]:
    """The level-0/1 areas among ``area_ids`` by code (a membership's grant is expanded to
    the areas below; a page saying where a user may act names only these)."""
    return list(AdminArea.objects.filter(level__lte=1, id__in=list(area_ids)).order_by("code"))


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def place_geojson(
    *,
    actor: Actor,
    kind: str | None = None,
    area: AdminArea | None = None,
    lang: str | None = None,
    min_kind: str | None = None,
) -> dict[str, Any]:
    """Places as GeoJSON points with the name in the user's language."""
    qs = (
        place_list(actor=actor, kind=kind, area=area)
        .select_related(None)
        .select_related("admin1")
        .only("id", "code", "kind", "names", "latitude", "longitude", "admin1__code")
    )
    features = [
        {
            "type": "Feature",
            "id": p.code,
            "geometry": _point(p.longitude, p.latitude),
            "properties": {
                "code": p.code,
                "kind": p.kind,
                "name": p.name_in(lang),
                "area": p.admin1.code if p.admin1 else None,
            },
        }
        for p in qs
    ]
    return {"type": "FeatureCollection", "features": features}


def facility_geojson(
    *,
    actor: Actor,
    kind: str | None = None,
    area: AdminArea | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "id": f.code,
            "geometry": _point(f.longitude, f.latitude),
            "properties": {
                "code": f.code,
                "kind": f.kind,
                "kind_label": str(f.get_kind_display()),
                "name": localized(f.names, lang) or f.code,
                "status": f.status,
                "status_label": str(f.get_status_display()),
                "status_reason": f.status_reason,
                "place": f.place.code,
                "place_name": f.place.name_in(lang),
                "operating_hours": f.operating_hours,
            },
        }
        for f in facility_list(actor=actor, kind=kind, area=area)
    ]
    return {"type": "FeatureCollection", "features": features}


def road_geojson(*, actor: Actor) -> dict[str, Any]:
    """Road segments as lines (their geometry, else a straight line between the nodes)."""
    features = []
    for s in road_segment_list(actor=actor):
        geometry = s.geometry or {
            "type": "LineString",
            "coordinates": [
                [round(s.from_node.longitude, 6), round(s.from_node.latitude, 6)],
                [round(s.to_node.longitude, 6), round(s.to_node.latitude, 6)],
            ],
        }
        features.append(
            {
                "type": "Feature",
                "id": s.code,
                "geometry": geometry,
                "properties": {
                    "code": s.code,
                    "name": s.name,
                    "ref": s.ref,
                    "status": s.status,
                    "status_label": str(s.get_status_display()),
                    "status_reason": s.status_reason,
                    "status_since": s.status_since.isoformat() if s.status_since else None,
                    "length_km": s.length_km,
                    "surface": s.surface,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


_STATUS_RANK = {"open": 0, "restricted": 1, "closed": 2}


def route_list(*, actor: Actor) -> list[dict[str, Any]]:
    """Named routes with their segments in order, total length and worst current status."""
    from reliefops.places.models import Route

    if not user_can(actor, Action.VIEW):
        return []
    routes = Route.objects.prefetch_related(
        "route_segments__segment__from_node", "route_segments__segment__to_node"
    ).order_by("code")
    result = []
    for route in routes:
        segments = [rs.segment for rs in route.route_segments.all()]
        status = max(
            (s.status for s in segments), key=lambda v: _STATUS_RANK.get(v, 0), default="open"
        )
        result.append(
            {
                "code": route.code,
                "name": route.name,
                "names": route.names,
                "segments": [s.code for s in segments],
                "length_km": round(sum(s.length_km for s in segments), 1),
                "status": status,
                "closed_segments": [s.code for s in segments if s.status == "closed"],
                "geometry": {"type": "LineString", "coordinates": path_line(segments)},
            }
        )
    return result


# --------------------------------------------------------------------------- place resolver


class UnknownPlace(InvalidInput):
    """No gazetteer place is close enough to the spelling given."""

    code = "unknown_place"
    default_message = _("No place matches this name.")


class AmbiguousPlace(InvalidInput):
    """Several places match the spelling equally well; ``details["candidates"]`` lists them."""

    code = "ambiguous_place"
    default_message = _("The place name is ambiguous; give the P-code.")


def place_resolve(
    text: str,
    *,
    area: AdminArea | None = None,
    near: tuple[float, float] | None = None,
) -> Place:
    """The one gazetteer place meant by ``text``: a P-code, or any spelling in any script.

    The single resolver behind every form, import and tool that takes a place name
    (the matcher's rules are in :mod:`reliefops.places.matching`). Raises
    :class:`UnknownPlace` when nothing is close enough and :class:`AmbiguousPlace`, with
    the candidates, when the spelling fits several places; ``area`` and ``near`` narrow it.
    Reads the whole gazetteer (reference data); the caller's write checks the scope.
    """
    text = (text or "").strip()
    if not text:
        raise UnknownPlace(_("Give a place P-code or name."), name=text)
    by_code = Place.objects.select_related("admin1").filter(code=text).first()
    if by_code is not None:
        return by_code
    result = place_match(text, area=area, near=near)
    if result.status == MATCHED and result.place is not None:
        return Place.objects.select_related("admin1").get(pk=result.place.id)
    if result.status == AMBIGUOUS:
        candidates = [
            {
                "code": c.place.code,
                "name": localized(c.place.names) or c.place.code,
                "matched_name": c.matched_name,
            }
            for c in result.candidates[:5]
        ]
        listed = ", ".join(f"{c['code']} ({c['matched_name']})" for c in candidates)
        raise AmbiguousPlace(
            _("The place name %(name)s is ambiguous (candidates: %(candidates)s); give the P-code.")
            % {"name": text, "candidates": listed},
            name=text,
            candidates=candidates,
        )
    raise UnknownPlace(_("No place matches %(name)s.") % {"name": text}, name=text)


# --- added for needs


def facilities_by_code(codes: Iterable[str] | None = None) -> dict[str, Facility]:
    """Facilities (reference data) by code, with their place and its area; ``codes``
    narrows the read (an import names thousands, an API field one)."""
    qs = Facility.objects.select_related("place__admin1")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {f.code: f for f in qs}


def places_by_code(codes: Iterable[str] | None = None) -> dict[str, Place]:
    """Places (reference data) by P-code, with their level-1 area; ``codes`` narrows."""
    qs = Place.objects.select_related("admin1")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {p.code: p for p in qs}


def population_latest(place_ids: Iterable[uuid.UUID] | None = None) -> dict[uuid.UUID, int]:
    """Each place's latest population estimate (undated ones count as the oldest)."""
    qs = PopulationEstimate.objects.all()
    if place_ids is not None:
        qs = qs.filter(place_id__in=list(place_ids))
    latest: dict[uuid.UUID, tuple[dt.date, int]] = {}
    for place_id, value, as_of in qs.values_list("place_id", "value", "as_of"):
        day = as_of or dt.date.min
        if place_id not in latest or day >= latest[place_id][0]:
            latest[place_id] = (day, value)
    return {k: v for k, (_day, v) in latest.items()}


def population_by_admin1(area_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The latest populations of the places of each level-1 area, added up per area."""
    populations = population_latest()
    totals: dict[uuid.UUID, int] = {}
    for place_id, area_id in Place.objects.filter(
        pk__in=list(populations), admin1_id__in=list(area_ids)
    ).values_list("pk", "admin1_id"):
        totals[area_id] = totals.get(area_id, 0) + populations[place_id]
    return totals


def nearest_to_point(latitude: float, longitude: float, candidates: Iterable[Any]) -> Any | None:
    """The candidate (anything with ``latitude`` and ``longitude``) closest to the point
    along the great circle; None when there is none."""
    from reliefops.places.matching import distance_km

    return min(
        candidates,
        key=lambda c: distance_km(latitude, longitude, c.latitude, c.longitude),
        default=None,
    )


# --- added for shell
from django.db.models import Case, IntegerField, Q, Value, When  # noqa: E402


def road_segment_blocked_list(*, actor: Actor, in_scope: bool = True) -> QuerySet[RoadSegment]:
    """Segments that are closed or restricted; ``in_scope``: those with an end at a place
    in the actor's areas (every segment for a national user). Closed before restricted,
    then the longest-standing first."""
    qs = road_segment_list(actor=actor).exclude(status=RoadStatus.OPEN)
    scope = allowed_area_ids(actor) if in_scope else None
    if scope is not None:
        ids = list(scope)
        qs = qs.filter(
            Q(from_node__place__admin1__in=ids)
            | Q(to_node__place__admin1__in=ids)
            | Q(from_node__place__admin2__in=ids)
            | Q(to_node__place__admin2__in=ids)
        )
    closed_first = Case(
        When(status=RoadStatus.CLOSED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(closed_first, "status_since", "code")


# --- added for logistics


def segment_routes(segment_ids: Iterable[Any]) -> dict[Any, Any]:
    """The named route (``Route``) each segment belongs to, by segment id (first by code)."""
    from reliefops.places.models import RouteSegment

    found: dict[Any, Any] = {}
    for rs in (
        RouteSegment.objects.filter(segment_id__in=list(segment_ids))
        .select_related("route")
        .order_by("route__code")
    ):
        found.setdefault(rs.segment_id, rs.route)
    return found


def crossing_points_at(place_ids: Iterable[Any]) -> list[Facility]:
    """Crossing-point facilities at these places (the road nodes a route passes)."""
    return list(
        Facility.objects.filter(kind=FacilityKind.CROSSING_POINT, place_id__in=list(place_ids))
        .select_related("place")
        .order_by("code")
    )


def crossing_point_list(*, actor: Actor) -> QuerySet[Facility]:
    """Every crossing point the actor may see (passages name them)."""
    if not user_can(actor, Action.VIEW):
        return Facility.objects.none()
    return Facility.objects.filter(kind=FacilityKind.CROSSING_POINT).select_related("place")


def road_path(origin: Place, destination: Place, *, vehicle_class: str = "truck") -> list[Any]:
    """The fastest open road path between two places: its segments in travel order (empty
    when no open road joins them)."""
    from reliefops.places.network import travel_route

    route = travel_route(origin, destination, vehicle_class=vehicle_class)
    by_id = RoadSegment.objects.select_related("from_node", "to_node").in_bulk(route.segment_ids)
    return [by_id[pk] for pk in route.segment_ids if pk in by_id]


def segments_line(segments: list[RoadSegment]) -> list[list[float]]:
    """One [lon, lat] line through the segments in order (for a map)."""
    return path_line(segments)


# --- added for crossings


def population_baselines(*, on: dt.date | None = None) -> dict[uuid.UUID, PopulationEstimate]:
    """Each place's population baseline as known on ``on`` (default: every figure): its
    latest figure dated on or before that day — undated figures count as the oldest, and
    of two with the same date the one recorded last — with the place loaded (its admin
    areas). Reference data, read by every signed-in user like the places themselves."""
    qs = PopulationEstimate.objects.select_related("place")
    if on is not None:
        qs = qs.exclude(as_of__gt=on)
    latest: dict[uuid.UUID, PopulationEstimate] = {}
    for estimate in qs.order_by(F("as_of").asc(nulls_first=True), "created_at"):
        latest[estimate.place_id] = estimate  # the last one read wins
    return latest


def population_estimate_find(
    place_ids: Iterable[uuid.UUID] | None = None,
) -> dict[tuple[uuid.UUID, dt.date | None, str], PopulationEstimate]:
    """Population figures by (place id, as-of date, source): what a baseline import
    updates (``places`` narrows the read)."""
    qs = PopulationEstimate.objects.all()
    if place_ids is not None:
        qs = qs.filter(place_id__in=list(place_ids))
    return {(e.place_id, e.as_of, e.source): e for e in qs}


# --- added for dayplans


def planning_travel_matrix(places: list[Place], *, vehicle_class: str = "truck") -> Any:
    """The road network's travel matrix (``places.network.TravelMatrix``: minutes, km,
    estimated) between ``places`` in order, for a vehicle class, with today's closures."""
    from reliefops.places.network import travel_matrix

    return travel_matrix(places, vehicle_class=vehicle_class)


def road_segments_with_warning() -> QuerySet[Any]:
    """The road segments a route warns about (``pk`` values, for a subquery): closed ones
    and those ending at a crossing point that is not operating (both few: a route's check
    is then an index lookup per segment, not a join of the whole network)."""
    points = Facility.objects.filter(kind=FacilityKind.CROSSING_POINT)
    down_places = points.exclude(status=FacilityStatus.OPERATING).values("place_id")
    down = RoadNode.objects.filter(place_id__in=down_places).values("pk")
    return RoadSegment.objects.filter(
        Q(status=RoadStatus.CLOSED) | Q(from_node__in=down) | Q(to_node__in=down)
    ).values("pk")
    return RoadSegment.objects.filter(
        Q(status=RoadStatus.CLOSED) | Q(from_node__in=down) | Q(to_node__in=down)
    ).values("pk")

"""Lines of road paths for the map: segment geometries joined in travel order.

Coordinates are GeoJSON order ``[lon, lat]``, rounded to 6 decimals (≈ 0.1 m). A segment
without a stored geometry is the straight line between its nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reliefops.places.models import RoadSegment
from reliefops.places.network import TravelRoute


def segment_coordinates(segment: RoadSegment) -> list[list[float]]:
    """The segment's line from its ``from_node`` to its ``to_node``."""
    geometry = segment.geometry or {}
    if geometry.get("type") == "LineString":
        points = geometry.get("coordinates") or []
    elif geometry.get("type") == "MultiLineString":
        points = [p for part in geometry.get("coordinates") or [] for p in part]
    else:
        points = []
    if len(points) < 2:
        points = [
            [segment.from_node.longitude, segment.from_node.latitude],
            [segment.to_node.longitude, segment.to_node.latitude],
        ]
    return [[round(float(p[0]), 6), round(float(p[1]), 6)] for p in points]


def _gap(a: list[float], b: list[float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def path_line(
    segments: Sequence[RoadSegment], backwards: Sequence[bool] | None = None
) -> list[list[float]]:
    """One line through ``segments`` in order; each is flipped when ``backwards`` says so,
    or (without ``backwards``) when its far end is the one nearer the line so far."""
    lines = [segment_coordinates(s) for s in segments]
    result: list[list[float]] = []
    for i, coords in enumerate(lines):
        if backwards is not None:
            flip = backwards[i]
        elif result:
            flip = _gap(result[-1], coords[-1]) < _gap(result[-1], coords[0])
        elif i + 1 < len(lines):
            ends = (lines[i + 1][0], lines[i + 1][-1])
            flip = min(_gap(coords[0], e) for e in ends) < min(_gap(coords[-1], e) for e in ends)
        else:
            flip = False
        if flip:
            coords = coords[::-1]
        if result and result[-1] == coords[0]:
            coords = coords[1:]
        result.extend(coords)
    return result


def travel_route_feature(route: TravelRoute, origin: Any, destination: Any) -> dict[str, Any]:
    """The route as a GeoJSON Feature: origin → road segments in order → destination
    (the access legs are straight lines); a straight line when ``route.estimated``."""
    by_id = {
        s.id: s
        for s in RoadSegment.objects.filter(id__in=route.segment_ids).select_related(
            "from_node", "to_node"
        )
    }
    segments = [by_id[i] for i in route.segment_ids if i in by_id]
    start = [round(origin.longitude, 6), round(origin.latitude, 6)]
    end = [round(destination.longitude, 6), round(destination.latitude, 6)]
    middle = path_line(segments, route.reversed) if not route.estimated else []
    coordinates = [start]
    for point in [*middle, end]:
        if point != coordinates[-1]:
            coordinates.append(point)
    if len(coordinates) < 2:
        coordinates.append(end)
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {
            "from": origin.code,
            "to": destination.code,
            "minutes": round(route.minutes, 1),
            "km": round(route.km, 2),
            "estimated": route.estimated,
            "vehicle_class": route.vehicle_class,
            "segments": [s.code for s in segments],
        },
    }

"""Road network from an OpenStreetMap extract (``.osm.pbf`` or ``.osm``), read with pyosmium.

Ways tagged ``highway`` = one of :data:`HIGHWAY_SPEEDS_KMH` become road segments. Ways are
split wherever they share a node with another road way (junctions) and at their ends;
every such node becomes a :class:`RoadNode` (code ``OSM-N<id>``) and every piece a
:class:`RoadSegment` (code ``OSM-W<way id>-<piece>``) whose length is the sum of the
great-circle lengths of its node-to-node steps. Speeds: the ``maxspeed`` tag when numeric
(km/h, capped by the class), else the default of the highway type; trucks and heavy trucks
at :data:`TRUCK_FACTOR` / :data:`HEAVY_FACTOR` of the light-vehicle speed. ``oneway=yes``,
``surface``, ``ref``, ``name`` and ``maxweight`` (t) are kept. Road nodes within
:data:`PLACE_SNAP_KM` of a gazetteer place are not linked automatically; places reach the
network through the nearest node (see ``network.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require, require_write
from reliefops.places.caches import ROAD_NETWORK, caches_invalidate
from reliefops.places.choices import NodeKind, RoadCondition, RoadSurface
from reliefops.places.models import RoadNode, RoadSegment

HIGHWAY_SPEEDS_KMH = {
    "motorway": 90.0,
    "trunk": 80.0,
    "primary": 70.0,
    "secondary": 60.0,
    "tertiary": 50.0,
    "unclassified": 40.0,
    "residential": 30.0,
    "track": 20.0,
    "motorway_link": 50.0,
    "trunk_link": 50.0,
    "primary_link": 40.0,
    "secondary_link": 40.0,
    "tertiary_link": 30.0,
}
TRUCK_FACTOR = 0.8
HEAVY_FACTOR = 0.65
PLACE_SNAP_KM = 2.0
OSM_SOURCE = "OpenStreetMap (ODbL)"
_PAVED = {"asphalt", "paved", "concrete", "concrete:plates", "paving_stones", "sett"}
_GRAVEL = {"gravel", "fine_gravel", "compacted", "pebblestone", "unpaved"}


@dataclass
class OsmImportReport:
    ways: int = 0
    nodes: int = 0
    segments: int = 0
    skipped: int = 0


def _step_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _number(text: str | None) -> float | None:
    if not text:
        return None
    head = text.split()[0].replace(",", ".")
    try:
        return float(head)
    except ValueError:
        return None


def _read_ways(path: str) -> tuple[list[dict[str, Any]], dict[int, int]]:
    import osmium

    ways: list[dict[str, Any]] = []
    usage: dict[int, int] = {}
    processor = osmium.FileProcessor(path, osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for obj in processor:
        if not isinstance(obj, osmium.osm.Way):
            continue
        highway = obj.tags.get("highway")
        if highway not in HIGHWAY_SPEEDS_KMH:
            continue
        points: list[tuple[int, float, float]] = []
        for node_ref in obj.nodes:
            location = node_ref.location
            if not location.valid():
                points = []
                break
            points.append((node_ref.ref, location.lat, location.lon))
        if len(points) < 2:
            continue
        tags = {
            k: obj.tags.get(k)
            for k in (
                "highway",
                "name",
                "ref",
                "oneway",
                "surface",
                "maxspeed",
                "maxweight",
                "name:en",
            )
        }
        ways.append({"id": obj.id, "points": points, "tags": tags})
        for index, (ref, _lat, _lon) in enumerate(points):
            weight = 2 if index in (0, len(points) - 1) else 1
            usage[ref] = usage.get(ref, 0) + weight
    return ways, usage


@transaction.atomic
def osm_roads_import(
    *, actor: Actor | None, path: str | Path, replace: bool = False
) -> OsmImportReport:
    """Import the roads of an OSM extract (all-or-nothing); see the module docstring."""
    if actor is not None:
        require(actor, Action.IMPORT_RUN)
        # Segments anywhere in the extract, in no known area yet: a national user only.
        require_write(actor, Action.ROAD_EDIT, area=None, organisation=UNSCOPED)
    path = str(path)
    if not Path(path).exists():
        raise InvalidInput(code="file_not_found", path=path)
    ways, usage = _read_ways(path)
    report = OsmImportReport(ways=len(ways))
    if replace:
        RoadSegment.objects.filter(osm_way_id__isnull=False).delete()
    existing_nodes = {n.osm_id: n for n in RoadNode.objects.filter(osm_id__isnull=False)}
    new_nodes: dict[int, RoadNode] = {}
    segments: list[RoadSegment] = []
    existing_codes = set(
        RoadSegment.objects.filter(osm_way_id__isnull=False).values_list("code", flat=True)
    )

    def node_for(ref: int, lat: float, lon: float) -> RoadNode:
        node = existing_nodes.get(ref) or new_nodes.get(ref)
        if node is None:
            node = RoadNode(
                code=f"OSM-N{ref}",
                kind=NodeKind.JUNCTION,
                latitude=lat,
                longitude=lon,
                osm_id=ref,
                created_by=actor_user(actor),
            )
            new_nodes[ref] = node
        return node

    for way in ways:
        tags = way["tags"]
        base_speed = HIGHWAY_SPEEDS_KMH[tags["highway"]]
        max_speed = _number(tags.get("maxspeed"))
        light = min(max_speed, base_speed * 1.25) if max_speed else base_speed
        surface_tag = tags.get("surface") or ""
        surface = (
            RoadSurface.GRAVEL
            if surface_tag in _GRAVEL
            else RoadSurface.DIRT
            if surface_tag and surface_tag not in _PAVED
            else RoadSurface.PAVED
        )
        points = way["points"]
        piece, start, length = 0, 0, 0.0
        for i in range(1, len(points)):
            length += _step_km(points[i - 1][1:], points[i][1:])
            is_cut = i == len(points) - 1 or usage.get(points[i][0], 0) > 1
            if not is_cut:
                continue
            code = f"OSM-W{way['id']}-{piece}"
            piece += 1
            if length <= 0 or code in existing_codes:
                report.skipped += 1
                start, length = i, 0.0
                continue
            a, b = points[start], points[i]
            segments.append(
                RoadSegment(
                    code=code,
                    name=(tags.get("name:en") or tags.get("name") or "")[:200],
                    ref=(tags.get("ref") or "")[:40],
                    from_node=node_for(*a),
                    to_node=node_for(*b),
                    length_km=round(length, 3),
                    speed_light_kmh=light,
                    speed_truck_kmh=round(light * TRUCK_FACTOR, 1),
                    speed_heavy_kmh=round(light * HEAVY_FACTOR, 1),
                    surface=surface,
                    condition=RoadCondition.FAIR,
                    max_weight_t=_number(tags.get("maxweight")),
                    oneway=tags.get("oneway") in {"yes", "1", "true"},
                    geometry={
                        "type": "LineString",
                        "coordinates": [[p[2], p[1]] for p in points[start : i + 1]],
                    },
                    osm_way_id=way["id"],
                    source=OSM_SOURCE,
                    created_by=actor_user(actor),
                )
            )
            start, length = i, 0.0
    RoadNode.objects.bulk_create(list(new_nodes.values()), batch_size=2000)
    RoadSegment.objects.bulk_create(segments, batch_size=2000)
    report.nodes, report.segments = len(new_nodes), len(segments)
    audit_record(
        actor=actor,
        action="road.osm_import",
        obj=None,
        after={"file": Path(path).name, "segments": report.segments},
    )
    caches_invalidate(ROAD_NETWORK)
    return report

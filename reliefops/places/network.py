"""Road network: travel-time and distance matrices between places.

Model. Nodes are :class:`RoadNode` rows; each :class:`RoadSegment` is an edge (both ways
unless ``oneway``). Per vehicle class a segment costs ``length_km / speed_kmh × 60``
minutes. A segment is left out for a vehicle class when

* its status is ``closed`` (any class);
* its status is ``restricted`` and the class is not ``light`` (restricted = light
  vehicles only: escorted passage, damaged bridge ...);
* its ``max_weight_t`` is below the class's gross weight (:data:`CLASS_WEIGHT_T`).

Places. A place reaches the network through its own road node (a node whose ``place`` is
it) or else through the nearest node within :data:`SNAP_KM` km: the access leg is the
straight line × :data:`DETOUR_FACTOR` at :data:`ACCESS_SPEED_KMH`.

Paths. ``minutes`` is the fastest path (scipy.sparse.csgraph.dijkstra on minutes); ``km``
is the length of that same path (accumulated along the shortest-path tree). Where no
open road connects two places (or a place is further than :data:`SNAP_KM` from any node),
the pair gets a straight-line estimate: great-circle distance × :data:`DETOUR_FACTOR` at
:data:`FALLBACK_SPEED_KMH` for the class, and ``estimated[i, j]`` is True.

Caching. The graph of a vehicle class is built once and reused until the network changes;
matrices are memoised per (network fingerprint, class, places). The fingerprint (count and
latest ``updated_at`` of nodes and segments) is read on each call, so a segment closed in
any process invalidates every process's cache; saves in this process also drop it at once
(signals in ``apps.py``). Services that change segments must go through ``save()`` or
set ``updated_at`` so the fingerprint moves.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from reliefops.places.choices import RoadStatus, VehicleClass

DETOUR_FACTOR = 1.4
SNAP_KM = 10.0
ACCESS_SPEED_KMH = 30.0
FALLBACK_SPEED_KMH = {VehicleClass.LIGHT: 50.0, VehicleClass.TRUCK: 40.0, VehicleClass.HEAVY: 30.0}
CLASS_WEIGHT_T = {VehicleClass.LIGHT: 3.5, VehicleClass.TRUCK: 12.0, VehicleClass.HEAVY: 40.0}
EARTH_RADIUS_KM = 6371.0088
_MATRIX_CACHE_SIZE = 32


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km; works on floats and numpy arrays (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@dataclass(frozen=True)
class SegmentRecord:
    """What the graph needs of a segment (plain data, so graphs can be built without ORM)."""

    from_index: int
    to_index: int
    length_km: float
    speed_kmh: dict[str, float]
    status: str
    max_weight_t: float | None
    oneway: bool


def segment_usable(status: str, max_weight_t: float | None, vehicle_class: str) -> bool:
    """May a vehicle of ``vehicle_class`` use a segment with this status and weight limit?"""
    if status == RoadStatus.CLOSED:
        return False
    if status == RoadStatus.RESTRICTED and vehicle_class != VehicleClass.LIGHT:
        return False
    return not (
        max_weight_t is not None and max_weight_t < CLASS_WEIGHT_T[VehicleClass(vehicle_class)]
    )


@dataclass(frozen=True)
class RoadGraph:
    """One vehicle class's view of the network: CSR matrices of minutes and km."""

    vehicle_class: str
    node_lat: np.ndarray
    node_lon: np.ndarray
    minutes: csr_matrix
    km: csr_matrix

    @classmethod
    def build(
        cls,
        node_lat: Sequence[float] | np.ndarray,
        node_lon: Sequence[float] | np.ndarray,
        segments: Sequence[SegmentRecord],
        vehicle_class: str,
    ) -> RoadGraph:
        n = len(node_lat)
        rows: list[int] = []
        cols: list[int] = []
        minutes: list[float] = []
        km: list[float] = []
        for seg in segments:
            if not segment_usable(seg.status, seg.max_weight_t, vehicle_class):
                continue
            cost = seg.length_km / seg.speed_kmh[vehicle_class] * 60.0
            pairs = [(seg.from_index, seg.to_index)]
            if not seg.oneway:
                pairs.append((seg.to_index, seg.from_index))
            for a, b in pairs:
                rows.append(a)
                cols.append(b)
                minutes.append(max(cost, 1e-6))
                km.append(max(seg.length_km, 1e-6))
        minutes_m = _min_csr(rows, cols, minutes, n)
        km_m = _aligned_csr(rows, cols, minutes, km, n)
        return cls(
            vehicle_class=vehicle_class,
            node_lat=np.asarray(node_lat, dtype=float),
            node_lon=np.asarray(node_lon, dtype=float),
            minutes=minutes_m,
            km=km_m,
        )

    def paths(self, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fastest-path minutes and that path's km from each source node to every node.

        Sources go through Dijkstra in blocks of :data:`PATH_BLOCK`, so the temporary
        arrays (predecessors, edge lengths) stay the size of one block: a national day
        (2,500 sources × 10,000 nodes) peaked above 2 GB in one piece.
        """
        sources = np.asarray(sources, dtype=np.int64)
        n = self.minutes.shape[0]
        minutes = np.empty((len(sources), n))
        km = np.empty((len(sources), n))
        graph_km = self.km.tocsr()
        for start in range(0, len(sources), PATH_BLOCK):
            block = sources[start : start + PATH_BLOCK]
            block_minutes, predecessors = dijkstra(
                self.minutes, directed=True, indices=block, return_predecessors=True
            )
            minutes[start : start + len(block)] = block_minutes
            km[start : start + len(block)] = _path_lengths_ordered(
                block_minutes, predecessors, graph_km, block
            )
        return minutes, km


def _min_csr(rows: list[int], cols: list[int], values: list[float], n: int) -> csr_matrix:
    """CSR with the minimum value per (row, col) (parallel segments keep the fastest)."""
    if not rows:
        return csr_matrix((n, n))
    order = np.lexsort((np.asarray(values), np.asarray(cols), np.asarray(rows)))
    r, c, v = np.asarray(rows)[order], np.asarray(cols)[order], np.asarray(values)[order]
    keep = np.ones(len(r), dtype=bool)
    keep[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    return csr_matrix((v[keep], (r[keep], c[keep])), shape=(n, n))


def _aligned_csr(
    rows: list[int], cols: list[int], minutes: list[float], km: list[float], n: int
) -> csr_matrix:
    """km of the edge kept by :func:`_min_csr` for each (row, col)."""
    if not rows:
        return csr_matrix((n, n))
    order = np.lexsort((np.asarray(minutes), np.asarray(cols), np.asarray(rows)))
    r, c, v = np.asarray(rows)[order], np.asarray(cols)[order], np.asarray(km)[order]
    keep = np.ones(len(r), dtype=bool)
    keep[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    return csr_matrix((v[keep], (r[keep], c[keep])), shape=(n, n))


PATH_BLOCK = 512


def _edge_km(predecessors: np.ndarray, km: csr_matrix) -> np.ndarray:
    """km of the tree edge (predecessor → node) for every (source, node); 0 where none."""
    s, n = predecessors.shape
    reachable = predecessors >= 0
    edge = np.zeros((s, n), dtype=float)
    if reachable.any():
        nodes = np.broadcast_to(np.arange(n, dtype=np.int64)[None, :], (s, n))[reachable]
        edge[reachable] = np.asarray(km[predecessors[reachable], nodes]).ravel()
    return edge


def _path_lengths_ordered(
    minutes: np.ndarray, predecessors: np.ndarray, km: csr_matrix, sources: np.ndarray
) -> np.ndarray:
    """Sum edge km along each shortest-path tree, nodes taken in Dijkstra order.

    A node's predecessor is strictly nearer in minutes (every edge costs > 0), so walking
    the nodes of each row by increasing minutes settles the parent before the child: one
    vectorised step per rank over all sources of the block (n steps of s elements), where
    pointer doubling needed log(depth) passes of s × n random gathers (33 s and 2 GB for
    2,500 sources × 10,000 nodes). Unreachable nodes point at a padding column (inf).
    """
    s, n = predecessors.shape
    width = n + 1
    base = np.arange(s, dtype=np.int64) * width
    edge = np.zeros((s, width))
    edge[:, :n] = _edge_km(predecessors, km)
    parent = np.full((s, width), n, dtype=np.int64)
    parent[:, :n] = np.where(predecessors >= 0, predecessors, n)
    total = np.full(s * width, np.inf)
    total[base + np.asarray(sources, dtype=np.int64)] = 0.0
    order = np.asfortranarray(np.argsort(minutes, axis=1, kind="stable"))
    edge_flat = edge.ravel()
    parent_flat = parent.ravel()
    for rank in range(1, n):
        at = base + order[:, rank]
        total[at] = total[base + parent_flat[at]] + edge_flat[at]
    return total.reshape(s, width)[:, :n].copy()


@dataclass(frozen=True)
class TravelMatrix:
    """Minutes and km between ``places`` (row = from, column = to) for one vehicle class.

    ``estimated[i, j]`` marks straight-line estimates (no road connects the pair).
    """

    place_ids: list[uuid.UUID]
    vehicle_class: str
    minutes: np.ndarray
    km: np.ndarray
    estimated: np.ndarray

    def index(self, place_id: uuid.UUID) -> int:
        return self.place_ids.index(place_id)


def travel_matrix_compute(
    graph: RoadGraph,
    place_lat: np.ndarray,
    place_lon: np.ndarray,
    place_node: np.ndarray,
    access_km: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The core computation on plain arrays (used by the service and the benchmark).

    ``place_node[i]`` is the node index of place ``i`` (-1: not on the network) and
    ``access_km[i]`` the straight-line km from the place to that node.
    """
    m = len(place_lat)
    vehicle_class = graph.vehicle_class
    on_net = place_node >= 0
    minutes = np.full((m, m), np.inf)
    km = np.full((m, m), np.inf)
    if on_net.any():
        nodes = place_node[on_net]
        unique_nodes, inverse = np.unique(nodes, return_inverse=True)
        node_minutes, node_km = graph.paths(unique_nodes)
        idx = np.flatnonzero(on_net)
        sub_minutes = node_minutes[inverse][:, nodes]
        sub_km = node_km[inverse][:, nodes]
        access_leg_km = access_km[on_net] * DETOUR_FACTOR
        access_minutes = access_leg_km / ACCESS_SPEED_KMH * 60.0
        sub_minutes = sub_minutes + access_minutes[:, None] + access_minutes[None, :]
        sub_km = sub_km + access_leg_km[:, None] + access_leg_km[None, :]
        minutes[np.ix_(idx, idx)] = sub_minutes
        km[np.ix_(idx, idx)] = sub_km
    estimated = ~np.isfinite(minutes)
    if estimated.any():
        straight = haversine_km(
            place_lat[:, None], place_lon[:, None], place_lat[None, :], place_lon[None, :]
        )
        fallback_km = straight * DETOUR_FACTOR
        fallback_minutes = fallback_km / FALLBACK_SPEED_KMH[VehicleClass(vehicle_class)] * 60.0
        km = np.where(estimated, fallback_km, km)
        minutes = np.where(estimated, fallback_minutes, minutes)
    np.fill_diagonal(minutes, 0.0)
    np.fill_diagonal(km, 0.0)
    np.fill_diagonal(estimated, False)
    return minutes, km, estimated


# ----------------------------------------------------------------------------------------
# Database side: graphs and matrices over RoadNode/RoadSegment/Place, cached.
# ----------------------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, Any] = {"fingerprint": None, "network": None, "graphs": {}}
_matrices: OrderedDict[tuple[Any, ...], TravelMatrix] = OrderedDict()


@dataclass(frozen=True)
class _Network:
    node_ids: list[uuid.UUID]
    node_lat: np.ndarray
    node_lon: np.ndarray
    node_of_place: dict[uuid.UUID, int]
    segments: list[SegmentRecord]
    tree: Any


def network_fingerprint() -> tuple[Any, ...]:
    from django.db.models import Count, Max

    from reliefops.places.models import RoadNode, RoadSegment

    nodes = RoadNode.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    segments = RoadSegment.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    crossings = _crossing_points().aggregate(n=Count("id"), m=Max("updated_at"))
    return (nodes["n"], nodes["m"], segments["n"], segments["m"], crossings["n"], crossings["m"])


def _crossing_points() -> Any:
    from reliefops.places.choices import FacilityKind
    from reliefops.places.models import Facility

    return Facility.objects.filter(kind=FacilityKind.CROSSING_POINT)


def _closed_crossing_places() -> set[uuid.UUID]:
    """Places whose crossing point is not open for passage: no road goes through them."""
    from reliefops.places.choices import FacilityStatus

    return set(
        _crossing_points()
        .exclude(status=FacilityStatus.OPERATING)
        .values_list("place_id", flat=True)
    )


def _load_network() -> _Network:
    from reliefops.places.models import RoadNode, RoadSegment

    node_ids: list[uuid.UUID] = []
    lat: list[float] = []
    lon: list[float] = []
    node_of_place: dict[uuid.UUID, int] = {}
    index: dict[uuid.UUID, int] = {}
    for node_id, place_id, node_lat, node_lon in RoadNode.objects.order_by("code").values_list(
        "id", "place_id", "latitude", "longitude"
    ):
        index[node_id] = len(node_ids)
        node_ids.append(node_id)
        lat.append(node_lat)
        lon.append(node_lon)
        if place_id is not None:
            node_of_place.setdefault(place_id, index[node_id])
    closed_places = _closed_crossing_places()
    blocked = {
        index[n] for n, p in RoadNode.objects.values_list("id", "place_id") if p in closed_places
    }
    segments = [
        SegmentRecord(
            from_index=index[row[0]],
            to_index=index[row[1]],
            length_km=row[2],
            speed_kmh={
                VehicleClass.LIGHT: row[3],
                VehicleClass.TRUCK: row[4],
                VehicleClass.HEAVY: row[5],
            },
            # A closed crossing point closes the roads through it.
            status=("closed" if index[row[0]] in blocked or index[row[1]] in blocked else row[6]),
            max_weight_t=row[7],
            oneway=row[8],
        )
        for row in RoadSegment.objects.values_list(
            "from_node_id",
            "to_node_id",
            "length_km",
            "speed_light_kmh",
            "speed_truck_kmh",
            "speed_heavy_kmh",
            "status",
            "max_weight_t",
            "oneway",
        ).iterator(chunk_size=5000)
    ]
    lat_a, lon_a = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    tree = cKDTree(_unit_vectors(lat_a, lon_a)) if node_ids else None
    return _Network(node_ids, lat_a, lon_a, node_of_place, segments, tree)


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def _current(vehicle_class: str) -> tuple[tuple[Any, ...], _Network, RoadGraph]:
    fingerprint = network_fingerprint()
    with _lock:
        if _cache["fingerprint"] != fingerprint or _cache["network"] is None:
            _cache["network"] = _load_network()
            _cache["graphs"] = {}
            _cache["fingerprint"] = fingerprint
            _matrices.clear()
        network: _Network = _cache["network"]
        graph = _cache["graphs"].get(vehicle_class)
        if graph is None:
            graph = RoadGraph.build(
                network.node_lat, network.node_lon, network.segments, vehicle_class
            )
            _cache["graphs"][vehicle_class] = graph
    return fingerprint, network, graph


def road_network_invalidate(**_: Any) -> None:
    """Drop cached graphs and matrices (connected to segment/node saves and deletes)."""
    with _lock:
        _cache["fingerprint"] = None
        _cache["network"] = None
        _cache["graphs"] = {}
        _matrices.clear()


def travel_matrix(
    places: Sequence[Any], *, vehicle_class: str = VehicleClass.TRUCK
) -> TravelMatrix:
    """Travel minutes and km between ``places`` (Place objects, in order) for a class."""
    vehicle_class = str(VehicleClass(vehicle_class))
    fingerprint, network, graph = _current(vehicle_class)
    key = (fingerprint, vehicle_class, tuple(p.id for p in places))
    with _lock:
        cached = _matrices.get(key)
        if cached is not None:
            _matrices.move_to_end(key)
            return cached
    lat = np.asarray([p.latitude for p in places], dtype=float)
    lon = np.asarray([p.longitude for p in places], dtype=float)
    place_node = np.full(len(places), -1, dtype=np.int64)
    access_km = np.zeros(len(places))
    unsnapped: list[int] = []
    for i, place in enumerate(places):
        node = network.node_of_place.get(place.id)
        if node is None:
            unsnapped.append(i)
        else:
            place_node[i] = node
    if unsnapped and network.tree is not None:
        points = _unit_vectors(lat[unsnapped], lon[unsnapped])
        _dist, nearest = network.tree.query(points)
        snap_km = haversine_km(
            lat[unsnapped], lon[unsnapped], network.node_lat[nearest], network.node_lon[nearest]
        )
        for j, i in enumerate(unsnapped):
            if snap_km[j] <= SNAP_KM:
                place_node[i] = nearest[j]
                access_km[i] = snap_km[j]
    minutes, km, estimated = travel_matrix_compute(graph, lat, lon, place_node, access_km)
    result = TravelMatrix(
        place_ids=[p.id for p in places],
        vehicle_class=vehicle_class,
        minutes=minutes,
        km=km,
        estimated=estimated,
    )
    with _lock:
        _matrices[key] = result
        while len(_matrices) > _MATRIX_CACHE_SIZE:
            _matrices.popitem(last=False)
    return result


# --- added for map: the fastest path itself (node and segment order), for drawing it.


@dataclass(frozen=True)
class TravelRoute:
    """The fastest road path between two places for a vehicle class.

    ``segment_ids`` are the road segments in travel order and ``reversed`` tells for each
    whether it is driven against its drawing direction (to → from). Both are empty when
    no open road connects the places (``estimated``: straight line × detour factor).
    ``minutes``/``km`` equal :func:`travel_matrix`'s figures for the pair.
    """

    minutes: float
    km: float
    estimated: bool
    vehicle_class: str
    segment_ids: list[uuid.UUID]
    reversed: list[bool]
    node_ids: list[uuid.UUID]


def _node_path(predecessors: np.ndarray, source: int, target: int) -> list[int]:
    """Node indices from ``source`` to ``target`` along a shortest-path tree ([] if none)."""
    if source == target:
        return [source]
    if predecessors[target] < 0:
        return []
    path = [target]
    while path[-1] != source:
        path.append(int(predecessors[path[-1]]))
    return path[::-1]


def travel_route(
    origin: Any, destination: Any, *, vehicle_class: str = VehicleClass.TRUCK
) -> TravelRoute:
    """The fastest path from ``origin`` to ``destination`` (Place objects) for a class.

    The path runs between the places' network nodes (as in :func:`travel_matrix`: own node,
    else the nearest within :data:`SNAP_KM`); each pair of consecutive nodes is joined by
    the usable segment that is fastest for the class, the one the graph kept.
    """
    from reliefops.places.models import RoadSegment

    vehicle_class = str(VehicleClass(vehicle_class))
    matrix = travel_matrix([origin, destination], vehicle_class=vehicle_class)
    minutes, km = float(matrix.minutes[0, 1]), float(matrix.km[0, 1])
    estimated = bool(matrix.estimated[0, 1])
    empty = TravelRoute(minutes, km, estimated, vehicle_class, [], [], [])
    if estimated:
        return empty
    _fingerprint, network, graph = _current(vehicle_class)
    ends = [_place_node(network, place) for place in (origin, destination)]
    if ends[0] is None or ends[1] is None:
        return empty
    _minutes, predecessors = dijkstra(
        graph.minutes, directed=True, indices=ends[0], return_predecessors=True
    )
    path = _node_path(predecessors, ends[0], ends[1])
    node_ids = [network.node_ids[i] for i in path]
    pairs = list(pairwise(node_ids))
    if not pairs:
        return TravelRoute(minutes, km, estimated, vehicle_class, [], [], node_ids)
    wanted = {n for pair in pairs for n in pair}
    best: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, uuid.UUID, bool]] = {}
    for seg in RoadSegment.objects.filter(from_node_id__in=wanted, to_node_id__in=wanted).only(
        "id",
        "from_node_id",
        "to_node_id",
        "length_km",
        "status",
        "max_weight_t",
        "oneway",
        "speed_light_kmh",
        "speed_truck_kmh",
        "speed_heavy_kmh",
    ):
        if not segment_usable(seg.status, seg.max_weight_t, vehicle_class):
            continue
        speed = {
            VehicleClass.LIGHT: seg.speed_light_kmh,
            VehicleClass.TRUCK: seg.speed_truck_kmh,
            VehicleClass.HEAVY: seg.speed_heavy_kmh,
        }[VehicleClass(vehicle_class)]
        cost = seg.length_km / speed * 60.0
        directions = [((seg.from_node_id, seg.to_node_id), False)]
        if not seg.oneway:
            directions.append(((seg.to_node_id, seg.from_node_id), True))
        for key, backwards in directions:
            if key not in best or cost < best[key][0]:
                best[key] = (cost, seg.id, backwards)
    chosen = [best[pair] for pair in pairs if pair in best]
    return TravelRoute(
        minutes,
        km,
        estimated,
        vehicle_class,
        [c[1] for c in chosen],
        [c[2] for c in chosen],
        node_ids,
    )


def _place_node(network: _Network, place: Any) -> int | None:
    """The network node a place uses (its own, else the nearest within SNAP_KM)."""
    node = network.node_of_place.get(place.id)
    if node is not None or network.tree is None:
        return node
    point = _unit_vectors(np.asarray([place.latitude]), np.asarray([place.longitude]))
    _dist, nearest = network.tree.query(point)
    index = int(nearest[0])
    snap = haversine_km(
        place.latitude, place.longitude, network.node_lat[index], network.node_lon[index]
    )
    return index if float(snap) <= SNAP_KM else None

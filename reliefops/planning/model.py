"""The planning problem: plain, frozen data classes and a builder that validates at once.

Units are in the names: ``_min`` minutes from midnight of the planning day (or durations in
minutes), ``_km`` kilometres, ``_kg`` kilograms, ``_m3`` cubic metres, ``_l`` litres.

Every place (depot, requesting site, team base, visited household, crossing point) is a
:class:`Site`; the travel matrix is indexed by the order in which sites were added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from reliefops.planning.errors import ProblemError

DAY_MIN = 24 * 60.0


class Priority(StrEnum):
    LIFE_SAVING = "life_saving"
    URGENT = "urgent"
    ROUTINE = "routine"


PRIORITY_WEIGHT: Mapping[Priority, float] = MappingProxyType(
    {Priority.LIFE_SAVING: 100.0, Priority.URGENT: 10.0, Priority.ROUTINE: 1.0}
)
"""Weight of one fully met demand in the allocation objective."""


@dataclass(frozen=True, slots=True)
class Site:
    """A place. ``open_min``/``close_min``: when deliveries or visits may start there.

    ``crossing``: id of a :class:`Crossing` a vehicle passes right before reaching the site.
    """

    id: str
    lat: float
    lon: float
    area: str = ""
    open_min: float = 0.0
    close_min: float = DAY_MIN
    service_min: float = 10.0
    crossing: str | None = None


@dataclass(frozen=True, slots=True)
class Crossing:
    """A crossing point (checkpoint) open from ``open_min`` to ``close_min``, at ``site``."""

    id: str
    site: str
    open_min: float
    close_min: float


@dataclass(frozen=True, slots=True)
class Item:
    """A stock item. ``item_class`` decides which vehicles may carry it (e.g. food, fuel).

    Per unit: ``kg``, ``m3`` (volume) and ``l`` (litres of tank capacity, for liquids in bulk).
    ``divisible``: quantities may be fractional (fuel in litres); otherwise whole units.
    """

    id: str
    item_class: str
    kg: float
    m3: float = 0.0
    l: float = 0.0  # noqa: E741 - litres, the unit is the name
    divisible: bool = False


@dataclass(frozen=True, slots=True)
class Depot:
    """A warehouse at ``site``; vehicles load from ``open_min`` to ``close_min``.

    ``load_min``: time to load a vehicle at the start of every trip, the first one included
    (PyVRP's depot service duration).
    """

    id: str
    site: str
    open_min: float = 0.0
    close_min: float = DAY_MIN
    load_min: float = 30.0


@dataclass(frozen=True, slots=True)
class Lot:
    """``quantity`` units of ``item`` in ``depot``; unusable after ``expires_on``."""

    id: str
    depot: str
    item: str
    quantity: float
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class Demand:
    """``quantity`` units of ``item`` requested at ``site``.

    ``needed_by_min``: latest acceptable arrival, minutes from midnight of the planning day
    (negative: the deadline has already passed).
    """

    id: str
    site: str
    item: str
    quantity: float
    priority: Priority = Priority.ROUTINE
    needed_by_min: float | None = None


@dataclass(frozen=True, slots=True)
class Vehicle:
    """A vehicle based at ``depot`` (ending at ``end_depot``, default the same).

    ``item_classes``: classes it may carry (a fuel tanker: ``{"fuel"}``). ``shift_min``: the
    longest working time from leaving the depot to returning. ``reload``: may go back to its
    depot to reload and start another trip.
    """

    id: str
    depot: str
    capacity_kg: float
    capacity_m3: float
    capacity_l: float
    item_classes: frozenset[str]
    end_depot: str | None = None
    shift_start_min: float = 8 * 60.0
    shift_min: float = 10 * 60.0
    fixed_cost: float = 0.0
    cost_per_km: float = 1.0
    reload: bool = False


@dataclass(frozen=True, slots=True)
class Team:
    """A mobile team working from ``base`` (a site id) with its skills and languages."""

    id: str
    base: str
    skills: frozenset[str]
    languages: frozenset[str]
    shift_start_min: float = 8 * 60.0
    shift_min: float = 8 * 60.0
    cost_per_km: float = 1.0


@dataclass(frozen=True, slots=True)
class Visit:
    """A due visit at ``site``; it may require one ``skill`` and one ``language``.

    The visit must start within ``[open_min, close_min]`` (intersected with the site's hours).
    """

    id: str
    site: str
    service_min: float
    priority: Priority = Priority.ROUTINE
    skill: str | None = None
    language: str | None = None
    open_min: float = 0.0
    close_min: float = DAY_MIN


@dataclass(frozen=True)
class Problem:
    """A frozen planning problem for one day; build it with :class:`ProblemBuilder`.

    ``distance_km[i, j]`` and ``duration_min[i, j]`` are indexed by ``sites`` order.
    """

    day: date
    sites: tuple[Site, ...]
    items: tuple[Item, ...]
    depots: tuple[Depot, ...]
    lots: tuple[Lot, ...]
    demands: tuple[Demand, ...]
    vehicles: tuple[Vehicle, ...]
    teams: tuple[Team, ...]
    visits: tuple[Visit, ...]
    crossings: tuple[Crossing, ...]
    distance_km: npt.NDArray[np.float32]
    duration_min: npt.NDArray[np.float32]
    fairness_weight: float = 0.5
    site_index: Mapping[str, int] = field(default_factory=dict)
    item_by_id: Mapping[str, Item] = field(default_factory=dict)
    depot_by_id: Mapping[str, Depot] = field(default_factory=dict)
    crossing_by_id: Mapping[str, Crossing] = field(default_factory=dict)

    def site(self, site_id: str) -> Site:
        return self.sites[self.site_index[site_id]]

    def travel_min(self, a: str, b: str) -> float:
        return float(self.duration_min[self.site_index[a], self.site_index[b]])

    def travel_km(self, a: str, b: str) -> float:
        return float(self.distance_km[self.site_index[a], self.site_index[b]])


def _finite(field_name: str, value: float, *, minimum: float | None = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ProblemError(field_name, f"must be a number, got {value!r}") from exc
    if not math.isfinite(number):
        raise ProblemError(field_name, f"must be a finite number, got {value!r}")
    if minimum is not None and number < minimum:
        raise ProblemError(field_name, f"must be >= {minimum:g}, got {number:g}")
    return number


def _window(prefix: str, open_min: float, close_min: float) -> None:
    _finite(f"{prefix}.open_min", open_min, minimum=None)
    _finite(f"{prefix}.close_min", close_min, minimum=None)
    if close_min < open_min:
        raise ProblemError(
            f"{prefix}.close_min", f"closes ({close_min:g}) before it opens ({open_min:g})"
        )


def _identifier(field_name: str, value: object, taken: Iterable[str]) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError(field_name, f"must be a non-empty string, got {value!r}")
    if value in taken:
        raise ProblemError(field_name, f"duplicate id {value!r}")
    return value


def matrix_from_coordinates(
    lat: npt.ArrayLike, lon: npt.ArrayLike, *, speed_kmh: float = 40.0, detour: float = 1.3
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Great-circle distance × ``detour`` (km) and time at ``speed_kmh`` (minutes).

    A stand-in for a road network: the gazetteer supplies real matrices later. Computed in
    row blocks as float32 so a 10,000-site matrix needs 2 × 400 MB and no large temporaries.
    """
    la = np.radians(np.asarray(lat, dtype=np.float64))
    lo = np.radians(np.asarray(lon, dtype=np.float64))
    n = la.shape[0]
    distance = np.empty((n, n), dtype=np.float32)
    cos_la = np.cos(la)
    block = 512
    for start in range(0, n, block):
        stop = min(n, start + block)
        dlat = la[start:stop, None] - la[None, :]
        dlon = lo[start:stop, None] - lo[None, :]
        h = (
            np.sin(dlat / 2) ** 2
            + cos_la[start:stop, None] * cos_la[None, :] * np.sin(dlon / 2) ** 2
        )
        distance[start:stop] = 2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(h, 1.0))) * detour
    duration = distance * np.float32(60.0 / speed_kmh)
    return distance, duration


class ProblemBuilder:
    """Collects a problem piece by piece and validates every piece when it is added.

    Errors are :class:`ProblemError` naming the field, e.g. ``demands[3].quantity`` or
    ``vehicles[0].depot``. References (a demand's site, a lot's depot) are checked in
    :meth:`build`, so pieces can be added in any order.
    """

    def __init__(self, day: date) -> None:
        self._day = day
        self._sites: list[Site] = []
        self._site_ids: dict[str, int] = {}
        self._items: dict[str, Item] = {}
        self._depots: dict[str, Depot] = {}
        self._lots: dict[str, Lot] = {}
        self._demands: dict[str, Demand] = {}
        self._vehicles: dict[str, Vehicle] = {}
        self._teams: dict[str, Team] = {}
        self._visits: dict[str, Visit] = {}
        self._crossings: dict[str, Crossing] = {}
        self._distance: npt.NDArray[np.float32] | None = None
        self._duration: npt.NDArray[np.float32] | None = None
        self._speed: tuple[float, float] | None = None
        self.fairness_weight = 0.5

    def add_site(self, site: Site) -> Site:
        p = f"sites[{len(self._sites)}]"
        _identifier(f"{p}.id", site.id, self._site_ids)
        if not -90 <= _finite(f"{p}.lat", site.lat, minimum=None) <= 90:
            raise ProblemError(f"{p}.lat", f"must be within [-90, 90], got {site.lat}")
        if not -180 <= _finite(f"{p}.lon", site.lon, minimum=None) <= 180:
            raise ProblemError(f"{p}.lon", f"must be within [-180, 180], got {site.lon}")
        _window(p, site.open_min, site.close_min)
        _finite(f"{p}.service_min", site.service_min)
        self._site_ids[site.id] = len(self._sites)
        self._sites.append(site)
        return site

    def add_crossing(self, crossing: Crossing) -> Crossing:
        p = f"crossings[{len(self._crossings)}]"
        _identifier(f"{p}.id", crossing.id, self._crossings)
        _window(p, crossing.open_min, crossing.close_min)
        self._crossings[crossing.id] = crossing
        return crossing

    def add_item(self, item: Item) -> Item:
        p = f"items[{len(self._items)}]"
        _identifier(f"{p}.id", item.id, self._items)
        if not item.item_class:
            raise ProblemError(f"{p}.item_class", "must be a non-empty string")
        weight = _finite(f"{p}.kg", item.kg)
        volume = _finite(f"{p}.m3", item.m3)
        litres = _finite(f"{p}.l", item.l)
        if weight + volume + litres <= 0:
            raise ProblemError(f"{p}.kg", "an item needs a weight, volume or litres per unit")
        self._items[item.id] = item
        return item

    def add_depot(self, depot: Depot) -> Depot:
        p = f"depots[{len(self._depots)}]"
        _identifier(f"{p}.id", depot.id, self._depots)
        _window(p, depot.open_min, depot.close_min)
        _finite(f"{p}.load_min", depot.load_min)
        self._depots[depot.id] = depot
        return depot

    def add_lot(self, lot: Lot) -> Lot:
        p = f"lots[{len(self._lots)}]"
        _identifier(f"{p}.id", lot.id, self._lots)
        _finite(f"{p}.quantity", lot.quantity)
        if lot.expires_on is not None and not isinstance(lot.expires_on, date):
            raise ProblemError(f"{p}.expires_on", f"must be a date, got {lot.expires_on!r}")
        self._lots[lot.id] = lot
        return lot

    def add_demand(self, demand: Demand) -> Demand:
        p = f"demands[{len(self._demands)}]"
        _identifier(f"{p}.id", demand.id, self._demands)
        if _finite(f"{p}.quantity", demand.quantity) <= 0:
            raise ProblemError(f"{p}.quantity", f"must be > 0, got {demand.quantity:g}")
        if not isinstance(demand.priority, Priority):
            raise ProblemError(f"{p}.priority", f"unknown priority {demand.priority!r}")
        if demand.needed_by_min is not None:
            _finite(f"{p}.needed_by_min", demand.needed_by_min, minimum=None)
        self._demands[demand.id] = demand
        return demand

    def add_vehicle(self, vehicle: Vehicle) -> Vehicle:
        p = f"vehicles[{len(self._vehicles)}]"
        _identifier(f"{p}.id", vehicle.id, self._vehicles)
        for name in ("capacity_kg", "capacity_m3", "capacity_l", "fixed_cost", "cost_per_km"):
            _finite(f"{p}.{name}", getattr(vehicle, name))
        _finite(f"{p}.shift_start_min", vehicle.shift_start_min, minimum=None)
        if _finite(f"{p}.shift_min", vehicle.shift_min) <= 0:
            raise ProblemError(f"{p}.shift_min", "must be > 0")
        if not vehicle.item_classes:
            raise ProblemError(f"{p}.item_classes", "a vehicle must be allowed some item class")
        self._vehicles[vehicle.id] = vehicle
        return vehicle

    def add_team(self, team: Team) -> Team:
        p = f"teams[{len(self._teams)}]"
        _identifier(f"{p}.id", team.id, self._teams)
        _finite(f"{p}.shift_start_min", team.shift_start_min, minimum=None)
        if _finite(f"{p}.shift_min", team.shift_min) <= 0:
            raise ProblemError(f"{p}.shift_min", "must be > 0")
        _finite(f"{p}.cost_per_km", team.cost_per_km)
        self._teams[team.id] = team
        return team

    def add_visit(self, visit: Visit) -> Visit:
        p = f"visits[{len(self._visits)}]"
        _identifier(f"{p}.id", visit.id, self._visits)
        _finite(f"{p}.service_min", visit.service_min)
        _window(p, visit.open_min, visit.close_min)
        if not isinstance(visit.priority, Priority):
            raise ProblemError(f"{p}.priority", f"unknown priority {visit.priority!r}")
        self._visits[visit.id] = visit
        return visit

    def set_matrix(self, distance_km: npt.ArrayLike, duration_min: npt.ArrayLike) -> None:
        """The caller's travel matrices (n × n over the sites, in the order they are added)."""
        self._distance = self._matrix("distance_km", distance_km)
        self._duration = self._matrix("duration_min", duration_min)
        self._speed = None

    def set_speed_model(self, speed_kmh: float = 40.0, detour: float = 1.3) -> None:
        """Derive the matrices from coordinates at :meth:`build` (see ``matrix_from_coordinates``)."""
        if _finite("travel.speed_kmh", speed_kmh) <= 0:
            raise ProblemError("travel.speed_kmh", "must be > 0")
        if _finite("travel.detour", detour) < 1:
            raise ProblemError("travel.detour", "must be >= 1")
        self._speed = (speed_kmh, detour)
        self._distance = self._duration = None

    @staticmethod
    def _matrix(name: str, values: npt.ArrayLike) -> npt.NDArray[np.float32]:
        try:
            matrix = np.asarray(values, dtype=np.float32)
        except (TypeError, ValueError) as exc:
            raise ProblemError(name, f"must be a numeric matrix: {exc}") from exc
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ProblemError(name, f"must be a square matrix, got shape {matrix.shape}")
        bad = ~np.isfinite(matrix)
        if bad.any():
            i, j = (int(v) for v in np.argwhere(bad)[0])
            raise ProblemError(f"{name}[{i}][{j}]", "is NaN or infinite")
        if (matrix < 0).any():
            i, j = (int(v) for v in np.argwhere(matrix < 0)[0])
            raise ProblemError(f"{name}[{i}][{j}]", "is negative")
        return matrix

    def build(self) -> Problem:
        """Check every reference and the matrix shape; return the frozen :class:`Problem`."""
        sites = self._site_ids
        if not self._sites:
            raise ProblemError("sites", "a problem needs at least one site")
        for i, crossing in enumerate(self._crossings.values()):
            if crossing.site not in sites:
                raise ProblemError(f"crossings[{i}].site", f"unknown site {crossing.site!r}")
        for i, site in enumerate(self._sites):
            if site.crossing is not None and site.crossing not in self._crossings:
                raise ProblemError(f"sites[{i}].crossing", f"unknown crossing {site.crossing!r}")
        for i, depot in enumerate(self._depots.values()):
            if depot.site not in sites:
                raise ProblemError(f"depots[{i}].site", f"unknown site {depot.site!r}")
        for i, lot in enumerate(self._lots.values()):
            if lot.depot not in self._depots:
                raise ProblemError(f"lots[{i}].depot", f"unknown depot {lot.depot!r}")
            if lot.item not in self._items:
                raise ProblemError(f"lots[{i}].item", f"unknown item {lot.item!r}")
        for i, demand in enumerate(self._demands.values()):
            if demand.site not in sites:
                raise ProblemError(f"demands[{i}].site", f"unknown site {demand.site!r}")
            if demand.item not in self._items:
                raise ProblemError(f"demands[{i}].item", f"unknown item {demand.item!r}")
        for i, vehicle in enumerate(self._vehicles.values()):
            if vehicle.depot not in self._depots:
                raise ProblemError(f"vehicles[{i}].depot", f"unknown depot {vehicle.depot!r}")
            if vehicle.end_depot is not None and vehicle.end_depot not in self._depots:
                raise ProblemError(
                    f"vehicles[{i}].end_depot", f"unknown depot {vehicle.end_depot!r}"
                )
        for i, team in enumerate(self._teams.values()):
            if team.base not in sites:
                raise ProblemError(f"teams[{i}].base", f"unknown site {team.base!r}")
        for i, visit in enumerate(self._visits.values()):
            if visit.site not in sites:
                raise ProblemError(f"visits[{i}].site", f"unknown site {visit.site!r}")
        n = len(self._sites)
        if self._speed is not None:
            distance, duration = matrix_from_coordinates(
                [s.lat for s in self._sites],
                [s.lon for s in self._sites],
                speed_kmh=self._speed[0],
                detour=self._speed[1],
            )
        elif self._distance is not None and self._duration is not None:
            distance, duration = self._distance, self._duration
            for name, matrix in (("distance_km", distance), ("duration_min", duration)):
                if matrix.shape != (n, n):
                    raise ProblemError(
                        name, f"must be {n}×{n} (one row and column per site), got {matrix.shape}"
                    )
        else:
            raise ProblemError("travel", "give a matrix (set_matrix) or a speed model")
        _finite("fairness_weight", self.fairness_weight)
        return Problem(
            day=self._day,
            sites=tuple(self._sites),
            items=tuple(self._items.values()),
            depots=tuple(self._depots.values()),
            lots=tuple(self._lots.values()),
            demands=tuple(self._demands.values()),
            vehicles=tuple(self._vehicles.values()),
            teams=tuple(self._teams.values()),
            visits=tuple(self._visits.values()),
            crossings=tuple(self._crossings.values()),
            distance_km=distance,
            duration_min=duration,
            fairness_weight=self.fairness_weight,
            site_index=MappingProxyType(dict(sites)),
            item_by_id=MappingProxyType(dict(self._items)),
            depot_by_id=MappingProxyType(dict(self._depots)),
            crossing_by_id=MappingProxyType(dict(self._crossings)),
        )

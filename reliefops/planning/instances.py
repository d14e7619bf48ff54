"""Benchmark instances: Solomon / Gehring-Homberger ``.txt`` and VRPLIB ``.vrp`` (CVRP, VRPTW).

Files are read through the ``vrplib`` package; distances follow the DIMACS convention that
the best-known solutions in ``bench/instances/bks.csv`` use:

* time-window instances: each arc's Euclidean length truncated to one decimal, also used as
  its travel time. PyVRP works on integers, so every length, time window and service time is
  multiplied by :data:`TW_SCALE` (10) and the truncation is exact integer arithmetic.
* CVRP instances (e.g. the X set): each arc's Euclidean length rounded to the nearest integer
  (TSPLIB ``nint``).

:func:`instance_solve` solves an instance with PyVRP; the result is checked by
:func:`reliefops.planning.checker.instance_check`, which recomputes every arc from the
coordinates and shares no code with this module.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyvrp

from reliefops.planning.decompose import decompose_eligible, decompose_solve
from reliefops.planning.errors import ProblemError
from reliefops.planning.portfolio import portfolio_seeds, portfolio_solve
from reliefops.planning.stopping import ProgressCallback, StopRule, stop_with_progress

TW_SCALE = 10
"""Integer scale of time-window instances (lengths truncated to one decimal)."""

InstanceKind = Literal["vrptw", "cvrp"]


@dataclass(frozen=True)
class Instance:
    """A single-depot benchmark instance; node 0 is the depot, nodes 1..n the clients.

    ``distance`` is the integer arc matrix in units of ``1/scale`` (also the travel time).
    ``time_windows`` and ``service`` are in the file's own time unit (unscaled).
    """

    name: str
    kind: InstanceKind
    coords: npt.NDArray[np.float64]
    demand: npt.NDArray[np.int64]
    capacity: int
    num_vehicles: int
    time_windows: npt.NDArray[np.float64] | None
    service: npt.NDArray[np.float64] | None
    scale: int
    distance: npt.NDArray[np.int64]
    labels: tuple[int, ...]
    """Client numbers as written in the file (depot excluded), in node order 1..n."""

    @property
    def num_clients(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class InstanceSolution:
    """Routes as client numbers from the file; ``distance`` in the file's unit (unscaled)."""

    instance: str
    routes: tuple[tuple[int, ...], ...]
    distance: float
    solver_seconds: float
    total_seconds: float
    iterations: int

    @property
    def vehicles(self) -> int:
        return len(self.routes)


def distance_dimacs_tw(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Arc lengths ×10, truncated: ``floor(10·sqrt(dx²+dy²))`` computed exactly as ``sqrt(100·d²)``."""
    diff = coords[:, None, :] - coords[None, :, :]
    squared = (diff**2).sum(axis=2)
    result: npt.NDArray[np.int64] = np.floor(np.sqrt(100.0 * squared) + 1e-9).astype(np.int64)
    return result


def distance_rounded(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Arc lengths rounded to the nearest integer (TSPLIB ``nint``: ``floor(x + 0.5)``)."""
    diff = coords[:, None, :] - coords[None, :, :]
    result: npt.NDArray[np.int64] = np.floor(np.sqrt((diff**2).sum(axis=2)) + 0.5).astype(np.int64)
    return result


def instance_read(path: str | Path) -> Instance:
    """Read a Solomon/Gehring-Homberger ``.txt`` or VRPLIB ``.vrp`` file.

    Raises :class:`ProblemError` naming the file and field when the file cannot be used.
    """
    path = Path(path)
    if not path.is_file():
        raise ProblemError(str(path), "no such file")
    suffix = path.suffix.lower()
    try:
        import vrplib

        if suffix == ".txt":
            raw: dict[str, Any] = vrplib.read_instance(
                path, instance_format="solomon", compute_edge_weights=False
            )
        elif suffix == ".vrp":
            raw = vrplib.read_instance(path, compute_edge_weights=False)
        else:
            raise ProblemError(str(path), "expected a Solomon .txt or a VRPLIB .vrp file")
    except ProblemError:
        raise
    except Exception as exc:  # vrplib raises plain ValueError/IndexError on malformed files
        raise ProblemError(str(path), f"cannot parse: {exc}") from exc
    return _instance_from_raw(path, raw)


def _instance_from_raw(path: Path, raw: dict[str, Any]) -> Instance:
    for key in ("node_coord", "demand", "capacity"):
        if key not in raw:
            raise ProblemError(f"{path.name}:{key}", "missing")
    coords = np.asarray(raw["node_coord"], dtype=np.float64)
    demand = np.asarray(raw["demand"], dtype=np.int64)
    if coords.ndim != 2 or coords.shape[1] != 2:
        raise ProblemError(
            f"{path.name}:node_coord", f"expected n×2 coordinates, got {coords.shape}"
        )
    if not np.all(np.isfinite(coords)):
        raise ProblemError(f"{path.name}:node_coord", "contains NaN or infinite values")
    if demand.shape != (coords.shape[0],):
        raise ProblemError(f"{path.name}:demand", "one demand per node expected")
    if np.any(demand < 0):
        raise ProblemError(f"{path.name}:demand", "negative demand")
    depots = np.atleast_1d(np.asarray(raw.get("depot", [0]), dtype=np.int64))
    if depots.size != 1 or int(depots[0]) != 0:
        raise ProblemError(
            f"{path.name}:depot", "only single-depot instances with depot 0 supported"
        )
    num_nodes = coords.shape[0]
    labels = tuple(range(1, num_nodes))
    time_windows = raw.get("time_window")
    service = raw.get("service_time")
    if time_windows is not None:
        tw = np.asarray(time_windows, dtype=np.float64)
        svc = (
            np.zeros(num_nodes)
            if service is None
            else np.broadcast_to(np.asarray(service, dtype=np.float64), (num_nodes,)).copy()
        )
        kind: InstanceKind = "vrptw"
        scale = TW_SCALE
        distance = distance_dimacs_tw(coords)
    else:
        tw = None
        svc = None
        kind = "cvrp"
        scale = 1
        distance = distance_rounded(coords)
    if "vehicles" in raw:
        vehicles = int(raw["vehicles"])
    else:
        # No fleet in the file (CVRPLIB X set): 25 % above the capacity bound, for every solver.
        vehicles = max(1, math.ceil(1.25 * int(demand.sum()) / max(1, int(raw["capacity"]))))
    return Instance(
        name=str(raw.get("name", path.stem)).strip() or path.stem,
        kind=kind,
        coords=coords,
        demand=demand,
        capacity=int(raw["capacity"]),
        num_vehicles=vehicles,
        time_windows=tw,
        service=svc,
        scale=scale,
        distance=distance,
        labels=labels,
    )


def instance_problem_data(instance: Instance) -> pyvrp.ProblemData:
    """PyVRP data for ``instance``: one depot, a homogeneous fleet, distance-only objective."""
    scale = instance.scale
    n = instance.coords.shape[0]
    locations = [pyvrp.Location(x=float(x), y=float(y)) for x, y in instance.coords]
    tw = instance.time_windows
    svc = instance.service
    if tw is not None and svc is not None:
        early = np.rint(tw[:, 0] * scale).astype(np.int64)
        late = np.rint(tw[:, 1] * scale).astype(np.int64)
        service = np.rint(svc * scale).astype(np.int64)
        depot = pyvrp.Depot(location=0, tw_early=int(early[0]), tw_late=int(late[0]))
        clients = [
            pyvrp.Client(
                location=i,
                delivery=[int(instance.demand[i])],
                service_duration=int(service[i]),
                tw_early=int(early[i]),
                tw_late=int(late[i]),
            )
            for i in range(1, n)
        ]
        vehicle = pyvrp.VehicleType(
            num_available=instance.num_vehicles,
            capacity=[instance.capacity],
            tw_early=int(early[0]),
            tw_late=int(late[0]),
        )
    else:
        depot = pyvrp.Depot(location=0)
        clients = [
            pyvrp.Client(location=i, delivery=[int(instance.demand[i])]) for i in range(1, n)
        ]
        vehicle = pyvrp.VehicleType(
            num_available=instance.num_vehicles, capacity=[instance.capacity]
        )
    matrix: Any = np.ascontiguousarray(instance.distance)  # PyVRP's stub types are loose
    return pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=[depot],
        vehicle_types=[vehicle],
        distance_matrices=[matrix],
        duration_matrices=[matrix],
    )


def instance_solve(
    instance: Instance,
    stop: StopRule,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    workers: int = 1,
) -> InstanceSolution:
    """Solve ``instance`` with PyVRP under ``stop``; deterministic for a seed and an iteration limit.

    With ``workers`` > 1 a large instance (:func:`decompose_eligible`) is decomposed over the
    cores (:mod:`reliefops.planning.decompose`); a smaller one becomes a portfolio of
    ``workers`` runs (seeds from :func:`portfolio_seeds`), each with the full limit, the best
    kept."""
    started = time.perf_counter()
    data = instance_problem_data(instance)
    solver_started = time.perf_counter()
    if workers > 1:
        if progress is not None:
            progress("routing", 0.0)
        if decompose_eligible(data, workers):
            portfolio = decompose_solve(data, stop, seed, workers)
        else:
            portfolio = portfolio_solve(data, stop, portfolio_seeds(seed, workers), workers)
        best, iterations = portfolio.best.solution, portfolio.iterations
        if progress is not None:
            progress("routing", 1.0)
    else:
        criterion = stop_with_progress(stop, progress, phase="routing")
        result = pyvrp.solve(data, stop=criterion, seed=seed, collect_stats=False, display=False)
        best, iterations = result.best, int(result.num_iterations)
    solver_seconds = time.perf_counter() - solver_started
    routes: list[tuple[int, ...]] = []
    for route in best.routes():
        visits = [activity.idx for activity in route if activity.is_client()]
        routes.append(tuple(instance.labels[client] for client in visits))
    total = time.perf_counter() - started
    return InstanceSolution(
        instance=instance.name,
        routes=tuple(routes),
        distance=best.distance() / instance.scale,
        solver_seconds=solver_seconds,
        total_seconds=total,
        iterations=iterations,
    )

"""OR-Tools comparator for ``reliefops bench vrp --compare ortools`` (bench-only dependency).

Solves a :class:`reliefops.planning.instances.Instance` with OR-Tools' routing solver on the
same integer arc matrix our engine uses (DIMACS: ×10 and truncated for time-window
instances), guided local search, the same wall-clock limit. Returns routes as client numbers
from the file, so the same independent checker scores both engines.
"""

from __future__ import annotations

import time
from typing import Any

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from reliefops.planning.instances import Instance


def ortools_solve(instance: Instance, seconds: float) -> dict[str, Any]:
    """Routes (client numbers), distance (file units) and wall seconds; routes empty on failure."""
    started = time.perf_counter()
    n = instance.coords.shape[0]
    scale = instance.scale
    distance = instance.distance.tolist()
    manager = pywrapcp.RoutingIndexManager(n, instance.num_vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)

    def arc_distance(i: int, j: int) -> int:
        return distance[manager.IndexToNode(i)][manager.IndexToNode(j)]

    arc_cb = routing.RegisterTransitCallback(arc_distance)
    routing.SetArcCostEvaluatorOfAllVehicles(arc_cb)
    demand = [int(d) for d in instance.demand]

    def node_demand(i: int) -> int:
        return demand[manager.IndexToNode(i)]

    demand_cb = routing.RegisterUnaryTransitCallback(node_demand)
    routing.AddDimensionWithVehicleCapacity(
        demand_cb, 0, [instance.capacity] * instance.num_vehicles, True, "load"
    )
    tw = instance.time_windows
    if tw is not None and instance.service is not None:
        service = [round(s * scale) for s in instance.service]
        early = [round(t * scale) for t in tw[:, 0]]
        late = [round(t * scale) for t in tw[:, 1]]

        def travel_time(i: int, j: int) -> int:
            a, b = manager.IndexToNode(i), manager.IndexToNode(j)
            return service[a] + distance[a][b]

        time_cb = routing.RegisterTransitCallback(travel_time)
        routing.AddDimension(time_cb, late[0], late[0], False, "time")
        time_dim = routing.GetDimensionOrDie("time")
        for node in range(1, n):
            time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(early[node], late[node])
        for v in range(instance.num_vehicles):
            time_dim.CumulVar(routing.Start(v)).SetRange(early[0], late[0])
            time_dim.CumulVar(routing.End(v)).SetRange(early[0], late[0])
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    whole = int(seconds)
    params.time_limit.seconds = whole
    params.time_limit.nanos = int((seconds - whole) * 1e9)
    solution = routing.SolveWithParameters(params)
    routes: list[list[int]] = []
    total = 0
    if solution is not None:
        for v in range(instance.num_vehicles):
            index = routing.Start(v)
            route: list[int] = []
            previous = 0
            while not routing.IsEnd(index):
                node = manager.IndexToNode(index)
                if node != 0:
                    route.append(instance.labels[node - 1])
                    total += distance[previous][node]
                    previous = node
                index = solution.Value(routing.NextVar(index))
            if route:
                total += distance[previous][0]
                routes.append(route)
    return {
        "routes": routes,
        "distance": total / scale if routes else None,
        "seconds": time.perf_counter() - started,
    }

"""Multi-trip extension of a PyVRP solution: extra trips for vehicles that may reload.

PyVRP 0.14 does not open trips for optional stops, so after a first search the solution is
extended here with reload trips and searched again (see :func:`routing.task_solve`).
"""

from __future__ import annotations

from collections import defaultdict

import pyvrp


def _trips_extend(
    data: pyvrp.ProblemData,
    vt: pyvrp.VehicleType,
    activities: list[pyvrp.Activity],
    free: set[int],
    clock: int,
    here: int,
    load: list[int],
    start: int,
    trips: int,
) -> list[pyvrp.Activity]:
    """Append clients from ``free`` to a route, nearest-first, reloading when a trip is full."""
    duration = data.duration_matrix(vt.profile)
    clients = data.clients()
    depot = data.depot(vt.start_depot)
    home = depot.location
    end = data.depot(vt.end_depot).location
    latest = min(vt.tw_late, vt.tw_early + vt.shift_duration)
    while free:
        best: tuple[int, int] | None = None  # (service start, client)
        for c in free:
            client = clients[c]
            if any(
                used + amount > cap
                for used, amount, cap in zip(load, client.delivery, vt.capacity, strict=True)
            ):
                continue
            begin = max(clock + int(duration[here, client.location]), client.tw_early)
            if begin > client.tw_late:
                continue
            back = begin + client.service_duration + int(duration[client.location, end])
            if back > latest or back - start > vt.shift_duration:
                continue
            if best is None or (begin, c) < best:
                best = (begin, c)
        if best is not None:
            begin, c = best
            client = clients[c]
            activities.append(pyvrp.Activity(f"C{c}"))
            free.discard(c)
            load = [u + a for u, a in zip(load, client.delivery, strict=True)]
            clock = begin + client.service_duration
            here = client.location
            continue
        if trips > vt.max_reloads or not any(load):
            break
        # Nothing more fits this trip: go back, reload, and try another one.
        activities.append(pyvrp.Activity(f"D{vt.start_depot}"))
        clock = max(clock + int(duration[here, home]), depot.tw_early) + depot.service_duration
        here = home
        load = [0] * len(load)
        trips += 1
    while activities and activities[-1].is_depot():
        activities.pop()
    return activities


def trips_added(data: pyvrp.ProblemData, base: pyvrp.Solution) -> pyvrp.Solution | None:
    """``base`` with extra trips for vehicles that may reload, serving its unserved clients.

    PyVRP 0.14's search does not open a new trip (insert a reload depot) to serve an
    *optional* client, so a multi-trip vehicle stays at one trip. This greedy extension
    (nearest-first within capacity, windows and shift) gives the search a start that already
    has the trips; ``None`` when it adds nothing or is not feasible.
    """
    served = {a.idx for route in base.routes() for a in route.schedule() if a.is_client()}
    free = set(range(data.num_clients)) - served
    types = {k for k, vt in enumerate(data.vehicle_types()) if vt.reload_depots}
    if not free or not types:
        return None
    before = len(free)
    routes: list[pyvrp.Route] = []
    used: dict[int, int] = defaultdict(int)
    for route in base.routes():
        k = route.vehicle_type()
        used[k] += 1
        vt = data.vehicle_type(k)
        schedule = route.schedule()
        middle = schedule[1:-1]
        activities = [
            pyvrp.Activity(f"C{a.idx}") if a.is_client() else pyvrp.Activity(f"D{a.idx}")
            for a in middle
        ]
        if k in types and middle:
            load = [0] * len(vt.capacity)
            for a in middle:
                if a.is_depot():
                    load = [0] * len(load)
                else:
                    delivery = data.client(a.idx).delivery
                    load = [u + d for u, d in zip(load, delivery, strict=True)]
            last = middle[-1]
            here = (
                data.client(last.idx).location
                if last.is_client()
                else data.depot(last.idx).location
            )
            activities = _trips_extend(
                data,
                vt,
                activities,
                free,
                last.end_time,
                here,
                load,
                route.start_time(),
                route.num_trips(),
            )
        routes.append(pyvrp.Route(data, activities, k))
    for k in sorted(types):
        vt = data.vehicle_type(k)
        depot = data.depot(vt.start_depot)
        for _ in range(vt.num_available - used[k]):
            begin = max(vt.tw_early, depot.tw_early)
            activities = _trips_extend(
                data,
                vt,
                [],
                free,
                begin + depot.service_duration,
                depot.location,
                [0] * len(vt.capacity),
                begin,
                1,
            )
            if activities:
                routes.append(pyvrp.Route(data, activities, k))
    if len(free) == before:
        return None
    solution = pyvrp.Solution(data, routes)
    return solution if solution.is_feasible() else None

"""Independent feasibility check of a benchmark solution.

Recomputes every arc from the instance's coordinates with plain ``math`` (it does not use the
distance matrix the solver saw), then capacity, time windows (waiting allowed, no time warp),
that every client is served exactly once and the fleet size. Shares no code with the solver.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reliefops.planning.instances import Instance


@dataclass(frozen=True)
class InstanceViolation:
    """One violation: ``where`` is ``route k`` or ``client c``; ``kind`` a short code."""

    where: str
    kind: str
    detail: str


@dataclass(frozen=True)
class InstanceCheck:
    violations: tuple[InstanceViolation, ...]
    distance: float
    """Total distance recomputed from coordinates, in the file's unit."""

    @property
    def feasible(self) -> bool:
        return not self.violations


def _arc(instance: Instance, a: int, b: int) -> float:
    (xa, ya), (xb, yb) = instance.coords[a], instance.coords[b]
    dx, dy = float(xa - xb), float(ya - yb)
    if instance.kind == "vrptw":
        # DIMACS: truncate to one decimal. sqrt(100·d²) is exact for perfect squares.
        return math.floor(math.sqrt(100.0 * (dx * dx + dy * dy)) + 1e-9) / 10.0
    return float(math.floor(math.hypot(dx, dy) + 0.5))


def instance_check(instance: Instance, routes: Sequence[Sequence[int]]) -> InstanceCheck:
    """Check ``routes`` (client numbers as written in the file) against ``instance``."""
    violations: list[InstanceViolation] = []
    node_of = {label: node for node, label in enumerate(instance.labels, start=1)}
    seen: dict[int, int] = {}
    total = 0.0
    if len(routes) > instance.num_vehicles:
        violations.append(
            InstanceViolation(
                "fleet", "too_many_vehicles", f"{len(routes)} routes > {instance.num_vehicles}"
            )
        )
    tw = instance.time_windows
    service = instance.service
    for k, route in enumerate(routes, start=1):
        where = f"route {k}"
        if not route:
            violations.append(InstanceViolation(where, "empty_route", "route visits no client"))
            continue
        load = 0
        clock = 0.0 if tw is None else float(tw[0, 0])
        previous = 0
        for label in route:
            node = node_of.get(label)
            if node is None:
                violations.append(InstanceViolation(where, "unknown_client", f"client {label}"))
                continue
            if label in seen:
                violations.append(
                    InstanceViolation(
                        f"client {label}", "visited_twice", f"routes {seen[label]} and {k}"
                    )
                )
            seen[label] = k
            load += int(instance.demand[node])
            arc = _arc(instance, previous, node)
            total += arc
            if tw is not None and service is not None:
                clock = max(clock + arc, float(tw[node, 0]))
                if clock > float(tw[node, 1]) + 1e-6:
                    violations.append(
                        InstanceViolation(
                            f"{where}, client {label}",
                            "late",
                            f"service starts at {clock:.1f} > due {tw[node, 1]:.1f}",
                        )
                    )
                clock += float(service[node])
            previous = node
        arc = _arc(instance, previous, 0)
        total += arc
        if tw is not None and clock + arc > float(tw[0, 1]) + 1e-6:
            violations.append(
                InstanceViolation(
                    where, "late_return", f"back at {clock + arc:.1f} > depot due {tw[0, 1]:.1f}"
                )
            )
        if load > instance.capacity:
            violations.append(
                InstanceViolation(where, "overload", f"load {load} > capacity {instance.capacity}")
            )
    missing = [label for label in instance.labels if label not in seen]
    if missing:
        shown = ", ".join(str(m) for m in missing[:10])
        violations.append(
            InstanceViolation("clients", "not_served", f"{len(missing)} not served: {shown}")
        )
    return InstanceCheck(violations=tuple(violations), distance=round(total, 6))

"""ReliefOps planning core — pure Python (numpy, scipy, HiGHS, PyVRP); never imports Django.

Shaped like PyVRP: build, freeze, solve, check::

    from reliefops.planning import ProblemBuilder, Site, Depot, ..., StopRule, solve, check

    builder = ProblemBuilder(day)            # validates every piece as it is added
    builder.add_site(Site("S1", 40.1, 46.7)) # ... items, depots, lots, demands, vehicles,
    builder.set_matrix(distance_km, duration_min)  # teams, visits; or set_speed_model()
    problem = builder.build()                # frozen Problem; ProblemError names the field
    plan = solve(problem, StopRule(max_seconds=30), seed=1, progress=callback, workers=2)
    violations = check(problem, plan)        # independent of the solver; [] when feasible
    print(plan.summary())

``problem_from_json``/``problem_to_json``/``plan_to_json``/``plan_from_json`` implement the
JSON formats (schemas in ``schemas/``). Benchmark instances (Solomon/Gehring-Homberger
``.txt``, VRPLIB ``.vrp``) go through ``instance_read``/``instance_solve``/``instance_check``.
See docs/planning.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reliefops.planning.allocation import Allocation, allocation_solve
    from reliefops.planning.checker import Violation, check
    from reliefops.planning.edit import (
        DROPPED_DETAIL,
        EditOutcome,
        edit_apply,
        edit_normalise,
        pinned_stops,
        stop_at,
        stop_drop,
        stop_move,
        stop_pin,
        team_swap,
        vehicle_swap,
    )
    from reliefops.planning.errors import EditError, PinnedStopError, PlanningError, ProblemError
    from reliefops.planning.formats import (
        plan_from_json,
        plan_to_json,
        problem_from_document,
        problem_from_json,
        problem_read,
        problem_to_json,
        schema_load,
    )
    from reliefops.planning.generate import GenerateSpec, problem_generate
    from reliefops.planning.instance_checker import InstanceCheck, instance_check
    from reliefops.planning.instances import (
        Instance,
        InstanceSolution,
        instance_read,
        instance_solve,
    )
    from reliefops.planning.model import (
        PRIORITY_WEIGHT,
        Crossing,
        Demand,
        Depot,
        Item,
        Lot,
        Priority,
        Problem,
        ProblemBuilder,
        Site,
        Team,
        Vehicle,
        Visit,
        matrix_from_coordinates,
    )
    from reliefops.planning.pins import pins_keep
    from reliefops.planning.plan import (
        Delivery,
        Plan,
        Stop,
        TeamRound,
        Trip,
        Unmet,
        UnmetReason,
        Unvisited,
        VehicleRoute,
    )
    from reliefops.planning.retime import plan_retime, round_retime, route_retime
    from reliefops.planning.routing import RoutingTask, TaskResult, task_solve
    from reliefops.planning.solver import Prepared, plan_stats, solve, solve_merge, solve_prepare
    from reliefops.planning.stopping import ProgressCallback, StopRule

# Loaded on first use, so that e.g. ``reliefops solve`` does not pay for HiGHS and SciPy.
_LAZY: dict[str, str] = {
    "Allocation": "reliefops.planning.allocation",
    "allocation_solve": "reliefops.planning.allocation",
    "Violation": "reliefops.planning.checker",
    "check": "reliefops.planning.checker",
    "PlanningError": "reliefops.planning.errors",
    "ProblemError": "reliefops.planning.errors",
    "plan_from_json": "reliefops.planning.formats",
    "plan_to_json": "reliefops.planning.formats",
    "problem_from_document": "reliefops.planning.formats",
    "problem_from_json": "reliefops.planning.formats",
    "problem_read": "reliefops.planning.formats",
    "problem_to_json": "reliefops.planning.formats",
    "schema_load": "reliefops.planning.formats",
    "GenerateSpec": "reliefops.planning.generate",
    "problem_generate": "reliefops.planning.generate",
    "InstanceCheck": "reliefops.planning.instance_checker",
    "instance_check": "reliefops.planning.instance_checker",
    "Instance": "reliefops.planning.instances",
    "InstanceSolution": "reliefops.planning.instances",
    "instance_read": "reliefops.planning.instances",
    "instance_solve": "reliefops.planning.instances",
    "PRIORITY_WEIGHT": "reliefops.planning.model",
    "Crossing": "reliefops.planning.model",
    "Demand": "reliefops.planning.model",
    "Depot": "reliefops.planning.model",
    "Item": "reliefops.planning.model",
    "Lot": "reliefops.planning.model",
    "Priority": "reliefops.planning.model",
    "Problem": "reliefops.planning.model",
    "ProblemBuilder": "reliefops.planning.model",
    "Site": "reliefops.planning.model",
    "Team": "reliefops.planning.model",
    "Vehicle": "reliefops.planning.model",
    "Visit": "reliefops.planning.model",
    "matrix_from_coordinates": "reliefops.planning.model",
    "Delivery": "reliefops.planning.plan",
    "Plan": "reliefops.planning.plan",
    "Stop": "reliefops.planning.plan",
    "TeamRound": "reliefops.planning.plan",
    "Trip": "reliefops.planning.plan",
    "Unmet": "reliefops.planning.plan",
    "UnmetReason": "reliefops.planning.plan",
    "Unvisited": "reliefops.planning.plan",
    "VehicleRoute": "reliefops.planning.plan",
    "solve": "reliefops.planning.solver",
    "solve_prepare": "reliefops.planning.solver",
    "solve_merge": "reliefops.planning.solver",
    "Prepared": "reliefops.planning.solver",
    "RoutingTask": "reliefops.planning.routing",
    "TaskResult": "reliefops.planning.routing",
    "task_solve": "reliefops.planning.routing",
    "ProgressCallback": "reliefops.planning.stopping",
    "StopRule": "reliefops.planning.stopping",
    # --- added for edits
    "DROPPED_DETAIL": "reliefops.planning.edit",
    "EditOutcome": "reliefops.planning.edit",
    "edit_apply": "reliefops.planning.edit",
    "edit_normalise": "reliefops.planning.edit",
    "pinned_stops": "reliefops.planning.edit",
    "plan_retime": "reliefops.planning.retime",
    "round_retime": "reliefops.planning.retime",
    "route_retime": "reliefops.planning.retime",
    "stop_at": "reliefops.planning.edit",
    "stop_drop": "reliefops.planning.edit",
    "stop_move": "reliefops.planning.edit",
    "stop_pin": "reliefops.planning.edit",
    "team_swap": "reliefops.planning.edit",
    "vehicle_swap": "reliefops.planning.edit",
    "pins_keep": "reliefops.planning.pins",
    "EditError": "reliefops.planning.errors",
    "PinnedStopError": "reliefops.planning.errors",
    "plan_stats": "reliefops.planning.solver",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reliefops.planning' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "DROPPED_DETAIL",
    "PRIORITY_WEIGHT",
    "Allocation",
    "Crossing",
    "Delivery",
    "Demand",
    "Depot",
    "EditError",
    "EditOutcome",
    "GenerateSpec",
    "Instance",
    "InstanceCheck",
    "InstanceSolution",
    "Item",
    "Lot",
    "PinnedStopError",
    "Plan",
    "PlanningError",
    "Prepared",
    "Priority",
    "Problem",
    "ProblemBuilder",
    "ProblemError",
    "ProgressCallback",
    "RoutingTask",
    "Site",
    "Stop",
    "StopRule",
    "TaskResult",
    "Team",
    "TeamRound",
    "Trip",
    "Unmet",
    "UnmetReason",
    "Unvisited",
    "Vehicle",
    "VehicleRoute",
    "Violation",
    "Visit",
    "allocation_solve",
    "check",
    "edit_apply",
    "edit_normalise",
    "instance_check",
    "instance_read",
    "instance_solve",
    "matrix_from_coordinates",
    "pinned_stops",
    "pins_keep",
    "plan_from_json",
    "plan_retime",
    "plan_stats",
    "plan_to_json",
    "problem_from_document",
    "problem_from_json",
    "problem_generate",
    "problem_read",
    "problem_to_json",
    "round_retime",
    "route_retime",
    "schema_load",
    "solve",
    "solve_merge",
    "solve_prepare",
    "stop_at",
    "stop_drop",
    "stop_move",
    "stop_pin",
    "task_solve",
    "team_swap",
    "vehicle_swap",
]

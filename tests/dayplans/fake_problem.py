"""A stand-in for ``dayplans.problem`` with the contract's functions: a small generated day.

The run tests name it in ``RELIEFOPS_PLAN_PROBLEM`` (the real workers get it through the
environment), so the job is exercised without the problem builder's database fixtures.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reliefops.planning import (
    GenerateSpec,
    Problem,
    problem_from_json,
    problem_generate,
    problem_to_json,
)

#: Set to a message to make problem_build fail (in the test process only).
FAIL_WITH: str | None = None


@dataclass
class BuiltProblem:
    problem: Problem
    index: dict[str, Any]
    input_hash: str
    notes: list[str] = field(default_factory=list)


def spec_for(day: date) -> GenerateSpec:
    return GenerateSpec(
        places=40, requests=16, vehicles=5, teams=2, depots=3, visits=14, seed=7, day=day
    )


def problem_build(
    *, actor: Any, day: date, area: Any = None, replan_of: Any = None
) -> BuiltProblem:
    if FAIL_WITH:
        raise ValueError(FAIL_WITH)
    if seconds := float(os.environ.get("RELIEFOPS_FAKE_BUILD_SECONDS", "0") or 0):
        time.sleep(seconds)  # a slow build, for the worker-killed fault test
    # Through the stored form once, so the built problem is the one problem_load gives.
    problem = problem_from_json(problem_to_json(problem_generate(spec_for(day))))
    index = {
        "sites": {s.id: {"name": s.id, "lat": s.lat, "lon": s.lon} for s in problem.sites},
        "demands": {d.id: {"item": d.item, "quantity": d.quantity} for d in problem.demands},
    }
    digest = hashlib.sha256(f"{day.isoformat()}/{area}".encode()).hexdigest()
    return BuiltProblem(problem, index, digest, ["fake: a generated day"])


def problem_store(built: BuiltProblem) -> bytes:
    return json.dumps(problem_to_json(built.problem)).encode()


def problem_load(data: bytes, index: dict[str, Any]) -> Problem:
    return problem_from_json(json.loads(data))


def input_hash_current(*, actor: Any, day: date, area: Any = None, replan_of: Any = None) -> str:
    return hashlib.sha256(f"{day.isoformat()}/{area}".encode()).hexdigest()

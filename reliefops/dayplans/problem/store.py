"""The input hash, and storing a problem in ``PlanRun.problem`` (and loading it again).

* ``input_hash``: sha256 over the canonical problem JSON without the matrix
  (``planning.problem_to_json(p, include_matrix=False)``, keys sorted, no spaces) followed
  by the bytes of ``distance_km`` and ``duration_min`` (float32, C order). The same day and
  the same data give the same hash; any change in stock, requests, fleet, teams or roads
  gives another.
* ``problem_store``: zlib-compressed problem JSON; with its matrix when the problem has at
  most :data:`MATRIX_STORED_MAX_SITES` sites, else without it (the matrix of a national
  day is hundreds of MB), and ``problem_load`` rebuilds it from the index's places through
  the same road-network matrix (so it reflects the network as it is when loaded).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

import numpy as np

from reliefops.planning import (
    Problem,
    problem_from_document,
    problem_from_json,
    problem_to_json,
)

MATRIX_STORED_MAX_SITES = 1500


def _canonical(problem: Problem) -> bytes:
    doc = problem_to_json(problem, include_matrix=False)
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str).encode()


def input_hash(problem: Problem) -> str:
    digest = hashlib.sha256(_canonical(problem))
    digest.update(np.ascontiguousarray(problem.distance_km, dtype=np.float32).tobytes())
    digest.update(np.ascontiguousarray(problem.duration_min, dtype=np.float32).tobytes())
    return digest.hexdigest()


def problem_store(built: Any) -> bytes:
    """``PlanRun.problem`` of a :class:`~.build.BuiltProblem`."""
    problem = built.problem
    with_matrix = len(problem.sites) <= MATRIX_STORED_MAX_SITES
    doc = problem_to_json(problem, include_matrix=with_matrix)
    if not with_matrix:
        doc["travel"] = {"from": "road_network"}
    return zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 6)


def problem_load(data: bytes, index: dict[str, Any]) -> Problem:
    """The problem stored by :func:`problem_store` (matrix rebuilt when it was not stored)."""
    doc = json.loads(zlib.decompress(bytes(data)))
    if "distance_km" in doc["travel"]:
        return problem_from_json(doc)
    from reliefops.dayplans.problem.matrix import site_matrix

    places = [index["sites"][s["id"]]["place"] for s in doc["sites"]]
    distance, duration, _off = site_matrix(places)
    return problem_from_document(doc, (distance, duration))

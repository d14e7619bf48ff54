"""The planning problem of a day from the database (issue 14): :func:`problem_build`
builds it (with the ``index`` mapping the problem's ids back to the database, the input
hash and notes on what was left out), :func:`problem_store` / :func:`problem_load` keep it
in ``PlanRun.problem``, :func:`input_hash_current` is the stale check at commit."""

from reliefops.dayplans.problem.build import BuiltProblem, input_hash_current, problem_build
from reliefops.dayplans.problem.store import input_hash, problem_load, problem_store

__all__ = [
    "BuiltProblem",
    "input_hash",
    "input_hash_current",
    "problem_build",
    "problem_load",
    "problem_store",
]

"""When to stop solving, and how progress is reported.

A :class:`StopRule` limits the solver by wall-clock seconds and/or by iterations. Results are
deterministic for a given seed when only ``max_iterations`` limits the run; a time limit
depends on machine speed and load.

Progress goes to a callback ``progress(phase, fraction)`` with ``fraction`` in ``[0, 1]``; the
CLI draws a progress bar with it and the web job stores it on its row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

from reliefops.planning.errors import ProblemError

ProgressCallback = Callable[[str, float], None]
"""``progress(phase, fraction)``: phase is ``build``, ``allocation``, ``routing`` or ``check``."""


@dataclass(frozen=True)
class StopRule:
    """Solver limit: seconds (wall clock) and/or iterations, whichever is reached first."""

    max_seconds: float | None = None
    max_iterations: int | None = None

    def __post_init__(self) -> None:
        if self.max_seconds is None and self.max_iterations is None:
            raise ProblemError("stop", "give max_seconds or max_iterations")
        if self.max_seconds is not None and not self.max_seconds >= 0:
            raise ProblemError("stop.max_seconds", f"must be >= 0, got {self.max_seconds}")
        if self.max_iterations is not None and self.max_iterations < 1:
            raise ProblemError("stop.max_iterations", f"must be >= 1, got {self.max_iterations}")

    def scaled(self, share: float) -> StopRule:
        """The same rule with ``share`` of the seconds (iterations are kept: they are per run)."""
        seconds = None if self.max_seconds is None else max(0.05, self.max_seconds * share)
        return StopRule(max_seconds=seconds, max_iterations=self.max_iterations)


def stop_criterion(stop: StopRule) -> StoppingCriterion:
    """PyVRP stopping criterion for ``stop``."""
    criteria: list[StoppingCriterion] = []
    if stop.max_seconds is not None:
        criteria.append(MaxRuntime(stop.max_seconds))
    if stop.max_iterations is not None:
        criteria.append(MaxIterations(stop.max_iterations))
    return criteria[0] if len(criteria) == 1 else MultipleCriteria(criteria)


class _ProgressStop:
    """Wraps a criterion and reports the fraction of the limit used, at most every 0.2 s."""

    def __init__(self, stop: StopRule, progress: ProgressCallback, phase: str) -> None:
        self._inner = stop_criterion(stop)
        self._stop = stop
        self._progress = progress
        self._phase = phase
        self._started: float | None = None
        self._iterations = 0
        self._last_report = 0.0

    def __call__(self, best_cost: int) -> bool:
        now = time.perf_counter()
        if self._started is None:
            self._started = now
        self._iterations += 1
        done = bool(self._inner(best_cost))
        if done or now - self._last_report > 0.2:
            self._last_report = now
            fractions = []
            if self._stop.max_seconds:
                fractions.append((now - self._started) / self._stop.max_seconds)
            if self._stop.max_iterations:
                fractions.append(self._iterations / self._stop.max_iterations)
            self._progress(self._phase, 1.0 if done else min(1.0, max(fractions, default=0.0)))
        return done


def stop_with_progress(
    stop: StopRule, progress: ProgressCallback | None, phase: str
) -> StoppingCriterion:
    """A PyVRP criterion for ``stop`` that also reports progress when a callback is given."""
    if progress is None:
        return stop_criterion(stop)
    return _ProgressStop(stop, progress, phase)

"""The population estimate of one place from its baseline and the flows it shares in.

Plain arithmetic, no database (the selectors in ``selectors/estimates.py`` gather the
figures); the method is documented in docs/population.md:

    estimate = max(0, baseline + Σ over the crossing points whose catchment holds the place
                        of share × (inbound − outbound counted there after the baseline's date))
    share    = the place's baseline / the baselines of every place of that catchment

The uncertainty is a low–high range, added up worst-case (every error the same way):

    low  = max(0, baseline × (1 − b) + Σ share × (inbound × (1 − f) − outbound × (1 + f)))
    high = max(0, baseline × (1 + b) + Σ share × (inbound × (1 + f) − outbound × (1 − f)))

with ``b`` the baseline's relative uncertainty, growing with its age on the day of the
estimate (:meth:`Uncertainty.baseline`), and ``f`` a flow's: ``counted`` for head counts,
``estimated`` for observers' estimates. The defaults (settings may replace them through
``RELIEFOPS_POPULATION_UNCERTAINTY``) and why they were chosen are in docs/population.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Uncertainty:
    """Relative uncertainties (fractions: 0.1 is ±10 %)."""

    #: (age in years up to which, fraction) — a baseline this young or younger.
    baseline_by_age: tuple[tuple[float, float], ...] = ((1.0, 0.05), (5.0, 0.10))
    #: A baseline older than the last age above, or without a date.
    baseline_older: float = 0.20
    #: A flow counted head by head (a tally at the crossing point).
    counted: float = 0.05
    #: A flow estimated by an observer (a crowd, vehicles × occupants).
    estimated: float = 0.25

    @classmethod
    def from_settings(cls, overrides: Mapping[str, Any] | None) -> Uncertainty:
        """The defaults with ``overrides`` (the setting's dict) applied; unknown keys are
        ignored, bad values refused with ``ValueError``."""
        if not overrides:
            return cls()
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in overrides.items():
            if key not in known:
                continue
            if key == "baseline_by_age":
                values[key] = tuple((float(age), _fraction(share)) for age, share in value)
            else:
                values[key] = _fraction(value)
        return replace(cls(), **values)

    def baseline(self, as_of: dt.date | None, on: dt.date) -> float:
        """The relative uncertainty of a baseline dated ``as_of`` on the day ``on``."""
        if as_of is None:
            return self.baseline_older
        age = max(0, (on - as_of).days) / DAYS_PER_YEAR
        for years, fraction in self.baseline_by_age:
            if age <= years:
                return fraction
        return self.baseline_older

    def flow(self, method: str) -> float:
        return self.estimated if method == "estimate" else self.counted


def _fraction(value: Any) -> float:
    number = float(value)
    if not 0 <= number < 1:
        raise ValueError(f"an uncertainty is a fraction in [0, 1), not {value!r}")
    return number


@dataclass(frozen=True)
class Flows:
    """Persons counted in each direction by method (the sums of a span of days)."""

    inbound_counted: float = 0
    inbound_estimated: float = 0
    outbound_counted: float = 0
    outbound_estimated: float = 0

    def __add__(self, other: Flows) -> Flows:
        return Flows(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))

    def __sub__(self, other: Flows) -> Flows:
        return Flows(*(a - b for a, b in zip(_values(self), _values(other), strict=True)))

    @property
    def net(self) -> float:
        return (
            self.inbound_counted
            + self.inbound_estimated
            - self.outbound_counted
            - self.outbound_estimated
        )

    def net_low(self, u: Uncertainty) -> float:
        return (
            self.inbound_counted * (1 - u.counted)
            + self.inbound_estimated * (1 - u.estimated)
            - self.outbound_counted * (1 + u.counted)
            - self.outbound_estimated * (1 + u.estimated)
        )

    def net_high(self, u: Uncertainty) -> float:
        return (
            self.inbound_counted * (1 + u.counted)
            + self.inbound_estimated * (1 + u.estimated)
            - self.outbound_counted * (1 - u.counted)
            - self.outbound_estimated * (1 - u.estimated)
        )


def _values(flows: Flows) -> tuple[float, float, float, float]:
    return (
        flows.inbound_counted,
        flows.inbound_estimated,
        flows.outbound_counted,
        flows.outbound_estimated,
    )


def flows_of(direction: str, method: str, persons: float) -> Flows:
    """One count's persons as :class:`Flows`."""
    estimated = method == "estimate"
    if direction == "inbound":
        return Flows(inbound_estimated=persons) if estimated else Flows(inbound_counted=persons)
    return Flows(outbound_estimated=persons) if estimated else Flows(outbound_counted=persons)


@dataclass(frozen=True)
class Estimate:
    """A place's estimated population on a day (persons) and what it is made of."""

    value: int
    low: int
    high: int
    baseline: int
    baseline_as_of: dt.date | None
    baseline_source: str
    net_flow: int
    """The place's share of the net flows (inbound − outbound) since its baseline."""
    crossing_points: tuple[str, ...] = field(default=())
    """Codes of the crossing points whose catchment holds the place."""


@dataclass(frozen=True)
class Share:
    """A place's share of one crossing point's flows after its baseline's date."""

    crossing_point: str
    share: float
    flows: Flows


def place_estimate(
    *,
    baseline: int,
    as_of: dt.date | None,
    source: str,
    shares: Iterable[Share],
    on: dt.date,
    uncertainty: Uncertainty,
) -> Estimate:
    """The estimate of one place (see the module docstring)."""
    shares = list(shares)
    b = uncertainty.baseline(as_of, on)
    net = sum(s.share * s.flows.net for s in shares)
    low = baseline * (1 - b) + sum(s.share * s.flows.net_low(uncertainty) for s in shares)
    high = baseline * (1 + b) + sum(s.share * s.flows.net_high(uncertainty) for s in shares)
    value = max(0, round(baseline + net))
    return Estimate(
        value=value,
        low=min(value, max(0, math.floor(low))),
        high=max(value, math.ceil(high)),
        baseline=baseline,
        baseline_as_of=as_of,
        baseline_source=source,
        net_flow=round(net),
        crossing_points=tuple(sorted({s.crossing_point for s in shares})),
    )


@dataclass(frozen=True)
class AreaEstimate:
    """The estimates of an area's places added up (ranges added worst-case too)."""

    value: int = 0
    low: int = 0
    high: int = 0
    baseline: int = 0
    net_flow: int = 0
    places: int = 0

    def add(self, estimate: Estimate) -> AreaEstimate:
        return AreaEstimate(
            self.value + estimate.value,
            self.low + estimate.low,
            self.high + estimate.high,
            self.baseline + estimate.baseline,
            self.net_flow + estimate.net_flow,
            self.places + 1,
        )

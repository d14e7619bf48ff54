"""The result of planning: vehicle routes with trips, team rounds, and what was left out and why.

Times are minutes from midnight of the planning day; a stop's ``arrival_min`` is when the
vehicle or team arrives, ``start_min`` when service starts (after waiting for the window),
``departure_min`` when it leaves. A :class:`Trip` starts with loading at the depot
(``load_start_min``) and carries ``load_kg``/``load_m3``/``load_l`` when it leaves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class UnmetReason(StrEnum):
    NO_STOCK = "no_stock"
    NO_CAPACITY = "no_capacity"
    UNREACHABLE = "unreachable"
    AFTER_DEADLINE = "after_deadline"
    NO_ELIGIBLE_TEAM = "no_eligible_team"
    DROPPED = "dropped"
    """A coordinator dropped the stop from the draft (``planning.edit.stop_drop``)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """``quantity`` units of ``item`` from ``lot`` towards ``demand``."""

    demand: str
    item: str
    lot: str
    quantity: float


@dataclass(frozen=True, slots=True)
class Stop:
    site: str
    arrival_min: float
    start_min: float
    departure_min: float
    deliveries: tuple[Delivery, ...] = ()
    visit: str | None = None
    pinned: bool = False
    """A coordinator pinned the stop to its vehicle or team (``planning.edit.stop_pin``)."""


@dataclass(frozen=True, slots=True)
class Trip:
    depot: str
    load_start_min: float
    stops: tuple[Stop, ...]
    load_kg: float
    load_m3: float
    load_l: float


@dataclass(frozen=True, slots=True)
class VehicleRoute:
    vehicle: str
    start_min: float
    end_min: float
    distance_km: float
    trips: tuple[Trip, ...]

    @property
    def stops(self) -> tuple[Stop, ...]:
        return tuple(stop for trip in self.trips for stop in trip.stops)

    def profile(self) -> list[dict[str, float | str]]:
        """Load and time profile: one row per stop, with the units still on board after it."""
        rows: list[dict[str, float | str]] = []
        for number, trip in enumerate(self.trips, start=1):
            on_board = sum(d.quantity for stop in trip.stops for d in stop.deliveries)
            for stop in trip.stops:
                dropped = sum(d.quantity for d in stop.deliveries)
                on_board -= dropped
                rows.append(
                    {
                        "trip": number,
                        "site": stop.site,
                        "arrival_min": round(stop.arrival_min, 2),
                        "start_min": round(stop.start_min, 2),
                        "departure_min": round(stop.departure_min, 2),
                        "units_delivered": round(dropped, 3),
                        "units_on_board": round(max(on_board, 0.0), 3),
                    }
                )
        return rows


@dataclass(frozen=True, slots=True)
class TeamRound:
    team: str
    start_min: float
    end_min: float
    distance_km: float
    stops: tuple[Stop, ...]


@dataclass(frozen=True, slots=True)
class Unmet:
    """Quantity of a demand not delivered, with the reason and a human detail."""

    demand: str
    quantity: float
    reason: UnmetReason
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Unvisited:
    visit: str
    reason: UnmetReason
    detail: str = ""


@dataclass(frozen=True)
class Plan:
    routes: tuple[VehicleRoute, ...]
    rounds: tuple[TeamRound, ...]
    unmet: tuple[Unmet, ...]
    unvisited: tuple[Unvisited, ...]
    stats: Mapping[str, float] = field(default_factory=dict)
    """Figures of the run: ``served_percent``, ``life_saving_served_percent``, phase seconds…"""

    def summary(self) -> str:
        """A short human summary (the CLI prints it)."""
        s = self.stats
        lines = [
            f"routes {len(self.routes)} (trips {sum(len(r.trips) for r in self.routes)}), "
            f"team rounds {len(self.rounds)}",
            f"demand served {s.get('served_percent', 0):.1f}% of units weighted by priority; "
            f"life-saving {s.get('life_saving_served_percent', 0):.1f}%",
            f"visits made {s.get('visits_made', 0):.0f} of {s.get('visits_due', 0):.0f}",
            f"distance {s.get('distance_km', 0):.1f} km",
        ]
        reasons: dict[str, float] = {}
        for unmet in self.unmet:
            reasons[unmet.reason.value] = reasons.get(unmet.reason.value, 0.0) + unmet.quantity
        if reasons:
            shown = ", ".join(f"{k} {v:g} units" for k, v in sorted(reasons.items()))
            lines.append(f"unmet: {shown}")
        phases = [k for k in s if k.startswith("seconds_")]
        if phases:
            lines.append("seconds: " + ", ".join(f"{k[8:]} {s[k]:.2f}" for k in phases))
        return "\n".join(lines)

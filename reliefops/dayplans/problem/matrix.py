"""The travel matrix of a problem from the road network (``places`` selectors).

Every site is a place (a facility's place, or the place itself); the matrix is computed
once per distinct place for the *truck* class and spread over the sites. Today's closures
are in it: closed segments and the roads through a closed crossing point are left out of
the network. Where no open road joins two places that are both on the network, the pair
is **unreachable** (``UNREACHABLE_MIN`` minutes, ``UNREACHABLE_KM`` km: longer than any
shift, so the core reports the demand ``unreachable``) instead of the network's
straight-line estimate; a place off the network altogether (no road node within reach)
keeps the straight-line estimate and the build writes a note.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reliefops.places.selectors import places_by_code, planning_travel_matrix

VEHICLE_CLASS = "truck"
UNREACHABLE_MIN = 7 * 24 * 60.0
UNREACHABLE_KM = 10_000.0


def place_matrix(places: list[Any]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(km, minutes, indices of places off the network) between ``places`` in order."""
    n = len(places)
    if n == 0:
        return np.zeros((0, 0)), np.zeros((0, 0)), []
    tm = planning_travel_matrix(places, vehicle_class=VEHICLE_CLASS)
    estimated = np.asarray(tm.estimated, dtype=bool)
    km = np.asarray(tm.km).astype(np.float32)  # a copy: the network's matrix is cached
    minutes = np.asarray(tm.minutes).astype(np.float32)
    off = estimated.sum(axis=1) >= n - 1 if n > 1 else np.zeros(1, dtype=bool)
    cut = estimated & ~off[:, None] & ~off[None, :]
    np.fill_diagonal(cut, False)
    km[cut] = UNREACHABLE_KM
    minutes[cut] = UNREACHABLE_MIN
    return km, minutes, [int(i) for i in np.flatnonzero(off)] if n > 1 else []


def site_matrix(
    site_places: list[str], places: dict[str, Any] | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(distance_km, duration_min, place codes off the network) for sites whose places
    are ``site_places`` (place codes, one per site, in site order)."""
    codes = sorted(set(site_places))
    if places is None:
        places = places_by_code(codes)
    km, minutes, off = place_matrix([places[c] for c in codes])
    position = {c: i for i, c in enumerate(codes)}
    idx = np.asarray([position[c] for c in site_places], dtype=np.int64)
    if len(idx) == len(codes) and bool((idx == np.arange(len(codes))).all()):
        return km, minutes, [codes[i] for i in off]  # one site per place, in order
    return km[np.ix_(idx, idx)], minutes[np.ix_(idx, idx)], [codes[i] for i in off]

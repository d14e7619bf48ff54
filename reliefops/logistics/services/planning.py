"""A convoy planned from approved requests: stops, cargo and vehicles filled for you.

The logistics officer picks requests, an origin warehouse, vehicles and a day; the stops
are the requests' facilities (or places), nearest first from the origin, and each line
still awaited goes on the first vehicle that may carry its item and has room left. The
result goes through :func:`convoy_create`, which checks everything again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor
from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.models import ZERO, ConsignmentLine, Convoy
from reliefops.logistics.services.convoys import (
    CargoInput,
    CarrierInput,
    ConvoyInput,
    StopInput,
    _may_carry,
    cargo_load,
    convoy_create,
    vehicle_limits,
)
from reliefops.needs.choices import DISPATCHABLE_STATUSES
from reliefops.places.selectors import nearest_to_point


def _fits(
    used: dict[str, Decimal], limits: dict[str, Decimal | None], load: dict[str, Decimal]
) -> bool:
    return all(limit is None or used[k] + load[k] <= limit for k, limit in limits.items())


def convoy_from_requests(
    *,
    actor: Actor,
    requests: Sequence[Any],
    origin: Any,
    organisation: Any,
    departure_date: dt.date,
    carriers: Sequence[CarrierInput],
    escort: str = "",
    leader: str = "",
    notes: str = "",
) -> Convoy:
    """Plan a convoy carrying what ``requests`` still await (item lines only)."""
    problems: dict[str, list[Any]] = {}
    for request in requests:  # decide on what is stored, not on what the caller holds
        request.refresh_from_db(fields=["status", "facility", "place"])
    if not requests:
        problems["requests"] = [_("Choose the requests to carry.")]
    for request in requests:
        if request.status not in DISPATCHABLE_STATUSES:
            problems.setdefault("requests", []).append(
                _("Request %(ref)s is %(status)s: only approved requests are carried.")
                % {"ref": request.reference, "status": request.get_status_display().lower()}
            )
    if problems:
        raise InvalidInput(_("The convoy cannot be planned as it is."), fields=problems)
    start = origin.facility
    destinations: dict[Any, StopInput] = {}
    for request in requests:
        key = request.facility_id or request.place_id
        if key not in destinations:
            destinations[key] = StopInput(place=request.place, facility=request.facility)
    # Nearest first, from the origin, then from each stop.
    stops: list[StopInput] = []
    here, left = start, {s.facility or s.place: s for s in destinations.values()}
    while left:
        here = nearest_to_point(here.latitude, here.longitude, left)
        stops.append(left.pop(here))
    stop_index = {(s.facility.pk if s.facility else s.place.pk): i for i, s in enumerate(stops)}
    on_other: dict[Any, Decimal] = defaultdict(lambda: ZERO)
    for line in ConsignmentLine.objects.filter(
        carrier__convoy__status__in=(ConvoyStatus.PLANNED, ConvoyStatus.LOADING),
        request_line__request__in=list(requests),
    ):
        on_other[line.request_line_id] += line.quantity
    limits = [vehicle_limits(c.vehicle) for c in carriers]
    used: list[dict[str, Decimal]] = [defaultdict(lambda: ZERO) for _c in carriers]
    cargo: list[CargoInput] = []
    for request in requests:
        for line in request.lines.select_related("item").order_by("created_at"):
            if line.item is None:
                continue
            awaited = line.quantity - line.quantity_dispatched - on_other[line.pk]
            if awaited <= 0:
                continue
            load = cargo_load(line.item, awaited)
            index = next(
                (
                    i
                    for i, c in enumerate(carriers)
                    if _may_carry(c.vehicle, line.item) and _fits(used[i], limits[i], load)
                ),
                None,
            )
            if index is None:
                problems.setdefault("vehicles", []).append(
                    _("No vehicle may carry %(qty)s %(unit)s of %(item)s for %(ref)s.")
                    % {
                        "qty": f"{awaited.normalize():f}",
                        "unit": line.unit,
                        "item": line.item.code,
                        "ref": request.reference,
                    }
                )
                continue
            for key, amount in load.items():
                used[index][key] += amount
            cargo.append(
                CargoInput(
                    carrier=index,
                    stop=stop_index[request.facility_id or request.place_id],
                    item=line.item,
                    quantity=awaited,
                    request_line=line,
                )
            )
    if problems:
        raise InvalidInput(_("The convoy cannot be planned as it is."), fields=problems)
    return convoy_create(
        actor=actor,
        data=ConvoyInput(
            departure_date=departure_date,
            origin=origin,
            organisation=organisation,
            stops=stops,
            carriers=carriers,
            cargo=cargo,
            escort=escort,
            leader=leader,
            notes=notes,
        ),
    )

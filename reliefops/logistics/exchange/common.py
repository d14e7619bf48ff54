"""What the logistics kinds share: a stop's code, who sees a convoy whole, and for the
field records (passages, deliveries) the convoy they name and its lines on board."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.logistics.choices import ConvoyStatus
from reliefops.logistics.models import ConsignmentLine, Convoy, ConvoyStop
from reliefops.logistics.selectors import convoy_full_view

ZERO = Decimal("0")


def stop_code(stop: ConvoyStop) -> str:
    """A stop by its facility's code, or its place's P-code when it is not a facility."""
    return stop.facility.code if stop.facility is not None else stop.place.code


class FullView:
    """Which convoys the actor sees whole (crew, every vehicle, every organisation's
    cargo), asked once per convoy."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.known: dict[Any, bool] = {}

    def __call__(self, convoy: Convoy) -> bool:
        if convoy.pk not in self.known:
            self.known[convoy.pk] = convoy_full_view(self.actor, convoy)
        return self.known[convoy.pk]


# --------------------------------------------------------------------------- field records

#: Convoys whose departure is not recorded yet: a passage or delivery waits for it.
NOT_DEPARTED = frozenset({ConvoyStatus.PLANNED, ConvoyStatus.LOADING})


def convoy_on_the_road(code: str, cache: dict[str, Convoy | None]) -> Convoy:
    """The convoy a field record names, or a *pending* :class:`CellError` when it does
    not exist yet or has not departed yet (a submission waits; a file reports it)."""
    if code not in cache:
        cache[code] = (
            Convoy.objects.select_related("organisation", "area", "origin__facility__place")
            .filter(code=code)
            .first()
        )
    convoy = cache[code]
    if convoy is None:
        raise ex.CellError(
            "convoy", _("No such convoy (yet): the record waits for it."), pending=True
        )
    if convoy.status in NOT_DEPARTED:
        raise ex.CellError(
            "convoy",
            _("The convoy's departure is not recorded yet: the record waits for it."),
            pending=True,
        )
    return convoy


def lines_on_board(convoy: Convoy, **filters: Any) -> dict[str, list[ConsignmentLine]]:
    """The convoy's lines with goods on board (``filters`` narrow them: a vehicle, a
    stop), by item code, in loading order — the order quantities are spread over them."""
    by_item: dict[str, list[ConsignmentLine]] = {}
    lines = (
        ConsignmentLine.objects.filter(carrier__convoy=convoy, **filters)
        .select_related("item", "carrier")
        .order_by("carrier__tracking_number", "created_at", "pk")
    )
    for line in lines:
        if line.on_board > 0:
            by_item.setdefault(line.item.code, []).append(line)
    return by_item


def spread(
    quantity: Decimal, lines: list[ConsignmentLine], taken: dict[Any, Decimal]
) -> dict[Any, Decimal]:
    """``quantity`` spread over ``lines`` in order, each up to what is on board less what
    ``taken`` already holds of it; the rest (more than is on board) on the last line."""
    result: dict[Any, Decimal] = {}
    left = quantity
    for line in lines:
        room = line.on_board - taken.get(line.pk, ZERO)
        part = min(left, max(room, ZERO))
        if part > 0:
            result[line.pk] = part
            left -= part
    if left > 0 and lines:
        last = lines[-1].pk
        result[last] = result.get(last, ZERO) + left
    return result

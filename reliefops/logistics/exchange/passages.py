"""The ``passages`` kind: export one row per crossing-point passage; import (and field
submissions) record passages through :func:`reliefops.logistics.services.passage_record`.

A row is keyed by convoy, vehicle (tracking number; empty: the whole convoy), crossing
point and time in, so a replay is unchanged; a passage is recorded once and an import
does not change it. ``held_items`` (``FLR=200;VOIL=40``) says what a partial passage held
back, spread over the vehicle's (or convoy's) lines of each item still on board in loading
order; ``held`` (the total) is derived. A convoy that does not exist yet, or has not
departed yet, is *pending*. A passage that reaches the server after a delivery made the
convoy arrived is recorded late (``passage_late``). Formats: docs/field-kinds.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterator
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange.errors import cell_error
from reliefops.logistics import services
from reliefops.logistics.choices import PassageDirection, PassageOutcome
from reliefops.logistics.exchange.common import (
    ZERO,
    FullView,
    convoy_on_the_road,
    lines_on_board,
    spread,
)
from reliefops.logistics.fields import PASSAGE, item_quantities_text
from reliefops.logistics.filtersets import PassageFilterSet
from reliefops.logistics.models import Convoy, ConvoyVehicle, Passage, PassageHold
from reliefops.logistics.selectors import consignment_line_list, passage_list
from reliefops.places.choices import FacilityKind
from reliefops.places.selectors import facilities_by_code

#: A service's field → the row's column.
COLUMN_OF = {"held": "held_items", "vehicle": "tracking_number"}
#: What a recorded passage says, compared with a replayed row.
COMPARED = ("direction", "time_out", "outcome", "delay_minutes", "inspected", "notes")


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


class PassageImporter(ex.Importer):
    columns = PASSAGE.columns()
    permission = Action.CONVOY_PASSAGE
    description = "Crossing-point passages (by convoy, vehicle, crossing point and time in)"
    key_columns = ("convoy", "tracking_number", "crossing_point", "time_in")
    submissions: ClassVar[bool] = True

    def prepare(self) -> None:
        self.convoys: dict[str, Convoy | None] = {}
        self.points: dict[str, Any] = {}

    # the record ------------------------------------------------------------
    def record_key(self, data: dict[str, Any]) -> Hashable | None:
        if not data.get("convoy") or not data.get("crossing_point") or not data.get("time_in"):
            return None
        return (
            data["convoy"],
            data.get("tracking_number") or "",
            data["crossing_point"],
            _instant(data["time_in"]),
        )

    def lookup(self, key: Any) -> Passage | None:
        convoy, tracking, point, time_in = key
        found = Passage.objects.filter(
            convoy__code=convoy,
            crossing_point__code=point,
            time_in=dt.datetime.fromisoformat(time_in),
        )
        if tracking:
            found = found.filter(carrier__tracking_number=tracking)
        else:
            found = found.filter(carrier__isnull=True)
        return found.first()

    def current(self, record: Any) -> dict[str, Any]:
        values = {name: getattr(record, name) for name in COMPARED}
        held: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for hold in PassageHold.objects.filter(passage=record).select_related("line__item"):
            held[hold.line.item.code] += hold.quantity
        values["held_items"] = dict(held)
        return values

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        found = super().diff(record, data)
        if data["outcome"] == PassageOutcome.TURNED_BACK and not data.get("held_items"):
            found.pop("held_items", None)  # turned back: it held everything on board
        return found

    # the row ---------------------------------------------------------------
    def _point(self, code: str) -> Any:
        if code not in self.points:
            self.points[code] = facilities_by_code([code]).get(code)
        return self.points[code]

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        convoy = convoy_on_the_road(data["convoy"], self.convoys)
        carrier = None
        if data.get("tracking_number"):
            carrier = ConvoyVehicle.objects.filter(
                convoy=convoy, tracking_number=data["tracking_number"]
            ).first()
            if carrier is None:
                raise ex.CellError(
                    "tracking_number", _("No vehicle of the convoy has this tracking number.")
                )
        point = self._point(data["crossing_point"])
        if point is None or point.kind != FacilityKind.CROSSING_POINT:
            raise ex.CellError("crossing_point", _("No crossing point with this code."))
        data["direction"] = data["direction"] or PassageDirection.INBOUND
        data["inspected"] = bool(data["inspected"])
        data["notes"] = data["notes"] or ""
        data["held_items"] = data["held_items"] or {}
        existing = self.existing_record(data)
        if existing is not None:
            changed = self.diff(existing, data)
            if changed:
                column = next(iter(changed))
                raise ex.CellError(
                    column, _("This passage is recorded already; a passage does not change.")
                )
            return data
        held: dict[Any, Decimal] = {}
        if data["outcome"] == PassageOutcome.PARTIAL:
            filters = {"carrier": carrier} if carrier is not None else {}
            on_board = lines_on_board(convoy, **filters)
            for code, quantity in data["held_items"].items():
                if code not in on_board:
                    raise ex.CellError(
                        "held_items", _("Nothing of %(item)s is on board.") % {"item": code}
                    )
                held.update(spread(quantity, on_board[code], {}))
        elif data["held_items"] and data["outcome"] == PassageOutcome.PASSED:
            raise ex.CellError("held_items", _("Goods held: choose “partially passed”."))
        passage = services.PassageInput(
            crossing_point=point,
            outcome=data["outcome"],
            time_in=data["time_in"],
            time_out=data["time_out"],
            direction=data["direction"],
            carrier=carrier,
            delay_minutes=data["delay_minutes"],
            inspected=data["inspected"],
            notes=data["notes"],
            held=held,
        )
        try:
            services.passage_check(actor=self.actor, convoy=convoy, data=passage)
        except ApplicationError as exc:
            raise cell_error(exc, column="convoy", columns=COLUMN_OF) from exc
        data["_convoy"], data["_passage"] = convoy, passage
        return data

    # writing ---------------------------------------------------------------
    def create(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        for data in rows:
            # The convoy row is the lock: a retry racing this one finds the passage.
            Convoy.objects.select_for_update().filter(pk=data["_convoy"].pk).first()
            if self.lookup(self.record_key(data)) is not None:
                continue
            services.passage_record(actor=self.actor, convoy=data["_convoy"], data=data["_passage"])
            written += 1
        return written


def _held(actor: Any, passages: QuerySet[Any]) -> dict[Any, dict[str, Decimal]]:
    """Per passage: what it held back of the lines ``actor`` may see, by item code."""
    visible = consignment_line_list(actor=actor).order_by().values("pk")
    held: dict[Any, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for passage_id, code, quantity in (
        PassageHold.objects.filter(passage__in=passages.order_by().values("pk"), line__in=visible)
        .order_by()
        .values_list("passage_id", "line__item__code", "quantity")
    ):
        held[passage_id][code] += quantity
    return held


class PassageExporter(ex.Exporter):
    columns = PASSAGE.columns()
    filterset = PassageFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        passages = self.filtered(
            passage_list(actor=self.actor).order_by("convoy__code", "time_in")
        ).select_related("carrier")
        held = _held(self.actor, passages)
        full_view = FullView(self.actor)
        carriers = set(
            consignment_line_list(actor=self.actor)
            .order_by()
            .values_list("carrier_id", flat=True)
            .distinct()
        )
        for passage in passages.iterator(chunk_size=2000):
            # A requesting organisation: the convoy's passages and its own vehicles'.
            if (
                passage.carrier_id is not None
                and passage.carrier_id not in carriers
                and not full_view(passage.convoy)
            ):
                continue
            items = dict(held.get(passage.pk, {}))
            yield PASSAGE.row_cells(
                passage,
                convoy=passage.convoy.code,
                tracking_number=(
                    passage.carrier.tracking_number if passage.carrier is not None else ""
                ),
                crossing_point=passage.crossing_point.code,
                held=sum(items.values(), ZERO),
                held_items=item_quantities_text(items),
            )


ex.register(
    "passages",
    importer=PassageImporter,
    exporter=PassageExporter,
    label=gettext_lazy("Crossing-point passages"),
)

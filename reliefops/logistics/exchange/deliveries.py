"""The ``deliveries`` kind: export one row per proof of delivery with the stop's totals;
import (and field submissions) confirm deliveries through
:func:`reliefops.logistics.services.delivery_confirm`.

A row is keyed by convoy and stop number; a replay is unchanged, and a delivery is
confirmed once (an import does not change it). ``receipts`` say per item code what was
received, short and damaged (``FLR=950:50:missing;VOIL=95:0::5:leaked``), spread over the
stop's lines of that item still on board in loading order; an item left out is received
whole. The stop's place, facility, totals and whether a photo was kept are derived. The
photo of the signed note is never in a file: the driver page uploads it. A convoy that
does not exist yet, or has not departed yet, is *pending*. Formats: docs/field-kinds.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange.errors import cell_error
from reliefops.logistics import services
from reliefops.logistics.exchange.common import (
    ZERO,
    FullView,
    convoy_on_the_road,
    lines_on_board,
    spread,
)
from reliefops.logistics.fields import DELIVERY, ItemReceipt
from reliefops.logistics.filtersets import DeliveryFilterSet
from reliefops.logistics.models import ConsignmentLine, Convoy, Delivery
from reliefops.logistics.selectors import consignment_line_list, convoy_scope

#: A service's field → the row's column.
COLUMN_OF = {"lines": "receipts", "stop": "stop"}
#: What a confirmed delivery says, compared with a replayed row.
COMPARED = ("receiver_name", "receiver_role", "received_at", "note")


def stop_receipts(lines: Any) -> dict[str, ItemReceipt]:
    """Per item code: what the stop's lines (a queryset) say was received, short and
    damaged, with the reasons given."""
    result: dict[str, ItemReceipt] = {}
    for row in (
        lines.order_by()
        .values("item__code")
        .annotate(
            delivered=Sum("delivered"),
            short=Sum("short"),
            short_reason=Max("short_reason"),
            damaged=Sum("damaged"),
            damage_reason=Max("damage_reason"),
        )
        .order_by("item__code")
    ):
        result[row["item__code"]] = ItemReceipt(
            row["delivered"],
            row["short"],
            row["short_reason"] if row["short"] else "",
            row["damaged"],
            row["damage_reason"] if row["damaged"] else "",
        )
    return result


class DeliveryImporter(ex.Importer):
    columns = DELIVERY.columns()
    permission = Action.CONVOY_DELIVER
    description = "Deliveries (proof of delivery by convoy and stop)"
    key_columns = ("convoy", "stop")
    submissions: ClassVar[bool] = True

    def prepare(self) -> None:
        self.convoys: dict[str, Convoy | None] = {}

    # the record ------------------------------------------------------------
    def lookup(self, key: Any) -> Delivery | None:
        return (
            Delivery.objects.select_related("stop__convoy")
            .filter(stop__convoy__code=key[0], stop__sequence=int(key[1]))
            .first()
        )

    def current(self, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in COMPARED}

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        found = super().diff(record, data)
        if data.get("received_at") is None:  # no time given: the recorded one stays
            found.pop("received_at", None)
        given = data.get("receipts") or {}
        if given:
            recorded = stop_receipts(ConsignmentLine.objects.filter(stop=record.stop))
            for code, receipt in given.items():
                old = recorded.get(code)
                if old is None or old != receipt:
                    found["receipts"] = (
                        old.text(code) if old is not None else "",
                        receipt.text(code),
                    )
                    break
        return found

    # the row ---------------------------------------------------------------
    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        convoy = convoy_on_the_road(data["convoy"], self.convoys)
        stop = convoy.stops.filter(sequence=data["stop"]).first()
        if stop is None:
            raise ex.CellError("stop", _("The convoy has no such stop."))
        data["receiver_role"] = data["receiver_role"] or ""
        data["note"] = data["note"] or ""
        data["receipts"] = data["receipts"] or {}
        existing = self.existing_record(data)
        if existing is not None:
            changed = self.diff(existing, data)
            if changed:
                raise ex.CellError(
                    next(iter(changed)),
                    _("This delivery is confirmed already; a delivery does not change."),
                )
            return data
        delivery = services.DeliveryInput(
            stop=stop,
            receiver_name=data["receiver_name"],
            received_at=data["received_at"] or timezone.now(),
            receipts=self._receipts(convoy, stop, data["receipts"]),
            receiver_role=data["receiver_role"],
            note=data["note"],
        )
        try:
            services.delivery_check(actor=self.actor, convoy=convoy, data=delivery)
        except ApplicationError as exc:
            raise cell_error(exc, column="convoy", columns=COLUMN_OF) from exc
        data["_convoy"], data["_delivery"] = convoy, delivery
        return data

    def _receipts(
        self, convoy: Convoy, stop: Any, given: dict[str, ItemReceipt]
    ) -> dict[Any, services.Receipt]:
        """Each item's receipt spread over the stop's lines of it on board."""
        on_board = lines_on_board(convoy, stop=stop)
        receipts: dict[Any, services.Receipt] = {}
        for code, receipt in given.items():
            lines = on_board.get(code)
            if not lines:
                raise ex.CellError(
                    "receipts", _("Nothing of %(item)s is on board for this stop.") % {"item": code}
                )
            total = sum((line.on_board for line in lines), ZERO)
            if receipt.received + receipt.short + receipt.damaged > total:
                raise ex.CellError(
                    "receipts",
                    _(
                        "%(item)s: received, short and damaged add up to more than the %(n)s on board."
                    )
                    % {"item": code, "n": f"{total.normalize():f}"},
                )
            taken: dict[Any, Decimal] = defaultdict(lambda: ZERO)
            parts: dict[str, dict[Any, Decimal]] = {}
            for name in ("received", "short", "damaged"):
                parts[name] = spread(getattr(receipt, name), lines, taken)
                for pk, quantity in parts[name].items():
                    taken[pk] += quantity
            for line in lines:
                receipts[line.pk] = services.Receipt(
                    delivered=parts["received"].get(line.pk, ZERO),
                    short=parts["short"].get(line.pk, ZERO),
                    short_reason=receipt.short_reason,
                    damaged=parts["damaged"].get(line.pk, ZERO),
                    damage_reason=receipt.damage_reason,
                )
        return receipts

    # writing ---------------------------------------------------------------
    def create(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        for data in rows:
            # The convoy row is the lock: a retry racing this one finds the delivery.
            Convoy.objects.select_for_update().filter(pk=data["_convoy"].pk).first()
            if self.lookup(self.record_key(data)) is not None:
                continue
            services.delivery_confirm(
                actor=self.actor, convoy=data["_convoy"], data=data["_delivery"]
            )
            written += 1
        return written


class DeliveryExporter(ex.Exporter):
    columns = DELIVERY.columns()
    filterset = DeliveryFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        full_view = FullView(self.actor)
        deliveries = self.filtered(
            Delivery.objects.filter(stop__convoy__in=convoy_scope(self.actor, Convoy.objects.all()))
            .select_related("stop__convoy", "stop__place", "stop__facility")
            .order_by("stop__convoy__code", "stop__sequence")
        )
        visible = consignment_line_list(actor=self.actor).filter(
            stop_id__in=deliveries.order_by().values("stop_id")
        )
        totals: dict[Any, dict[str, Decimal]] = defaultdict(dict)
        for row in (
            visible.order_by()
            .values("stop_id")
            .annotate(delivered=Sum("delivered"), short=Sum("short"), damaged=Sum("damaged"))
        ):
            totals[row["stop_id"]] = {
                "delivered": row["delivered"],
                "short": row["short"],
                "damaged": row["damaged"],
            }
        for delivery in deliveries:
            stop = delivery.stop
            # A requesting organisation sees the deliveries of the stops it has lines for.
            if stop.pk not in totals and not full_view(stop.convoy):
                continue
            sums = totals.get(stop.pk, {})
            receipts = stop_receipts(visible.filter(stop_id=stop.pk))
            yield DELIVERY.row_cells(
                delivery,
                convoy=stop.convoy.code,
                stop=stop.sequence,
                facility=stop.facility.code if stop.facility is not None else "",
                place=stop.place.code,
                has_photo=bool(delivery.photo),
                delivered=sums.get("delivered") or ZERO,
                short=sums.get("short") or ZERO,
                damaged=sums.get("damaged") or ZERO,
                receipts=[r.text(code) for code, r in receipts.items()],
            )


ex.register(
    "deliveries",
    importer=DeliveryImporter,
    exporter=DeliveryExporter,
    label=gettext_lazy("Deliveries"),
)

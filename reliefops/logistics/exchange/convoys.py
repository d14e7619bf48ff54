"""The ``convoys`` and ``consignments`` exports (one row per convoy; one per consignment
line), read through the logistics selectors: a requesting organisation gets the convoys
that carry its requests with only its own lines and none of the crew."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.logistics.exchange.common import FullView, stop_code
from reliefops.logistics.fields import CONSIGNMENT, CONVOY
from reliefops.logistics.filtersets import ConsignmentFilterSet, ConvoyFilterSet
from reliefops.logistics.models import ConvoyStop, ConvoyVehicle
from reliefops.logistics.selectors import consignment_line_list, convoy_list, convoy_route


class ConvoyExporter(ex.Exporter):
    columns = CONVOY.columns()
    filterset = ConvoyFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        full_view = FullView(self.actor)
        convoys = self.filtered(convoy_list(actor=self.actor)).prefetch_related(
            Prefetch(
                "stops",
                queryset=ConvoyStop.objects.select_related("place", "facility").order_by(
                    "sequence"
                ),
            ),
            Prefetch(
                "vehicles",
                queryset=ConvoyVehicle.objects.select_related("vehicle").order_by(
                    "tracking_number"
                ),
            ),
        )
        for convoy in convoys:
            route = convoy_route(convoy)
            whole = full_view(convoy)
            carriers = list(convoy.vehicles.all())
            if not whole:  # a requesting organisation: the vehicles carrying its lines
                own = set(
                    consignment_line_list(actor=self.actor)
                    .filter(carrier__convoy=convoy)
                    .values_list("carrier_id", flat=True)
                )
                carriers = [c for c in carriers if c.pk in own]
            yield CONVOY.row_cells(
                convoy,
                origin=convoy.origin.facility.code,
                organisation=convoy.organisation.acronym,
                escort=convoy.escort if whole else "",
                leader=convoy.leader if whole else "",
                notes=convoy.notes if whole else "",
                stops=[stop_code(stop) for stop in convoy.stops.all()],
                route=route.road_names,
                crossing_points=[c.facility.code for c in route.crossing_points],
                length_km=Decimal(str(route.length_km)),
                vehicles=[c.vehicle.registration for c in carriers],
                tracking_numbers=[c.tracking_number for c in carriers],
            )


# --------------------------------------------------------------------------- consignments


class ConsignmentExporter(ex.Exporter):
    columns = CONSIGNMENT.columns()
    filterset = ConsignmentFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        lines = self.filtered(consignment_line_list(actor=self.actor))
        for line in lines.iterator(chunk_size=2000):
            stop, lot = line.stop, line.lot
            yield CONSIGNMENT.row_cells(
                line,
                convoy=line.carrier.convoy.code,
                tracking_number=line.carrier.tracking_number,
                vehicle=line.carrier.vehicle.registration,
                stop=stop.sequence,
                facility=stop.facility.code if stop.facility is not None else "",
                place=stop.place.code,
                request=(
                    line.request_line.request.reference if line.request_line is not None else ""
                ),
                item=line.item.code,
                lot=lot.code if lot is not None else "",
                expiry_date=lot.expiry_date if lot is not None else None,
                unit=line.item.unit,
                on_board=line.on_board,
            )


ex.register("convoys", exporter=ConvoyExporter, label=gettext_lazy("Convoys"))
ex.register("consignments", exporter=ConsignmentExporter, label=gettext_lazy("Consignments"))

"""Bulk exchange of the logistics domain: vehicles, convoys, consignments, passages and
deliveries.

``vehicles``      the fleet; import upserts by registration (owner by organisation
                  acronym, base by facility code, ``item_classes`` as ``food;water``)
                  through the vehicle services, export re-imports to the same vehicles.
                  Drivers are in no file (personal data).
``convoys``       export only: one row per convoy with its stops, the roads of its route
                  in order, the crossing points on it, its vehicles and tracking numbers.
``consignments``  export only: one row per consignment line.
``passages``      export only: one row per crossing-point passage.
``deliveries``    export only: one row per proof of delivery, with the stop's totals.

Every export reads through the logistics selectors, so a user exports what they may see:
a requesting organisation gets the convoys that carry its requests with only its own
lines (the vehicles carrying them, the totals over them) and none of the crew.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.logistics import services
from reliefops.logistics.fields import CONSIGNMENT, CONVOY, DELIVERY, PASSAGE, VEHICLE
from reliefops.logistics.filtersets import (
    ConsignmentFilterSet,
    ConvoyFilterSet,
    DeliveryFilterSet,
    PassageFilterSet,
    VehicleFilterSet,
)
from reliefops.logistics.models import (
    Convoy,
    ConvoyStop,
    ConvoyVehicle,
    Delivery,
    PassageHold,
    Vehicle,
)
from reliefops.logistics.selectors import (
    consignment_line_list,
    convoy_full_view,
    convoy_list,
    convoy_route,
    convoy_scope,
    passage_list,
    vehicle_list,
)
from reliefops.organisations.selectors import organisations_by_acronym
from reliefops.places.selectors import facilities_by_code

ZERO = Decimal("0")


def stop_code(stop: ConvoyStop) -> str:
    """A stop by its facility's code, or its place's P-code when it is not a facility."""
    return stop.facility.code if stop.facility is not None else stop.place.code


class _FullView:
    """Which convoys the actor sees whole (crew, every vehicle, every organisation's
    cargo), asked once per convoy."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.known: dict[Any, bool] = {}

    def __call__(self, convoy: Convoy) -> bool:
        if convoy.pk not in self.known:
            self.known[convoy.pk] = convoy_full_view(self.actor, convoy)
        return self.known[convoy.pk]


# --------------------------------------------------------------------------- vehicles

VEHICLE_COLUMNS = VEHICLE.columns()
#: Field → file column, where they differ (a service error names the field).
_COLUMN_OF = {f.name: f.column_name for f in VEHICLE}


class VehicleImporter(ex.Importer):
    columns = VEHICLE_COLUMNS
    permission = Action.VEHICLE_EDIT
    description = "Vehicles (upsert by registration)"
    key_columns = ("registration",)

    def prepare(self) -> None:
        self.vehicles = {
            v.registration: v
            for v in Vehicle.objects.select_related("organisation", "base", "driver")
        }
        self.organisations = organisations_by_acronym()
        self.bases: dict[str, Any] = {}
        self.seen: set[str] = set()

    def lookup(self, key: Any) -> Vehicle | None:
        return self.vehicles.get(key[0])

    def current(self, record: Any) -> dict[str, Any]:
        values = {name: getattr(record, name) for name in VEHICLE.stored_names()}
        values["item_classes"] = sorted(record.item_classes or [])  # as the file's are read
        return values

    def _base(self, code: str) -> Any:
        if code not in self.bases:
            self.bases[code] = facilities_by_code([code]).get(code)
        return self.bases[code]

    def _check(self, values: dict[str, Any]) -> None:
        """The service's own check of the row (scope, the fleet's rules), as a row error."""
        existing = self.vehicles.get(values["registration"])
        try:
            services.vehicle_import_check(actor=self.actor, row=values, existing=existing)
        except Forbidden as exc:
            raise ex.CellError(
                "owner", _("You may not edit the vehicles of this organisation.")
            ) from exc
        except InvalidInput as exc:
            fields = exc.details.get("fields")
            if isinstance(fields, dict) and fields:
                name, messages = next(iter(fields.items()))
                message = "; ".join(str(m) for m in messages) if messages else str(exc.message)
            else:
                name, message = exc.details.get("field", ""), str(exc.message)
            raise ex.CellError(_COLUMN_OF.get(name, ""), message) from exc

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        registration = data["registration"]
        if registration in self.seen:
            raise ex.CellError("registration", _("This registration appears twice in the file."))
        self.seen.add(registration)
        owner = self.organisations.get(data["owner"])
        if owner is None:
            raise ex.CellError("owner", _("No organisation with this acronym."))
        base = None
        if data["base"]:
            base = self._base(data["base"])
            if base is None:
                raise ex.CellError("base", _("No facility with this code."))
        values = VEHICLE.row_values({**data, "owner": owner, "base": base})
        values["item_classes"] = values["item_classes"] or []
        self._check(values)
        return values

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return services.vehicle_upsert_bulk(actor=self.actor, rows=rows)


class VehicleExporter(ex.Exporter):
    columns = VEHICLE_COLUMNS
    filterset = VehicleFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for vehicle in self.filtered(vehicle_list(actor=self.actor)):
            yield VEHICLE.row_cells(
                vehicle,
                organisation=vehicle.organisation.acronym,
                base=vehicle.base.code if vehicle.base is not None else "",
                item_classes=sorted(vehicle.item_classes or []),
            )


# --------------------------------------------------------------------------- convoys


class ConvoyExporter(ex.Exporter):
    columns = CONVOY.columns()
    filterset = ConvoyFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        full_view = _FullView(self.actor)
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


# --------------------------------------------------------------------------- passages


def _held(actor: Any, passages: QuerySet[Any]) -> dict[Any, Decimal]:
    """Per passage: what it held back of the lines ``actor`` may see."""
    visible = consignment_line_list(actor=actor).order_by().values("pk")
    totals = (
        PassageHold.objects.filter(passage__in=passages.order_by().values("pk"), line__in=visible)
        .values("passage_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    return {row["passage_id"]: row["total"] for row in totals}


class PassageExporter(ex.Exporter):
    columns = PASSAGE.columns()
    filterset = PassageFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        passages = self.filtered(
            passage_list(actor=self.actor).order_by("convoy__code", "time_in")
        ).select_related("carrier")
        held = _held(self.actor, passages)
        full_view = _FullView(self.actor)
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
            yield PASSAGE.row_cells(
                passage,
                convoy=passage.convoy.code,
                tracking_number=(
                    passage.carrier.tracking_number if passage.carrier is not None else ""
                ),
                crossing_point=passage.crossing_point.code,
                held=held.get(passage.pk, ZERO),
            )


# --------------------------------------------------------------------------- deliveries


class DeliveryExporter(ex.Exporter):
    columns = DELIVERY.columns()
    filterset = DeliveryFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        full_view = _FullView(self.actor)
        deliveries = self.filtered(
            Delivery.objects.filter(stop__convoy__in=convoy_scope(self.actor, Convoy.objects.all()))
            .select_related("stop__convoy", "stop__place", "stop__facility")
            .order_by("stop__convoy__code", "stop__sequence")
        )
        totals: dict[Any, dict[str, Decimal]] = defaultdict(dict)
        for row in (
            consignment_line_list(actor=self.actor)
            .filter(stop_id__in=deliveries.order_by().values("stop_id"))
            .order_by()
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
            )


ex.register(
    "vehicles",
    importer=VehicleImporter,
    exporter=VehicleExporter,
    label=gettext_lazy("Vehicles"),
)
ex.register("convoys", exporter=ConvoyExporter, label=gettext_lazy("Convoys"))
ex.register("consignments", exporter=ConsignmentExporter, label=gettext_lazy("Consignments"))
ex.register("passages", exporter=PassageExporter, label=gettext_lazy("Crossing-point passages"))
ex.register("deliveries", exporter=DeliveryExporter, label=gettext_lazy("Deliveries"))

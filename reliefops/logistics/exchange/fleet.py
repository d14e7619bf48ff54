"""The ``vehicles`` kind: the fleet; import upserts by registration (owner by
organisation acronym, base by facility code, ``item_classes`` as ``food;water``) through
the vehicle services; export re-imports to the same vehicles. Drivers are in no file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.logistics import services
from reliefops.logistics.fields import VEHICLE
from reliefops.logistics.filtersets import VehicleFilterSet
from reliefops.logistics.models import Vehicle
from reliefops.logistics.selectors import vehicle_list
from reliefops.organisations.selectors import organisations_by_acronym
from reliefops.places.selectors import facilities_by_code

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


ex.register(
    "vehicles",
    importer=VehicleImporter,
    exporter=VehicleExporter,
    label=gettext_lazy("Vehicles"),
)

"""Bulk exchange of the logistics domain: vehicles, convoys, consignments, passages and
deliveries; each submodule registers its kinds.

``vehicles``      the fleet; import upserts by registration (owner by organisation
                  acronym, base by facility code, ``item_classes`` as ``food;water``)
                  through the vehicle services, export re-imports to the same vehicles.
                  Drivers are in no file (personal data). (:mod:`.fleet`)
``convoys``       export only: one row per convoy with its stops, the roads of its route
                  in order, the crossing points on it, its vehicles and tracking numbers.
``consignments``  export only: one row per consignment line. (both :mod:`.convoys`)
``passages``      one row per crossing-point passage with what it held per item; import
                  and field submissions record passages (:mod:`.passages`).
``deliveries``    one row per proof of delivery, with the stop's totals and receipts per
                  item; import and field submissions confirm deliveries (:mod:`.deliveries`).

Every export reads through the logistics selectors, so a user exports what they may see:
a requesting organisation gets the convoys that carry its requests with only its own
lines (the vehicles carrying them, the totals over them) and none of the crew. The field
records' formats (what a phone sends): docs/field-kinds.md.
"""

from reliefops.logistics.exchange import convoys, deliveries, fleet, passages
from reliefops.logistics.exchange.common import stop_code
from reliefops.logistics.exchange.convoys import ConsignmentExporter, ConvoyExporter
from reliefops.logistics.exchange.deliveries import DeliveryExporter, DeliveryImporter
from reliefops.logistics.exchange.fleet import VehicleExporter, VehicleImporter
from reliefops.logistics.exchange.passages import PassageExporter, PassageImporter

__all__ = [
    "ConsignmentExporter",
    "ConvoyExporter",
    "DeliveryExporter",
    "DeliveryImporter",
    "PassageExporter",
    "PassageImporter",
    "VehicleExporter",
    "VehicleImporter",
    "convoys",
    "deliveries",
    "fleet",
    "passages",
    "stop_code",
]

from .vehicles import (
    VEHICLE_FIELDS,
    driver_create,
    vehicle_create,
    vehicle_import_check,
    vehicle_update,
    vehicle_upsert_bulk,
)

__all__ = [
    "VEHICLE_FIELDS",
    "driver_create",
    "vehicle_create",
    "vehicle_import_check",
    "vehicle_update",
    "vehicle_upsert_bulk",
]

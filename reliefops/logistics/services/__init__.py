"""Every write of the logistics domain: convoys (the workflow, planning), vehicles."""

from .convoys import (
    CONVOY_WORKFLOW,
    STEP_LABELS,
    TRANSITIONS,
    CargoInput,
    CarrierInput,
    ConvoyInput,
    StopInput,
    convoy_create,
    convoy_steps_allowed,
)
from .planning import convoy_from_requests
from .steps import (
    DeliveryInput,
    PassageInput,
    Receipt,
    StepData,
    convoy_abort,
    convoy_arrive,
    convoy_arrived_at,
    convoy_complete,
    convoy_depart,
    convoy_load,
    convoy_transition,
    delivery_check,
    delivery_confirm,
    passage_check,
    passage_record,
    passage_step,
)
from .vehicles import (
    VEHICLE_FIELDS,
    driver_create,
    vehicle_create,
    vehicle_import_check,
    vehicle_update,
    vehicle_upsert_bulk,
)

__all__ = [
    "CONVOY_WORKFLOW",
    "STEP_LABELS",
    "TRANSITIONS",
    "VEHICLE_FIELDS",
    "CargoInput",
    "CarrierInput",
    "ConvoyInput",
    "DeliveryInput",
    "PassageInput",
    "Receipt",
    "StepData",
    "StopInput",
    "convoy_abort",
    "convoy_arrive",
    "convoy_complete",
    "convoy_create",
    "convoy_depart",
    "convoy_from_requests",
    "convoy_load",
    "convoy_steps_allowed",
    "convoy_transition",
    "delivery_confirm",
    "driver_create",
    "passage_record",
    "vehicle_create",
    "vehicle_import_check",
    "vehicle_update",
    "vehicle_upsert_bulk",
]
# --- added for importers
__all__ += ["convoy_arrived_at", "delivery_check", "passage_check", "passage_step"]
# --- added for retention
from .retention import deliveries_anonymise, drivers_anonymise_inactive  # noqa: E402

__all__ += ["deliveries_anonymise", "drivers_anonymise_inactive"]

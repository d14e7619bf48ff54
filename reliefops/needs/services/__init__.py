"""Every write of the needs domain, by topic: requests (creation and import), the request
workflow (``steps``: the transition table, a service per step, comments), estimators."""

from reliefops.core.workflow import InvalidTransition, Transition

from .estimators import (
    MONTHLY_MEAN_RANGE,
    climate_months_check,
    climate_station_months_set,
    climate_station_save,
    estimator_parameters_set,
    heating_requests_generate,
)
from .requests import (
    ZERO,
    HeatingFuelMismatch,
    LineInput,
    PossibleDuplicate,
    RequestInput,
    S,
    request_duplicates,
    request_fuel_mismatches,
    request_import_bulk,
    request_import_check,
    request_problems,
    request_reference_new,
    request_source_check,
    request_submit,
)
from .steps import (
    REQUEST_WORKFLOW,
    STEP_LABELS,
    TRANSITIONS,
    StepInput,
    request_approve,
    request_cancel,
    request_close,
    request_comment_add,
    request_deliver,
    request_dispatch,
    request_plan,
    request_reject,
    request_submit_draft,
    request_transition,
    request_verify,
    transitions_allowed,
)

__all__ = [
    "MONTHLY_MEAN_RANGE",
    "REQUEST_WORKFLOW",
    "STEP_LABELS",
    "TRANSITIONS",
    "ZERO",
    "HeatingFuelMismatch",
    "InvalidTransition",
    "LineInput",
    "PossibleDuplicate",
    "RequestInput",
    "S",
    "StepInput",
    "Transition",
    "climate_months_check",
    "climate_station_months_set",
    "climate_station_save",
    "estimator_parameters_set",
    "heating_requests_generate",
    "request_approve",
    "request_cancel",
    "request_close",
    "request_comment_add",
    "request_deliver",
    "request_dispatch",
    "request_duplicates",
    "request_fuel_mismatches",
    "request_import_bulk",
    "request_import_check",
    "request_plan",
    "request_problems",
    "request_reference_new",
    "request_reject",
    "request_source_check",
    "request_submit",
    "request_submit_draft",
    "request_transition",
    "request_verify",
    "transitions_allowed",
]

# --- added for imports
from .requests import (
    IMPORT_EDITABLE,
    request_import_changes,
    request_import_update,
    request_import_update_check,
)

__all__ += [
    "IMPORT_EDITABLE",
    "request_import_changes",
    "request_import_update",
    "request_import_update_check",
]

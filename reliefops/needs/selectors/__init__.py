"""Every read of the needs domain, by topic, scoped by the caller's organisation and areas:
requests and what they name (``requests``), the estimators (``estimators``), the gap
analysis (``gap``). Other apps are read through their selectors only."""

from .estimators import (
    FuelAssessment,
    SphereAssessment,
    climate_station_by_code,
    climate_station_list,
    climate_station_nearest,
    estimator_parameters,
    facility_fuel_stock,
    facility_heating_assessment,
    heated_facility_list,
    heating_draft_facilities,
    heating_fuel_for_facility,
    heating_fuel_items,
    sphere_for_place,
)
from .gap import GapReport, GapRow, gap_analysis, gap_geojson
from .requests import (
    RequestFormChoices,
    RequestReferences,
    dispatch_warehouse_list,
    lookup_facility,
    lookup_item,
    lookup_organisation,
    lookup_place,
    lookup_warehouse,
    request_form_choices,
    request_get,
    request_history,
    request_import_references,
    request_line_totals,
    request_list,
    request_place,
    request_sources_allowed,
)

__all__ = [
    "FuelAssessment",
    "GapReport",
    "GapRow",
    "RequestFormChoices",
    "RequestReferences",
    "SphereAssessment",
    "climate_station_by_code",
    "climate_station_list",
    "climate_station_nearest",
    "dispatch_warehouse_list",
    "estimator_parameters",
    "facility_fuel_stock",
    "facility_heating_assessment",
    "gap_analysis",
    "gap_geojson",
    "heated_facility_list",
    "heating_draft_facilities",
    "heating_fuel_for_facility",
    "heating_fuel_items",
    "lookup_facility",
    "lookup_item",
    "lookup_organisation",
    "lookup_place",
    "lookup_warehouse",
    "request_form_choices",
    "request_get",
    "request_history",
    "request_import_references",
    "request_line_totals",
    "request_list",
    "request_place",
    "request_sources_allowed",
    "sphere_for_place",
]

# --- added for lists
from .lists import (
    RequestListChoices,
    request_list_choices,
    request_list_rows,
    request_overdue_annotate,
    request_overdue_q,
)

__all__ += [
    "RequestListChoices",
    "request_list_choices",
    "request_list_rows",
    "request_overdue_annotate",
    "request_overdue_q",
]

"""Every write of the teams domain (validation, transaction, audit, permission check)."""

__all__: list[str] = []

# --- added for hosp
from reliefops.teams.services.hospital import (
    BedsOverTotal,
    caseload_cells,
    caseload_report,
    cell_key,
    hospital_status_report,
)
from reliefops.teams.services.referrals import (
    OPEN_STATUSES,
    REFERRAL_FACILITY_KINDS,
    REFERRAL_WORKFLOW,
    facility_area,
    referral_create,
    referral_steps_allowed,
    referral_transition,
)
from reliefops.teams.services.referrals import STEP_LABELS as REFERRAL_STEP_LABELS
from reliefops.teams.services.referrals import TRANSITIONS as REFERRAL_TRANSITIONS

__all__ += [
    "OPEN_STATUSES",
    "REFERRAL_FACILITY_KINDS",
    "REFERRAL_STEP_LABELS",
    "REFERRAL_TRANSITIONS",
    "REFERRAL_WORKFLOW",
    "BedsOverTotal",
    "caseload_cells",
    "caseload_report",
    "cell_key",
    "facility_area",
    "hospital_status_report",
    "referral_create",
    "referral_steps_allowed",
    "referral_transition",
]

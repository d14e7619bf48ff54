"""Every write of the teams domain.

Topics: :mod:`.teams` (teams, members, shifts, unavailability), :mod:`.coverage`
(coverage rules), :mod:`.rounds` (a team's round and its workflow), :mod:`.visits`
(recording a visit).
"""

from reliefops.teams.services.coverage import (
    coverage_rule_create,
    coverage_rule_delete,
    coverage_rule_update,
)
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
    referral_create_check,
    referral_steps_allowed,
    referral_steps_to,
    referral_transition,
)
from reliefops.teams.services.referrals import STEP_LABELS as REFERRAL_STEP_LABELS
from reliefops.teams.services.referrals import TRANSITIONS as REFERRAL_TRANSITIONS
from reliefops.teams.services.rounds import (
    ROUND_WORKFLOW,
    STEP_LABELS,
    TRANSITIONS,
    StopInput,
    round_create,
    round_steps_allowed,
    round_steps_to,
    round_stop_add,
    round_stop_remove,
    round_stops_reorder,
    round_transition,
    team_scope_check,
)
from reliefops.teams.services.steps import workflow_passed, workflow_path
from reliefops.teams.services.teams import (
    member_add,
    member_remove,
    member_update,
    shift_set,
    team_create,
    team_update,
    unavailability_add,
    unavailability_remove,
)
from reliefops.teams.services.visits import (
    stop_takes_visit,
    visit_check,
    visit_correct,
    visit_correct_check,
    visit_record,
)

__all__ = [
    "ROUND_WORKFLOW",
    "STEP_LABELS",
    "TRANSITIONS",
    "StopInput",
    "coverage_rule_create",
    "coverage_rule_delete",
    "coverage_rule_update",
    "member_add",
    "member_remove",
    "member_update",
    "round_create",
    "round_steps_allowed",
    "round_stop_add",
    "round_stop_remove",
    "round_stops_reorder",
    "round_transition",
    "shift_set",
    "team_create",
    "team_scope_check",
    "team_update",
    "unavailability_add",
    "unavailability_remove",
    "visit_correct",
    "visit_record",
]
# --- added for importers
__all__ += [
    "referral_create_check",
    "referral_steps_to",
    "round_steps_to",
    "stop_takes_visit",
    "visit_check",
    "visit_correct_check",
    "workflow_passed",
    "workflow_path",
]


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

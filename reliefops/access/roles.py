"""What each role may do, and which roles act nationally or for any organisation.

* ``ROLE_ACTIONS`` lists the actions of each role (``view`` is every role's).
* A membership with no areas covers the whole installation only for ``NATIONAL_ROLES``;
  for any other role it covers nothing.
* For actions other than ``view``, roles outside ``CROSS_ORGANISATION_ROLES`` act only
  for their own organisation.
"""

from __future__ import annotations

from typing import Final

from reliefops.accounts.choices import Role
from reliefops.core.actions import Action

A = Action

_REQUEST_DESK = frozenset(
    {
        A.REQUEST_SUBMIT,
        A.REQUEST_VERIFY,
        A.REQUEST_APPROVE,
        A.REQUEST_REJECT,
        A.REQUEST_CANCEL,
        A.REQUEST_PLAN,
        A.REQUEST_CLOSE,
    }
)
_STOCK = frozenset(
    {
        A.STOCK_RECEIVE,
        A.STOCK_DISPATCH,
        A.STOCK_TRANSFER,
        A.STOCK_ADJUST,
        A.STOCK_COUNT,
        A.STOCK_RESERVE,  # --- added for commit
    }
)
_READ = frozenset({A.VIEW, A.EXPORT_RUN})
#: Recording a convoy on the road: what a driver or convoy leader does (the phone page).
_CONVOY_ROAD = frozenset({A.CONVOY_DEPART, A.CONVOY_PASSAGE, A.CONVOY_ARRIVE, A.CONVOY_DELIVER})
_CONVOY = _CONVOY_ROAD | {
    A.VEHICLE_EDIT,
    A.CONVOY_PLAN,
    A.CONVOY_LOAD,
    A.CONVOY_COMPLETE,
    A.CONVOY_ABORT,
}
#: Reading the registry's pseudonymous records (identity only through a logged reveal).
_PEOPLE_CARE = frozenset(
    {A.PERSON_READ, A.PERSON_REGISTER, A.PERSON_EDIT, A.PERSON_REVEAL, A.CONSENT_RECORD}
)
#: What a mobile team does on its round.
_ROUND_WORK = frozenset(
    {
        A.ROUND_PLAN,
        A.ROUND_RUN,
        A.VISIT_RECORD,
        A.REFERRAL_CREATE,
        A.REFERRAL_UPDATE,
        A.HOSPITAL_REPORT,
    }
)
#: The data-protection officer's tools.
_DATA_PROTECTION = frozenset(
    {
        A.PERSON_READ,
        A.PERSON_REVEAL,
        A.PERSON_MERGE,
        A.PERSON_UNMERGE,
        A.PERSON_ERASE,
        A.PERSON_SUBJECT_ACCESS,
        A.ACCESS_LOG_VIEW,
    }
)

#: Coordination: who records meetings, keeps the contacts directory, updates action items.
_MEETINGS = frozenset(
    {
        A.WORKING_GROUP_MANAGE,
        A.CONTACT_MANAGE,
        A.CONTACT_DETAILS_VIEW,
        A.MEETING_RECORD,
        A.ACTION_ITEM_UPDATE,
    }
)
#: Those who work on the ground call contacts and update the action items they own.
_MEETING_FOLLOW_UP = frozenset({A.CONTACT_DETAILS_VIEW, A.ACTION_ITEM_UPDATE})

#: What only administrators may do (everything else they share with some other role).
ADMIN_ONLY: Final = frozenset({A.USER_MANAGE, A.ORGANISATION_EDIT})

ROLE_ACTIONS: Final[dict[str, frozenset[Action]]] = {
    Role.COORDINATOR: _READ
    | _REQUEST_DESK
    | {
        A.PLACE_EDIT,
        A.FACILITY_EDIT,
        A.ROAD_EDIT,
        A.ITEM_EDIT,
        A.PLEDGE_EDIT,
        A.ESTIMATOR_EDIT,
        A.CONVOY_PLAN,
        A.CONVOY_ABORT,
        A.IMPORT_RUN,
        A.ACTIVITY_EDIT,
        A.STOCK_COUNT,
        A.COMMENT_ADD,
        A.PERSON_MERGE,
        A.TEAM_EDIT,
        A.COVERAGE_EDIT,
        A.ROUND_PLAN,
        A.REFERRAL_CREATE,
        A.CROSSING_COUNT_RECORD,
        A.POPULATION_EDIT,
        A.SUBMISSION_SEND,
        A.FORM_LINK_MANAGE,
        A.PLAN_RUN,
        A.PLAN_COMMIT,
        # --- added for commit: committing a plan loads its convoys (reserves their stock)
        A.CONVOY_LOAD,
        A.STOCK_RESERVE,
    }
    | _PEOPLE_CARE
    | _MEETINGS,
    Role.LOGISTICS: _READ
    | _STOCK
    | _CONVOY
    | _MEETING_FOLLOW_UP
    | {
        A.FACILITY_EDIT,
        A.ROAD_EDIT,
        A.ITEM_EDIT,
        A.PLEDGE_EDIT,
        A.REQUEST_DISPATCH,
        A.REQUEST_DELIVER,
        A.IMPORT_RUN,
        A.COMMENT_ADD,
        A.SUBMISSION_SEND,
    },
    Role.FIELD: _READ
    | _CONVOY_ROAD
    | _PEOPLE_CARE
    | _ROUND_WORK
    | _MEETING_FOLLOW_UP
    | {
        A.REQUEST_SUBMIT,
        A.REQUEST_VERIFY,
        A.REQUEST_DELIVER,
        A.STOCK_COUNT,
        A.COMMENT_ADD,
        A.CROSSING_COUNT_RECORD,
        A.SUBMISSION_SEND,
    },
    Role.PARTNER: _READ
    | (_MEETINGS - {A.WORKING_GROUP_MANAGE})
    | {A.REQUEST_SUBMIT, A.REQUEST_CANCEL, A.PLEDGE_EDIT, A.ACTIVITY_EDIT, A.COMMENT_ADD},
    Role.DPO: _READ | _DATA_PROTECTION,
    Role.VIEWER: _READ,
}
ROLE_ACTIONS[Role.ADMIN] = ADMIN_ONLY.union(*ROLE_ACTIONS.values())

NATIONAL_ROLES: Final = frozenset({Role.ADMIN, Role.COORDINATOR, Role.DPO})
CROSS_ORGANISATION_ROLES: Final = frozenset({Role.ADMIN, Role.COORDINATOR, Role.DPO})


def role_allows(role: str, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())

"""What a user may write where, restated independently of the code under test.

:func:`snapshot` reads every scoped table with each row's area and organisation;
:func:`violations` compares two snapshots and lists each created, changed or deleted row
that no membership of the user allows — before the change (the row as it was) or after
it (as it is now). The role table is the policy's (``ROLE_ACTIONS``); areas, descendants,
national and cross-organisation rules and the road-segment area are computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model

from reliefops.access.roles import CROSS_ORGANISATION_ROLES, NATIONAL_ROLES, ROLE_ACTIONS
from reliefops.accounts.models import Membership, User
from reliefops.coordination.models import Activity
from reliefops.core.actions import Action
from reliefops.logistics.models import (
    ConsignmentLine,
    Convoy,
    ConvoySegment,
    ConvoyStop,
    ConvoyVehicle,
    Delivery,
    Driver,
    Passage,
    PassageHold,
    Vehicle,
)
from reliefops.needs.models import (
    ClimateStation,
    EstimatorSetting,
    Request,
    RequestComment,
    RequestLine,
)
from reliefops.organisations.models import Organisation
from reliefops.places.models import (
    Facility,
    Place,
    PlaceName,
    PopulationEstimate,
    RoadNode,
    RoadSegment,
)
from reliefops.stock.models import (
    Item,
    KitComponent,
    Lot,
    Pledge,
    StockBalance,
    StockTransaction,
    Warehouse,
)
from tests.core.writescope.world import CODES, PARENT, area_at

A = Action
ANY = object()  # not about an area / organisation
REQUEST_DESK = {
    A.REQUEST_VERIFY,
    A.REQUEST_APPROVE,
    A.REQUEST_REJECT,
    A.REQUEST_PLAN,
    A.REQUEST_DISPATCH,
    A.REQUEST_DELIVER,
    A.REQUEST_CLOSE,
}
STOCK = {A.STOCK_RECEIVE, A.STOCK_DISPATCH, A.STOCK_TRANSFER, A.STOCK_ADJUST, A.STOCK_COUNT}
STOCK |= {A.STOCK_RESERVE}  # --- added for commit
WAREHOUSE = "warehouse__facility__place__admin1__code"

Scope = Callable[[dict[str, Any]], tuple[Any, Any]]


@dataclass(frozen=True)
class Table:
    model: type[Model]
    annotations: dict[str, Any]
    #: (actions, scope of a row) — the row may be written by any of these.
    rules: list[tuple[set[Action], Scope]]


def _area(key: str) -> Scope:
    return lambda row: (row[key], ANY)


def _area_org(area: str, org: str) -> Scope:
    return lambda row: (row[area], row[org])


def _segment_area(row: dict[str, Any]) -> tuple[Any, Any]:
    for end in ("a", "b"):
        if row[f"{end}_place_area"]:
            return row[f"{end}_place_area"], ANY
    for end in ("a", "b"):
        code = area_at(row[f"{end}_lat"], row[f"{end}_lon"])
        if code:
            return code, ANY
    return None, ANY


def _pledge_area(row: dict[str, Any]) -> Any:
    return row["w_area"] if row["warehouse_id"] else ANY


def _anywhere(actions: set[Action]) -> list[tuple[set[Action], Scope]]:
    return [(actions, lambda row: (ANY, ANY))]


CONVOY = {
    A.CONVOY_PLAN,
    A.CONVOY_LOAD,
    A.CONVOY_DEPART,
    A.CONVOY_PASSAGE,
    A.CONVOY_ARRIVE,
    A.CONVOY_DELIVER,
    A.CONVOY_COMPLETE,
    A.CONVOY_ABORT,
}


def _convoy_table(model: type[Model], path: str) -> Table:
    """A convoy's own rows: written by a convoy step in the convoy's area for its org."""
    return Table(
        model,
        {"s_area": F(f"{path}area__code"), "s_org": F(f"{path}organisation__acronym")},
        [(CONVOY, _area_org("s_area", "s_org"))],
    )


TABLES = [
    _convoy_table(Convoy, ""),
    _convoy_table(ConvoySegment, "convoy__"),
    _convoy_table(ConvoyStop, "convoy__"),
    _convoy_table(ConvoyVehicle, "convoy__"),
    _convoy_table(ConsignmentLine, "carrier__convoy__"),
    _convoy_table(Passage, "convoy__"),
    _convoy_table(PassageHold, "passage__convoy__"),
    _convoy_table(Delivery, "stop__convoy__"),
    Table(
        Vehicle,
        {"s_org": F("organisation__acronym")},
        # Its record is the owner's; a convoy step sets its status (on mission, available).
        [({A.VEHICLE_EDIT}, lambda row: (ANY, row["s_org"])), (CONVOY, lambda row: (ANY, ANY))],
    ),
    Table(
        Driver,
        {"s_org": F("organisation__acronym")},
        [({A.VEHICLE_EDIT}, lambda row: (ANY, row["s_org"]))],
    ),
    Table(Place, {"s_area": F("admin1__code")}, [({A.PLACE_EDIT}, _area("s_area"))]),
    Table(PlaceName, {"s_area": F("place__admin1__code")}, [({A.PLACE_EDIT}, _area("s_area"))]),
    Table(
        PopulationEstimate,
        {"s_area": F("place__admin1__code")},
        [({A.PLACE_EDIT}, _area("s_area"))],
    ),
    Table(Facility, {"s_area": F("place__admin1__code")}, [({A.FACILITY_EDIT}, _area("s_area"))]),
    Table(
        Warehouse,
        {"s_area": F("facility__place__admin1__code")},
        [({A.FACILITY_EDIT}, _area("s_area"))],
    ),
    Table(RoadNode, {}, _anywhere({A.ROAD_EDIT})),
    Table(
        RoadSegment,
        {
            "a_place_area": F("from_node__place__admin1__code"),
            "b_place_area": F("to_node__place__admin1__code"),
            "a_lat": F("from_node__latitude"),
            "a_lon": F("from_node__longitude"),
            "b_lat": F("to_node__latitude"),
            "b_lon": F("to_node__longitude"),
        },
        [({A.ROAD_EDIT}, _segment_area)],
    ),
    Table(
        StockBalance,
        {"s_area": F(WAREHOUSE), "s_org": F("warehouse__organisation__acronym")},
        [(STOCK, _area_org("s_area", "s_org"))],
    ),
    Table(
        StockTransaction,
        {"s_area": F(WAREHOUSE), "s_org": F("warehouse__organisation__acronym")},
        [(STOCK, _area_org("s_area", "s_org"))],
    ),
    Table(Lot, {}, _anywhere(STOCK)),
    Table(Item, {}, _anywhere({A.ITEM_EDIT})),
    Table(KitComponent, {}, _anywhere({A.ITEM_EDIT})),
    Table(
        Request,
        {"s_area": F("area__code"), "s_org": F("organisation__acronym")},
        [
            ({A.REQUEST_SUBMIT, A.REQUEST_CANCEL}, _area_org("s_area", "s_org")),
            (REQUEST_DESK, _area("s_area")),
        ],
    ),
    Table(
        RequestLine,
        {"s_area": F("request__area__code")},
        [({A.REQUEST_SUBMIT, A.REQUEST_CANCEL, *REQUEST_DESK}, _area("s_area"))],
    ),
    Table(
        RequestComment, {"s_area": F("request__area__code")}, [({A.COMMENT_ADD}, _area("s_area"))]
    ),
    Table(
        Pledge,
        {"w_area": F(WAREHOUSE), "s_org": F("donor__acronym")},
        [
            ({A.PLEDGE_EDIT}, lambda row: (_pledge_area(row), row["s_org"])),
            ({A.STOCK_RECEIVE}, lambda row: (_pledge_area(row), ANY)),
        ],
    ),
    Table(
        Activity,
        {"s_area": F("area__code"), "s_org": F("organisation__acronym")},
        [({A.ACTIVITY_EDIT}, _area_org("s_area", "s_org"))],
    ),
    Table(Organisation, {}, _anywhere({A.ORGANISATION_EDIT})),
    Table(
        Membership,
        {"s_org": F("organisation__acronym")},
        [({A.USER_MANAGE}, lambda row: (ANY, row["s_org"]))],
    ),
    Table(User, {}, _anywhere({A.USER_MANAGE})),
    Table(EstimatorSetting, {}, _anywhere({A.ESTIMATOR_EDIT})),
    Table(ClimateStation, {}, _anywhere({A.ESTIMATOR_EDIT})),
]
#: Rows the acting user may change in their own account whatever the role (sign-in).
OWN_ACCOUNT_FIELDS = {"last_login", "password", "must_change_password", "language"}

Snapshot = dict[str, dict[Any, dict[str, Any]]]


def snapshot() -> Snapshot:
    result: Snapshot = {}
    for table in TABLES:
        fields = [f.attname for f in table.model._meta.concrete_fields]
        rows = table.model.objects.values(*fields, **table.annotations)
        result[table.model.__name__] = {row["id"]: row for row in rows}
    return result


def covered(codes: list[str]) -> set[str]:
    """The given area codes and every code below them (the oracle's own tree walk)."""
    result = set(codes)
    changed = True
    while changed:
        below = {c for c in CODES if PARENT.get(c) in result}
        changed = not below <= result
        result |= below
    return result


def allowed(
    memberships: list[tuple[str, list[str]]], actions: set[Action], area: Any, org: Any
) -> bool:
    """May a user with ``memberships`` (all at organisation OWN) write here?"""
    for role, codes in memberships:
        if not actions & ROLE_ACTIONS[role]:
            continue
        # A row of another organisation needs a cross-organisation role (a row of no
        # organisation is nobody's); the user's memberships are all at OWN.
        if org not in (ANY, None, "OWN") and role not in CROSS_ORGANISATION_ROLES:
            continue
        if area is ANY:
            return True
        if not codes:
            if role in NATIONAL_ROLES:
                return True
            continue
        if area is not None and area in covered(codes):
            return True
    return False


def violations(
    before: Snapshot, after: Snapshot, memberships: list[tuple[str, list[str]]], actor_pk: Any
) -> list[str]:
    found = []
    for table in TABLES:
        name = table.model.__name__
        old, new = before[name], after[name]
        for pk in set(old) | set(new):
            was, now = old.get(pk), new.get(pk)
            if was == now:
                continue
            if name == "User" and pk == actor_pk and was and now:
                changed = {k for k in now if was.get(k) != now[k]}
                if changed <= OWN_ACCOUNT_FIELDS:
                    continue
            for state, row in (("before", was), ("after", now)):
                if row is None:
                    continue
                if not any(
                    allowed(memberships, actions, *scope(row)) for actions, scope in table.rules
                ):
                    kind = "created" if was is None else "deleted" if now is None else "changed"
                    found.append(f"{name} {kind} out of scope ({state}): {row}")
                    break
    return found


# --- added for rounds
from reliefops.teams.models import (  # noqa: E402
    CoverageRule,
    Round,
    RoundStop,
    Shift,
    Team,
    TeamMember,
    Unavailability,
    Visit,
)


def _team_table(model: type[Model], path: str) -> Table:
    return Table(
        model,
        {"s_area": F(f"{path}area__code"), "s_org": F(f"{path}organisation__acronym")},
        [({A.TEAM_EDIT}, _area_org("s_area", "s_org"))],
    )


ROUND_WORK = {A.ROUND_PLAN, A.ROUND_RUN}
TABLES += [
    _team_table(Team, ""),
    _team_table(TeamMember, "team__"),
    _team_table(Shift, "team__"),
    _team_table(Unavailability, "team__"),
    Table(CoverageRule, {}, _anywhere({A.COVERAGE_EDIT})),
    Table(
        Round,
        {"s_area": F("area__code"), "s_org": F("team__organisation__acronym")},
        [(ROUND_WORK, _area_org("s_area", "s_org"))],
    ),
    Table(
        RoundStop,
        {"s_area": F("round__area__code"), "s_org": F("round__team__organisation__acronym")},
        [({A.ROUND_PLAN}, _area_org("s_area", "s_org"))],
    ),
    Table(
        Visit,
        {"s_area": F("area__code"), "s_org": F("team__organisation__acronym")},
        [({A.VISIT_RECORD}, _area_org("s_area", "s_org"))],
    ),
]


# --- added for pcore
from reliefops.people.models import (  # noqa: E402
    Consent,
    DuplicateDismissal,
    IdentityAccess,
    Person,
    PersonMerge,
)

#: The registry is scoped by the person's area (the admin1 of their village); a
#: registration also by the registering organisation. A person's consents and access
#: log are read in the person's area (moving a person moves them: ``person.edit``); a
#: merge in the merged record's area (the survivor's is checked by the Person row).
PERSON_CHANGE = {A.PERSON_EDIT, A.PERSON_MERGE, A.PERSON_UNMERGE, A.PERSON_ERASE}
TABLES += [
    Table(
        Person,
        {"s_area": F("area__code"), "s_org": F("organisation__acronym")},
        [({A.PERSON_REGISTER}, _area_org("s_area", "s_org")), (PERSON_CHANGE, _area("s_area"))],
    ),
    Table(
        Consent,
        {"s_area": F("person__area__code")},
        [({A.CONSENT_RECORD, A.PERSON_REGISTER, A.PERSON_EDIT}, _area("s_area"))],
    ),
    Table(
        IdentityAccess,
        {"s_area": F("person__area__code")},
        [({A.PERSON_REVEAL, A.PERSON_SUBJECT_ACCESS, A.PERSON_EDIT}, _area("s_area"))],
    ),
    Table(
        PersonMerge,
        {"s_area": F("duplicate__area__code")},
        [({A.PERSON_MERGE, A.PERSON_UNMERGE}, _area("s_area"))],
    ),
    Table(
        DuplicateDismissal,
        {"s_area": F("first__area__code")},
        [({A.PERSON_MERGE}, _area("s_area"))],
    ),
]


# --- added for hosp
from reliefops.teams.models import CaseloadCount, HospitalStatus, Referral  # noqa: E402

TABLES += [
    # A referral is made in the person's area; the receiving facility's staff take its
    # steps in the facility's area.
    Table(
        Referral,
        {"s_area": F("area__code"), "f_area": F("facility_area__code")},
        [({A.REFERRAL_CREATE}, _area("s_area")), ({A.REFERRAL_UPDATE}, _area("f_area"))],
    ),
    Table(HospitalStatus, {"s_area": F("area__code")}, [({A.HOSPITAL_REPORT}, _area("s_area"))]),
    Table(CaseloadCount, {"s_area": F("area__code")}, [({A.HOSPITAL_REPORT}, _area("s_area"))]),
]


# --- added for crossings
from reliefops.crossings.models import CrossingCount, CrossingPointSetting  # noqa: E402

#: A population figure is written by a place import (``place.edit``) or as a baseline
#: (``population.edit``), in the place's area.
TABLES = [
    Table(
        PopulationEstimate,
        {"s_area": F("place__admin1__code")},
        [({A.PLACE_EDIT, A.POPULATION_EDIT}, _area("s_area"))],
    )
    if t.model is PopulationEstimate
    else t
    for t in TABLES
]
TABLES += [
    # A count is recorded at the crossing point's area for the recording organisation.
    Table(
        CrossingCount,
        {"s_area": F("area__code"), "s_org": F("organisation__acronym")},
        [({A.CROSSING_COUNT_RECORD}, _area_org("s_area", "s_org"))],
    ),
    # A setting changes populations: at the crossing point's area, and at every
    # catchment area it adds or removes (the rows of its catchment).
    Table(
        CrossingPointSetting,
        {"s_area": F("crossing_point__place__admin1__code")},
        [({A.POPULATION_EDIT}, _area("s_area"))],
    ),
    Table(
        CrossingPointSetting.catchment.through,
        {"s_area": F("adminarea__code")},
        [({A.POPULATION_EDIT}, _area("s_area"))],
    ),
]


# --- added for commit
from reliefops.dayplans.models import PlanRun  # noqa: E402

#: A plan run is written in its area (none: the whole installation) by who may run or
#: commit plans.
TABLES += [
    Table(
        PlanRun,
        {"s_area": F("area__code")},
        [({A.PLAN_RUN, A.PLAN_COMMIT}, _area("s_area"))],
    ),
]


# --- added for meetings: coordination bodies are national; contacts are in their areas
# (none: a headquarters contact) for their organisation; a meeting's rows are in the
# meeting's area for its convening organisation; an action item is also written by its
# owner organisation's steps.
from django.db.models import Min  # noqa: E402

from reliefops.coordination.models import (  # noqa: E402
    ActionItem,
    AgendaItem,
    Contact,
    Decision,
    Meeting,
    MeetingAttachment,
    WorkingGroup,
)


def _meeting_table(model: type[Model], path: str) -> Table:
    return Table(
        model,
        {"s_area": F(f"{path}area__code"), "s_org": F(f"{path}organisation__acronym")},
        [({A.MEETING_RECORD}, _area_org("s_area", "s_org"))],
    )


TABLES += [
    Table(WorkingGroup, {}, _anywhere({A.WORKING_GROUP_MANAGE})),
    Table(
        Contact,
        {"s_area": Min("areas__code"), "s_org": F("organisation__acronym")},
        [({A.CONTACT_MANAGE}, _area_org("s_area", "s_org"))],
    ),
    _meeting_table(Meeting, ""),
    _meeting_table(AgendaItem, "meeting__"),
    _meeting_table(Decision, "agenda_item__meeting__"),
    _meeting_table(MeetingAttachment, "meeting__"),
    Table(
        ActionItem,
        {
            "s_area": F("meeting__area__code"),
            "m_org": F("meeting__organisation__acronym"),
            "s_org": F("owner_organisation__acronym"),
        },
        [
            ({A.MEETING_RECORD}, _area_org("s_area", "m_org")),
            ({A.ACTION_ITEM_UPDATE}, _area_org("s_area", "s_org")),
        ],
    ),
    *(
        Table(
            getattr(ActionItem, links).through,
            {
                "s_area": F("actionitem__meeting__area__code"),
                "s_org": F("actionitem__owner_organisation__acronym"),
            },
            [({A.ACTION_ITEM_UPDATE}, _area_org("s_area", "s_org"))],
        )
        for links in ("requests", "convoys", "plan_runs", "visits")
    ),
    Table(
        Decision.requests.through,
        {
            "s_area": F("decision__agenda_item__meeting__area__code"),
            "s_org": F("decision__agenda_item__meeting__organisation__acronym"),
        },
        [({A.MEETING_RECORD}, _area_org("s_area", "s_org"))],
    ),
]

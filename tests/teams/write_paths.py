"""Write paths of the teams domain for the write-scope property test (the world's teams,
rounds, people and visits are in tests/teams/writescope_world.py).

Teams are scoped by their home area and lead organisation (``team.edit``); rounds by
their area and the team's organisations (``round.plan`` / ``round.run``); visits by the
person's area (``visit.record``); coverage rules are installation-wide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.teams import services
from reliefops.teams.models import CoverageRule, Round, Team, TeamMember, Unavailability, Visit
from tests.core.writescope import Attempt, api, not_a_write, page, service

T = "reliefops.teams.services.teams"
C = "reliefops.teams.services.coverage"
R = "reliefops.teams.services.rounds"
V = "reliefops.teams.services.visits"
not_a_write(f"{T}.team_edit_check", "the permission check of team writes")
not_a_write(f"{R}.team_organisations", "read: a team's organisations")
not_a_write(f"{R}.team_scope_check", "the permission check of round and visit writes")
not_a_write(f"{R}.round_steps_allowed", "read (buttons)")
for name in (
    "teams:team_list",
    "teams:team_detail",
    "teams:due_list",
    "teams:round_list",
    "teams:round_detail",
    "teams:visit_list",
):
    not_a_write(name, "a read-only page")

#: Step → the status of the world's round it is tried on.
SOURCE = {"plan": "draft", "start": "planned", "complete": "in_progress", "cancel": "planned"}


# Every probe reads its record afresh: a probe that changed (or deleted) the shared
# instance was rolled back in the database only.


def team(t: Attempt) -> Team:
    return Team.objects.select_related("organisation", "area").get(
        pk=t.world.team[(t.area, t.org)].pk
    )


def rnd(t: Attempt, status: str) -> Round:
    return Round.objects.select_related("team", "area").get(
        reference=t.world.round[(t.area, t.org, status)].reference
    )


def member(t: Attempt) -> TeamMember:
    return TeamMember.objects.select_related("team").get(team__code=team(t).code, name="Member")


def spell(t: Attempt) -> Unavailability:
    return Unavailability.objects.select_related("team").get(team__code=team(t).code)


def rule() -> CoverageRule:
    return CoverageRule.objects.get(code="WS-RULE")


def visit(t: Attempt) -> Visit:
    return Visit.objects.select_related("team", "person").get(
        team__code=team(t).code, stop__isnull=True
    )


def _area(t: Attempt, key: str) -> Any:
    return t.world.area(key) or t.world.areas["AZ"]


@service(f"{T}.team_create")
def _team_create(t: Attempt) -> None:
    services.team_create(
        actor=t.actor,
        code=f"NEW-{t.area}-{t.org}",
        name="New team",
        kind=t.draw(["mobile_medical", "mobile_food"]),
        organisation=t.world.org[t.org],
        area=_area(t, t.area),
    )


@service(f"{T}.team_update")
def _team_update(t: Attempt) -> None:
    services.team_update(actor=t.actor, team=team(t), name="Renamed", area=_area(t, t.to))


@service(f"{T}.member_add")
def _member_add(t: Attempt) -> None:
    services.member_add(
        actor=t.actor,
        team=team(t),
        name="New member",
        organisation=t.world.org[t.org],
        skills=["nurse"],
        languages=["hy", "ru"],
    )


@service(f"{T}.member_update")
def _member_update(t: Attempt) -> None:
    services.member_update(actor=t.actor, member=member(t), skills=["driver"])


@service(f"{T}.member_remove")
def _member_remove(t: Attempt) -> None:
    services.member_remove(actor=t.actor, member=member(t))


@service(f"{T}.shift_set")
def _shift_set(t: Attempt) -> None:
    services.shift_set(actor=t.actor, team=team(t), shifts=[(0, dt.time(8), dt.time(16))])


@service(f"{T}.unavailability_add")
def _spell_add(t: Attempt) -> None:
    today = timezone.localdate()
    services.unavailability_add(
        actor=t.actor, team=team(t), starts_on=today, ends_on=today, reason="training"
    )


@service(f"{T}.unavailability_remove")
def _spell_remove(t: Attempt) -> None:
    services.unavailability_remove(actor=t.actor, spell=spell(t))


@service(f"{C}.coverage_rule_create")
def _rule_create(t: Attempt) -> None:
    services.coverage_rule_create(
        actor=t.actor, code="NEW-RULE", name="New", vulnerability="needs_surgery", interval_days=7
    )


@service(f"{C}.coverage_rule_update")
def _rule_update(t: Attempt) -> None:
    services.coverage_rule_update(actor=t.actor, rule=rule(), interval_days=5)


@service(f"{C}.coverage_rule_delete")
def _rule_delete(t: Attempt) -> None:
    services.coverage_rule_delete(actor=t.actor, rule=rule())


@service(f"{R}.round_create")
def _round_create(t: Attempt) -> None:
    services.round_create(
        actor=t.actor,
        team=team(t),
        date=timezone.localdate(),
        stops=[services.StopInput(t.world.team_person[t.to])],
    )


@service(f"{R}.round_stop_add")
def _stop_add(t: Attempt) -> None:
    target = rnd(t, "planned")
    services.round_stop_add(
        actor=t.actor, round=target, stop=services.StopInput(t.world.spare_person[t.area])
    )


@service(f"{R}.round_stop_remove")
def _stop_remove(t: Attempt) -> None:
    services.round_stop_remove(actor=t.actor, round=rnd(t, "draft"), sequence=1)


@service(f"{R}.round_stops_reorder")
def _stops_reorder(t: Attempt) -> None:
    services.round_stops_reorder(actor=t.actor, round=rnd(t, "draft"), order=[2, 1])


@service(f"{R}.round_transition")
def _transition(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    services.round_transition(actor=t.actor, round=rnd(t, SOURCE[step]), step=step, reason="probe")


@service(f"{V}.visit_record")
def _visit_record(t: Attempt) -> None:
    target = rnd(t, t.draw(["planned", "in_progress"]))
    services.visit_record(
        actor=t.actor,
        person=t.world.team_person[t.area],
        team=team(t),
        stop=target.stops.get(sequence=1),
        services=["consultation"],
    )


@service(f"{V}.visit_correct")
def _visit_correct(t: Attempt) -> None:
    services.visit_correct(actor=t.actor, visit=visit(t), outcome="refused")


def _api_step(step: str) -> None:
    @api(f"POST /api/v1/rounds/{{reference}}/{step}/")
    def probe(t: Attempt) -> None:
        target = rnd(t, SOURCE[step])
        t.api.post(f"/api/v1/rounds/{target.reference}/{step}/", {"reason": "probe"}, format="json")


for _step in SOURCE:
    _api_step(_step)


@api("POST /api/v1/visits/")
def _api_visit(t: Attempt) -> None:
    t.api.post(
        "/api/v1/visits/",
        {
            "person": t.world.team_person[t.area].reference,
            "team": team(t).code,
            "round": rnd(t, "planned").reference,
            "sequence": 1,
            "services": ["consultation"],
        },
        format="json",
    )


@page("teams:team_create")
def _page_team_create(t: Attempt) -> None:
    t.page.post(
        "/teams/new/",
        {
            "code": f"PG-{t.area}",
            "name": "Page team",
            "kind": "mobile_food",
            "organisation": str(t.world.org[t.org].pk),
            "area": str(_area(t, t.area).pk),
        },
    )


@page("teams:team_edit")
def _page_team_edit(t: Attempt) -> None:
    target = team(t)
    t.page.post(
        f"/teams/{target.code}/edit/",
        {
            "code": target.code,
            "name": "Edited",
            "kind": target.kind,
            "organisation": str(target.organisation_id),
            "area": str(_area(t, t.to).pk),
        },
    )


@page("teams:member_add")
def _page_member_add(t: Attempt) -> None:
    target = team(t)
    t.page.post(
        f"/teams/{target.code}/members/new/",
        {
            "name": "Page member",
            "organisation": str(target.organisation_id),
            "languages": ["az", "hy"],
        },
    )


@page("teams:round_create")
def _page_round_create(t: Attempt) -> None:
    t.page.post(
        "/teams/rounds/new/",
        {"team": team(t).code, "date": timezone.localdate().isoformat()},
    )


@page("teams:round_step")
def _page_round_step(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    target = rnd(t, SOURCE[step])
    t.page.post(f"/teams/rounds/{target.reference}/steps/{step}/", {"reason": "probe"})


@page("teams:stop_visit")
def _page_stop_visit(t: Attempt) -> None:
    target = rnd(t, "planned")
    t.page.post(
        f"/teams/rounds/{target.reference}/stops/1/visit/",
        {"outcome": "visited", "services": ["consultation"], "follow_up_days": "7"},
    )


@page("teams:due_add")
def _page_due_add(t: Attempt) -> None:
    target = rnd(t, "planned")
    t.page.post(
        "/teams/due/add/",
        {"round": target.reference, "person": [t.world.spare_person[t.area].reference]},
    )


# --- added for importers
from tests.core.writescope import import_kind  # noqa: E402

W = "reliefops.teams.services.steps"
H = "reliefops.teams.services.referrals"
not_a_write(f"{H}.referral_create_check", "the checks of referral_create")
not_a_write(f"{H}.referral_steps_to", "the checks of the steps a referral takes to a status")

not_a_write(f"{V}.visit_check", "the checks of visit_record (importers report a row's problem)")
not_a_write(f"{V}.visit_correct_check", "the permission check of visit_correct")
not_a_write(f"{V}.stop_takes_visit", "the round-status rule of visit_record")


@import_kind("visits")
def _import_visits(t: Attempt) -> str:
    head = "id,person,team,round,sequence,visited_at,outcome,services,follow_up_due\n"
    who = t.world.team_person[t.area].reference
    code = team(t).code
    if t.draw(["record", "correct"]) == "record":
        target = rnd(t, t.draw(["planned", "in_progress"])).reference
        return head + f",{who},{code},{target},1,,visited,consultation;food_parcel,\n"
    return head + f"{visit(t).pk},{who},{code},,,,refused,,\n"


not_a_write(f"{R}.round_steps_to", "the checks of the steps a round takes to a status")
not_a_write(f"{W}.workflow_path", "read: a chain of steps in a transition table")
not_a_write(f"{W}.workflow_passed", "read: whether a status was passed through")


@import_kind("rounds")
def _import_round_steps(t: Attempt) -> str:
    status, source = t.draw(
        [("in_progress", "planned"), ("completed", "in_progress"), ("cancelled", "planned")]
    )
    return f"round,status,reason\n{rnd(t, source).reference},{status},probe\n"


@import_kind("referrals")
def _import_referrals(t: Attempt) -> str:
    head = "reference,person,facility,reason,urgency,transport,status\n"
    if t.draw(["refer", "step"]) == "refer":
        who, to = t.world.patient[t.area].reference, t.world.hospital[t.to].code
        return head + f",{who},{to},injury,routine,team_vehicle,\n"
    source, status = t.draw([("referred", "admitted"), ("admitted", "discharged")])
    return head + f"{t.world.referral[(t.area, source)].reference},,,,,,{status}\n"

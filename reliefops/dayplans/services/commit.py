"""Commit a draft plan into convoys and team rounds, exactly once; re-planning.

:func:`plan_commit` runs in ONE transaction under the run's row lock (``select_for_update``):
two coordinators committing the same draft at once serialise on it, and the second finds
the run committed — an invalid transition (409) — so nothing is created twice. Before
anything is written it refuses a draft the checker found infeasible (``plan_infeasible``)
and a draft whose input changed since it was made (``plan_stale``: the input hash of the
day's data now is not the run's). Then, through the logistics and teams services only:

* one convoy per vehicle trip (origin: the trip's depot's warehouse; organisation: the
  vehicle's; stops: the trip's sites in order; the vehicle as its one carrier; cargo: each
  delivery — request line, item, lot, quantity), then its ``load`` step, which reserves
  exactly the lots and quantities the plan allocated;
* one round per team round, its stops the visits in order (planned at the service start),
  confirmed (``plan``).

A re-plan (``run.based_on``, see :mod:`.replan`) first aborts the base plan's convoys still
planned or loading ("re-planned": reservations released) and cancels its rounds not
started, then creates its own and supersedes the base run. Any service's refusal rolls
everything back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import Actor, actor_user
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.problem import input_hash_current

# plan_replan and plan_changes live in .replan; the contract names them here too.
from reliefops.dayplans.services.replan import plan_changes, plan_replan
from reliefops.dayplans.workflow import PLAN_WORKFLOW
from reliefops.logistics import selectors as logistics_selectors
from reliefops.logistics import services as logistics
from reliefops.logistics.choices import ConvoyStatus
from reliefops.needs.selectors import request_lines_by_pk
from reliefops.people.selectors import person_lookup
from reliefops.places.selectors import facilities_by_code, places_by_code
from reliefops.stock.selectors import lots_by_pk, warehouse_by_facility_code
from reliefops.teams.choices import RoundStatus
from reliefops.teams.selectors.rounds import round_get
from reliefops.teams.selectors.teams import team_get
from reliefops.teams.services.rounds import StopInput as RoundStopInput
from reliefops.teams.services.rounds import round_create, round_transition

__all__ = ["PlanInfeasible", "PlanStale", "plan_changes", "plan_commit", "plan_replan"]

#: Why the base plan's convoys and rounds still to come are aborted when a re-plan commits.
REPLANNED = "re-planned"
_THOUSANDTH = Decimal("0.001")


class PlanInfeasible(Conflict):
    code = "plan_infeasible"
    default_message = _("The checker found problems in this plan: fix them before committing.")


class PlanStale(Conflict):
    code = "plan_stale"
    default_message = _("The data changed since the plan was made: re-plan.")


def _plan_quantity(value: float) -> Decimal:
    """A plan's quantity (float, item unit) as the ledger keeps it (3 decimals)."""
    return Decimal(str(value)).quantize(_THOUSANDTH)


def _minutes_time(minutes: float) -> dt.time:
    whole = max(0, min(int(minutes), 24 * 60 - 1))
    return dt.time(whole // 60, whole % 60)


def _site_where(site_id: str, index: dict[str, Any]) -> tuple[str, str]:
    """(place code, facility code or "") of a problem site ("F:<facility>", "P:<place>")."""
    entry = index.get("sites", {}).get(site_id, {})
    facility = entry.get("facility") or (site_id[2:] if site_id.startswith("F:") else "")
    place = entry.get("place") or (site_id[2:] if site_id.startswith("P:") else "")
    return str(place or ""), str(facility or "")


def _lot_pk(lot_id: str, index: dict[str, Any]) -> str:
    entry = index.get("lots", {}).get(lot_id, {})
    return str(entry.get("lot") or lot_id.rsplit("/", 1)[-1])


def _line_pk(demand_id: str, index: dict[str, Any]) -> str:
    entry = index.get("demands", {}).get(demand_id, {})
    return str(entry.get("request_line") or demand_id)


def _warehouse_code(depot_id: str, index: dict[str, Any]) -> str:
    entry = index.get("depots", {}).get(depot_id, {})
    return str(entry.get("warehouse") or depot_id)


class _Records:
    """The database records a plan names, read in bulk through the owning apps' selectors."""

    def __init__(self, plan: dict[str, Any], index: dict[str, Any]) -> None:
        self.index = index
        sites, lots, lines = set(), set(), set()
        for route in plan.get("routes", []):
            for trip in route["trips"]:
                for stop in trip["stops"]:
                    sites.add(stop["site"])
                    for d in stop.get("deliveries", []):
                        lots.add(_lot_pk(d["lot"], index))
                        lines.add(_line_pk(d["demand"], index))
        wheres = [_site_where(s, index) for s in sites]
        self.places = places_by_code({p for p, _f in wheres if p})
        self.facilities = facilities_by_code({f for _p, f in wheres if f})
        self.lots = lots_by_pk(lots)
        self.lines = request_lines_by_pk(lines)
        self.warehouses: dict[str, Any] = {}

    def warehouse(self, depot_id: str) -> Any:
        code = _warehouse_code(depot_id, self.index)
        if code not in self.warehouses:
            found = warehouse_by_facility_code(code)
            if found is None:
                raise Conflict(_("The plan names a warehouse that no longer exists."), depot=code)
            self.warehouses[code] = found
        return self.warehouses[code]

    def stop(self, site_id: str) -> logistics.StopInput:
        place_code, facility_code = _site_where(site_id, self.index)
        facility = self.facilities.get(facility_code) if facility_code else None
        place = facility.place if facility is not None else self.places.get(place_code)
        if place is None:
            raise Conflict(_("The plan names a place that no longer exists."), site=site_id)
        return logistics.StopInput(place, facility)

    def cargo(self, stop_number: int, delivery: dict[str, Any]) -> logistics.CargoInput:
        line = self.lines.get(_line_pk(delivery["demand"], self.index))
        lot = self.lots.get(_lot_pk(delivery["lot"], self.index))
        if line is None or lot is None:
            raise Conflict(
                _("The plan names a request line or a lot that no longer exists."),
                demand=delivery["demand"],
                lot=delivery["lot"],
            )
        return logistics.CargoInput(
            carrier=0,
            stop=stop_number,
            item=lot.item,
            quantity=_plan_quantity(delivery["quantity"]),
            request_line=line,
            lot=lot,
        )


def _convoys_create(*, actor: Actor, run: PlanRun) -> list[str]:
    """One convoy per vehicle trip, loaded (its lots reserved); their codes."""
    plan, index = run.plan or {}, run.index or {}
    records = _Records(plan, index)
    codes: list[str] = []
    for route in plan.get("routes", []):
        vehicle = logistics_selectors.lookup_vehicle(route["vehicle"])
        if vehicle is None:
            raise Conflict(
                _("The plan names a vehicle that no longer exists."), vehicle=route["vehicle"]
            )
        earlier: list[Any] = []
        for number, trip in enumerate(route["trips"], start=1):
            stops = [s for s in trip["stops"] if s.get("deliveries")]
            if not stops:
                continue
            convoy = logistics.convoy_create(
                actor=actor,
                data=logistics.ConvoyInput(
                    departure_date=run.date,
                    origin=records.warehouse(trip["depot"]),
                    organisation=vehicle.organisation,
                    stops=[records.stop(s["site"]) for s in stops],
                    carriers=[logistics.CarrierInput(vehicle)],
                    cargo=[
                        records.cargo(i, d)
                        for i, s in enumerate(stops)
                        for d in s.get("deliveries", [])
                    ],
                    notes=str(
                        _("Plan %(plan)s, trip %(trip)s of %(vehicle)s")
                        % {"plan": run.reference, "trip": number, "vehicle": route["vehicle"]}
                    ),
                    earlier_trips=earlier,
                ),
            )
            logistics.convoy_load(actor=actor, convoy=convoy)
            earlier.append(convoy)
            codes.append(convoy.code)
    return codes


def _rounds_create(*, actor: Actor, run: PlanRun) -> list[str]:
    """One confirmed round per team round; their references."""
    references: list[str] = []
    for plan_round in (run.plan or {}).get("rounds", []):
        stops = [s for s in plan_round["stops"] if s.get("visit")]
        if not stops:
            continue
        team = team_get(actor=actor, code=plan_round["team"])
        index = (run.index or {}).get("visits", {})
        rnd = round_create(
            actor=actor,
            team=team,
            date=run.date,
            stops=[
                RoundStopInput(
                    person=person_lookup(
                        actor, str(index.get(s["visit"], {}).get("person") or s["visit"])
                    ),
                    planned_time=_minutes_time(s["start_min"]),
                )
                for s in stops
            ],
        )
        round_transition(actor=actor, round=rnd, step="plan")
        references.append(rnd.reference)
    return references


def _base_withdraw(*, actor: Actor, base: PlanRun) -> dict[str, list[str]]:
    """Abort the base plan's convoys still planned or loading (reservations released) and
    cancel its rounds not started; what was withdrawn."""
    withdrawn: dict[str, list[str]] = defaultdict(list)
    commitment = base.commitment or {}
    for code in commitment.get("convoys", []):
        convoy = logistics_selectors.convoy_get(actor=actor, code=code)
        if convoy.status in (ConvoyStatus.PLANNED, ConvoyStatus.LOADING):
            logistics.convoy_abort(actor=actor, convoy=convoy, reason=REPLANNED)
            withdrawn["convoys"].append(code)
    for reference in commitment.get("rounds", []):
        rnd = round_get(actor=actor, reference=reference)
        if rnd.status in (RoundStatus.DRAFT, RoundStatus.PLANNED):
            round_transition(actor=actor, round=rnd, step="cancel", reason=REPLANNED)
            withdrawn["rounds"].append(reference)
    return dict(withdrawn)


def _locked(run: PlanRun) -> PlanRun:
    return PlanRun.objects.select_for_update(of=("self",)).select_related("area").get(pk=run.pk)


def plan_commit(*, actor: Actor, run: PlanRun) -> PlanRun:
    """Commit the draft ``run`` into convoys (loaded) and rounds (confirmed), exactly once.

    ``plan.commit`` in the run's area. Refused: a run that is not a draft (a second commit:
    invalid transition, 409), ``plan_infeasible`` (the checker's violations are not empty),
    ``plan_stale`` (the day's data changed since the run). A re-plan withdraws what its base
    plan still had to do and supersedes it. One transaction: a refusal of any service
    (stock short, a vehicle busy …) leaves nothing behind."""
    with transaction.atomic():
        run = _locked(run)
        _step, t = PLAN_WORKFLOW.check(actor=actor, record=run, step="commit")
        base = _locked(run.based_on) if run.based_on is not None else None
        if base is not None:  # a re-plan of a base already superseded: invalid transition
            _step, supersede = PLAN_WORKFLOW.check(actor=actor, record=base, step="supersede")
        if run.violations:
            raise PlanInfeasible(violations=len(run.violations))
        if not run.plan:
            raise InvalidInput(_("This run has no plan to commit."), field="plan")
        current = input_hash_current(
            actor=actor, day=run.date, area=run.area, replan_of=run.based_on
        )
        if current != run.input_hash:
            raise PlanStale(run=run.reference)
        withdrawn: dict[str, list[str]] = {}
        if base is not None:
            withdrawn = _base_withdraw(actor=actor, base=base)
        convoys = _convoys_create(actor=actor, run=run)
        rounds = _rounds_create(actor=actor, run=run)
        user = actor_user(actor)
        now = timezone.now()
        run.status = t.target
        run.commitment = {"convoys": convoys, "rounds": rounds}
        run.committed_at, run.committed_by = now, user
        run.save(
            update_fields=["status", "commitment", "committed_at", "committed_by", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="plan.commit",
            obj=run,
            before={"status": "draft"},
            after={
                "status": run.status,
                "convoys": len(convoys),
                "rounds": len(rounds),
                **({"replans": base.reference, "withdrawn": withdrawn} if base else {}),
            },
        )
        if base is not None:
            before = base.status
            base.status = supersede.target
            base.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="plan.supersede",
                obj=base,
                before={"status": before},
                after={"status": base.status, "by": run.reference, "withdrawn": withdrawn},
            )
    return run

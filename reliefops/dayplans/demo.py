"""Demo scenario data of the day-plans domain (the Django side of planning: problems from
the database, plan runs, draft → review → commit) (idempotent).

What tomorrow's plan needs beyond what the other apps' demos load (all through the
services): approved requests in Khankendi that the planner serves both from the Barda
warehouse (MES fleet, by the Yevlakh–Barda–Aghdam and Aghdam–Asgaran–Khankendi roads) and
from the Goris warehouse (RCS fleet, by the Lachin–Goris road and the Lachin crossing point,
then the Lachin–Khankendi road):

* medical kits for the Republican Medical Centre (life-saving): only Goris holds them
  where a vehicle is based, so they come by the Lachin road;
* blankets and hygiene kits for the distribution point (urgent), which receives goods
  08:00-11:00: both Barda and Goris hold them; from Barda they arrive in time (and Barda's
  lots come first) while the Aghdam–Asgaran road is open; once it is closed the detour by
  Tartar and Aghdara arrives too late and they come from Goris by the Lachin road;
* flour for the collective shelter (urgent), from Barda whichever road is open;

and a shift tomorrow for each joint mobile medical team (a duty shift on that weekday when
the weekly pattern has none), so their rounds to the people living alone in the remote
villages are planned. ``load`` prints what ``problem_build`` gives for tomorrow.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from reliefops.accounts.models import User
from reliefops.needs import services as needs
from reliefops.needs.models import Request
from reliefops.organisations.models import Organisation
from reliefops.places import services as places
from reliefops.places.models import Facility
from reliefops.stock.models import Item
from reliefops.teams import services as teams
from reliefops.teams.models import Team

#: (reference, facility, priority, organisation, [(item, quantity)], justification)
REQUESTS = [
    (
        "DEMO-PLAN-MED-XA-HOSP",
        "F-XA-HOSP",
        "life_saving",
        "HEALTH",
        [("MEDKIT", 6)],
        "Emergency medical kits for the Republican Medical Centre (trauma and surgery).",
    ),
    (
        "DEMO-PLAN-DP-XA",
        "F-XA-DP",
        "urgent",
        "MES",
        [("BLKT", 500), ("HYG", 300)],
        "Blankets and hygiene kits for the distribution point's next distribution.",
    ),
    (
        "DEMO-PLAN-SHL-XA",
        "F-XA-SHL",
        "urgent",
        "MES",
        [("FLR", 1500)],
        "Flour for the collective shelter's kitchen (400 people), ten days.",
    ),
]
#: The distribution point receives goods in the morning (it distributes in the afternoon).
RECEPTION_HOURS = {"F-XA-DP": "08:00-11:00"}
JOINT_TEAMS = ("MMT-1", "MMT-2")
DUTY_SHIFT = (dt.time(8, 0), dt.time(16, 0))


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def _requests(coordinator: User, day: dt.date) -> int:
    made = 0
    for reference, code, priority, org, lines, why in REQUESTS:
        if Request.objects.filter(reference=reference).exists():
            continue
        facility = Facility.objects.filter(code=code).first()
        organisation = Organisation.objects.filter(acronym=org).first()
        items = {i.code: i for i in Item.objects.filter(code__in=[c for c, _q in lines])}
        if facility is None or organisation is None or len(items) != len(lines):
            continue
        request = needs.request_submit(
            actor=coordinator,
            data=needs.RequestInput(
                requester_kind="facility",
                organisation=organisation,
                facility=facility,
                reference=reference,
                lines=[needs.LineInput(quantity=Decimal(q), item=items[c]) for c, q in lines],
                needed_from=day - dt.timedelta(days=1),
                needed_by=day + dt.timedelta(days=2),
                priority=priority,
                justification=why,
                source="working_group",
            ),
            confirm_duplicate=True,
        )
        needs.request_verify(actor=coordinator, request=request)
        needs.request_approve(actor=coordinator, request=request)
        made += 1
    return made


def _shifts(admin: User, day: dt.date) -> list[str]:
    added = []
    for team in Team.objects.filter(code__in=JOINT_TEAMS, is_active=True).order_by("code"):
        shifts = [(s.weekday, s.starts, s.ends) for s in team.shifts.all()]
        if any(weekday == day.weekday() for weekday, _s, _e in shifts):
            continue
        teams.shift_set(actor=admin, team=team, shifts=[*shifts, (day.weekday(), *DUTY_SHIFT)])
        added.append(team.code)
    return added


def _hours(admin: User) -> None:
    for code, hours in RECEPTION_HOURS.items():
        facility = Facility.objects.filter(code=code).first()
        if facility is not None and facility.operating_hours != hours:
            places.facility_update(
                actor=admin,
                facility=facility,
                place=facility.place,
                names=facility.names or {"en": facility.name},
                values={"operating_hours": hours},
            )


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    coordinator = User.objects.filter(username="coordinator").first()
    admin = User.objects.filter(username="admin").first()
    if coordinator is None or admin is None:
        return
    day = tomorrow()
    _hours(admin)
    made = _requests(coordinator, day)
    duty = _shifts(admin, day)
    _plan(coordinator, day, made, duty, stdout)


#: Seconds of routing for the demo's plan (the day is small: a few stops per vehicle).
DEMO_PLAN_SECONDS = 5


def _plan(coordinator: User, day: dt.date, made: int, duty: list[str], stdout: TextIO) -> None:
    """Tomorrow's plan, drafted (once: a run of that day already there is kept)."""
    from reliefops.dayplans.choices import PlanStatus
    from reliefops.dayplans.models import PlanRun
    from reliefops.dayplans.services.runs import plan_run_start

    run = PlanRun.objects.filter(
        date=day, area=None, status__in=[PlanStatus.DRAFT, PlanStatus.COMMITTED]
    ).first()
    if run is None:
        run = plan_run_start(actor=coordinator, day=day, seconds=DEMO_PLAN_SECONDS, seed=1)
        run.refresh_from_db()
    k = run.kpis or {}
    stdout.write(
        f"dayplans: {made} requests for tomorrow's plan"
        + (f", a duty shift for {', '.join(duty)}" if duty else "")
        + f"; plan {run.reference} for {day}: {run.get_status_display().lower()}, "
        f"served {k.get('served_percent', 0):.1f} %, life-saving "
        f"{k.get('life_saving_served_percent', 0):.1f} %, visits made "
        f"{k.get('visits_made', 0):.0f} of {k.get('visits_due', 0):.0f}, "
        f"{len(run.violations)} checker violations"
        + (f" ({run.error})" if run.error else "")
        + "\n"
    )

"""``reliefops plan [--date D] [--area CODE] [--seconds S] [--seed N] [--iterations N]
[--workers W] [--user USERNAME] [--commit] [--json] [--no-progress]``.

A planning cycle for a day, through the same service as the pages
(``dayplans.services.runs.plan_run_start``): inline on the embedded default, on the Celery
workers when a broker is configured (the command then follows the run's row). Prints the
KPIs (JSON with ``--json``) and leaves a draft, or commits it with ``--commit``. Acts as
``--user``, else the first active superuser, else the first active coordinator. Exits
non-zero when the run fails.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reliefops.core.commands import command_actor
from reliefops.core.errors import ApplicationError
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.services.runs import plan_progress_observed, plan_run_start
from reliefops.places.selectors import admin_area_list

#: The KPIs of the human table, in order: (key, label, unit).
KPI_ROWS = (
    ("served_percent", "served (priority weighted)", "%"),
    ("life_saving_served_percent", "life-saving served", "%"),
    ("distance_km", "distance", "km"),
    ("vehicle_hours", "vehicle hours", "h"),
    ("visits_made", "visits made", ""),
    ("visits_due", "visits due", ""),
)


def plan_actor(username: str | None) -> Any:
    """``--user``, else the first active superuser, else the first active coordinator."""
    if username:
        return command_actor(username)
    users = get_user_model().objects.filter(is_active=True)
    user = (
        users.filter(is_superuser=True).order_by("date_joined").first()
        or users.filter(memberships__role="coordinator", memberships__is_active=True)
        .order_by("date_joined")
        .first()
    )
    if user is None:
        raise CommandError("Pass --user USERNAME (no active superuser or coordinator exists).")
    return user


def plan_report(run: PlanRun) -> dict[str, Any]:
    """The JSON answer of the command for a finished run."""
    plan = run.plan or {}
    index = run.index or {}
    demands = index.get("demands", {})
    visits = index.get("visits", {})
    unmet = []
    for u in plan.get("unmet", []):
        demand = demands.get(u["demand"], {})
        unmet.append(
            {
                "request": demand.get("request", u["demand"]),
                "item": demand.get("item", ""),
                "quantity": u["quantity"],
                "reason": u["reason"],
                "detail": u["detail"],
            }
        )
    unvisited = [
        {
            "person": visits.get(u["visit"], {}).get("person", u["visit"]),
            "reason": u["reason"],
            "detail": u["detail"],
        }
        for u in plan.get("unvisited", [])
    ]
    kpis = run.kpis or {}
    return {
        "reference": run.reference,
        "status": run.status,
        "date": run.date.isoformat(),
        "error": run.error,
        "served_percent": kpis.get("served_percent"),
        "life_saving_served_percent": kpis.get("life_saving_served_percent"),
        "kpis": kpis,
        "unmet": unmet,
        "unvisited": unvisited,
        "violations": run.violations,
    }


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Callable[[PlanRun], None]]:
    """A bar on stderr (phase and %) fed with the run as it changes."""
    if not enabled:
        yield lambda run: None
        return
    from tqdm import tqdm

    bar = tqdm(total=100, desc="plan", file=sys.stderr, leave=False, unit="%")

    def observe(run: PlanRun) -> None:
        bar.set_description(f"plan {run.phase or run.status}")
        bar.n = int(100 * max(0.0, min(1.0, run.progress)))
        bar.refresh()

    try:
        yield observe
    finally:
        bar.close()


class Command(BaseCommand):
    help = "Plan a day's deliveries and team rounds; print the KPIs; leave a draft or commit it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, help="the day, YYYY-MM-DD (default: tomorrow)")
        parser.add_argument("--area", default=None, metavar="CODE", help="only this admin area")
        parser.add_argument("--seconds", type=int, default=30, help="routing time limit (1..3600)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--iterations", type=int, default=None, help="iteration limit (reproducible plans)"
        )
        parser.add_argument("--workers", type=int, default=None, help="workers sharing the day")
        parser.add_argument("--user", default=None, help="act as this user")
        parser.add_argument("--commit", action="store_true", help="commit the draft")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = plan_actor(options["user"])
        day = self._day(options["date"])
        area = self._area(actor, options["area"])
        with progress_bar(not options["no_progress"]) as observe, plan_progress_observed(observe):
            try:
                run = plan_run_start(
                    actor=actor,
                    day=day,
                    area=area,
                    seconds=options["seconds"],
                    seed=options["seed"],
                    iterations=options["iterations"],
                    workers=options["workers"],
                )
            except ApplicationError as exc:
                raise CommandError(self._message(exc)) from exc
            run = self._follow(run, observe)
        if run.status == PlanStatus.DRAFT and options["commit"]:
            run = self._commit(actor, run)
        report = plan_report(run)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self._table(run, report))
        if run.status not in (PlanStatus.DRAFT, PlanStatus.COMMITTED):
            raise CommandError(f"plan run {run.reference} {run.status}: {run.error}".rstrip(": "))

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _message(exc: ApplicationError) -> str:
        field = exc.details.get("field")
        return f"{field}: {exc.message}" if field else str(exc.message)

    @staticmethod
    def _day(text: str | None) -> date:
        if not text:
            return timezone.localdate() + timedelta(days=1)
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--date: {text!r} is not a date (YYYY-MM-DD)") from None

    @staticmethod
    def _area(actor: Any, code: str | None) -> Any:
        if not code:
            return None
        area = admin_area_list(actor=actor).filter(code=code).first()
        if area is None:
            raise CommandError(f"--area: no admin area {code!r}")
        return area

    @staticmethod
    def _follow(run: PlanRun, observe: Any, poll: float = 0.5) -> PlanRun:
        """Wait for a run the workers carry out (inline runs are finished already)."""
        run.refresh_from_db()
        while not run.finished:
            time.sleep(poll)
            run.refresh_from_db()
            observe(run)
        return run

    def _commit(self, actor: Any, run: PlanRun) -> PlanRun:
        try:
            commit = import_module("reliefops.dayplans.services.commit")
        except ModuleNotFoundError as exc:
            raise CommandError(
                f"--commit: committing plans is not available in this installation ({exc.name}); "
                f"the draft {run.reference} is kept"
            ) from exc
        try:
            committed: PlanRun = commit.plan_commit(actor=actor, run=run)
        except ApplicationError as exc:
            raise CommandError(
                f"--commit: {self._message(exc)} (the draft {run.reference} is kept)"
            ) from exc
        return committed

    @staticmethod
    def _table(run: PlanRun, report: dict[str, Any]) -> str:
        kpis = report["kpis"]
        lines = [f"plan {run.reference} for {run.date.isoformat()}: {run.status}"]
        if run.error:
            lines.append(f"error: {run.error}")
        for key, label, unit in KPI_ROWS:
            if key in kpis:
                value = kpis[key]
                shown = f"{value:.1f}" if unit else f"{value:g}"
                lines.append(f"  {label:<30} {shown:>10} {unit}".rstrip())
        reasons = {
            k[len("unmet_units_") :]: v for k, v in kpis.items() if k.startswith("unmet_units_")
        }
        if reasons:
            lines.append("  unmet units by reason:")
            lines += [f"    {reason:<28} {units:>10g}" for reason, units in sorted(reasons.items())]
        if report["unvisited"]:
            lines.append(f"  visits not made: {len(report['unvisited'])}")
        lines.append(f"  checker violations: {len(report['violations'])}")
        return "\n".join(lines)

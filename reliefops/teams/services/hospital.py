"""A health facility's daily report: beds and services (:class:`HospitalStatus`) and the
caseload by measure, age band and sex (:class:`CaseloadCount`).

Both are written by the facility's staff in the facility's area (``hospital.report``)
and are upserts per facility and day: a corrected report replaces the day's figures,
and django-simple-history keeps what was there before. A caseload report is
all-or-nothing: one bad cell (negative, unknown measure, age band or sex) refuses the
whole report, naming the cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import AgeBand, Sex
from reliefops.teams.choices import CaseloadMeasure, HospitalService
from reliefops.teams.models import CaseloadCount, HospitalStatus
from reliefops.teams.services.referrals import REFERRAL_FACILITY_KINDS, facility_area

if TYPE_CHECKING:
    from reliefops.places.models import Facility

#: A caseload cell: (measure, age band, sex).
Cell = tuple[str, str, str]


class BedsOverTotal(InvalidInput):
    code = "beds_over_total"
    default_message = _("More beds available than beds in total.")


def cell_key(cell: Cell) -> str:
    """The name of a cell in error details and forms: ``admissions.18_59.female``."""
    return ".".join(cell)


def _facility_check(actor: Actor, facility: Any, day: Any) -> None:
    if getattr(facility, "kind", None) not in REFERRAL_FACILITY_KINDS:
        raise InvalidInput(_("Choose a hospital, field hospital or health post."), field="facility")
    require_write(
        actor, Action.HOSPITAL_REPORT, area=facility_area(facility), organisation=UNSCOPED
    )
    if not isinstance(day, dt.date) or day > timezone.localdate() + dt.timedelta(days=1):
        raise InvalidInput(_("A report is for today or an earlier day."), field="date")


def hospital_status_report(
    *,
    actor: Actor,
    facility: Facility,
    date: dt.date,
    beds_total: int,
    beds_available: int,
    services: Iterable[str],
) -> HospitalStatus:
    """The facility's beds and services on ``date`` (replaces that day's report)."""
    _facility_check(actor, facility, date)
    problems: dict[str, list[Any]] = {}
    if beds_total < 0:
        problems["beds_total"] = [_("Give a number of beds, 0 or more.")]
    if beds_available < 0:
        problems["beds_available"] = [_("Give a number of beds, 0 or more.")]
    offered = sorted(set(services))
    unknown = [s for s in offered if s not in HospitalService.values]
    if unknown:
        problems["services"] = [_("Unknown services: %(s)s.") % {"s": ", ".join(unknown)}]
    if problems:
        error = InvalidInput(_("The report has errors."))
        error.details = problems
        raise error
    if beds_available > beds_total:
        raise BedsOverTotal(
            _("%(available)s beds available is more than the %(total)s beds in total.")
            % {"available": beds_available, "total": beds_total},
            field="beds_available",
            beds_total=beds_total,
            beds_available=beds_available,
        )
    with transaction.atomic():
        status = HospitalStatus.objects.select_for_update().filter(facility=facility, date=date)
        current = status.first()
        before = (
            {
                "beds_total": current.beds_total,
                "beds_available": current.beds_available,
                "services": current.services,
            }
            if current is not None
            else None
        )
        if current is None:
            current = HospitalStatus(facility=facility, date=date, created_by=actor_user(actor))
        current.area = facility_area(facility)
        current.beds_total, current.beds_available = beds_total, beds_available
        current.services = offered
        current.updated_by = actor_user(actor)
        current.save()
        audit_record(
            actor=actor,
            action="hospital.status",
            obj=current,
            before=before,
            after={
                "facility": facility.code,
                "date": date.isoformat(),
                "beds_total": beds_total,
                "beds_available": beds_available,
                "services": offered,
            },
        )
    return current


def caseload_cells() -> list[Cell]:
    """Every cell of the caseload grid, in display order."""
    return [(m, a, s) for m in CaseloadMeasure.values for a in AgeBand.values for s in Sex.values]


def caseload_report(
    *, actor: Actor, facility: Facility, date: dt.date, counts: Mapping[Cell, int]
) -> int:
    """The day's caseload counts (a cell not given is left as it was; 0 is a count).
    Returns how many cells changed. All-or-nothing: one bad cell refuses the report."""
    _facility_check(actor, facility, date)
    known = set(caseload_cells())
    problems: dict[str, list[Any]] = {}
    for cell, count in counts.items():
        key = cell_key(tuple(str(part) for part in cell))  # type: ignore[arg-type]
        if tuple(cell) not in known:
            problems[key] = [_("There is no such caseload cell.")]
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            problems[key] = [_("A count is a whole number, 0 or more.")]
    if problems:
        error = InvalidInput(
            _("The caseload has errors in %(cells)s: nothing was saved.")
            % {"cells": ", ".join(sorted(problems)[:10])}
        )
        error.details = problems
        raise error
    changed = 0
    with transaction.atomic():
        existing = {
            (c.measure, c.age_band, c.sex): c
            for c in CaseloadCount.objects.select_for_update().filter(facility=facility, date=date)
        }
        before: dict[str, int] = {}
        after: dict[str, int] = {}
        area = facility_area(facility)
        for cell, count in sorted(counts.items()):
            row = existing.get(cell)
            if row is not None and row.count == count:
                continue
            key = cell_key(cell)
            if row is None:
                if count == 0:
                    continue  # an empty cell is 0 already
                row = CaseloadCount(
                    facility=facility,
                    area=area,
                    date=date,
                    measure=cell[0],
                    age_band=cell[1],
                    sex=cell[2],
                    created_by=actor_user(actor),
                )
            else:
                before[key] = row.count
            row.count = count
            row.updated_by = actor_user(actor)
            row.save()
            after[key] = count
            changed += 1
        if changed:
            audit_record(
                actor=actor,
                action="hospital.caseload",
                obj=None,
                before={"facility": facility.code, "date": date.isoformat(), **before},
                after={"facility": facility.code, "date": date.isoformat(), **after},
            )
    return changed

"""Pages of the field hospital: the hospital list (beds, services, today's admissions)
and a hospital's page (beds and services, incoming referrals with their workflow
buttons, the caseload chart over the last 14 days, and for its staff the day's report:
beds, services and the caseload grid measure × age band × sex)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from reliefops.core.errors import Forbidden
from reliefops.core.htmx import render
from reliefops.core.pages import form_page
from reliefops.teams import selectors, services
from reliefops.teams.choices import CaseloadMeasure, HospitalService, ReferralStatus
from reliefops.teams.forms import HospitalReportForm, cell_name
from reliefops.teams.views.referrals import referral_steps

SERVICE_LABELS = dict(HospitalService.choices)


@login_required
def hospital_list_view(request: HttpRequest) -> HttpResponse:
    rows = selectors.hospital_rows(actor=request.user)
    for row in rows:
        row.service_labels = [  # type: ignore[attr-defined]
            SERVICE_LABELS.get(s, s) for s in (row.status.services if row.status else [])
        ]
    return render(request, "teams/hospital_list.html", {"rows": rows})


def _report_day(request: HttpRequest) -> dt.date:
    today = timezone.localdate()
    text = request.GET.get("day", "")
    try:
        day = dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today
    return min(day, today)


def _grid(form: HospitalReportForm) -> list[dict[str, Any]]:
    """The grid's rows (measure × age band) with one input per sex."""
    rows = []
    for measure, label in CaseloadMeasure.choices:
        for band, band_label in selectors.AGE_BANDS:
            rows.append(
                {
                    "measure": measure,
                    "measure_label": label,
                    "first": band == selectors.AGE_BANDS[0][0],
                    "band_label": band_label,
                    "inputs": [form[cell_name(measure, band, sex)] for sex, _l in selectors.SEXES],
                }
            )
    return rows


def _report_form(facility: Any, day: dt.date, data: Any = None) -> HospitalReportForm:
    status = selectors.hospital_status_on(facility, day) or next(
        iter(selectors.hospital_status_history(facility, days=1)), None
    )
    typed = selectors.caseload_grid(facility, day)
    initial: dict[str, Any] = {
        "date": day,
        "beds_total": status.beds_total if status else (facility.capacity_beds or 0),
        "beds_available": status.beds_available if status else 0,
        "services": status.services if status else [],
    }
    initial.update({cell_name(*cell): count for cell, count in typed.items()})
    return HospitalReportForm(data, initial=initial, cells=services.caseload_cells())


def _context(
    request: HttpRequest, facility: Any, form: HospitalReportForm | None
) -> dict[str, Any]:
    series = selectors.caseload_series(facility)
    latest = selectors.hospital_status_latest([facility.pk]).get(facility.pk)
    incoming = list(
        selectors.referral_list(actor=request.user, facility=facility).filter(
            status__in=[ReferralStatus.REFERRED, ReferralStatus.ADMITTED, ReferralStatus.TREATED]
        )[:100]
    )
    rows = [r for r in selectors.hospital_rows(actor=request.user) if r.facility == facility]
    return {
        "facility": facility,
        "row": rows[0] if rows else None,
        "status": latest,
        "service_labels": [SERVICE_LABELS.get(s, s) for s in (latest.services if latest else [])],
        "history": selectors.hospital_status_history(facility),
        "incoming": [
            {"referral": r, "steps": referral_steps(request, r, origin="hospital")}
            for r in incoming
        ],
        "series": series,
        "chart": series.chart(),
        "table": series.table(),
        "form": form,
        "grid": _grid(form) if form is not None else [],
        "sexes": selectors.SEXES,
        "can_report": form is not None,
    }


@login_required
def hospital_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the page. POST: the day's report (the staff of the facility's area)."""
    facility = selectors.hospital_get(actor=request.user, code=code)
    can_report = selectors.hospital_can_report(request.user, facility)
    if request.method != "POST":
        form = _report_form(facility, _report_day(request)) if can_report else None
        return render(request, "teams/hospital_detail.html", _context(request, facility, form))
    if not can_report:
        raise Forbidden(_("Only the facility’s staff report its status and caseload."))
    form = _report_form(facility, timezone.localdate(), request.POST)
    page = form_page(
        request, "teams/hospital_detail.html", lambda: _context(request, facility, form), form=form
    )
    if not form.is_valid():
        return page.render(request, status=400)
    data = form.cleaned_data
    services.hospital_status_report(
        actor=request.user,
        facility=facility,
        date=data["date"],
        beds_total=data["beds_total"],
        beds_available=data["beds_available"],
        services=data["services"],
    )
    services.caseload_report(
        actor=request.user, facility=facility, date=data["date"], counts=form.counts()
    )
    messages.success(request, _("The report of %(day)s is saved.") % {"day": data["date"]})
    return redirect(f"{request.path}?day={data['date'].isoformat()}")

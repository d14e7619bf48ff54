"""Reads of referrals and of the health facilities' daily reports, scoped by the caller.

A referral is seen by whoever may read people in the person's area (the referring
side) and by the receiving facility's staff (``referral.update`` in the facility's
area). Hospital status and caseload are counts about a facility, seen by every role;
counts by age band and sex shown outside the entry grid go through
:mod:`reliefops.core.privacy`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, scope_queryset, user_can
from reliefops.core.privacy import shown, suppress
from reliefops.people.choices import AgeBand, Sex
from reliefops.people.selectors import person_lookup, person_scope
from reliefops.places.choices import FacilityKind
from reliefops.places.selectors import facilities_by_code, facility_list
from reliefops.teams.choices import CaseloadMeasure, ReferralStatus
from reliefops.teams.models import CaseloadCount, HospitalStatus, Referral, Visit
from reliefops.teams.services.referrals import REFERRAL_FACILITY_KINDS, facility_area

#: The facilities with a hospital page.
HOSPITAL_KINDS = (FacilityKind.FIELD_HOSPITAL, FacilityKind.HOSPITAL)
CHART_DAYS = 14


# --------------------------------------------------------------------------- referrals


def referral_scope(actor: Actor) -> QuerySet[Referral]:
    """The referrals ``actor`` may read (referring side or receiving facility)."""
    qs = Referral.objects.select_related(
        "person", "facility__place", "transferred_to", "team", "area", "visit"
    )
    referring = scope_queryset(actor, qs, area_field="area", action=Action.PERSON_READ)
    receiving = scope_queryset(actor, qs, area_field="facility_area", action=Action.REFERRAL_UPDATE)
    return (referring | receiving).distinct()


def referral_list(*, actor: Actor, facility: Any = None) -> QuerySet[Referral]:
    qs = referral_scope(actor)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs.order_by("-referred_at", "reference")


def referral_get(*, actor: Actor, reference: str) -> Referral:
    referral = referral_scope(actor).filter(reference=reference).first()
    if referral is None:
        raise NotFound(_("No such referral."), reference=reference)
    return referral


def referral_person(actor: Actor, reference: str) -> Any:
    """The person to refer, by pseudonymous reference (scoped like the registry)."""
    return person_lookup(actor, reference)


def referral_visit(actor: Actor, visit_id: Any) -> Visit:
    """A visit the referral starts from, if ``actor`` may read its person."""
    try:
        visit_id = uuid.UUID(str(visit_id))
    except ValueError:
        raise NotFound(_("No such visit.")) from None
    people = person_scope(actor).values("pk")
    visit = (
        Visit.objects.select_related("person", "team", "place")
        .filter(pk=visit_id, person__in=people)
        .first()
    )
    if visit is None:
        raise NotFound(_("No such visit."))
    return visit


def referral_facility_choices(*, actor: Actor) -> QuerySet[Any]:
    """Facilities a person may be referred or transferred to."""
    return facility_list(actor=actor, kind=",".join(REFERRAL_FACILITY_KINDS))  # type: ignore[arg-type]


def referral_can_create(actor: Actor) -> bool:
    return user_can(actor, Action.REFERRAL_CREATE)


# --------------------------------------------------------------------------- hospitals


@dataclass
class HospitalRow:
    facility: Any
    status: HospitalStatus | None
    admissions_today: str
    expected: str
    in_care: str

    @property
    def beds_used_pct(self) -> int:
        if self.status is None or not self.status.beds_total:
            return 0
        used = self.status.beds_total - self.status.beds_available
        return round(100 * used / self.status.beds_total)


def hospital_qs(*, actor: Actor) -> QuerySet[Any]:
    return facility_list(actor=actor, kind=",".join(HOSPITAL_KINDS))


def hospital_get(*, actor: Actor, code: str) -> Any:
    facility = hospital_qs(actor=actor).filter(code=code).first()
    if facility is None:
        raise NotFound(_("No such hospital."), code=code)
    return facility


def hospital_status_latest(facility_ids: Iterable[Any]) -> dict[Any, HospitalStatus]:
    latest: dict[Any, HospitalStatus] = {}
    for status in HospitalStatus.objects.filter(facility_id__in=list(facility_ids)).order_by(
        "facility_id", "-date"
    ):
        latest.setdefault(status.facility_id, status)
    return latest


def _referral_counts(facility_ids: list[Any]) -> dict[tuple[Any, str], int]:
    rows = (
        Referral.objects.filter(facility_id__in=facility_ids)
        .values("facility_id", "status")
        .annotate(n=Count("pk"))
    )
    return {(r["facility_id"], r["status"]): r["n"] for r in rows}


def hospital_rows(*, actor: Actor, day: dt.date | None = None) -> list[HospitalRow]:
    """Every hospital (field hospitals first) with its latest status, today's admissions
    and the referrals expected and in care (counts, suppressed)."""
    day = day or timezone.localdate()
    facilities = list(hospital_qs(actor=actor))
    ids = [f.pk for f in facilities]
    latest = hospital_status_latest(ids)
    admissions = dict(
        CaseloadCount.objects.filter(
            facility_id__in=ids, date=day, measure=CaseloadMeasure.ADMISSIONS
        )
        .values_list("facility_id")
        .annotate(n=Sum("count"))
    )
    counts = _referral_counts(ids)
    return [
        HospitalRow(
            facility=f,
            status=latest.get(f.pk),
            admissions_today=shown(admissions.get(f.pk, 0)),
            expected=shown(counts.get((f.pk, ReferralStatus.REFERRED), 0)),
            in_care=shown(
                counts.get((f.pk, ReferralStatus.ADMITTED), 0)
                + counts.get((f.pk, ReferralStatus.TREATED), 0)
            ),
        )
        for f in sorted(facilities, key=lambda f: (f.kind != FacilityKind.FIELD_HOSPITAL, f.code))
    ]


def hospital_status_history(facility: Any, *, days: int = CHART_DAYS) -> list[HospitalStatus]:
    return list(HospitalStatus.objects.filter(facility=facility).order_by("-date")[:days])


def hospital_can_report(actor: Actor, facility: Any) -> bool:
    """May ``actor`` report the facility's status and caseload (its staff)?"""
    return user_can(actor, Action.HOSPITAL_REPORT, area=facility_area(facility))


@dataclass
class CaseloadSeries:
    """The daily caseload of a facility over ``days``, per measure (totals over age band
    and sex, suppressed), for the chart and its table."""

    days: list[dt.date]
    measures: list[tuple[str, str]]
    #: days with a caseload report (a day without one shows "—", not 0)
    reported: set[dt.date] = field(default_factory=set)
    #: measure → one value per day (None: suppressed, 1–4 people)
    values: dict[str, list[int | None]] = field(default_factory=dict)
    referrals_in: list[int | None] = field(default_factory=list)
    referrals_out: list[int | None] = field(default_factory=list)

    def table(self) -> list[dict[str, Any]]:
        return [
            {
                "day": day,
                "cells": [
                    shown(self.values[m][i]) if day in self.reported else "—"
                    for m, _label in self.measures
                ],
                "referrals_in": shown(self.referrals_in[i]),
                "referrals_out": shown(self.referrals_out[i]),
            }
            for i, day in enumerate(self.days)
        ]

    def chart(self) -> dict[str, Any]:
        return {
            "labels": [d.isoformat() for d in self.days],
            "datasets": [
                {
                    "key": m,
                    "label": str(label),
                    "data": [
                        v if day in self.reported else None
                        for v, day in zip(self.values[m], self.days, strict=True)
                    ],
                }
                for m, label in self.measures
            ],
        }


def caseload_series(
    facility: Any, *, end: dt.date | None = None, days: int = CHART_DAYS
) -> CaseloadSeries:
    end = end or timezone.localdate()
    span = [end - dt.timedelta(days=days - 1 - i) for i in range(days)]
    totals: dict[tuple[str, dt.date], int] = defaultdict(int)
    for row in (
        CaseloadCount.objects.filter(facility=facility, date__gte=span[0], date__lte=end)
        .values("measure", "date")
        .annotate(n=Sum("count"))
    ):
        totals[(row["measure"], row["date"])] = row["n"]
    measures = [(str(v), str(label)) for v, label in CaseloadMeasure.choices]
    series = CaseloadSeries(days=span, measures=measures, reported={d for _m, d in totals})
    for m, _label in measures:
        series.values[m] = [suppress(totals.get((m, d), 0)) for d in span]
    into: dict[dt.date, int] = defaultdict(int)
    out: dict[dt.date, int] = defaultdict(int)
    for referral in Referral.objects.filter(
        facility=facility, referred_at__date__gte=span[0], referred_at__date__lte=end
    ).only("referred_at"):
        into[timezone.localdate(referral.referred_at)] += 1
    for referral in Referral.objects.filter(
        facility=facility,
        status=ReferralStatus.TRANSFERRED,
        status_at__date__gte=span[0],
        status_at__date__lte=end,
    ).only("status_at"):
        if referral.status_at is not None:
            out[timezone.localdate(referral.status_at)] += 1
    series.referrals_in = [suppress(into.get(d, 0)) for d in span]
    series.referrals_out = [suppress(out.get(d, 0)) for d in span]
    return series


def caseload_grid(facility: Any, day: dt.date) -> dict[tuple[str, str, str], int]:
    """What the facility typed for ``day`` (unsuppressed: for its own entry grid only)."""
    return {
        (c.measure, c.age_band, c.sex): c.count
        for c in CaseloadCount.objects.filter(facility=facility, date=day)
    }


def hospital_status_on(facility: Any, day: dt.date) -> HospitalStatus | None:
    return HospitalStatus.objects.filter(facility=facility, date=day).first()


def caseload_export_rows(
    *, actor: Actor, facility_codes: Iterable[str] | None = None
) -> QuerySet[CaseloadCount]:
    """Caseload cells of the hospitals ``actor`` sees (the export suppresses the counts)."""
    facilities = referral_facility_choices(actor=actor).values("pk")
    qs = CaseloadCount.objects.filter(facility__in=facilities)
    if facility_codes:
        qs = qs.filter(facility__code__in=list(facility_codes))
    return qs.select_related("facility").order_by(
        "facility__code", "date", "measure", "age_band", "sex"
    )


def caseload_status_rows(*, actor: Actor) -> QuerySet[HospitalStatus]:
    return (
        HospitalStatus.objects.filter(
            facility__in=referral_facility_choices(actor=actor).values("pk")
        )
        .select_related("facility")
        .order_by("facility__code", "-date")
    )


AGE_BANDS = [(str(v), str(label)) for v, label in AgeBand.choices]
SEXES = [(str(v), str(label)) for v, label in Sex.choices]


# --------------------------------------------------------------------------- lookups


def lookup_referral_facility(code: str) -> Any | None:
    """A facility a person may be referred to, by code (None: no such one)."""
    facility = facilities_by_code([code]).get(code)
    if facility is None or facility.kind not in REFERRAL_FACILITY_KINDS:
        return None
    return facility


def lookup_person(actor: Actor, reference: str) -> Any | None:
    """The person with this reference if ``actor`` may read them (None otherwise)."""
    return person_scope(actor).filter(reference=reference).first()

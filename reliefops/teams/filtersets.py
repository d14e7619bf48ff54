"""Filters of the teams lists, declared once and shared by the pages, the API and the
exports (``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes areas below it)."""

from __future__ import annotations

# --- added for hosp
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.teams.choices import CaseloadMeasure, ReferralReason, ReferralStatus, Urgency
from reliefops.teams.models import CaseloadCount, Referral


class ReferralFilterSet(django_filters.FilterSet):
    """The referral list of the page, the API and the ``referrals`` export."""

    status = django_filters.MultipleChoiceFilter(
        choices=ReferralStatus.choices, label=_("Status"), help_text=_("One or more statuses.")
    )
    facility = django_filters.CharFilter(
        field_name="facility__code", max_length=32, label=_("Referred to")
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    reason = django_filters.ChoiceFilter(choices=ReferralReason.choices, label=_("Reason"))
    area = area_filter("area")
    referred_after = django_filters.DateFilter(
        field_name="referred_at", lookup_expr="date__gte", label=_("Referred from")
    )
    referred_before = django_filters.DateFilter(
        field_name="referred_at", lookup_expr="date__lte", label=_("Referred until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Referral reference, person reference, facility or team code."),
    )
    o = ListOrdering(
        columns={
            "reference": "reference",
            "referred_at": "referred_at",
            "status": "status",
            "urgency": "urgency",
            "facility": "facility__code",
        }
    )

    class Meta:
        model = Referral
        fields = ["status", "q"]

    def search(self, queryset: QuerySet[Referral], name: str, value: Any) -> QuerySet[Referral]:
        return search_filter(
            queryset,
            value,
            texts=["reference", "person__reference", "facility__code", "team__code"],
        )


class CaseloadFilterSet(django_filters.FilterSet):
    """The ``caseload`` export and the API's caseload read."""

    facility = django_filters.CharFilter(
        field_name="facility__code", max_length=32, label=_("Facility")
    )
    measure = django_filters.ChoiceFilter(choices=CaseloadMeasure.choices, label=_("Measure"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = CaseloadCount
        fields = ["facility", "measure"]

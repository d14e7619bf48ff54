"""Filters of the plan-run list, declared once and shared by the page and the API
(``core.lists``: ``q`` searches, ``o`` sorts)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun


class PlanRunFilterSet(django_filters.FilterSet):
    date = django_filters.DateFilter(label=_("Day"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    area = area_filter()
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Reference.")
    )
    o = ListOrdering(
        columns={
            "created_at": "created_at",
            "date": "date",
            "status": "status",
            "reference": "reference",
        }
    )

    class Meta:
        model = PlanRun
        fields = ["date", "status"]

    def search(self, queryset: QuerySet[PlanRun], name: str, value: Any) -> Any:
        return search_filter(queryset, value, texts=["reference"])

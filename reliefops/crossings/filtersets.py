"""Filters of the crossings lists, declared once and shared by the pages, the API and the
exports (``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes the areas below it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.crossings.choices import CountMethod, Direction
from reliefops.crossings.models import CrossingCount


class CrossingCountFilterSet(django_filters.FilterSet):
    """The counts list of the page, the API and the ``crossing-counts`` export."""

    crossing_point = django_filters.CharFilter(
        field_name="crossing_point__code", max_length=32, label=_("Crossing point")
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Direction"))
    method = django_filters.ChoiceFilter(choices=CountMethod.choices, label=_("Method"))
    organisation = django_filters.CharFilter(
        field_name="organisation__acronym", max_length=32, label=_("Organisation")
    )
    area = area_filter("area")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Crossing point (code or name), source or notes."),
    )
    o = ListOrdering(
        columns={
            "date": "date",
            "crossing_point": "crossing_point__code",
            "direction": "direction",
            "persons": "persons",
            "method": "method",
        }
    )

    class Meta:
        model = CrossingCount
        fields = ["direction", "method"]

    def search(
        self, queryset: QuerySet[CrossingCount], name: str, value: Any
    ) -> QuerySet[CrossingCount]:
        return search_filter(
            queryset,
            value,
            texts=["crossing_point__code", "source", "notes"],
            names=["crossing_point__names"],
        )


class PopulationFilterSet(django_filters.FilterSet):
    """The populations list (places with a baseline) of the page, the API and the
    ``populations`` export. Its rows are places (``places`` reference data)."""

    area = area_filter("admin1")
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Place (P-code or name).")
    )
    o = ListOrdering(columns={"place": "code", "area": "admin1__code"})

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return search_filter(queryset, value, texts=["code"], names=["names"])


class SpanQuery(serializers.Serializer[Any]):
    """The days a crossing point's page (and the ``crossing-points`` export and API)
    shows: ``days`` days ending ``end`` (default: today, or the day of the last count
    when it is older)."""

    days = serializers.IntegerField(min_value=1, max_value=366, default=14)
    end = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("end")
        if end is not None and end - dt.date.min < dt.timedelta(days=attrs["days"] - 1):
            # the span would begin before the first day a date can name
            raise serializers.ValidationError({"end": _("Choose a later date.")})
        return attrs

"""Query parameters of the needs pages and API, declared once (read by ``core.queries``).

The request list's filters are one FilterSet that the page and ``/api/v1/requests/`` share;
the other parameters (``days``, ``season``, ``facility``) are small serializers, which
the API views also hand to the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.needs.choices import Priority, RequesterKind, RequestSource, RequestStatus
from reliefops.needs.models import Request, RequestLine
from reliefops.needs.selectors import request_overdue_q

PRIORITY_RANK = Case(
    When(priority=Priority.LIFE_SAVING, then=Value(0)),
    When(priority=Priority.URGENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class RequestFilterSet(django_filters.FilterSet):
    """The request list of the page, ``/api/v1/requests/`` and the ``requests`` export."""

    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    source = django_filters.ChoiceFilter(choices=RequestSource.choices)
    requester_kind = django_filters.ChoiceFilter(choices=RequesterKind.choices)
    area = area_filter("area")
    organisation = django_filters.CharFilter(
        field_name="organisation__acronym", max_length=32, label=_("Organisation")
    )
    item = django_filters.CharFilter(method="filter_item", max_length=32, label=_("Item"))
    needed_after = django_filters.DateFilter(
        field_name="needed_by", lookup_expr="gte", label=_("Needed by, from")
    )
    needed_before = django_filters.DateFilter(
        field_name="needed_by", lookup_expr="lte", label=_("Needed by, until")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_(
            "Reference, facility or place name in any language, organisation, justification, item."
        ),
    )
    o = ListOrdering(
        columns={
            "reference": "reference",
            "priority": PRIORITY_RANK,
            "needed_by": "needed_by",
            "needed_from": "needed_from",
            "status": "status",
            "area": "area__code",
            "organisation": "organisation__acronym",
            "created_at": "created_at",
        }
    )

    class Meta:
        model = Request
        fields = ["status", "priority", "source", "requester_kind", "q"]

    def filter_item(self, queryset: QuerySet[Request], name: str, value: str) -> QuerySet[Request]:
        lines = RequestLine.objects.filter(item__code=value).values("request_id")
        return queryset.filter(pk__in=lines) if value else queryset

    def filter_overdue(
        self, queryset: QuerySet[Request], name: str, value: bool | None
    ) -> QuerySet[Request]:
        if value is None:
            return queryset
        return (
            queryset.filter(request_overdue_q()) if value else queryset.exclude(request_overdue_q())
        )

    def search(self, queryset: QuerySet[Request], name: str, value: str) -> QuerySet[Request]:
        return search_filter(
            queryset,
            value,
            texts=[
                "reference",
                "justification",
                "decision_reference",
                "organisation__acronym",
                "facility__code",
                "place__code",
                "place__place_names__name",
                "lines__item__code",
            ],
            names=[
                "facility__names",
                "place__names",
                "area__names",
                "organisation__names",
                "lines__item__names",
            ],
        )


class DaysQuery(serializers.Serializer[Any]):
    days = serializers.IntegerField(
        min_value=1,
        max_value=365,
        default=30,
        help_text=_("Horizon in days (1-365)."),
    )


class GapQuery(DaysQuery):
    shape = serializers.ChoiceField(
        choices=["table", "geojson"],
        default="table",
        help_text=_("geojson: the areas with their coverage, for the map."),
    )
    item = serializers.RegexField(
        r"^[A-Za-z0-9_.-]{1,32}$",
        required=False,
        help_text=_(
            "Item code: the map colours each area by the coverage of this item "
            "(geojson; without it, the mean over the items)."
        ),
    )


def season_default() -> str:
    """The heating season under way or next: from October of this year or the last."""
    today = timezone.localdate()
    return f"{today.year if today.month >= 7 else today.year - 1}-10"


class SeasonQuery(serializers.Serializer[Any]):
    season = serializers.RegexField(
        r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$",
        default=season_default,
        help_text=_("First month of the heating season, YYYY-MM (default: this season)."),
    )

    def validate_season(self, value: str) -> tuple[int, int]:
        year, month = value.split("-")
        return int(year), int(month)


class RequestCreateQuery(serializers.Serializer[Any]):
    facility = serializers.CharField(
        required=False, max_length=64, help_text=_("Facility code to preselect.")
    )

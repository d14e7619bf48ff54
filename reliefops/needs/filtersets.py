"""Query parameters of the needs pages and API, declared once (read by ``core.queries``).

The request list's filters are one FilterSet that the page and ``/api/v1/requests/`` share;
the other parameters (``days``, ``season``, ``facility``) are small serializers, which
the API views also hand to the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reliefops.needs.choices import Priority, RequesterKind, RequestSource, RequestStatus
from reliefops.needs.models import Request


class RequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    priority = django_filters.ChoiceFilter(choices=Priority.choices)
    source = django_filters.ChoiceFilter(choices=RequestSource.choices)
    requester_kind = django_filters.ChoiceFilter(choices=RequesterKind.choices)
    q = django_filters.CharFilter(field_name="reference", lookup_expr="icontains")

    class Meta:
        model = Request
        fields = ["status", "priority", "source", "requester_kind", "q"]


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

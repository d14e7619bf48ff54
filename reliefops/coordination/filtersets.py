"""Filters of the coordination lists, declared once and shared by the pages and the API
(``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes the areas below it)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import ActivityStatus, Sector
from reliefops.coordination.models import Activity
from reliefops.coordination.selectors import activity_list
from reliefops.core.lists import ListOrdering, area_filter, search_filter


class OrganisationFilterSet(django_filters.FilterSet):
    """The partner directory (organisations; ``sector``: with a 4W activity in it)."""

    sector = django_filters.ChoiceFilter(choices=Sector.choices, method="filter_sector")
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Acronym or name in any language."),
    )
    o = ListOrdering(columns={"acronym": "acronym", "kind": "kind"})

    def filter_sector(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        """Organisations with an activity in the sector in the actor's areas (none elsewhere)."""
        actor: Any = getattr(self.request, "user", None)
        present = activity_list(actor=actor).filter(sector=value).values("organisation_id")
        return queryset.filter(pk__in=present)

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(queryset, value, texts=["acronym"], names=["names"])


# --- added for fourw
class ActivityFilterSet(django_filters.FilterSet):
    """The 4W list, its export, its map and its matrix (``area`` takes the areas below)."""

    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    organisation = django_filters.CharFilter(
        method="filter_organisation",
        max_length=32,
        label=_("Organisation"),
        help_text=_("Acronym: as the reporting or the implementing organisation."),
    )
    area = area_filter("area")
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Active on"))
    start_from = django_filters.DateFilter(
        field_name="end_date", method="filter_start_from", label=_("Running from")
    )
    start_to = django_filters.DateFilter(
        field_name="start_date", method="filter_start_to", label=_("Running until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("4W ID, organisation, area or location (any language), activity, donor."),
    )
    o = ListOrdering(
        columns={
            "reference": "reference",
            "area": "area__code",
            "sector": "sector",
            "organisation": "organisation__acronym",
            "status": "status",
            "start_date": "start_date",
            "end_date": "end_date",
        }
    )

    class Meta:
        model = Activity
        fields = ["sector", "status", "area"]

    def filter_organisation(self, queryset: QuerySet[Activity], name: str, value: Any) -> Any:
        if not value:
            return queryset
        return queryset.filter(
            Q(organisation__acronym=value) | Q(implementing_partner__acronym=value)
        )

    def filter_active_on(self, queryset: QuerySet[Activity], name: str, value: Any) -> Any:
        if not value:
            return queryset
        return queryset.exclude(start_date__gt=value).exclude(end_date__lt=value)

    def filter_start_from(self, queryset: QuerySet[Activity], name: str, value: Any) -> Any:
        """Running on or after the date: not ended before it."""
        return queryset.exclude(end_date__lt=value) if value else queryset

    def filter_start_to(self, queryset: QuerySet[Activity], name: str, value: Any) -> Any:
        """Running on or before the date: started by then."""
        return queryset.exclude(start_date__gt=value) if value else queryset

    def search(self, queryset: QuerySet[Activity], name: str, value: Any) -> Any:
        return search_filter(
            queryset,
            value,
            texts=[
                "reference",
                "activity",
                "activity_code",
                "donor",
                "organisation__acronym",
                "implementing_partner__acronym",
                "area__code",
                "place__code",
            ],
            names=["organisation__names", "area__names", "place__names"],
        )

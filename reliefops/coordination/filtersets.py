"""Filters of the coordination lists, declared once and shared by the pages and the API
(``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes the areas below it)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import Sector
from reliefops.coordination.models import Presence
from reliefops.coordination.selectors import presence_list
from reliefops.core.lists import ListOrdering, area_filter, search_filter


class PresenceFilterSet(django_filters.FilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    organisation = django_filters.CharFilter(field_name="organisation__acronym", max_length=32)
    area = area_filter("area")
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Active on"))
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Organisation, area (any language) or activity."),
    )
    o = ListOrdering(
        columns={
            "area": "area__code",
            "sector": "sector",
            "organisation": "organisation__acronym",
            "start_date": "start_date",
        }
    )

    class Meta:
        model = Presence
        fields = ["sector", "organisation", "area"]

    def filter_active_on(self, queryset: QuerySet[Presence], name: str, value: Any) -> Any:
        if not value:
            return queryset
        return queryset.exclude(start_date__gt=value).exclude(end_date__lt=value)

    def search(self, queryset: QuerySet[Presence], name: str, value: Any) -> Any:
        return search_filter(
            queryset,
            value,
            texts=["activity", "organisation__acronym", "area__code"],
            names=["organisation__names", "area__names"],
        )


class OrganisationFilterSet(django_filters.FilterSet):
    """The partner directory (organisations; ``sector``: with a 3W presence in it)."""

    sector = django_filters.ChoiceFilter(choices=Sector.choices, method="filter_sector")
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Acronym or name in any language."),
    )
    o = ListOrdering(columns={"acronym": "acronym", "kind": "kind"})

    def filter_sector(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        """Organisations with a presence in the sector in the actor's areas (none elsewhere)."""
        actor: Any = getattr(self.request, "user", None)
        present = presence_list(actor=actor).filter(sector=value).values("organisation_id")
        return queryset.filter(pk__in=present)

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(queryset, value, texts=["acronym"], names=["names"])

"""Filters of the coordination lists, declared once and shared by the pages and the API."""

from __future__ import annotations

import django_filters

from reliefops.coordination.choices import Sector
from reliefops.coordination.models import Presence


class PresenceFilterSet(django_filters.FilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices)
    organisation = django_filters.CharFilter(field_name="organisation__acronym", max_length=32)
    area = django_filters.CharFilter(field_name="area__code", max_length=32)

    class Meta:
        model = Presence
        fields = ["sector", "organisation", "area"]

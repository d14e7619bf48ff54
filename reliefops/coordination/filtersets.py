"""Filters of the coordination lists, declared once and shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import Sector
from reliefops.coordination.models import Presence


class PresenceFilterSet(django_filters.FilterSet):
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    organisation = django_filters.CharFilter(
        field_name="organisation__acronym", max_length=32, label=_("Organisation (acronym)")
    )
    area = django_filters.CharFilter(field_name="area__code", max_length=32, label=_("Area (code)"))

    class Meta:
        model = Presence
        fields = ["sector", "organisation", "area"]

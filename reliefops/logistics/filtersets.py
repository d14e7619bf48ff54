"""Filters of the logistics lists, declared once and shared by the pages, the API and the
exports (``core.lists``: ``q`` searches, ``o`` sorts).

Each FilterSet runs over a scoped selector (``convoy_list``, ``vehicle_list``): it narrows
what the user may see, never widens it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.logistics.choices import ConvoyStatus, VehicleKind, VehicleStatus
from reliefops.logistics.models import Convoy, Vehicle


class ConvoyFilterSet(django_filters.FilterSet):
    """The convoy list of the page, ``/api/v1/convoys/`` and the ``convoys`` export."""

    status = django_filters.MultipleChoiceFilter(
        choices=ConvoyStatus.choices, label=_("Status"), help_text=_("One or more statuses.")
    )
    origin = django_filters.CharFilter(
        field_name="origin__facility__code", max_length=64, label=_("Origin warehouse")
    )
    organisation = django_filters.CharFilter(
        field_name="organisation__acronym", max_length=32, label=_("Organisation")
    )
    area = area_filter("area")
    departure_after = django_filters.DateFilter(
        field_name="departure_date", lookup_expr="gte", label=_("Departure from")
    )
    departure_before = django_filters.DateFilter(
        field_name="departure_date", lookup_expr="lte", label=_("Departure until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_(
            "Convoy code, tracking number, stop facility or place name, vehicle registration."
        ),
    )
    o = ListOrdering(
        columns={
            "code": "code",
            "departure_date": "departure_date",
            "status": "status",
            "origin": "origin__facility__code",
            "organisation": "organisation__acronym",
        }
    )

    class Meta:
        model = Convoy
        fields = ["status", "q"]

    def search(self, queryset: QuerySet[Convoy], name: str, value: Any) -> QuerySet[Convoy]:
        return search_filter(
            queryset,
            value,
            texts=[
                "code",
                "vehicles__tracking_number",
                "vehicles__vehicle__registration",
                "stops__facility__code",
                "stops__place__code",
                "origin__facility__code",
            ],
            names=["stops__facility__names", "stops__place__names", "origin__facility__names"],
        )


class VehicleFilterSet(django_filters.FilterSet):
    """The fleet list of the page, ``/api/v1/vehicles/`` and the ``vehicles`` export."""

    kind = django_filters.ChoiceFilter(choices=VehicleKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=VehicleStatus.choices, label=_("Status"))
    organisation = django_filters.CharFilter(
        field_name="organisation__acronym", max_length=32, label=_("Owner")
    )
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Registration.")
    )
    o = ListOrdering(
        columns={
            "registration": "registration",
            "kind": "kind",
            "status": "status",
            "organisation": "organisation__acronym",
        }
    )

    class Meta:
        model = Vehicle
        fields = ["kind", "status", "q"]

    def search(self, queryset: QuerySet[Vehicle], name: str, value: Any) -> QuerySet[Vehicle]:
        return search_filter(queryset, value, texts=["registration"])

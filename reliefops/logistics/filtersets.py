"""Filters of the logistics lists, declared once and shared by the pages, the API and the
exports (``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes areas below it).

Each FilterSet runs over a scoped selector (``convoy_list``, ``vehicle_list``,
``consignment_line_list``, ``passage_list``, the deliveries of visible convoys): it
narrows what the user may see, never widens it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.logistics.choices import (
    ConvoyStatus,
    PassageDirection,
    PassageOutcome,
    VehicleKind,
    VehicleStatus,
)
from reliefops.logistics.models import ConsignmentLine, Convoy, Delivery, Passage, Vehicle


def _code(field_name: str, label: Any, max_length: int = 64) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, max_length=max_length, label=label)


class ConvoyFilterSet(django_filters.FilterSet):
    """The convoy list of the page, the API and the ``convoys`` export."""

    status = django_filters.MultipleChoiceFilter(
        choices=ConvoyStatus.choices, label=_("Status"), help_text=_("One or more statuses.")
    )
    origin = _code("origin__facility__code", _("Origin warehouse"))
    organisation = _code("organisation__acronym", _("Organisation"), 32)
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
    """The fleet list of the page, the API and the ``vehicles`` export."""

    kind = django_filters.ChoiceFilter(choices=VehicleKind.choices)
    status = django_filters.ChoiceFilter(choices=VehicleStatus.choices)
    organisation = _code("organisation__acronym", _("Owner"), 32)
    base = _code("base__code", _("Base"))
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Registration.")
    )
    o = ListOrdering(
        columns={
            "registration": "registration",
            "kind": "kind",
            "organisation": "organisation__acronym",
            "capacity_kg": "capacity_kg",
            "status": "status",
        }
    )

    class Meta:
        model = Vehicle
        fields = ["kind", "status", "q"]

    def search(self, queryset: QuerySet[Vehicle], name: str, value: Any) -> QuerySet[Vehicle]:
        return search_filter(queryset, value, texts=["registration"])


class ConsignmentFilterSet(django_filters.FilterSet):
    """Consignment lines: of one convoy, one vehicle's waybill, one item or one request."""

    convoy = _code("carrier__convoy__code", _("Convoy"), 40)
    tracking_number = _code("carrier__tracking_number", _("Tracking number"), 48)
    item = _code("item__code", _("Item"), 32)
    request = _code("request_line__request__reference", _("Request"))
    o = ListOrdering(
        columns={
            "convoy": "carrier__convoy__code",
            "tracking_number": "carrier__tracking_number",
            "stop": "stop__sequence",
            "item": "item__code",
            "quantity": "quantity",
        }
    )

    class Meta:
        model = ConsignmentLine
        fields = ["convoy"]


class PassageFilterSet(django_filters.FilterSet):
    """Crossing-point passages: of one convoy, at one crossing point, by outcome."""

    convoy = _code("convoy__code", _("Convoy"), 40)
    crossing_point = _code("crossing_point__code", _("Crossing point"))
    outcome = django_filters.ChoiceFilter(choices=PassageOutcome.choices)
    direction = django_filters.ChoiceFilter(choices=PassageDirection.choices)
    time_after = django_filters.DateFilter(
        field_name="time_in", lookup_expr="date__gte", label=_("From")
    )
    time_before = django_filters.DateFilter(
        field_name="time_in", lookup_expr="date__lte", label=_("Until")
    )
    o = ListOrdering(
        columns={
            "convoy": "convoy__code",
            "crossing_point": "crossing_point__code",
            "time_in": "time_in",
            "outcome": "outcome",
            "delay_minutes": "delay_minutes",
        }
    )

    class Meta:
        model = Passage
        fields = ["convoy", "outcome"]


class DeliveryFilterSet(django_filters.FilterSet):
    """Proofs of delivery: of one convoy, at one facility."""

    convoy = _code("stop__convoy__code", _("Convoy"), 40)
    facility = _code("stop__facility__code", _("Facility"))
    o = ListOrdering(
        columns={
            "convoy": "stop__convoy__code",
            "stop": "stop__sequence",
            "received_at": "received_at",
        }
    )

    class Meta:
        model = Delivery
        fields = ["convoy"]

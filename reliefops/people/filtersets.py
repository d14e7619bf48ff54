"""Filters of the people registry's lists, shared by the pages and the API.

The person list searches by pseudonymous reference only: a name, a phone or an address is
never a query parameter (it would sit in URLs and server logs). The access log filters
by the person's reference, the user and the period.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter
from reliefops.people.choices import AgeBand, PersonStatus, Vulnerability
from reliefops.people.models import IdentityAccess, Person


class PersonFilterSet(django_filters.FilterSet):
    """The person list of the page and of ``/api/v1/people/``."""

    area = area_filter("area")
    place = django_filters.CharFilter(
        field_name="place__code", max_length=64, label=_("Village or town")
    )
    vulnerability = django_filters.MultipleChoiceFilter(
        choices=Vulnerability.choices,
        method="filter_vulnerability",
        label=_("Vulnerability"),
        help_text=_("People with any of these categories."),
    )
    lives_alone = django_filters.BooleanFilter(label=_("Lives alone"))
    age_band = django_filters.MultipleChoiceFilter(choices=AgeBand.choices, label=_("Age band"))
    status = django_filters.MultipleChoiceFilter(choices=PersonStatus.choices, label=_("Status"))
    q = django_filters.CharFilter(
        method="search",
        max_length=16,
        label=_("Reference"),
        help_text=_("The person's reference (or its beginning)."),
    )
    o = ListOrdering(
        columns={
            "reference": "reference",
            "age_band": "age_band",
            "place": "place__code",
            "status": "status",
            "registered_on": "registered_on",
        }
    )

    class Meta:
        model = Person
        fields = ["lives_alone", "q"]

    def search(self, queryset: QuerySet[Person], name: str, value: Any) -> QuerySet[Person]:
        value = (value or "").strip()
        return queryset.filter(reference__istartswith=value) if value else queryset

    def filter_vulnerability(
        self, queryset: QuerySet[Person], name: str, value: Any
    ) -> QuerySet[Person]:
        if not value:
            return queryset
        # JSON lists: ``contains`` is not on SQLite, a quoted-text match works everywhere
        # (the codes are fixed words, none the prefix of another inside quotes).
        condition = Q()
        for code in value:
            condition |= Q(vulnerabilities__icontains=f'"{code}"')
        return queryset.filter(condition)


class IdentityAccessFilterSet(django_filters.FilterSet):
    """The access log: by the person's reference, the user, the period."""

    person = django_filters.CharFilter(
        field_name="person__reference", max_length=16, label=_("Person reference")
    )
    user = django_filters.CharFilter(field_name="user__username", max_length=150, label=_("User"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("Until"))
    purpose = django_filters.CharFilter(max_length=20, label=_("Purpose"))
    o = ListOrdering(columns={"at": "at", "person": "person__reference", "user": "user__username"})

    class Meta:
        model = IdentityAccess
        fields = ["person", "user"]

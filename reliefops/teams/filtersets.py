"""Filters of the teams lists, declared once and shared by the pages, the API and the
exports (``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes areas below it)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.teams.choices import (
    CaseloadMeasure,
    ReferralReason,
    ReferralStatus,
    RoundStatus,
    TeamKind,
    Urgency,
    VisitOutcome,
)
from reliefops.teams.models import CaseloadCount, Referral, Round, Team, TeamMember, Visit


def _code(field_name: str, label: Any, max_length: int = 64) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, max_length=max_length, label=label)


class TeamFilterSet(django_filters.FilterSet):
    """The team list of the page, the API and the ``teams`` export."""

    kind = django_filters.MultipleChoiceFilter(choices=TeamKind.choices, label=_("Kind"))
    area = area_filter("area")
    organisation = django_filters.CharFilter(
        method="by_organisation", max_length=32, label=_("Organisation")
    )
    language = django_filters.CharFilter(method="by_language", max_length=8, label=_("Language"))
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Team code or name.")
    )
    o = ListOrdering(columns={"code": "code", "name": "name", "kind": "kind"})

    class Meta:
        model = Team
        fields = ["kind", "q"]

    def search(self, queryset: QuerySet[Team], name: str, value: Any) -> QuerySet[Team]:
        return search_filter(queryset, value, texts=["code", "name"])

    def by_organisation(self, queryset: QuerySet[Team], name: str, value: Any) -> QuerySet[Team]:
        if not value:
            return queryset
        ids = Team.objects.filter(organisation__acronym=value).values("pk")
        partner = Team.objects.filter(partner_organisations__acronym=value).values("pk")
        return queryset.filter(pk__in=ids) | queryset.filter(pk__in=partner)

    def by_language(self, queryset: QuerySet[Team], name: str, value: Any) -> QuerySet[Team]:
        if not value:
            return queryset
        teams = {
            m.team_id
            for m in TeamMember.objects.filter(is_active=True).only("team_id", "languages")
            if value in (m.languages or [])
        }
        return queryset.filter(pk__in=teams)


class RoundFilterSet(django_filters.FilterSet):
    """The round list and the ``rounds`` export."""

    status = django_filters.MultipleChoiceFilter(choices=RoundStatus.choices, label=_("Status"))
    team = _code("team__code", _("Team"), 20)
    area = area_filter("area")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Round reference.")
    )
    o = ListOrdering(columns={"date": "date", "reference": "reference", "team": "team__code"})

    class Meta:
        model = Round
        fields = ["status", "q"]

    def search(self, queryset: QuerySet[Round], name: str, value: Any) -> QuerySet[Round]:
        return search_filter(queryset, value, texts=["reference", "team__code"])


class VisitFilterSet(django_filters.FilterSet):
    """The visit list of the page, the API and the ``visits`` export."""

    outcome = django_filters.MultipleChoiceFilter(choices=VisitOutcome.choices, label=_("Outcome"))
    team = _code("team__code", _("Team"), 20)
    area = area_filter("area")
    village = _code("place__code", _("Village"), 32)
    person = _code("person__reference", _("Person reference"), 16)
    visited_after = django_filters.DateFilter(
        field_name="visited_at__date", lookup_expr="gte", label=_("Visited from")
    )
    visited_before = django_filters.DateFilter(
        field_name="visited_at__date", lookup_expr="lte", label=_("Visited until")
    )
    o = ListOrdering(
        columns={
            "visited_at": "visited_at",
            "person": "person__reference",
            "team": "team__code",
            "village": "place__code",
            "outcome": "outcome",
        }
    )

    class Meta:
        model = Visit
        fields = ["outcome"]


class ReferralFilterSet(django_filters.FilterSet):
    """The referral list of the page, the API and the ``referrals`` export."""

    status = django_filters.MultipleChoiceFilter(
        choices=ReferralStatus.choices, label=_("Status"), help_text=_("One or more statuses.")
    )
    facility = django_filters.CharFilter(
        field_name="facility__code", max_length=32, label=_("Referred to")
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    reason = django_filters.ChoiceFilter(choices=ReferralReason.choices, label=_("Reason"))
    area = area_filter("area")
    referred_after = django_filters.DateFilter(
        field_name="referred_at", lookup_expr="date__gte", label=_("Referred from")
    )
    referred_before = django_filters.DateFilter(
        field_name="referred_at", lookup_expr="date__lte", label=_("Referred until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Referral reference, person reference, facility or team code."),
    )
    o = ListOrdering(
        columns={
            "reference": "reference",
            "referred_at": "referred_at",
            "status": "status",
            "urgency": "urgency",
            "facility": "facility__code",
        }
    )

    class Meta:
        model = Referral
        fields = ["status", "q"]

    def search(self, queryset: QuerySet[Referral], name: str, value: Any) -> QuerySet[Referral]:
        return search_filter(
            queryset,
            value,
            texts=["reference", "person__reference", "facility__code", "team__code"],
        )


class CaseloadFilterSet(django_filters.FilterSet):
    """The ``caseload`` export and the API's caseload read."""

    facility = django_filters.CharFilter(
        field_name="facility__code", max_length=32, label=_("Facility")
    )
    measure = django_filters.ChoiceFilter(choices=CaseloadMeasure.choices, label=_("Measure"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = CaseloadCount
        fields = ["facility", "measure"]

"""Filters of the meeting, decision, action-item, contact and working-group lists, declared
once and shared by the pages, the API and the exports (``core.lists``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import ActionItemStatus, BodyKind, MeetingKind, Sector
from reliefops.coordination.meeting_models import (
    ActionItem,
    Contact,
    Decision,
    Meeting,
    WorkingGroup,
)
from reliefops.coordination.meeting_selectors import action_item_overdue_q
from reliefops.core.lists import ListOrdering, area_filter, search_filter


def _code(field_name: str, label: Any, max_length: int = 48) -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=field_name, max_length=max_length, label=label)


def _search(help_text: Any) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=help_text
    )


class WorkingGroupFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label=_("Kind"))
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    organisation = django_filters.CharFilter(
        field_name="members__acronym", max_length=32, label=_("Member organisation")
    )
    q = _search(_("Code or name."))
    o = ListOrdering(columns={"code": "code", "name": "name", "sector": "sector"})

    class Meta:
        model = WorkingGroup
        fields = ["kind", "sector"]

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(queryset, value, texts=["code", "name"])


class ContactFilterSet(django_filters.FilterSet):
    organisation = _code("organisation__acronym", _("Organisation"), 32)
    area = area_filter("areas")
    language = django_filters.CharFilter(method="by_language", max_length=8, label=_("Language"))
    working_group = _code("working_groups__code", _("Working group"), 32)
    q = _search(_("Name, role or organisation."))
    o = ListOrdering(columns={"name": "name", "organisation": "organisation__acronym"})

    class Meta:
        model = Contact
        fields = ["organisation"]

    def by_language(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return queryset.filter(languages__contains=[value]) if value else queryset

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(
            queryset, value, texts=["name", "title", "organisation__acronym"]
        ).distinct()


class MeetingFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    working_group = _code("working_group__code", _("Working group"), 32)
    organisation = _code("organisations__acronym", _("Participating organisation"), 32)
    area = area_filter("area")
    since = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="gte")
    until = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="lte")
    q = _search(_("Reference, title, place (any language) or minutes."))
    o = ListOrdering(columns={"starts_at": "starts_at", "reference": "reference", "kind": "kind"})

    class Meta:
        model = Meeting
        fields = ["kind"]

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(
            queryset, value, texts=["reference", "title", "minutes"], names=["place__names"]
        )


class DecisionFilterSet(django_filters.FilterSet):
    meeting = _code("agenda_item__meeting__reference", _("Meeting"))
    working_group = _code("agenda_item__meeting__working_group__code", _("Working group"), 32)
    area = area_filter("agenda_item__meeting__area")
    with_requests = django_filters.BooleanFilter(
        method="by_requests", label=_("Turned into requests")
    )
    q = _search(_("Reference or text."))
    o = ListOrdering(columns={"reference": "reference", "created_at": "created_at"})

    class Meta:
        model = Decision
        fields = ["meeting"]

    def by_requests(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        if value is None:
            return queryset
        linked = Decision.requests.through.objects.values("decision_id")
        return queryset.filter(pk__in=linked) if value else queryset.exclude(pk__in=linked)

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(queryset, value, texts=["reference", "text"])


class ActionItemFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=ActionItemStatus.choices, label=_("Status")
    )
    owner = _code("owner_organisation__acronym", _("Owner organisation"), 32)
    meeting = _code("meeting__reference", _("Meeting"))
    area = area_filter("meeting__area")
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    q = _search(_("Reference, action or description."))
    o = ListOrdering(columns={"due_date": "due_date", "reference": "reference", "status": "status"})

    class Meta:
        model = ActionItem
        fields = ["status"]

    def by_overdue(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        if value is None:
            return queryset
        rule = action_item_overdue_q()
        return queryset.filter(rule) if value else queryset.exclude(rule)

    def search(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return search_filter(queryset, value, texts=["reference", "title", "description"])

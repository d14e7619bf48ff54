"""Filters of the notice list, shared by the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering
from reliefops.notices.choices import NoticeKind
from reliefops.notices.models import Notice


class NoticeFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", label=_("Unread only"), help_text=_("Only notices not read yet.")
    )
    kind = django_filters.ChoiceFilter(choices=NoticeKind.choices, label=_("Kind"))
    o = ListOrdering(columns={"created_at": "created_at", "kind": "kind"})

    class Meta:
        model = Notice
        fields = ["kind"]

    def filter_unread(self, queryset: QuerySet[Notice], name: str, value: Any) -> Any:
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=bool(value))

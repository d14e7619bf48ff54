"""Filters of the import history and the field submissions, declared once and shared by
the page and the API (``core.lists``: ``q`` searches, ``o`` sorts)."""

from __future__ import annotations

import uuid
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, search_filter
from reliefops.intake.choices import RunStatus, SubmissionSource, SubmissionStatus
from reliefops.intake.models import ImportRun, Submission


class ImportRunFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(max_length=32, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)
    dry_run = django_filters.BooleanFilter(label=_("Check only"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("From")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("File name, kind, user or organisation."),
    )
    o = ListOrdering(
        columns={
            "created_at": "created_at",
            "kind": "kind",
            "status": "status",
            "user": "user__username",
        }
    )

    class Meta:
        model = ImportRun
        fields = ["kind", "status", "dry_run"]

    def search(self, queryset: QuerySet[ImportRun], name: str, value: Any) -> Any:
        return search_filter(
            queryset,
            value,
            texts=["file_name", "kind", "user__username", "organisation__acronym"],
            names=["organisation__names"],
        )


# --- added for submissions: the field submissions list (page and GET API)
class SubmissionFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(max_length=40, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices)
    source = django_filters.ChoiceFilter(choices=SubmissionSource.choices)
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("From")
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("Until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Submission id, record, kind, reason, user or organisation."),
    )
    o = ListOrdering(
        columns={
            "received_at": "received_at",
            "kind": "kind",
            "status": "status",
            "attempts": "attempts",
            "user": "user__username",
        }
    )

    class Meta:
        model = Submission
        fields = ["kind", "status", "source"]

    def search(self, queryset: QuerySet[Submission], name: str, value: Any) -> Any:
        text = (value or "").strip()
        try:
            return queryset.filter(client_id=uuid.UUID(text))
        except ValueError:
            pass
        return search_filter(
            queryset,
            value,
            texts=["record_key", "kind", "reason", "user__username", "organisation__acronym"],
        )

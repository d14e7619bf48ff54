"""Filters of the stock lists, declared once and shared by the pages, the API and the
exports (``core.lists``: ``q`` searches, ``o`` sorts, ``area`` takes areas below it)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.lists import ListOrdering, area_filter, search_filter
from reliefops.stock.choices import ItemCategory, PledgeStatus, TransactionKind, Unit
from reliefops.stock.models import Item, Pledge, StockBalance, StockTransaction

WAREHOUSE_AREA = "warehouse__facility__place__admin1"


class ItemFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=ItemCategory.choices)
    unit = django_filters.ChoiceFilter(choices=Unit.choices)
    is_kit = django_filters.BooleanFilter()
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Search"), help_text=_("Code or name.")
    )
    o = ListOrdering(
        columns={"code": "code", "category": "category", "unit": "unit", "weight_kg": "weight_kg"}
    )

    class Meta:
        model = Item
        fields = ["category", "unit", "is_kit", "q"]

    def search(self, queryset: QuerySet[Item], name: str, value: Any) -> QuerySet[Item]:
        return search_filter(queryset, value, texts=["code"], names=["names"])


def _expired(queryset: QuerySet[Any], value: bool | None, path: str) -> QuerySet[Any]:
    if value is None:
        return queryset
    expired = {f"{path}__lt": timezone.localdate()}
    return queryset.filter(**expired) if value else queryset.exclude(**expired)


class BalanceFilterSet(django_filters.FilterSet):
    warehouse = django_filters.CharFilter(field_name="warehouse__facility__code", max_length=64)
    item = django_filters.CharFilter(field_name="item__code", max_length=32)
    area = area_filter(WAREHOUSE_AREA)
    category = django_filters.ChoiceFilter(
        field_name="item__category", choices=ItemCategory.choices
    )
    expired = django_filters.BooleanFilter(method="filter_expired", label=_("Expired"))
    expires_before = django_filters.DateFilter(
        field_name="lot__expiry_date", lookup_expr="lte", label=_("Expires until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Warehouse, item or lot, by code or name in any language."),
    )
    o = ListOrdering(
        columns={
            "warehouse": "warehouse__facility__code",
            "item": "item__code",
            "lot": "lot__code",
            "expiry_date": "lot__expiry_date",
            "quantity": "quantity",
        }
    )

    class Meta:
        model = StockBalance
        fields = ["warehouse", "item"]

    def filter_expired(
        self, queryset: QuerySet[StockBalance], name: str, value: bool | None
    ) -> QuerySet[StockBalance]:
        return _expired(queryset, value, "lot__expiry_date")

    def search(self, queryset: QuerySet[StockBalance], name: str, value: Any) -> Any:
        return search_filter(
            queryset,
            value,
            texts=["warehouse__facility__code", "item__code", "lot__code"],
            names=["warehouse__facility__names", "item__names"],
        )


class TransactionFilterSet(django_filters.FilterSet):
    """The ledger; ``item__code`` and ``warehouse__facility__code`` stay for API clients."""

    kind = django_filters.ChoiceFilter(choices=TransactionKind.choices)
    warehouse = django_filters.CharFilter(field_name="warehouse__facility__code", max_length=64)
    item = django_filters.CharFilter(field_name="item__code", max_length=32)
    item__code = django_filters.CharFilter(field_name="item__code", max_length=32)
    warehouse__facility__code = django_filters.CharFilter(
        field_name="warehouse__facility__code", max_length=64
    )
    area = area_filter(WAREHOUSE_AREA)
    occurred_after = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("From")
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("Until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Reference, reason, lot, warehouse or item in any language."),
    )
    o = ListOrdering(
        columns={
            "occurred_at": "occurred_at",
            "kind": "kind",
            "warehouse": "warehouse__facility__code",
            "item": "item__code",
            "quantity": "quantity",
        }
    )

    class Meta:
        model = StockTransaction
        fields = ["kind"]

    def search(self, queryset: QuerySet[StockTransaction], name: str, value: Any) -> Any:
        return search_filter(
            queryset,
            value,
            texts=["reference", "reason", "lot__code", "warehouse__facility__code", "item__code"],
            names=["warehouse__facility__names", "item__names"],
        )


class PledgeFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PledgeStatus.choices)
    donor = django_filters.CharFilter(field_name="donor__acronym", max_length=32, label=_("Donor"))
    item = django_filters.CharFilter(field_name="item__code", max_length=32)
    warehouse = django_filters.CharFilter(field_name="warehouse__facility__code", max_length=64)
    area = area_filter(WAREHOUSE_AREA)
    expected_after = django_filters.DateFilter(
        field_name="expected_date", lookup_expr="gte", label=_("Expected from")
    )
    expected_before = django_filters.DateFilter(
        field_name="expected_date", lookup_expr="lte", label=_("Expected until")
    )
    q = django_filters.CharFilter(
        method="search",
        max_length=100,
        label=_("Search"),
        help_text=_("Reference, donor, item or warehouse in any language."),
    )
    o = ListOrdering(
        columns={
            "expected_date": "expected_date",
            "donor": "donor__acronym",
            "item": "item__code",
            "quantity": "quantity",
            "status": "status",
        }
    )

    class Meta:
        model = Pledge
        fields = ["status"]

    def search(self, queryset: QuerySet[Pledge], name: str, value: Any) -> Any:
        return search_filter(
            queryset,
            value,
            texts=["reference", "notes", "donor__acronym", "item__code"],
            names=["donor__names", "item__names", "warehouse__facility__names"],
        )

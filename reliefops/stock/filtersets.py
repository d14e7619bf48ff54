"""Filters of the stock lists, declared once and shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from reliefops.stock.choices import ItemCategory, Unit
from reliefops.stock.models import Item, StockBalance


class ItemFilterSet(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=ItemCategory.choices)
    unit = django_filters.ChoiceFilter(choices=Unit.choices)
    is_kit = django_filters.BooleanFilter()
    q = django_filters.CharFilter(method="search", max_length=100)

    class Meta:
        model = Item
        fields = ["category", "unit", "is_kit", "q"]

    def search(self, queryset: QuerySet[Item], name: str, value: Any) -> QuerySet[Item]:
        return queryset.filter(Q(code__icontains=value) | Q(names__icontains=value))


class BalanceFilterSet(django_filters.FilterSet):
    warehouse = django_filters.CharFilter(field_name="warehouse__facility__code", max_length=64)
    item = django_filters.CharFilter(field_name="item__code", max_length=32)

    class Meta:
        model = StockBalance
        fields = ["warehouse", "item"]

"""Admin of the crossings domain: read-only views (every change goes through the services:
a count is corrected with a reason, kept in its history)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from reliefops.crossings.models import CrossingCount, CrossingPointSetting


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CrossingCount)
class CrossingCountAdmin(ReadOnlyAdmin):
    list_display = ["date", "hour", "crossing_point", "direction", "persons", "method"]
    list_filter = ["direction", "method"]
    search_fields = ["crossing_point__code", "source", "notes"]
    date_hierarchy = "date"


@admin.register(CrossingPointSetting)
class CrossingPointSettingAdmin(ReadOnlyAdmin):
    list_display = ["crossing_point"]

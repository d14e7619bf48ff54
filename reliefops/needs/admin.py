"""Admin of the needs domain: read-only views (every change goes through the services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from reliefops.needs.models import ClimateStation, EstimatorSetting, Request, RequestLine


class RequestLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RequestLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "item",
        "service_type",
        "quantity",
        "unit",
        "quantity_planned",
        "quantity_dispatched",
        "quantity_delivered",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "requester_kind",
        "place",
        "organisation",
        "priority",
        "status",
        "needed_by",
    ]
    list_filter = ["status", "priority", "source"]
    search_fields = ["reference"]
    inlines = [RequestLineInline]


@admin.register(ClimateStation)
class ClimateStationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "latitude", "longitude", "elevation_m"]


@admin.register(EstimatorSetting)
class EstimatorSettingAdmin(ReadOnlyAdmin):
    list_display = ["key", "updated_at"]

"""Django admin of the organisations domain."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reliefops.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("acronym", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("acronym",)
    exclude = ("created_by", "updated_by")

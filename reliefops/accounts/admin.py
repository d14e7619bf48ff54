from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from reliefops.accounts.models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "user"
    extra = 0
    filter_horizontal = ("areas",)
    exclude = ("created_by", "updated_by")


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("ReliefOps", {"fields": ("language", "must_change_password")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ("acronym", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("acronym",)
    exclude = ("created_by", "updated_by")

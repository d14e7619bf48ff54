from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from reliefops.accounts.models import Membership, User
from reliefops.core.audit import audit_record


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
        ("ReliefOps", {"fields": ("language", "must_change_password", "otp_required")}),
    )

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        """Users an administrator creates must choose their own password at first sign-in."""
        if not change:
            obj.must_change_password = True
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="user.change" if change else "user.create",
                obj=obj,
                after={"username": obj.username, "is_active": obj.is_active},
            )

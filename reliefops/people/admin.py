"""Admin of the people registry: read-only and pseudonymous.

Writes go through :mod:`reliefops.people.services`; the identity fields are not shown
here at all (they are revealed only through the logged reveal of the person page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from reliefops.people.models import (
    IDENTITY_FIELDS,
    Consent,
    DuplicateDismissal,
    Household,
    IdentityAccess,
    Person,
    PersonMerge,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "age_band", "sex", "place", "area", "lives_alone"]
    list_filter = ["status", "age_band", "sex", "lives_alone", "mobility", "synthetic"]
    search_fields = ["reference"]
    exclude = list(IDENTITY_FIELDS)


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["reference", "place", "area", "size"]
    search_fields = ["reference"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["person", "purpose", "given", "given_on", "given_by", "withdrawn_on"]
    list_filter = ["purpose", "given"]
    search_fields = ["person__reference"]


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "person", "fields", "purpose"]
    list_filter = ["purpose"]
    search_fields = ["person__reference"]


@admin.register(PersonMerge)
class PersonMergeAdmin(ReadOnlyAdmin):
    list_display = ["survivor", "duplicate", "created_at", "undone_at"]
    search_fields = ["survivor__reference", "duplicate__reference"]


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(ReadOnlyAdmin):
    list_display = ["first", "second", "created_at"]

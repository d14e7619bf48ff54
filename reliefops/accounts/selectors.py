"""Reads of the accounts domain, scoped by the caller's access."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reliefops.accounts.models import Membership
from reliefops.core.permissions import scope_queryset, user_can


def membership_list(*, actor: Any) -> QuerySet[Membership]:
    """Administrators see every membership; others those of their own organisations."""
    qs = Membership.objects.select_related("user", "organisation").prefetch_related("areas")
    if user_can(actor, "user.manage"):
        return qs.order_by("organisation__acronym", "user__username")
    return scope_queryset(actor, qs, organisation_field="organisation").order_by(
        "organisation__acronym", "user__username"
    )

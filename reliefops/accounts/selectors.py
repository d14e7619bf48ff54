"""Reads of the accounts domain, scoped by the caller's access."""

from __future__ import annotations

from django.db.models import QuerySet

from reliefops.accounts.models import Membership
from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, scope_queryset, user_can


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    """Administrators see every membership; others those of their own organisations."""
    qs = Membership.objects.select_related("user", "organisation").prefetch_related("areas")
    if user_can(actor, Action.USER_MANAGE):
        return qs.order_by("organisation__acronym", "user__username")
    return scope_queryset(actor, qs, organisation_field="organisation").order_by(
        "organisation__acronym", "user__username"
    )

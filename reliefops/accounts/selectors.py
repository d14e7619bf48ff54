"""Reads of the accounts domain, scoped by the caller's access."""

from __future__ import annotations

from django.db.models import QuerySet

from reliefops.accounts.models import Membership, Organisation
from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, scope_queryset, user_can


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations are shared reference data: every signed-in user sees the active ones."""
    if not user_can(actor, Action.VIEW):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True).order_by("acronym")


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    """Administrators see every membership; others those of their own organisations."""
    qs = Membership.objects.select_related("user", "organisation").prefetch_related("areas")
    if user_can(actor, Action.USER_MANAGE):
        return qs.order_by("organisation__acronym", "user__username")
    return scope_queryset(actor, qs, organisation_field="organisation").order_by(
        "organisation__acronym", "user__username"
    )

"""Reads of the organisations domain."""

from __future__ import annotations

from django.db.models import QuerySet

from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, user_can
from reliefops.organisations.models import Organisation


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations are shared reference data: every signed-in user sees the active ones."""
    if not user_can(actor, Action.VIEW):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True).order_by("acronym")


def organisation_by_acronym(*, acronym: str) -> Organisation | None:
    """The active organisation with this acronym (any case), or None."""
    return Organisation.objects.filter(is_active=True, acronym__iexact=acronym.strip()).first()

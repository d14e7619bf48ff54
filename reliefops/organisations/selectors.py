"""Reads of the organisations domain."""

from __future__ import annotations

from collections.abc import Iterable

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


# --- added for needs


def organisations_by_acronym(acronyms: Iterable[str] | None = None) -> dict[str, Organisation]:
    """Organisations by exact acronym, active or not (records that name a former partner
    still import); ``acronyms`` narrows the read."""
    qs = Organisation.objects.all()
    if acronyms is not None:
        qs = qs.filter(acronym__in=list(acronyms))
    return {o.acronym: o for o in qs}

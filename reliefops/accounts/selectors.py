"""Reads of the accounts domain, scoped by the caller's access."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import QuerySet

from reliefops.accounts.models import ApiToken, Membership
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, scope_queryset, user_can


def membership_list(*, actor: Actor) -> QuerySet[Membership]:
    """Administrators see every membership; others those of their own organisations."""
    qs = Membership.objects.select_related("user", "organisation").prefetch_related("areas")
    if user_can(actor, Action.USER_MANAGE):
        return qs.order_by("organisation__acronym", "user__username")
    return scope_queryset(actor, qs, organisation_field="organisation").order_by(
        "organisation__acronym", "user__username"
    )


class MembershipScope(NamedTuple):
    """What one membership grants from: a role, for an organisation, over areas (ids)."""

    role: str
    organisation_id: Any
    area_ids: tuple[Any, ...]


def membership_scopes(*, user_id: Any) -> list[MembershipScope]:
    """The user's active memberships in active organisations, with the ids of their areas.

    Not scoped by the caller: this is what the access policy reads to decide the scope.
    """
    return membership_scopes_many(user_ids=[user_id]).get(user_id, [])


def membership_scopes_many(*, user_ids: Iterable[Any]) -> dict[Any, list[MembershipScope]]:
    """:func:`membership_scopes` of many users in two queries (user id → scopes; a user
    without an active membership is left out)."""
    memberships = Membership.objects.filter(
        user_id__in=list(user_ids), is_active=True, organisation__is_active=True
    ).prefetch_related("areas")
    result: dict[Any, list[MembershipScope]] = {}
    for m in memberships:
        result.setdefault(m.user_id, []).append(
            MembershipScope(m.role, m.organisation_id, tuple(a.pk for a in m.areas.all()))
        )
    return result


def api_token_organisations(*, actor: Actor) -> list[Any]:
    """Organisations a token of ``actor`` may act for: those of the actor's active
    memberships in active organisations (by acronym)."""
    memberships = (
        Membership.objects.filter(user_id=actor.pk, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__acronym")
    )
    seen: dict[Any, Any] = {}
    for membership in memberships:
        seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def api_token_list(*, actor: Actor, everyone: bool = False) -> QuerySet[ApiToken]:
    """The actor's own API tokens; with ``everyone`` (administrators only) every user's."""
    qs = ApiToken.objects.select_related("user", "organisation", "revoked_by").order_by(
        "-created_at"
    )
    if everyone and user_can(actor, Action.USER_MANAGE):
        return qs
    if everyone or not getattr(actor, "is_authenticated", False):
        return qs.none()
    return qs.filter(user_id=actor.pk)


def api_token_get(*, actor: Actor, pk: Any) -> ApiToken:
    """One token the actor may see and revoke (its own; any, for an administrator)."""
    everyone = user_can(actor, Action.USER_MANAGE)
    token = api_token_list(actor=actor, everyone=everyone).filter(pk=pk).first()
    if token is None:
        raise NotFound()
    return token

"""Reads of the access policy: who may take an action where (for notifications)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from reliefops.access.roles import ROLE_ACTIONS
from reliefops.core.actions import Action
from reliefops.core.permissions import UNSCOPED, Area, Organisation, grants_preload, user_can


def users_allowed(
    action: Action,
    *,
    area: Area = UNSCOPED,
    organisation: Organisation = UNSCOPED,
) -> list[Any]:
    """Active users whose memberships let them take ``action`` in ``area`` (for
    ``organisation``), by the same rule as :func:`reliefops.core.permissions.user_can`.

    Only users acting through a membership are answered: a superuser account without one
    administers the installation and is not someone whose step an operation waits for.
    Not scoped by a caller: the answer names the people to tell, not what a caller reads.
    Ordered by username (a stable order for messages and tests).
    """
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    candidates = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("username")
    )
    users = list(candidates)
    grants_preload(users)
    return [user for user in users if user_can(user, action, area=area, organisation=organisation)]

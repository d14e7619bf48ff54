"""The default access policy: a user's active memberships, their roles and areas.

Plugged into :mod:`reliefops.core.permissions` by ``RELIEFOPS_ACCESS_POLICY``.
"""

from __future__ import annotations

from reliefops.access.roles import CROSS_ORGANISATION_ROLES, NATIONAL_ROLES, ROLE_ACTIONS
from reliefops.accounts.choices import Role
from reliefops.accounts.selectors import membership_scopes
from reliefops.core.actions import Action
from reliefops.core.permissions import Actor, Grant
from reliefops.places.selectors import admin_area_children, admin_area_descendant_ids

_EVERYTHING = frozenset(Action)


class MembershipPolicy:
    """Grants from memberships (user × organisation × role × areas).

    A membership covers its areas and every area below them; one without areas covers
    the whole installation for the national roles and nothing for the others. Inactive
    memberships and memberships of inactive organisations grant nothing. A superuser is
    an administrator of the installation: everything, everywhere, for anyone.
    """

    def grants(self, actor: Actor) -> list[Grant]:
        result: list[Grant] = []
        if getattr(actor, "is_superuser", False):
            result.append(Grant(Role.ADMIN, None, _EVERYTHING, None, cross_organisation=True))
        memberships = membership_scopes(user_id=actor.pk)
        children = admin_area_children() if any(m.area_ids for m in memberships) else {}
        for role, organisation_id, roots in memberships:
            areas: frozenset[object] | None
            if roots:
                areas = frozenset(admin_area_descendant_ids(roots, children=children))
            else:
                areas = None if role in NATIONAL_ROLES else frozenset()
            result.append(
                Grant(
                    role=role,
                    organisation_id=organisation_id,
                    actions=ROLE_ACTIONS.get(role, frozenset()),
                    area_ids=areas,
                    cross_organisation=role in CROSS_ORGANISATION_ROLES,
                )
            )
        return result

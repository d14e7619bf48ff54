"""The default access policy: a user's active memberships, their roles and areas.

Plugged into :mod:`reliefops.core.permissions` by ``RELIEFOPS_ACCESS_POLICY``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reliefops.access.roles import CROSS_ORGANISATION_ROLES, NATIONAL_ROLES, ROLE_ACTIONS
from reliefops.accounts.choices import Role
from reliefops.accounts.selectors import membership_scopes_many
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
        return self.grants_many([actor])[actor.pk]

    def grants_many(self, actors: Sequence[Actor]) -> dict[Any, list[Grant]]:
        """The grants of each of ``actors`` (by pk): their memberships in two queries and
        the area tree in one, however many actors (whom to notify, for instance)."""
        scopes = membership_scopes_many(user_ids=[a.pk for a in actors])
        needs_tree = any(m.area_ids for ms in scopes.values() for m in ms)
        children = admin_area_children() if needs_tree else {}
        result: dict[Any, list[Grant]] = {}
        for actor in actors:
            grants: list[Grant] = []
            if getattr(actor, "is_superuser", False):
                grants.append(Grant(Role.ADMIN, None, _EVERYTHING, None, cross_organisation=True))
            for role, organisation_id, roots in scopes.get(actor.pk, []):
                areas: frozenset[object] | None
                if roots:
                    areas = frozenset(admin_area_descendant_ids(roots, children=children))
                else:
                    areas = None if role in NATIONAL_ROLES else frozenset()
                grants.append(
                    Grant(
                        role=role,
                        organisation_id=organisation_id,
                        actions=ROLE_ACTIONS.get(role, frozenset()),
                        area_ids=areas,
                        cross_organisation=role in CROSS_ORGANISATION_ROLES,
                    )
                )
            result[actor.pk] = grants
        return result

"""The one place that answers "may this user do this action on this object or area?".

Every selector scopes its queryset with :func:`scope_queryset`; every service calls
:func:`require` before it writes. Rules:

* A user acts through active memberships (user × organisation × role × areas).
* ``ROLE_ACTIONS`` lists the actions each role may take. ``view`` is every role's.
* Area scope: a membership covers its areas and all their descendants. A membership with
  no areas covers the whole country only for the national roles (administrator,
  coordinator, data-protection officer); for any other role it covers nothing.
* Organisation scope: for actions other than ``view``, roles outside
  ``CROSS_ORGANISATION_ROLES`` act only for their own organisation.
* Superusers may do everything (they are administrators of the installation).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from reliefops.accounts.choices import Role
from reliefops.core.errors import Forbidden

if TYPE_CHECKING:
    from reliefops.accounts.models import Membership

VIEW = "view"

_READ_ONLY = {VIEW, "export.run"}
_FIELD = {"request.submit", "request.deliver", "visit.record", "stock.count"}

ROLE_ACTIONS: dict[str, set[str]] = {
    Role.ADMIN: {
        VIEW,
        "admin",
        "user.manage",
        "organisation.edit",
        "place.edit",
        "facility.edit",
        "road.set_status",
        "item.edit",
        "stock.receive",
        "stock.dispatch",
        "stock.transfer",
        "stock.adjust",
        "stock.count",
        "pledge.edit",
        "request.submit",
        "request.verify",
        "request.approve",
        "request.reject",
        "request.cancel",
        "request.plan",
        "request.dispatch",
        "request.deliver",
        "request.close",
        "estimator.edit",
        "import.run",
        "export.run",
        "plan.run",
        "plan.commit",
        "presence.edit",
        "visit.record",
        "audit.view",
    },
    Role.COORDINATOR: {
        VIEW,
        "place.edit",
        "facility.edit",
        "road.set_status",
        "item.edit",
        "pledge.edit",
        "request.submit",
        "request.verify",
        "request.approve",
        "request.reject",
        "request.cancel",
        "request.plan",
        "request.close",
        "estimator.edit",
        "import.run",
        "export.run",
        "plan.run",
        "plan.commit",
        "presence.edit",
        "stock.count",
    },
    Role.LOGISTICS: {
        VIEW,
        "facility.edit",
        "road.set_status",
        "item.edit",
        "stock.receive",
        "stock.dispatch",
        "stock.transfer",
        "stock.adjust",
        "stock.count",
        "pledge.edit",
        "request.dispatch",
        "request.deliver",
        "import.run",
        "export.run",
        "plan.run",
    },
    Role.FIELD: {VIEW, *_FIELD, "request.verify", "export.run"},
    Role.PARTNER: {
        VIEW,
        "request.submit",
        "request.cancel",
        "pledge.edit",
        "presence.edit",
        "export.run",
    },
    Role.DPO: {VIEW, "audit.view", "person.view_identity", "person.purge", "export.run"},
    Role.VIEWER: set(_READ_ONLY),
}

NATIONAL_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.DPO}
CROSS_ORGANISATION_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.DPO}

_CACHE_ATTR = "_reliefops_permission_cache"


def role_allows(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, set())


def _memberships(user: Any) -> list[Membership]:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if "memberships" not in cache:
        cache["memberships"] = list(
            user.memberships.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation")
            .prefetch_related("areas")
        )
    memberships: list[Membership] = cache["memberships"]
    return memberships


def clear_cache(user: Any) -> None:
    """Forget cached memberships (after a membership changes within one request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def descendant_area_ids(area_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The given areas and every area below them."""
    from reliefops.places.models import AdminArea

    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for area_id, parent_id in AdminArea.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(area_id)
    result: set[uuid.UUID] = set()
    stack = list(area_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return result


def _is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def allowed_area_ids(user: Any, action: str = VIEW) -> set[uuid.UUID] | None:
    """Areas where ``user`` may take ``action``: a set of ids, or None for everywhere."""
    if not _is_active_user(user):
        return set()
    if user.is_superuser:
        return None
    cache = getattr(user, _CACHE_ATTR, None) or {}
    key = ("areas", action)
    if key in cache:
        cached: set[uuid.UUID] | None = cache[key]
        return cached
    roots: set[uuid.UUID] = set()
    everywhere = False
    for membership in _memberships(user):
        if not role_allows(membership.role, action):
            continue
        areas = [area.id for area in membership.areas.all()]
        if not areas:
            if membership.role in NATIONAL_ROLES:
                everywhere = True
                break
            continue
        roots.update(areas)
    result = None if everywhere else descendant_area_ids(roots)
    getattr(user, _CACHE_ATTR)[key] = result
    return result


def user_organisation_ids(user: Any, action: str = VIEW) -> set[uuid.UUID] | None:
    """Organisations ``user`` may act for with ``action``; None for any organisation."""
    if not _is_active_user(user):
        return set()
    if user.is_superuser:
        return None
    result: set[uuid.UUID] = set()
    for membership in _memberships(user):
        if not role_allows(membership.role, action):
            continue
        if action != VIEW and membership.role in CROSS_ORGANISATION_ROLES:
            return None
        result.add(membership.organisation_id)
    return result


def user_roles(user: Any) -> set[str]:
    if not _is_active_user(user):
        return set()
    roles = {membership.role for membership in _memberships(user)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def user_can(
    user: Any, action: str, *, area: Model | None = None, organisation: Model | None = None
) -> bool:
    """May ``user`` take ``action`` (in ``area``, for ``organisation``)?"""
    if not _is_active_user(user):
        return False
    if user.is_superuser:
        return True
    for membership in _memberships(user):
        if not role_allows(membership.role, action):
            continue
        if (
            organisation is not None
            and action != VIEW
            and membership.role not in CROSS_ORGANISATION_ROLES
            and membership.organisation_id != organisation.pk
        ):
            continue
        if area is None:
            return True
        areas = [a.id for a in membership.areas.all()]
        if not areas:
            if membership.role in NATIONAL_ROLES:
                return True
            continue
        if area.pk in descendant_area_ids(areas):
            return True
    return False


def require(
    user: Any, action: str, *, area: Model | None = None, organisation: Model | None = None
) -> None:
    """Raise :class:`Forbidden` unless :func:`user_can` allows the action."""
    if not user_can(user, action, area=area, organisation=organisation):
        raise Forbidden(action=action)


def scope_queryset(
    user: Any,
    qs: QuerySet[Any],
    *,
    area_field: str | None = None,
    organisation_field: str | None = None,
    action: str = VIEW,
) -> QuerySet[Any]:
    """Filter ``qs`` to the rows ``user`` may take ``action`` on.

    ``area_field`` is a lookup path to an ``AdminArea`` foreign key (``"place__admin1"``);
    ``organisation_field`` a lookup path to an ``Organisation``. A row passes when its area
    is in the user's scope for the action and, for actions other than ``view`` (or when no
    area field is given), its organisation is one the user acts for.
    """
    if not _is_active_user(user):
        return qs.none()
    if user.is_superuser:
        return qs
    if not any(role_allows(m.role, action) for m in _memberships(user)):
        return qs.none()
    condition = Q()
    if area_field is not None:
        areas = allowed_area_ids(user, action)
        if areas is not None:
            condition &= Q(**{f"{area_field}__in": areas})
    if organisation_field is not None and (action != VIEW or area_field is None):
        organisations = user_organisation_ids(user, action)
        if organisations is not None:
            condition &= Q(**{f"{organisation_field}__in": organisations})
    return qs.filter(condition)

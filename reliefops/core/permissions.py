"""The one place that answers "may this actor take this action, here, for this organisation?".

Every selector scopes its queryset with :func:`scope_queryset`; every service calls
:func:`require_write` before it writes (:func:`require` / :func:`user_can` answer the
coarser "may this user do this at all?" of pages and buttons). Actions are members of
:class:`reliefops.core.actions.Action`; anything else is refused with ``TypeError``.

The interface lives here; the **policy** — which roles exist, what each may do, which
memberships a user holds, which areas lie below which — is plugged in, the way Django
finds its ``AUTHENTICATION_BACKENDS``: the setting ``RELIEFOPS_ACCESS_POLICY`` names a
class (default ``reliefops.access.policy.MembershipPolicy``) that is imported once with
``import_string`` and asked for the actor's :class:`Grant` objects. ``core`` imports no
domain app; the policy package sits above accounts and places and reads them.

Rules applied to the grants:

* A grant allows its ``actions``; area scope: ``area_ids`` (already expanded to every
  area below a membership's areas) or ``None`` for the whole installation.
* Organisation scope: for actions other than ``view``, a grant that is not
  ``cross_organisation`` acts only for its own organisation.
* One grant must allow action, area and organisation together.
* A request authenticated with a scoped API token acts only through the grants of one
  organisation: :func:`limit_actor` marks the actor and :func:`grants` drops every other
  grant (a superuser's installation-wide grant too), so every read and write follows it.
* ``area=None`` means *unknown area* (a place outside every admin area, a road node
  that could not be placed): it is in scope only for a grant covering the whole
  installation, never for an area-limited one. ``UNSCOPED`` (the default of
  :func:`user_can`) means the check is not about an area at all.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Literal, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db.models import Model, Q, QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import Forbidden

VIEW: Final = Action.VIEW


class Actor(Protocol):
    """Who acts: a signed-in user, an anonymous visitor (allowed nothing), or a test user.

    Services take ``actor: Actor``; a few system loaders also accept ``None`` (the
    operator of the installation running a seed command) and say so.
    """

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...


@dataclass(frozen=True)
class Grant:
    """What one membership (or a superuser account) lets its user do."""

    role: str
    organisation_id: Any
    actions: frozenset[Action]
    area_ids: frozenset[Any] | None  # None: the whole installation
    cross_organisation: bool = False


class AccessPolicy(Protocol):
    """The plug-in behind this module (see the module docstring)."""

    def grants(self, actor: Actor) -> Sequence[Grant]:
        """The grants of an active, authenticated ``actor`` (called once per actor object)."""
        ...


class _Scope(Enum):
    UNSCOPED = "unscoped"
    UNCHANGED = "unchanged"


#: The check is not about an area (or organisation): catalogue items, user accounts.
UNSCOPED: Final = _Scope.UNSCOPED
#: ``new_area`` / ``new_organisation`` of :func:`require_write` when nothing moves.
UNCHANGED: Final = _Scope.UNCHANGED

Area = Model | None | Literal[_Scope.UNSCOPED]
Organisation = Model | None | Literal[_Scope.UNSCOPED]

_CACHE_ATTR = "_reliefops_access_grants"
_LIMIT_ATTR = "_reliefops_access_limit"


@dataclass(frozen=True)
class ActorLimit:
    """What a request may act with, narrower than the actor's grants (a scoped API token)."""

    organisation_id: Any
    read_only: bool = False


class AreaUnknown(Forbidden):
    code = "area_unknown"
    default_message = _(
        "The area of this record is not known; only a user acting for the whole "
        "installation may change it."
    )


# --------------------------------------------------------------------------- the policy


@functools.cache
def access_policy() -> AccessPolicy:
    """The configured policy, imported once (reset when the setting changes in tests)."""
    dotted = getattr(settings, "RELIEFOPS_ACCESS_POLICY", "")
    if not dotted:
        raise ImproperlyConfigured("RELIEFOPS_ACCESS_POLICY must name an access policy class.")
    policy: AccessPolicy = import_string(dotted)()
    return policy


def _policy_reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "RELIEFOPS_ACCESS_POLICY":
        access_policy.cache_clear()


setting_changed.connect(_policy_reset)


def _is_active(actor: Actor | None) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
    )


def grants(actor: Actor | None) -> tuple[Grant, ...]:
    """The actor's grants, cached on the actor object (one request, one lookup)."""
    if actor is None or not _is_active(actor):
        return ()
    cached: tuple[Grant, ...] | None = getattr(actor, _CACHE_ATTR, None)
    if cached is None:
        cached = tuple(access_policy().grants(actor))
        limit = actor_limit(actor)
        if limit is not None:
            cached = tuple(g for g in cached if g.organisation_id == limit.organisation_id)
        setattr(actor, _CACHE_ATTR, cached)
    return cached


def grants_preload(actors: Sequence[Actor]) -> None:
    """Cache the grants of many actors at once, for a caller about to check each of them
    (whom to notify): a policy with ``grants_many(actors) -> {pk: grants}`` answers in a
    few queries instead of a few per actor; without it each actor loads on first use."""
    todo = [a for a in actors if _is_active(a) and getattr(a, _CACHE_ATTR, None) is None]
    many = getattr(access_policy(), "grants_many", None)
    if not todo or many is None:
        return
    answered = many(todo)
    for actor in todo:
        cached = tuple(answered.get(actor.pk, ()))
        limit = actor_limit(actor)
        if limit is not None:
            cached = tuple(g for g in cached if g.organisation_id == limit.organisation_id)
        setattr(actor, _CACHE_ATTR, cached)


def limit_actor(actor: Actor, limit: ActorLimit) -> None:
    """From now on ``actor`` acts only with its grants for ``limit.organisation_id``.

    Called by the API token authentication on the user object of one request; the limit
    lives on that object only (the next request loads the user afresh).
    """
    setattr(actor, _LIMIT_ATTR, limit)
    clear_cache(actor)


def actor_limit(actor: Actor | None) -> ActorLimit | None:
    """The limit :func:`limit_actor` put on ``actor`` (None: the actor's full grants)."""
    return getattr(actor, _LIMIT_ATTR, None)


def clear_cache(actor: Actor) -> None:
    """Forget cached grants (after a membership changes within one request)."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def actor_user(actor: Actor | None) -> Any:
    """The user row to store as author (``created_by``…): None for the system or anonymous."""
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.pk is None:
        return None
    return actor


def _checked(action: Action) -> Action:
    if not isinstance(action, Action):
        raise TypeError(f"permission checks take an Action member, not {action!r}")
    return action


# --------------------------------------------------------------------------- checks


def _allows(
    grant: Grant, action: Action, area: Area | _Scope, organisation: Organisation | _Scope
) -> bool:
    if action not in grant.actions:
        return False
    if (
        isinstance(organisation, Model)
        and action is not VIEW
        and not grant.cross_organisation
        and grant.organisation_id != organisation.pk
    ):
        return False
    if area is UNSCOPED or grant.area_ids is None:
        return True
    return isinstance(area, Model) and area.pk in grant.area_ids


def user_can(
    actor: Actor | None,
    action: Action,
    *,
    area: Area = UNSCOPED,
    organisation: Organisation = UNSCOPED,
) -> bool:
    """May ``actor`` take ``action`` (in ``area``, for ``organisation``)?

    Without ``area`` the question is "anywhere?"; ``area=None`` is an unknown area.
    """
    action = _checked(action)
    return any(_allows(g, action, area, organisation) for g in grants(actor))


def require(
    actor: Actor | None,
    action: Action,
    *,
    area: Area = UNSCOPED,
    organisation: Organisation = UNSCOPED,
) -> None:
    """Raise :class:`Forbidden` unless :func:`user_can` allows the action."""
    if user_can(actor, action, area=area, organisation=organisation):
        return
    if area is None and user_can(actor, action):
        raise AreaUnknown(action=str(action))
    raise Forbidden(action=str(action), area=getattr(area, "code", None))


def _write_scopes(
    area: Area,
    organisation: Organisation,
    new_area: Area | _Scope,
    new_organisation: Organisation | _Scope,
) -> list[tuple[Area, Organisation]]:
    scopes = [(area, organisation)]
    if new_area is not UNCHANGED or new_organisation is not UNCHANGED:
        scopes.append(
            (
                area if new_area is UNCHANGED else new_area,
                organisation if new_organisation is UNCHANGED else new_organisation,
            )
        )
    return scopes


def can_write(
    actor: Actor | None,
    action: Action,
    *,
    area: Area,
    organisation: Organisation,
    new_area: Area | _Scope = UNCHANGED,
    new_organisation: Organisation | _Scope = UNCHANGED,
) -> bool:
    """The boolean form of :func:`require_write` (importers use it for row errors)."""
    return all(
        user_can(actor, action, area=a, organisation=o)
        for a, o in _write_scopes(area, organisation, new_area, new_organisation)
    )


def require_write(
    actor: Actor | None,
    action: Action,
    *,
    area: Area,
    organisation: Organisation,
    new_area: Area | _Scope = UNCHANGED,
    new_organisation: Organisation | _Scope = UNCHANGED,
) -> None:
    """THE scope check of every write; raises :class:`Forbidden` (or :class:`AreaUnknown`).

    ``area``/``organisation`` are the record's as it is (for a create: as it will be);
    both are required, so each service says what its writes are scoped by — pass
    :data:`UNSCOPED` for a write that is not about an area (the item catalogue). A
    change that moves the record passes ``new_area``/``new_organisation``: the actor must
    be allowed at both ends. ``None`` is an unknown area (see the module docstring).
    """
    for a, o in _write_scopes(area, organisation, new_area, new_organisation):
        require(actor, action, area=a, organisation=o)


# --------------------------------------------------------------------------- scoping


def allowed_area_ids(actor: Actor | None, action: Action = VIEW) -> set[Any] | None:
    """Areas where ``actor`` may take ``action``: a set of ids, or None for everywhere."""
    action = _checked(action)
    result: set[Any] = set()
    for grant in grants(actor):
        if action not in grant.actions:
            continue
        if grant.area_ids is None:
            return None
        result.update(grant.area_ids)
    return result


def user_organisation_ids(actor: Actor | None, action: Action = VIEW) -> set[Any] | None:
    """Organisations ``actor`` may act for with ``action``; None for any organisation."""
    action = _checked(action)
    result: set[Any] = set()
    for grant in grants(actor):
        if action not in grant.actions:
            continue
        if grant.organisation_id is None or (action is not VIEW and grant.cross_organisation):
            return None
        result.add(grant.organisation_id)
    return result


def grants_for(actor: Actor | None, action: Action) -> tuple[Grant, ...]:
    """The grants that allow ``action`` (for selectors that scope by more than an area and
    an organisation field, such as the cargo a requesting organisation may track)."""
    action = _checked(action)
    return tuple(g for g in grants(actor) if action in g.actions)


@dataclass(frozen=True)
class GrantGroup:
    """Grants that differ only in their organisation: the same areas, the same
    cross-organisation flag. A scope condition written once per group instead of once per
    grant says the same (``area & org = a`` OR ``area & org = b`` is ``area & org IN (a, b)``)
    and is a fraction of the SQL for a user with memberships in several organisations."""

    area_ids: frozenset[Any] | None
    cross_organisation: bool
    organisation_ids: frozenset[Any]  # the grants' organisations, without None
    any_organisation: bool  # one of the grants has no organisation


def grant_groups(grants_: Iterable[Grant]) -> list[GrantGroup]:
    """``grants_`` merged by (areas, cross-organisation), in first-seen order."""
    merged: dict[tuple[Any, bool], tuple[set[Any], list[bool]]] = {}
    for grant in grants_:
        orgs, none = merged.setdefault((grant.area_ids, grant.cross_organisation), (set(), []))
        if grant.organisation_id is None:
            none.append(True)
        else:
            orgs.add(grant.organisation_id)
    return [
        GrantGroup(areas, cross, frozenset(orgs), bool(none))
        for (areas, cross), (orgs, none) in merged.items()
    ]


def user_roles(actor: Actor | None) -> set[str]:
    return {grant.role for grant in grants(actor)}


def scope_queryset(
    actor: Actor | None,
    qs: QuerySet[Any],
    *,
    area_field: str | None = None,
    organisation_field: str | None = None,
    action: Action = VIEW,
) -> QuerySet[Any]:
    """Filter ``qs`` to the rows ``actor`` may take ``action`` on.

    ``area_field`` is a lookup path to an ``AdminArea`` foreign key (``"place__admin1"``);
    ``organisation_field`` a lookup path to an ``Organisation``. A row passes when one
    grant covers its area and, for actions other than ``view`` (or when no area field is
    given), its organisation. Rows of an unknown area (NULL) pass only national grants.
    """
    action = _checked(action)
    relevant = [g for g in grants(actor) if action in g.actions]
    if not relevant:
        return qs.none()
    org_field = organisation_field if (action is not VIEW or area_field is None) else None
    condition: Q | None = None
    for group in grant_groups(relevant):
        part = Q()
        if area_field is not None and group.area_ids is not None:
            part &= Q(**{f"{area_field}__in": list(group.area_ids)})
        if org_field and not group.cross_organisation and not group.any_organisation:
            part &= Q(**{f"{org_field}__in": sorted(group.organisation_ids, key=str)})
        if not part:
            return qs
        condition = part if condition is None else condition | part
    return qs.filter(condition)

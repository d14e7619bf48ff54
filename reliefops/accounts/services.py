"""Writes of the accounts domain: users and memberships."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from reliefops.accounts.authentication import token_expires_at, token_is_expired
from reliefops.accounts.choices import Role
from reliefops.accounts.models import Membership, User
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea


def user_create(
    *,
    actor: Actor,
    username: str,
    email: str = "",
    organisation: Organisation,
    role: str,
    areas: Iterable[AdminArea] = (),
    password: str | None = None,
    language: str = "",
) -> tuple[User, str]:
    """Create a user with one membership; returns the user and the one-time password.

    Users created here must change their password at first sign-in. ``user.manage`` for
    the organisation (only the cross-organisation administrators have it).
    """
    require_write(actor, Action.USER_MANAGE, area=UNSCOPED, organisation=organisation)
    if role not in Role.values:
        raise InvalidInput(field="role", value=role)
    temporary = password or secrets.token_urlsafe(12)
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise Conflict(code="duplicate", field="username", value=username)
        user = User(username=username, email=email, language=language, must_change_password=True)
        try:
            validate_password(temporary, user)
        except ValidationError as exc:
            raise InvalidInput(field="password", messages=exc.messages) from exc
        user.set_password(temporary)
        user.save()
        membership_create(actor=actor, user=user, organisation=organisation, role=role, areas=areas)
        audit_record(
            actor=actor,
            action="user.create",
            obj=user,
            after={"username": username, "organisation": organisation.acronym, "role": role},
        )
    return user, temporary


def membership_create(
    *,
    actor: Actor,
    user: User,
    organisation: Organisation,
    role: str,
    areas: Iterable[AdminArea] = (),
) -> Membership:
    """Give ``user`` a role in ``organisation`` over ``areas`` (none: see the roles)."""
    require_write(actor, Action.USER_MANAGE, area=UNSCOPED, organisation=organisation)
    if role not in Role.values:
        raise InvalidInput(field="role", value=role)
    area_list = list(areas)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            role=role,
            defaults={"created_by": actor_user(actor)},
        )
        if not created:
            raise Conflict(code="duplicate", field="role", value=role)
        membership.areas.set(area_list)
        audit_record(
            actor=actor,
            action="membership.create",
            obj=membership,
            after={"role": role, "areas": [a.code for a in area_list]},
        )
    return membership


def token_issue(*, actor: Actor) -> Token:
    """The actor's API token: the current one while it is valid, else a new one.

    An expired token is replaced (rotated). The audit entry names the user, never the key.
    """
    if not isinstance(actor, User) or not actor.is_active:
        raise Forbidden(code="not_authenticated")
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=actor).first()
        if token is not None and not token_is_expired(token):
            return token
        rotated = token is not None
        if token is not None:
            token.delete()
        token = Token.objects.create(user=actor)
        audit_record(
            actor=actor,
            action="token.rotate" if rotated else "token.issue",
            obj=actor,
            after={"expires": token_expires_at(token).isoformat()},
        )
    return token


def token_revoke(*, actor: Actor) -> bool:
    """Delete the actor's API token; False when there was none."""
    if not isinstance(actor, User):
        raise Forbidden(code="not_authenticated")
    with transaction.atomic():
        deleted, _ = Token.objects.filter(user=actor).delete()
        if deleted:
            audit_record(actor=actor, action="token.revoke", obj=actor)
    return bool(deleted)

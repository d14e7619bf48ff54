"""Writes of the accounts domain: users, memberships and API tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from reliefops.accounts.authentication import (
    TOKEN_PREFIX,
    hash_key,
    token_expires_at,
    token_is_expired,
)
from reliefops.accounts.choices import Role, TokenScope
from reliefops.accounts.models import ApiToken, Membership, User
from reliefops.accounts.selectors import api_token_organisations
from reliefops.accounts.two_factor import SecondFactorRequired, two_factor_needed
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from reliefops.core.permissions import (
    UNSCOPED,
    Actor,
    actor_limit,
    actor_user,
    require_write,
    user_can,
)

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


#: Scoped API tokens live at most this long (``expires_in_days``), 90 days unless asked.
TOKEN_MAX_DAYS = 365
TOKEN_DEFAULT_DAYS = 90


class TokenNotAllowed(Forbidden):
    code = "token_not_allowed"
    default_message = _(
        "API tokens are created by a signed-in user (a page, or the API with a "
        "password-obtained token), not with another scoped token."
    )


def _verified(actor: Actor) -> bool:
    is_verified = getattr(actor, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def api_token_create(
    *,
    actor: Actor,
    name: str,
    scope: str,
    organisation: Any,
    description: str = "",
    expires_in_days: int = TOKEN_DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """A new scoped API token of the actor's own; returns it and its key (shown once).

    ``organisation`` must be one of the actor's memberships' organisations (the token acts
    only with those memberships). A user who signs in with a second factor must have
    entered it in this session. Audited without the key.
    """
    if not isinstance(actor, User) or not actor.is_active:
        raise Forbidden(code="not_authenticated")
    if actor_limit(actor) is not None:
        raise TokenNotAllowed()
    if two_factor_needed(actor) and not _verified(actor):
        raise SecondFactorRequired()
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name."), field="name")
    if scope not in TokenScope.values:
        raise InvalidInput(field="scope", value=scope)
    if not 1 <= expires_in_days <= TOKEN_MAX_DAYS:
        raise InvalidInput(
            _("A token expires in 1 to %(max)d days.") % {"max": TOKEN_MAX_DAYS},
            field="expires_in_days",
            value=expires_in_days,
        )
    allowed = {o.pk: o for o in api_token_organisations(actor=actor)}
    if getattr(organisation, "pk", None) not in allowed:
        raise InvalidInput(
            _("Choose one of the organisations you act for."),
            field="organisation",
            value=str(organisation),
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name[:100],
            description=(description or "").strip()[:500],
            scope=scope,
            organisation=allowed[organisation.pk],
            key_prefix=key[: len(TOKEN_PREFIX) + 4],
            key_hash=hash_key(key),
            expires_at=timezone.now() + timedelta(days=expires_in_days),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            after={
                "name": token.name,
                "scope": scope,
                "organisation": token.organisation.acronym,
                "expires": token.expires_at.isoformat(),
                "prefix": token.key_prefix,
            },
        )
    return token, key


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a scoped token: its owner, or an administrator (``user.manage``) any token.

    Revoking a revoked token changes nothing (and is not audited again).
    """
    if not isinstance(actor, User) or not actor.is_active:
        raise Forbidden(code="not_authenticated")
    if token.user_id != actor.pk and not user_can(actor, Action.USER_MANAGE):
        raise NotFound()
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.updated_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=locked,
            before={"status": "active"},
            after={"status": "revoked", "owner": locked.user.username},
        )
    return locked

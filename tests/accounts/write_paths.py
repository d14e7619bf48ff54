"""Write paths of the accounts domain for the write-scope property test."""

from __future__ import annotations

from reliefops.accounts import services
from tests.core.writescope import Attempt, not_a_write, service

not_a_write("reliefops.accounts.services.token_issue", "the user's own API token")
not_a_write("reliefops.accounts.services.token_revoke", "the user's own API token")


@service("reliefops.accounts.services.user_create")
def _user(t: Attempt) -> None:
    area = t.world.area(t.area)
    services.user_create(
        actor=t.actor,
        username="probe-user",
        organisation=t.world.org[t.org],
        role=t.draw(["partner", "coordinator", "admin"]),
        areas=[area] if area else [],
    )


@service("reliefops.accounts.services.membership_create")
def _membership(t: Attempt) -> None:
    services.membership_create(
        actor=t.actor,
        user=t.world.spare,
        organisation=t.world.org[t.org],
        role="logistics",
        areas=[a for a in [t.world.area(t.area)] if a],
    )


not_a_write("accounts:two_factor", "the user's own second factor at sign-in")
not_a_write("accounts:two_factor_setup", "the user's own authenticator set-up")

# Scoped API tokens: the user's own (an administrator may revoke anyone's; neither writes
# scoped data: a token acts only within its owner's memberships — tests/accounts/test_api_tokens.py).
not_a_write("reliefops.accounts.services.api_token_create", "a scoped API token of the user's own")
not_a_write(
    "reliefops.accounts.services.api_token_revoke",
    "revokes the user's own API token (an administrator: anyone's), nothing scoped",
)
not_a_write("accounts:tokens", "the user's own API tokens (create)")
not_a_write("accounts:tokens_admin", "read-only page (every user's tokens, administrators)")
not_a_write("accounts:token_revoke", "revokes an API token (own; an administrator: anyone's)")
not_a_write("POST /api/v1/auth/tokens/", "a scoped API token of the user's own")
not_a_write("DELETE /api/v1/auth/tokens/{id}/", "revokes an API token (own; administrators: any)")

"""What every ``reliefops`` command that writes or reads as somebody shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def command_actor(username: str | None) -> Any:
    """The user a command acts as: ``--user``, else the first active superuser.

    Commands go through the same services and permission checks as pages; the operator
    chooses whose rights apply.
    """
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        return user
    user = users.filter(is_superuser=True).order_by("date_joined").first()
    if user is None:
        raise CommandError("Pass --user USERNAME (no active superuser exists to act as).")
    return user


def command_date(text: str, option: str = "--date") -> dt.date:
    """A command's ISO date option, or a CommandError naming it."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"{option} {text!r}: expected YYYY-MM-DD") from exc

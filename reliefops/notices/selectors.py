"""Reads of the notices domain: a user's own notices, and whom to tell."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from reliefops.access.selectors import users_allowed
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import UNSCOPED, Actor, Area, Organisation
from reliefops.notices.models import Notice


def notice_list(*, actor: Actor) -> QuerySet[Notice]:
    """The actor's own notices, newest first (nobody reads another's notices)."""
    if not getattr(actor, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient_id=actor.pk).order_by("-created_at", "-id")


def notice_get(*, actor: Actor, pk: Any) -> Notice:
    notice = notice_list(actor=actor).filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice


def notice_unread_count(*, actor: Actor) -> int:
    return notice_list(actor=actor).filter(read_at__isnull=True).count()


def notice_recipients(
    action: Action, *, area: Area = UNSCOPED, organisation: Organisation = UNSCOPED
) -> list[Any]:
    """The users who may take ``action`` in ``area`` (for ``organisation``): whom a step
    waits for (``reliefops.access.selectors.users_allowed``)."""
    return users_allowed(action, area=area, organisation=organisation)

"""Scheduled reminders: providers registered per kind, run by one beat task.

A higher app registers a provider in its own ``<app>/notices.py`` (imported by
:func:`reminders_discover`, as ``<app>.panels`` are)::

    from reliefops.notices.services import Reminder, reminder

    @reminder("action_item_overdue")
    def _overdue_items(day: date) -> Iterable[Reminder]:
        for item in ...:
            yield Reminder(recipients=[...], params={...}, link=..., reference=item.reference)

:func:`reliefops.notices.services.reminders_send` runs every provider for a day and
notifies with the deduplication key ``kind:reference:day``: a second run on the same day
(a retried task, two beat processes) creates and sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: to whom, the message's parameters, where it links, about what."""

    recipients: Sequence[Any]
    params: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    reference: str = ""


Provider = Callable[[dt.date], Iterable[Reminder]]

#: kind → the providers of reminders of that kind (several apps may remind of one kind).
REMINDERS: dict[str, list[Provider]] = {}
_discovered = False


def reminder(kind: str) -> Callable[[Provider], Provider]:
    """Register ``provider(day) -> iterable of Reminder`` for notices of ``kind``."""

    def decorate(provider: Provider) -> Provider:
        providers = REMINDERS.setdefault(str(kind), [])
        if provider not in providers:
            providers.append(provider)
        return provider

    return decorate


def reminders_discover() -> None:
    """Import ``<app>.notices`` of every domain app so their providers register."""
    global _discovered
    if _discovered:
        return
    for dotted in settings.DOMAIN_APPS:
        name = f"{dotted}.notices"
        if find_spec(name) is not None:
            import_module(name)
    _discovered = True

"""Reads of the KoboToolbox / ODK forms: the links and what each received.

Form links are configuration of the whole installation (``form_link.manage``:
coordinators and administrators); the instances list only what was received (ids,
status, record keys, submitter names), never the answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, require
from reliefops.intake.kobo.choices import InstanceStatus
from reliefops.intake.kobo.models import FormInstance, FormLink


def form_link_list(*, actor: Actor) -> QuerySet[FormLink]:
    """Every link with its counts (``received``, ``waiting``) and ``last_received_at``."""
    require(actor, Action.FORM_LINK_MANAGE)
    return FormLink.objects.select_related("user").annotate(
        received=Count("instances"),
        waiting=Count("instances", filter=Q(instances__status=InstanceStatus.WAITING)),
        last_received_at=Max("instances__created_at"),
    )


def form_link_get(*, actor: Actor, key: str) -> FormLink:
    link = form_link_list(actor=actor).filter(key=key).first()
    if link is None:
        raise NotFound(key=key)
    return link


def form_instance_recent(
    *, actor: Actor, links: Iterable[FormLink], per_link: int = 10
) -> dict[Any, list[FormInstance]]:
    """The newest ``per_link`` instances of each link (one query per link, bounded)."""
    require(actor, Action.FORM_LINK_MANAGE)
    recent: dict[Any, list[FormInstance]] = defaultdict(list)
    for link in links:
        recent[link.pk] = list(
            FormInstance.objects.filter(link=link)
            .select_related("acted_as", "submission")
            .order_by("-created_at")[:per_link]
        )
    return recent

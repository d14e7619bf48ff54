"""Audit trail: one event per service action, written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from reliefops.core.models import AuditEvent
from reliefops.core.permissions import Actor, actor_user


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` on ``obj``; call inside the service's atomic block.

    ``before``/``after`` hold the changed fields only. Never put personal data in them
    beyond pseudonymous identifiers.
    """
    from reliefops.core.errors import _jsonable

    return AuditEvent.objects.create(
        actor=actor_user(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )

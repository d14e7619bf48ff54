"""The one door from a form instance to the submissions mechanism of the intake app.

A mapped instance is a field submission ``{"id", "kind", "data"}`` like any other
(``POST /api/v1/submissions/``); this module hands it over and reads back what happened,
so the webhook has no second apply path.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from reliefops.core.exchange.records import record_apply
from reliefops.core.permissions import Actor


@dataclass(frozen=True)
class Sent:
    """What the submissions mechanism did with one submission."""

    status: str  # applied | waiting
    outcome: str = ""  # created | updated | unchanged
    record: str = ""  # the record's key text
    reason: dict[str, Any] = field(default_factory=dict)  # why it waits


def submission_send(*, actor: Actor, client_id: uuid.UUID, kind: str, data: dict[str, Any]) -> Sent:
    """Apply one submission as ``actor`` (raises the mechanism's errors as they are)."""
    result = record_apply(kind, actor=actor, data=data, client_id=str(client_id))
    return Sent(status="applied", outcome=result.outcome, record=result.key)

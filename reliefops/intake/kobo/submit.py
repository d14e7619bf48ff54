"""The one door from a form instance to the field submissions of the intake app.

A mapped instance is a field submission ``{"id", "kind", "data"}`` like any other
(``POST /api/v1/submissions/``): :func:`submission_send` hands it to
:func:`reliefops.intake.submissions.submission_receive` (source ``kobo``) and reads back
what happened, so the webhook has no apply path of its own — the same importer, services,
permission checks, waiting and retries.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from reliefops.core.permissions import Actor
from reliefops.intake.choices import SubmissionSource
from reliefops.intake.submissions import PROGRESS, submission_receive, submissions_retry


@dataclass(frozen=True)
class Sent:
    """What the submissions mechanism did with one submission."""

    status: str  # applied | waiting (| superseded: not sent at all)
    outcome: str = ""  # created | updated | unchanged
    record: str = ""  # the record's key text
    reason: dict[str, Any] = field(default_factory=dict)  # why it waits
    submission: Any = None  # the stored Submission
    organisation_id: Any = None

    @property
    def progressed(self) -> bool:
        """It created or changed a record (waiting submissions may now apply)."""
        return self.outcome in PROGRESS


def submission_send(*, actor: Actor, client_id: uuid.UUID, kind: str, data: dict[str, Any]) -> Sent:
    """Receive one submission as ``actor``; raises the refusal (nothing stored survives:
    the caller's transaction rolls back)."""
    answer = submission_receive(
        actor=actor,
        client_id=client_id,
        kind=kind,
        data=data,
        source=SubmissionSource.KOBO,
        retry_waiting=False,
    )
    if answer.error is not None:
        raise answer.error
    body = answer.body
    waiting = {k: body.get(k) for k in ("reason", "field", "expires_at")}
    submission = answer.submission
    return Sent(
        status=str(body.get("status")),
        outcome=str(body.get("outcome") or ""),
        record=str(body.get("record") or ""),
        reason=waiting if body.get("status") == "waiting" else {},
        submission=submission,
        organisation_id=getattr(submission, "organisation_id", None),
    )


def waiting_retry(sent: Sent) -> None:
    """After a submission that created or changed a record committed: retry the waiting
    submissions of its organisation (as the submissions API does)."""
    if sent.progressed:
        submissions_retry(organisation_id=sent.organisation_id)

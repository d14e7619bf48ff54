"""Field submissions: one record each, idempotent by the client's UUID (docs/submissions.md).

A phone, the offline pages or the KoboToolbox/ODK webhook send ``{"id": <client UUID>,
"kind": <export kind>, "data": {…}}``; :func:`submission_receive` applies the record
through :func:`reliefops.core.exchange.record_apply` (the kind's importer, the same
services, permission checks and transition tables as the pages) and keeps a
:class:`~reliefops.intake.models.Submission` per id, so a retry never applies twice:

* first receipt: applied (201, ``outcome`` created / updated / unchanged, the record's
  key), waiting (202: the record names one that has not arrived — a round, a convoy —
  and is retried later) or refused (the error: 400/403/404/409; nothing was created);
* the same id and the same body again: an applied one answers 200 with the ORIGINAL
  answer (``replayed``); a waiting one is tried again (201 when it now applies, 202
  otherwise); a refused one is tried again (with whatever body: it created nothing);
* the same id with another body while applied or waiting, or from another user: 409
  ``submission_id_reused`` naming the id.

Waiting submissions are retried after every submission that created or changed a record
(:func:`submissions_retry`: the same organisation's, oldest first, pass after pass while
a pass applies one; at most ``SUBMISSION_RETRY_LIMIT`` per pass), by ``reliefops
submissions_retry`` and its Celery task; one still waiting ``SUBMISSION_WAIT_LIFETIME``
after it began to wait is refused with its reason (``submission_expired``).

Concurrency: everything about one id runs in ONE transaction that first takes the
advisory lock ``("intake.submission", id)`` (PostgreSQL; :mod:`reliefops.core.locks`),
then reads (and locks) the id's row, applies the record in a savepoint and writes the
row: two identical submissions in parallel queue on the lock and the second reads the
first's stored answer (``client_id`` is also unique, a backstop). On SQLite, where the
lock is a no-op, the row is inserted first: that INSERT, the transaction's first write,
takes the database's one write lock and so serialises them instead. Retries take the
lock with ``advisory_lock_try`` and skip a submission someone else is handling. Under the
``Idempotency-Key`` middleware (a POST with that header) the same steps run inside its
transaction; without the header they commit on their own.

Audit: the services audit each record they write; each receipt and retry is audited as
``submission.receive`` / ``submission.retry`` with the kind, source, status and outcome —
never the record's values (``data`` is encrypted at rest; stored errors drop the refused
cells' values).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DataError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.error_path import error_outcome
from reliefops.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput
from reliefops.core.locks import advisory_lock, advisory_lock_try
from reliefops.core.permissions import Actor, actor_user, grants, grants_for, require
from reliefops.intake.choices import SubmissionSource, SubmissionStatus
from reliefops.intake.models import Submission

logger = logging.getLogger(__name__)

LOCK = "intake.submission"
#: How many passes one retry makes at most (each pass: the oldest waiting submissions).
RETRY_PASSES = 10
#: Outcomes that wrote something, so a waiting submission may now find its record.
PROGRESS = frozenset({ex.CREATED, ex.UPDATED})
#: The order of an answer's keys (PostgreSQL's jsonb keeps no order; a replay is written
#: in the same order as the original answer).
ANSWER_KEYS = (
    "id",
    "kind",
    "status",
    "outcome",
    "record",
    "reason",
    "field",
    "received_at",
    "applied_at",
    "expires_at",
    "warnings",
)


class SubmissionIdReused(Conflict):
    code = "submission_id_reused"
    default_message = gettext_lazy(
        "This submission id was already used for another record. Send a new record with a "
        "new id, or repeat the original submission exactly."
    )


class SubmissionExpired(InvalidInput):
    code = "submission_expired"
    default_message = gettext_lazy(
        "The submission waited too long for the record it refers to and was refused."
    )


class BatchTooLarge(InvalidInput):
    code = "batch_too_large"
    default_message = gettext_lazy("Too many submissions in one batch.")


@dataclass
class SubmissionAnswer:
    """The answer to one submission: HTTP status, JSON body, whether it is a replay of
    the stored answer, the stored row (None when nothing was stored: an envelope, kind or
    permission error) and the error for a refusal."""

    status_code: int
    body: dict[str, Any]
    replayed: bool = False
    submission: Submission | None = None
    error: ApplicationError | None = None

    @property
    def applied(self) -> bool:
        return self.body.get("status") == SubmissionStatus.APPLIED


@dataclass
class RetryReport:
    """What a retry did: submissions applied, refused (expired or now invalid), still
    waiting after their attempt, and skipped (another transaction held them)."""

    applied: int = 0
    refused: int = 0
    waiting: int = 0
    skipped: int = 0
    passes: int = 0
    applied_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "refused": self.refused,
            "waiting": self.waiting,
            "skipped": self.skipped,
            "passes": self.passes,
        }


# --------------------------------------------------------------------------- helpers


def body_sha256(kind: str, data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a submission's kind and data (sorted keys, no
    spaces): the same record sent twice has the same digest whatever the key order."""
    text = json.dumps(
        {"kind": kind, "data": data}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _client_uuid(value: Any, field_name: str = "id") -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    raise InvalidInput(
        _("The submission id must be a UUID made by the client."),
        field=field_name,
        fields={field_name: [_("Not a UUID.")]},
    )


def submission_envelope(
    client_id: Any, kind: Any, data: Any
) -> tuple[uuid.UUID, str, dict[str, Any]]:
    """The checked parts of ``{"id", "kind", "data"}``; :class:`InvalidInput` naming the
    part at fault otherwise."""
    uid = _client_uuid(client_id)
    if not isinstance(kind, str) or not kind.strip():
        raise InvalidInput(
            _("Name the kind of record (an export kind)."),
            field="kind",
            fields={"kind": [_("A value is required.")]},
            id=str(uid),
        )
    if not isinstance(data, dict):
        raise InvalidInput(
            _("The record must be a JSON object named like the kind's export columns."),
            field="data",
            fields={"data": [_("Not a JSON object.")]},
            id=str(uid),
        )
    return uid, kind.strip(), data


def _organisation_id(actor: Actor) -> Any:
    """The organisation a submission is filed under: that of the actor's first grant
    allowing ``submission.send`` (then any grant's)."""
    ordered = (*grants_for(actor, Action.SUBMISSION_SEND), *grants(actor))
    return next((g.organisation_id for g in ordered if g.organisation_id), None)


def _stored_error(exc: ApplicationError) -> dict[str, Any]:
    """The error body as stored: the cells' values left out (they may be personal)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "value"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return {"error": strip(exc.as_dict())}


def _as_application_error(exc: Exception) -> ApplicationError:
    """A database refusal (a constraint, a value it cannot store) in the error family."""
    outcome = error_outcome(exc)
    if outcome is None:  # pragma: no cover - only known kinds are passed in
        raise exc
    cls = Conflict if outcome.status == 409 else InvalidInput
    return cls(outcome.message, code=outcome.code)


def _area_id(area: Any) -> Any:
    meta = getattr(area, "_meta", None)
    if meta is not None and meta.label_lower == "places.adminarea":
        return area.pk
    return None


def _applied_body(submission: Submission) -> dict[str, Any]:
    return {
        "id": str(submission.client_id),
        "kind": submission.kind,
        "status": SubmissionStatus.APPLIED.value,
        "outcome": submission.outcome,
        "record": submission.record_key,
        "received_at": _iso(submission.received_at),
        "applied_at": _iso(submission.applied_at),
    }


def _waiting_body(submission: Submission, exc: ApplicationError) -> dict[str, Any]:
    lifetime: dt.timedelta = settings.SUBMISSION_WAIT_LIFETIME
    since = submission.waiting_since or submission.received_at
    return {
        "id": str(submission.client_id),
        "kind": submission.kind,
        "status": SubmissionStatus.WAITING.value,
        "reason": submission.reason,
        "field": exc.details.get("field", ""),
        "received_at": _iso(submission.received_at),
        "expires_at": _iso(since + lifetime),
    }


def _error_with_id(exc: ApplicationError, uid: uuid.UUID, kind: str) -> ApplicationError:
    exc.details.setdefault("id", str(uid))
    exc.details.setdefault("kind", kind)
    return exc


def _ordered(answer: Mapping[str, Any]) -> dict[str, Any]:
    rank = {key: n for n, key in enumerate(ANSWER_KEYS)}
    return dict(sorted(answer.items(), key=lambda item: rank.get(item[0], len(rank))))


def _answer(submission: Submission, error: ApplicationError | None) -> SubmissionAnswer:
    if submission.status == SubmissionStatus.APPLIED:
        return SubmissionAnswer(201, _ordered(submission.answer), submission=submission)
    if submission.status == SubmissionStatus.WAITING:
        return SubmissionAnswer(202, _ordered(submission.answer), submission=submission)
    assert error is not None
    return SubmissionAnswer(
        error.status_code, {"error": error.as_dict()}, submission=submission, error=error
    )


def _attempt(
    submission: Submission, *, actor: Actor, data: Mapping[str, Any], now: dt.datetime
) -> ApplicationError | None:
    """Apply the record once, in a savepoint; set the row's status (not saved). Returns
    the error of a refusal."""
    submission.attempts += 1
    submission.attempted_at = now
    try:
        result = ex.record_apply(
            submission.kind, actor=actor, data=data, client_id=str(submission.client_id)
        )
    except ex.RecordPending as exc:
        since = submission.waiting_since or now
        if since + settings.SUBMISSION_WAIT_LIFETIME <= now:
            expired = SubmissionExpired(reason=str(exc.message), field=exc.details.get("field"))
            return _refuse(
                submission, _error_with_id(expired, submission.client_id, submission.kind)
            )
        submission.status = SubmissionStatus.WAITING
        submission.waiting_since = since
        submission.reason = str(exc.message)
        submission.error = _stored_error(exc)
        submission.answer = _waiting_body(submission, exc)
        return None
    except ApplicationError as exc:
        return _refuse(submission, _error_with_id(exc, submission.client_id, submission.kind))
    except (IntegrityError, DataError) as exc:
        error = _as_application_error(exc)
        return _refuse(submission, _error_with_id(error, submission.client_id, submission.kind))
    submission.status = SubmissionStatus.APPLIED
    submission.outcome = result.outcome
    submission.record_key = result.key[:255]
    submission.area_id = _area_id(result.area)
    submission.applied_at = now
    submission.waiting_since = None
    submission.reason = ""
    submission.error = None
    submission.answer = _applied_body(submission)
    if result.warnings:
        submission.answer["warnings"] = list(result.warnings)
    return None


def _refuse(submission: Submission, exc: ApplicationError) -> ApplicationError:
    exc.details.setdefault("kind", submission.kind)
    submission.status = SubmissionStatus.REFUSED
    submission.outcome = ""
    submission.waiting_since = None
    submission.reason = str(exc.message)
    submission.error = _stored_error(exc)
    submission.answer = {}
    return exc


def _audit(actor: Actor | None, action: str, submission: Submission) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=submission,
        after={
            "kind": submission.kind,
            "source": submission.source,
            "status": submission.status,
            "outcome": submission.outcome,
            "attempts": submission.attempts,
        },
    )


# --------------------------------------------------------------------------- receiving


def submission_receive(
    *,
    actor: Actor,
    client_id: Any,
    kind: Any,
    data: Any,
    source: str = SubmissionSource.API,
    retry_waiting: bool = True,
) -> SubmissionAnswer:
    """Receive one submission idempotently; see the module docstring.

    Raises (and stores nothing) for an envelope that is not ``{"id": UUID, "kind": text,
    "data": object}`` (400 naming the part), an unknown kind (404) or one that takes no
    submissions (400), a sender without ``submission.send`` or the kind's permission
    (403), and an id already used for another body (409 :class:`SubmissionIdReused`).
    A refused record is stored and returned as an answer with ``error`` set (its status
    the error's). ``retry_waiting``: retry the organisation's waiting submissions after
    this one created or changed a record (the batch does it once at its end instead).
    """
    require(actor, Action.SUBMISSION_SEND)
    uid, kind, data = submission_envelope(client_id, kind, data)
    try:
        ex.submission_importer(kind, actor=actor)  # the kind and the sender's right to it
    except ApplicationError as exc:
        raise _error_with_id(exc, uid, kind) from None
    digest = body_sha256(kind, data)
    now = timezone.now()
    with transaction.atomic():
        advisory_lock(LOCK, uid)
        submission, new = _claim(
            actor=actor, uid=uid, kind=kind, digest=digest, source=source, now=now
        )
        if not new and submission.status == SubmissionStatus.APPLIED:
            body = _ordered(submission.answer)
            return SubmissionAnswer(200, body, replayed=True, submission=submission)
        submission.kind, submission.body_sha256, submission.data = kind, digest, data
        error = _attempt(submission, actor=actor, data=data, now=now)
        submission.updated_by = actor_user(actor)
        submission.save()
        _audit(actor, "submission.receive", submission)
    answer = _answer(submission, error)
    if retry_waiting and answer.applied and submission.outcome in PROGRESS:
        submissions_retry(organisation_id=submission.organisation_id)
    return answer


def _claim(
    *, actor: Actor, uid: uuid.UUID, kind: str, digest: str, source: str, now: dt.datetime
) -> tuple[Submission, bool]:
    """The id's row, locked, or a new one (and whether it is new: on PostgreSQL not
    saved yet, the advisory lock holds the id; on SQLite inserted at once); raises
    :class:`SubmissionIdReused` when the id is another body's or another user's."""
    existing = Submission.objects.select_for_update().filter(client_id=uid).first()
    if existing is None:
        user = actor_user(actor)
        submission = Submission(
            client_id=uid,
            kind=kind,
            body_sha256=digest,
            user=user,
            organisation_id=_organisation_id(actor),
            source=source,
            status=SubmissionStatus.WAITING,  # decided by the attempt, before the commit
            received_at=now,
            created_by=user,
        )
        if connection.vendor == "postgresql":
            return submission, True  # the lock holds the id; saved once, after the attempt
        try:  # SQLite: the INSERT, the first write, takes the database's write lock
            with transaction.atomic():
                submission.save(force_insert=True)
            return submission, True
        except IntegrityError:  # SQLite: inserted meanwhile by a concurrent request
            existing = Submission.objects.filter(client_id=uid).first()
            if existing is None:
                raise
    if existing.user_id != getattr(actor, "pk", None):
        raise SubmissionIdReused(id=str(uid), field="id")
    if existing.status != SubmissionStatus.REFUSED and (
        existing.body_sha256 != digest or existing.kind != kind
    ):
        raise SubmissionIdReused(id=str(uid), field="id", status=existing.status)
    return existing, False


def submission_batch_receive(
    *,
    actor: Actor,
    submissions: Sequence[Any],
    source: str = SubmissionSource.BATCH,
) -> list[SubmissionAnswer]:
    """Receive many submissions, in order, each on its own (its own transaction and
    answer: one bad record does not stop the others); then retry the waiting ones once.
    A record of the batch that was waiting and got applied by that retry is answered as
    applied (201). Raises only for a batch that is not a list of 1 to
    ``SUBMISSION_BATCH_MAX`` items or a sender without ``submission.send``."""
    require(actor, Action.SUBMISSION_SEND)
    limit = settings.SUBMISSION_BATCH_MAX
    if not isinstance(submissions, (list, tuple)) or not submissions:
        raise InvalidInput(
            _("Send a list of submissions."),
            field="submissions",
            fields={"submissions": [_("A non-empty list is required.")]},
        )
    if len(submissions) > limit:
        raise BatchTooLarge(field="submissions", limit=limit, sent=len(submissions))
    answers: list[SubmissionAnswer] = []
    progress: set[Any] = set()
    for index, item in enumerate(submissions):
        answer = _batch_item(actor, item, index, source)
        made = answer.submission
        if answer.applied and not answer.replayed and made and made.outcome in PROGRESS:
            progress.add(made.organisation_id)
        answers.append(answer)
    for organisation_id in progress:
        submissions_retry(organisation_id=organisation_id)
    if progress:
        answers = [_refreshed(a) for a in answers]
    return answers


def _batch_item(actor: Actor, item: Any, index: int, source: str) -> SubmissionAnswer:
    try:
        if not isinstance(item, dict):
            raise InvalidInput(
                _("Each submission is a JSON object {id, kind, data}."),
                field=f"submissions[{index}]",
            )
        return submission_receive(
            actor=actor,
            client_id=item.get("id"),
            kind=item.get("kind"),
            data=item.get("data"),
            source=SubmissionSource.OFFLINE if item.get("source") == "offline" else source,
            retry_waiting=False,
        )
    except ApplicationError as exc:
        exc.details.setdefault("index", index)
        return SubmissionAnswer(exc.status_code, {"error": exc.as_dict()}, error=exc)
    except OperationalError as exc:  # a deadlock: nothing of this record was written
        outcome = error_outcome(exc)
        if outcome is None:
            raise
        error = Conflict(outcome.message, code=outcome.code, index=index)
        return SubmissionAnswer(409, {"error": error.as_dict()}, error=error)


def _refreshed(answer: SubmissionAnswer) -> SubmissionAnswer:
    """A waiting answer of the batch as it stands after the batch's retry."""
    if answer.status_code != 202 or answer.submission is None:
        return answer
    submission = Submission.objects.filter(pk=answer.submission.pk).first()
    if submission is None or submission.status != SubmissionStatus.APPLIED:
        return answer
    return SubmissionAnswer(201, _ordered(submission.answer), submission=submission)


# --------------------------------------------------------------------------- retrying

_ALL: Any = object()


def submissions_retry(
    *,
    organisation_id: Any = _ALL,
    limit: int | None = None,
    passes: int = RETRY_PASSES,
    now: dt.datetime | None = None,
) -> RetryReport:
    """Retry waiting submissions as their senders, oldest first: those of
    ``organisation_id`` (None: of senders without an organisation; omitted: all), at most
    ``limit`` per pass (default ``SUBMISSION_RETRY_LIMIT``; 0: every waiting one), pass
    after pass while a pass applies one (at most ``passes``). A submission whose lock
    another transaction holds is skipped, and so is one whose retry fails unexpectedly
    (logged: a bug in one record's importer stops no one else). Each retry is its own
    transaction."""
    limit = settings.SUBMISSION_RETRY_LIMIT if limit is None else limit
    report = RetryReport()
    for _pass in range(passes):
        report.passes += 1
        waiting = Submission.objects.filter(status=SubmissionStatus.WAITING)
        if organisation_id is not _ALL:
            waiting = waiting.filter(organisation_id=organisation_id)
        ids = waiting.order_by("received_at", "pk").values_list("client_id", flat=True)
        batch = list(ids[:limit] if limit else ids)
        applied_before = report.applied
        for uid in batch:
            try:
                status = _retry_one(uid, now or timezone.now())
            except Exception:  # a bug in one record's importer must not stop the others
                logger.exception("retrying the waiting submission %s failed", uid)
                status = None
            if status is None:
                report.skipped += 1
            elif status == SubmissionStatus.APPLIED:
                report.applied += 1
                report.applied_ids.append(str(uid))
            elif status == SubmissionStatus.REFUSED:
                report.refused += 1
            else:
                report.waiting += 1
        if report.applied == applied_before:
            break
    return report


def _retry_one(uid: uuid.UUID, now: dt.datetime) -> str | None:
    """One waiting submission tried again; its new status, or None when it was skipped
    (held by another transaction, or no longer waiting)."""
    with transaction.atomic():
        if not advisory_lock_try(LOCK, uid):
            return None
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(client_id=uid, status=SubmissionStatus.WAITING)
            .first()
        )
        if submission is None:
            return None
        sender = submission.user
        if sender is None or not sender.is_active:
            _refuse(submission, _error_with_id(Forbidden(), uid, submission.kind))
            submission.attempts += 1
            submission.attempted_at = now
        else:
            _attempt(submission, actor=sender, data=submission.data, now=now)
        submission.save()
        _audit(sender, "submission.retry", submission)
        return str(submission.status)

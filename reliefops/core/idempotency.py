"""``Idempotency-Key`` for every POST under ``/api/v1/``: a retry never creates twice.

Semantics (IETF draft "The Idempotency-Key HTTP Header Field", and Stripe's behaviour):

* A client sends ``Idempotency-Key: <key>`` (1–255 printable ASCII characters; the
  draft's quoted form ``"<key>"`` is accepted too) with a POST. Keys belong to the user
  who sent them: two users may use the same key without meeting.
* The first call runs normally. If it answers 2xx or 4xx, the answer (status, body,
  headers) is stored with the key, the method, the path and a SHA-256 of the body, in
  the same transaction as the operation's own writes — so the record exists exactly
  when the operation committed.
* A later call with the same key, method, path and body gets the stored answer back,
  with ``Idempotent-Replayed: true``, and nothing runs again.
* The same key with another method, path or body: 409 ``idempotency_key_reused`` (the
  draft suggests 422; the project's issue asks for 409, and our error path reserves 422
  for nothing else), naming what differs.
* The same key while the first call is still running: 409 ``idempotency_key_in_use``
  with ``Retry-After: 1``; the first call is the only one that runs.
* Not stored: 5xx (the whole transaction, operation included, is rolled back, so a
  retry may succeed), and answers that depend on the credentials or the moment rather
  than the request — 401, 403, 408, 429 and anything with ``Retry-After`` (such as the
  409 ``retry`` after a deadlock). Repeating those creates nothing.
* Records expire 24 hours after the first call (``IDEMPOTENCY_KEY_LIFETIME`` in settings,
  a ``timedelta``); an expired key is treated as new. ``reliefops idempotency_purge``
  deletes expired rows.

Why a middleware: it is the one place every API POST passes through, so every create
endpoint written later (convoys, rounds, plans) honours the header without a mixin to
remember or a decorator to apply, and it sees the final rendered response, status and
body, which is what a replay must return. It sits last in ``MIDDLEWARE``, so security
headers are added to replays as to originals. A middleware runs before DRF has
authenticated, so :func:`_api_user` identifies the user with the same DRF authenticators
(the session user first, then the token) without touching the request's own state.

Concurrency: the call runs inside ``transaction.atomic()`` that first takes
``advisory_lock_try("core.idempotency", user, key)`` (PostgreSQL); a second call with the
same key while the lock is held answers 409 at once instead of waiting. On SQLite the
lock is a no-op and the database's single-writer lock serialises the claims instead.
The body is read once into a spooled temporary file (memory up to 1 MiB, then disk) and
given back to the view unchanged; for multipart bodies the random boundary is left out
of the hash, so a client library's retry of the same upload matches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import tempfile
from collections.abc import Callable
from typing import IO, Any, cast

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request as DrfRequest
from rest_framework.settings import api_settings

from reliefops.core.audit import audit_record
from reliefops.core.errors import ApplicationError, Conflict, InvalidInput
from reliefops.core.locks import advisory_lock_try
from reliefops.core.models import IdempotencyRecord

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
API_PREFIX = "/api/v1/"
METHODS = frozenset({"POST"})
DEFAULT_LIFETIME = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 255
KEY_PATTERN = re.compile(r"[\x20-\x7e]{1,255}")
NOT_STORED = frozenset({401, 403, 408, 429})
UNSTORED_HEADERS = frozenset({"set-cookie", "content-length"})
CHUNK = 64 * 1024
SPOOL_IN_MEMORY = 1024 * 1024

SCHEMA_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Makes this call safe to retry. Send a unique value (a UUID; 1–255 printable ASCII "
        "characters) and send it again, with the same body, to retry: the original "
        "response is returned with `Idempotent-Replayed: true` and nothing is done twice. "
        "The same key with another body or path: 409 `idempotency_key_reused`. While the "
        "first call with the key is still running: 409 `idempotency_key_in_use` (retry "
        "later). Keys are per user and expire 24 hours after first use; 5xx, 401, 403, "
        "408, 429 and responses with Retry-After are not stored."
    ),
)


class IdempotencyKeyInvalid(InvalidInput):
    code = "idempotency_key_invalid"
    default_message = _("The Idempotency-Key header must be 1 to 255 printable ASCII characters.")


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    default_message = _(
        "This Idempotency-Key was already used for a different request. Use a new key "
        "for a new request, or repeat the original request exactly."
    )


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    default_message = _(
        "A request with this Idempotency-Key is still being processed. Retry later with "
        "the same key to get its result."
    )


class IdempotencyMiddleware:
    """Apply the semantics above to every POST under ``/api/v1/`` that carries the header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.headers.get(HEADER)
        if (
            raw is None
            or request.method not in METHODS
            or not request.path_info.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        user = _api_user(request)
        if user is None:  # the view answers 401 in the error format; nothing to scope by
            return self.get_response(request)
        try:
            key = idempotency_key_parse(raw)
        except ApplicationError as exc:
            return error_response(exc)
        spool = _body_capture(request)
        if spool is None:
            logger.warning("request body already read; %s not honoured", HEADER)
            return self.get_response(request)
        body_hash, body = spool
        try:
            return idempotent_call(
                user=user,
                key=key,
                method=str(request.method),
                path=request.get_full_path(),
                body_hash=body_hash,
                call=lambda: self.get_response(request),
            )
        finally:
            body.close()


def idempotent_call(
    *,
    user: Any,
    key: str,
    method: str,
    path: str,
    body_hash: str,
    call: Callable[[], HttpResponse],
) -> HttpResponse:
    """Run ``call`` once per (user, key): replay, refuse or run and record.

    Runs ``call`` inside the transaction that also writes the record, in a savepoint of
    its own, so a database error the view rendered (an IntegrityError as 409) cannot
    break the outer transaction. A 5xx rolls everything back, the call's writes too.
    """
    try:
        with transaction.atomic():
            if not advisory_lock_try("core.idempotency", user.pk, key):
                raise IdempotencyKeyInUse()
            record = _record_claim(
                user=user, key=key, method=method, path=path, body_hash=body_hash
            )
            if record.status is not None:
                return _replay(record)
            response: HttpResponse | None = None
            try:
                with transaction.atomic():
                    response = call()
            except DatabaseError:
                if response is None:
                    raise
                # The view answered (a failed query rendered as 400/409) but left its
                # transaction aborted; Django rolled its savepoint back. The answer
                # stands, nothing of it is kept or stored.
                transaction.set_rollback(True)
                return response
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif _storable(response):
                record.status = response.status_code
                record.response_body = response.content
                record.response_headers = {
                    name: value
                    for name, value in response.items()
                    if name.lower() not in UNSTORED_HEADERS
                }
                record.save(update_fields=["status", "response_body", "response_headers"])
            else:
                record.delete()
            return response
    except (IdempotencyKeyInUse, IdempotencyKeyReused) as exc:
        return error_response(exc)


def _record_claim(
    *, user: Any, key: str, method: str, path: str, body_hash: str
) -> IdempotencyRecord:
    """The stored record for (user, key), or a new unfinished one (``status`` None).

    Called with the (user, key) lock held: on PostgreSQL no one else can be claiming the
    same key. On SQLite a concurrent claim shows as a unique-key conflict or a busy
    database, both answered as "in use".
    """
    now = timezone.now()
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is not None and record.expires_at <= now:
        record.delete()
        record = None
    if record is None:
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=method,
                    path=path[:2048],
                    body_hash=body_hash,
                    created_at=now,
                    expires_at=now + _lifetime(),
                )
        except IntegrityError as exc:
            raise IdempotencyKeyInUse() from exc
        except OperationalError as exc:
            if connection.vendor != "sqlite":
                raise
            raise IdempotencyKeyInUse() from exc
    differs = [
        name
        for name, stored, sent in (
            ("method", record.method, method),
            ("path", record.path, path[:2048]),
            ("body", record.body_hash, body_hash),
        )
        if stored != sent
    ]
    if differs:
        raise IdempotencyKeyReused(differs=differs)
    return record


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.status or 200)
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _storable(response: HttpResponse) -> bool:
    if getattr(response, "streaming", False):
        return False
    status = response.status_code
    if 200 <= status < 300:
        return True
    return (
        400 <= status < 500 and status not in NOT_STORED and not response.has_header("Retry-After")
    )


def _lifetime() -> dt.timedelta:
    value = getattr(settings, "IDEMPOTENCY_KEY_LIFETIME", DEFAULT_LIFETIME)
    return value if isinstance(value, dt.timedelta) else DEFAULT_LIFETIME


def idempotency_key_parse(raw: str) -> str:
    """The key from the header value: the draft's quoted string form or a bare token."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not KEY_PATTERN.fullmatch(value) or not value.strip():
        raise IdempotencyKeyInvalid(header=HEADER)
    return value


def error_response(exc: ApplicationError) -> HttpResponse:
    """An error in the API's one format, for answers given before any view runs."""
    response = JsonResponse({"error": exc.as_dict()}, status=exc.status_code)
    if isinstance(exc, IdempotencyKeyInUse):
        response["Retry-After"] = "1"
    return response


def _api_user(request: HttpRequest) -> Any | None:
    """The user the API view will act for, found as DRF will find it, or None.

    The session user first (DRF's SessionAuthentication comes first and takes it from
    here; its CSRF check is left to the view), then every other configured authenticator
    (the token; the test client's forced user). Authenticators are called directly, so
    the request's ``user`` is not changed for the view.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    configured: list[type[Any]] = list(cast(Any, api_settings).DEFAULT_AUTHENTICATION_CLASSES)
    authenticators = tuple(
        cls() for cls in configured if not issubclass(cls, SessionAuthentication)
    )
    drf_request = DrfRequest(request, authenticators=authenticators)
    for authenticator in drf_request.authenticators or ():
        try:
            result = authenticator.authenticate(drf_request)
        except exceptions.APIException:
            return None
        if result is not None:
            found = result[0]
            return found if found is not None and found.is_authenticated else None
    return None


def _body_capture(request: HttpRequest) -> tuple[str, IO[bytes]] | None:
    """Hash the body and hand the same bytes back to the view; None if already consumed.

    Uses Django's own mechanism for a re-readable body (``request.body`` replaces the
    stream with a copy), but spools to disk past 1 MiB instead of holding an upload in
    memory.
    """
    boundary = _multipart_boundary(request)
    digest = hashlib.sha256()
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    cached = getattr(request, "_body", None)
    if cached is not None:
        spool.write(cached)
        chunks: Any = iter([cached])
    elif getattr(request, "_read_started", False):
        spool.close()
        return None
    else:
        chunks = iter(lambda: request.read(CHUNK), b"")
    keep = max(len(boundary) - 1, 0)
    pending = b""
    for chunk in chunks:
        if cached is None:
            spool.write(chunk)
        buffer = pending + chunk
        if boundary:
            buffer = buffer.replace(boundary, b"")
        cut = len(buffer) - keep
        digest.update(buffer[:cut] if cut > 0 else b"")
        pending = buffer[cut:] if cut > 0 else buffer
    digest.update(pending)
    spool.seek(0)
    if cached is None:
        # The view reads the same bytes from the spool, as it would from the socket.
        request._stream = cast(Any, spool)
        request._read_started = False  # type: ignore[attr-defined]
    return digest.hexdigest(), spool


def _multipart_boundary(request: HttpRequest) -> bytes:
    if request.content_type != "multipart/form-data":
        return b""
    boundary = (request.content_params or {}).get("boundary", "")
    return boundary.encode("ascii", "replace") if boundary else b""


# --------------------------------------------------------------------------- upkeep


def idempotency_purge(*, actor: Any = None, now: dt.datetime | None = None) -> int:
    """Delete expired records; returns how many. Expired keys are already ignored when
    looked up, so this only gives the space back (run daily: ``reliefops
    idempotency_purge``)."""
    with transaction.atomic():
        deleted, _detail = IdempotencyRecord.objects.filter(
            expires_at__lte=now or timezone.now()
        ).delete()
        audit_record(actor=actor, action="idempotency.purge", after={"deleted": deleted})
    return deleted

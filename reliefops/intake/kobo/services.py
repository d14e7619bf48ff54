"""Every write of the KoboToolbox / ODK forms: form links, and receiving an instance.

Form links (``form_link.manage``): :func:`form_link_save` creates or updates a link by its
key (the admin, ``reliefops kobo_forms add`` and the demo call it), :func:`form_link_load`
reads a shipped mapping file into it, :func:`form_link_secret_rotate` gives a new secret.
The secret is a random token shown once; only its SHA-256 is stored (a token of 32 random
bytes needs no slow hash: nobody can guess one to look up).

Receiving (:func:`form_instance_receive`, the webhook): the link by key (404), its secret
(403), active (403); the body read (:mod:`.payloads`), the form id and version checked,
the attachments checked (:mod:`.attachments`); then, under an advisory lock on (link,
instance id) inside one transaction:

* the same instance id again → the stored answer, nothing applied again;
* an instance that a later edit already replaced (its id is a known instance's
  ``deprecatedID``) → recorded as ``superseded``, nothing applied (the edit's record
  stands);
* otherwise the edit chain's root is found (ODK Central's ``__id``; else the instance
  ``meta/deprecatedID`` names — its own root when it is known, itself when it is not),
  the answers are mapped (:mod:`.mapping`, with ``$record_id`` = uuid5 of the root, so an
  edit names the record its first instance made) and sent as the field submission
  ``{"id": uuid5(instance), "kind", "data"}`` through :mod:`.submit`, acting as the link's
  user — or the user ``submitters`` maps the submitter to —, so every permission and
  scope check of the pages applies.

A refusal (4xx) writes no record, no submission and no instance row; it is noted on the
link (``recent_refusals``, newest first, without answer values) in a transaction of its
own, so the link's page shows why a form's submissions fail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound
from reliefops.core.exchange.records import SubmissionsNotAccepted
from reliefops.core.locks import advisory_lock
from reliefops.core.permissions import Actor, actor_user, require
from reliefops.intake.kobo import payloads
from reliefops.intake.kobo.attachments import attachments_check, uploaded
from reliefops.intake.kobo.choices import InstanceStatus, PayloadShape
from reliefops.intake.kobo.mapping import FormMapping, Meta
from reliefops.intake.kobo.models import RECENT_REFUSALS, FormInstance, FormLink
from reliefops.intake.kobo.submit import Sent, submission_send, waiting_retry

#: The namespace of the ids derived from instance ids (never change it: replays and edits
#: find their records by these ids).
NAMESPACE = uuid.UUID("6f3b7c52-1d0a-5e8f-9b4c-2a7d8e1f0c36")
SECRET_BYTES = 32
LINK_FIELDS = (
    "title",
    "form_ids",
    "form_version",
    "kind",
    "mapping",
    "submitters",
    "is_active",
    "attachment_types",
    "attachment_max_bytes",
    "attachment_max_files",
    "source_file",
)


class FormUnknown(NotFound):
    code = "form_unknown"
    default_message = gettext_lazy("No form is configured under this key.")


class FormSecretInvalid(Forbidden):
    code = "form_secret_invalid"
    default_message = gettext_lazy(
        "The form's secret is missing or wrong (send it as “Authorization: Token <secret>”, "
        "with basic authentication, or as ?token=)."
    )


class FormInactive(Forbidden):
    code = "form_inactive"
    default_message = gettext_lazy("This form no longer takes submissions.")


class FormMismatch(InvalidInput):
    code = "form_mismatch"
    default_message = gettext_lazy("The submission is not of this form.")


# --------------------------------------------------------------------------- ids, secrets


def submission_uuid(link: FormLink, instance_id: str) -> uuid.UUID:
    """The field-submission id of one instance of one form (stable: uuid5)."""
    return uuid.uuid5(NAMESPACE, f"{link.pk}:{instance_id}")


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(link: FormLink, secret: str | None) -> bool:
    if not secret or not link.secret_hash:
        return False
    return hmac.compare_digest(secret_digest(secret), link.secret_hash)


# --------------------------------------------------------------------------- form links


def _kind_columns(kind: str) -> list[str]:
    entry = ex.registry_get(kind)  # UnknownKind: 404 naming the kind
    if entry.importer is None or not getattr(entry.importer, "submissions", False):
        raise SubmissionsNotAccepted(kind=kind, field="kind")
    return [c.name for c in entry.importer.columns]


def _active_user(username: str, field_name: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(
            _("No active user %(name)s.") % {"name": username[:150]}, field=field_name
        )
    return user


def form_link_check(values: dict[str, Any]) -> dict[str, Any]:
    """Check a link's values (writes nothing): the kind takes field submissions, the
    mapping fits its columns, submitters name active users, the attachment rules are
    well-formed; returns them normalised."""
    columns = _kind_columns(values["kind"])
    FormMapping.parse(values["mapping"], columns=columns)  # MappingInvalid lists problems
    submitters = values.get("submitters") or {}
    if not isinstance(submitters, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in submitters.items()
    ):
        raise InvalidInput(_("Submitters map names to user names."), field="submitters")
    for username in submitters.values():
        _active_user(username, "submitters")
    types = values.get("attachment_types")
    if types is not None and (
        not isinstance(types, list) or not all(isinstance(t, str) and "/" in t for t in types)
    ):
        raise InvalidInput(
            _("Attachment types are MIME types (image/jpeg …)."), field="attachment_types"
        )
    for name in ("attachment_max_bytes", "attachment_max_files"):
        if name in values and (not isinstance(values[name], int) or values[name] < 0):
            raise InvalidInput(_("A whole number, 0 or more."), field=name)
    values["form_ids"] = " ".join(str(values.get("form_ids") or "").split())
    return values


def form_link_save(
    *,
    actor: Actor,
    key: str,
    user: Any,
    secret: str | None = None,
    **values: Any,
) -> tuple[FormLink, str | None]:
    """Create the link ``key`` or update it; returns it and its new secret (generated for
    a new link when none is given; None when the secret did not change).

    ``values``: any of :data:`LINK_FIELDS`. The mapping is checked against the kind's
    columns (the kind must accept field submissions); ``user`` must be active.
    """
    require(actor, Action.FORM_LINK_MANAGE)
    unknown = sorted(set(values) - set(LINK_FIELDS))
    if unknown:
        raise InvalidInput(fields={n: [_("Not a field of a form link.")] for n in unknown})
    key = (key or "").strip()
    if not key or len(key) > 60 or not all(c.isalnum() or c in "-_" for c in key):
        raise InvalidInput(_("A key is letters, digits, - and _ (at most 60)."), field="key")
    if user is None or not getattr(user, "is_active", False):
        raise InvalidInput(_("The form acts as an active user."), field="user")
    with transaction.atomic():
        link = FormLink.objects.select_for_update().filter(key=key).first()
        created = link is None
        if link is None:
            link = FormLink(key=key, created_by=actor_user(actor))
            values.setdefault("title", key)
            values.setdefault("mapping", {})
        current = {n: getattr(link, n) for n in LINK_FIELDS}
        merged = form_link_check({**current, **values})
        if created and not secret:
            secret = secrets.token_urlsafe(SECRET_BYTES)
        if secret and not created and secret_digest(secret) == link.secret_hash:
            secret = None  # the same secret again: nothing changes
        before = {n: current[n] for n in values if current[n] != merged[n]}
        changed_user = created or link.user_id != user.pk
        if not (created or before or changed_user or secret):
            return link, None  # nothing to change (a demo or a command run again)
        for name in LINK_FIELDS:
            setattr(link, name, merged[name])
        link.user = user
        if secret:
            link.secret_hash = secret_digest(secret)
        link.updated_by = actor_user(actor)
        link.save()
        after: dict[str, Any] = (
            {n: merged[n] for n in before}
            if not created
            else {"kind": link.kind, "form_ids": link.form_ids}
        )
        if changed_user:
            after["user"] = user.username
        if secret:
            after["secret_changed"] = True
        audit_record(
            actor=actor,
            action="form_link.create" if created else "form_link.update",
            obj=link,
            before={k: v for k, v in before.items() if k != "mapping"} or None,
            after={k: ("(changed)" if k == "mapping" else v) for k, v in after.items()},
        )
    return link, secret or None


def form_link_load(
    *,
    actor: Actor,
    path: str | Path,
    user: Any,
    key: str | None = None,
    secret: str | None = None,
    is_active: bool = True,
    form_ids: str | None = None,
) -> tuple[FormLink, str | None]:
    """Create or update a link from a mapping file (``forms/*.mapping.json``)."""
    path = Path(path)
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            _("The mapping file %(name)s cannot be read: %(reason)s")
            % {"name": path.name, "reason": exc},
            field="file",
        ) from None
    if not isinstance(spec, dict) or "kind" not in spec or "mapping" not in spec:
        raise InvalidInput(
            _("A mapping file holds an object with “kind” and “mapping”."), field="file"
        )
    rules = spec.get("attachments") or {}
    values: dict[str, Any] = {
        "title": str(spec.get("title") or spec.get("key") or path.stem)[:200],
        "kind": str(spec["kind"]),
        "mapping": spec["mapping"],
        "form_ids": form_ids if form_ids is not None else str(spec.get("form_id") or ""),
        "form_version": str(spec.get("form_version") or ""),
        "is_active": is_active,
        "source_file": path.name[:200],
    }
    if "types" in rules:
        values["attachment_types"] = rules["types"]
    if "max_bytes" in rules:
        values["attachment_max_bytes"] = rules["max_bytes"]
    if "max_files" in rules:
        values["attachment_max_files"] = rules["max_files"]
    return form_link_save(
        actor=actor,
        key=key or str(spec.get("key") or path.stem),
        user=user,
        secret=secret,
        **values,
    )


def form_link_secret_rotate(*, actor: Actor, link: FormLink) -> str:
    """Give the link a new random secret (returned once; the old one stops working)."""
    _link, secret = form_link_save(
        actor=actor, key=link.key, user=link.user, secret=secrets.token_urlsafe(SECRET_BYTES)
    )
    assert secret is not None
    return secret


# --------------------------------------------------------------------------- receiving


@dataclass(frozen=True)
class Answer:
    """The webhook's answer: status code, JSON body, whether it replays a stored one."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass
class Delivery:
    """One request to the webhook, as the API view read it."""

    key: str
    secret: str | None
    body: bytes | None = None  # a JSON body
    xml: bytes | None = None  # an OpenRosa upload's instance XML
    files: list[Any] = field(default_factory=list)  # an OpenRosa upload's other files


STATUS_CODES = {
    InstanceStatus.APPLIED: 201,
    InstanceStatus.WAITING: 202,
    InstanceStatus.SUPERSEDED: 200,
}


def _received(delivery: Delivery) -> payloads.Received:
    if delivery.xml is not None:
        answers, form_id, version = payloads.xml_body_parse(delivery.xml)
        return payloads.received_read(
            answers, form_id=form_id, form_version=version, shape=PayloadShape.OPENROSA
        )
    return payloads.received_read(payloads.json_body_parse(delivery.body or b""))


def _form_check(link: FormLink, received: payloads.Received) -> None:
    accepted = link.form_ids.split()
    if accepted and received.form_id and received.form_id not in accepted:
        raise FormMismatch(
            _("The submission is of form %(sent)s; this link takes %(accepted)s.")
            % {"sent": received.form_id[:100], "accepted": ", ".join(accepted)},
            field="_xform_id_string",
        )
    if link.form_version and received.form_version and received.form_version != link.form_version:
        raise FormMismatch(
            _("The submission is of form version %(sent)s; this link takes version %(version)s.")
            % {"sent": received.form_version[:100], "version": link.form_version},
            code="form_version_mismatch",
            field="__version__",
        )


def _acting_user(link: FormLink, submitted_by: str) -> Any:
    username = (link.submitters or {}).get(submitted_by) if submitted_by else None
    user: Any = link.user
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise Forbidden(
                _("The submitter %(name)s is mapped to no user.") % {"name": submitted_by[:150]},
                code="submitter_unknown",
            )
    require(user, Action.SUBMISSION_SEND)  # an inactive user holds no grant: 403
    return user


def _root_id(link: FormLink, received: payloads.Received) -> str:
    if received.first_id:
        return received.first_id
    if received.deprecated_id:
        previous = (
            FormInstance.objects.filter(link=link, instance_id=received.deprecated_id)
            .values_list("root_id", flat=True)
            .first()
        )
        return previous or received.deprecated_id
    return received.instance_id


def _with_sources(exc: ApplicationError, mapping: FormMapping) -> ApplicationError:
    """Name the source path beside each target column the mechanism refused."""
    details = exc.details
    columns = set(details.get("fields") or {}) | (
        {details["field"]} if isinstance(details.get("field"), str) else set()
    )
    sources = {c: mapping.source_of(c) for c in columns if mapping.source_of(c)}
    if not sources:
        return exc
    details["sources"] = sources
    for error in details.get("errors") or []:
        if isinstance(error, dict) and error.get("column") in sources:
            error["source"] = sources[error["column"]]
    first = details.get("field") if details.get("field") in sources else next(iter(sources))
    exc.message = f"{sources[first]} → {exc.message}"
    return exc


def _answer_body(link: FormLink, instance: FormInstance) -> dict[str, Any]:
    body: dict[str, Any] = {
        "form": link.key,
        "instance_id": instance.instance_id,
        "root_id": instance.root_id,
        "submission": str(instance.client_id),
        "kind": link.kind,
        "status": instance.status,
        "outcome": instance.outcome or None,
        "record": instance.record or None,
        "received_at": instance.created_at.isoformat(),
    }
    if instance.status == InstanceStatus.WAITING:
        body["reason"] = instance.error
    if instance.status == InstanceStatus.SUPERSEDED:
        body["superseded_by"] = (
            FormInstance.objects.filter(link=link, deprecated_id=instance.instance_id)
            .values_list("instance_id", flat=True)
            .first()
        )
    return body


def _refreshed(link: FormLink, instance: FormInstance) -> dict[str, Any]:
    """The stored answer; a waiting instance's brought up to date with its submission
    (applied by a retry since, or refused when it expired)."""
    submission = instance.submission
    if instance.status != InstanceStatus.WAITING or submission is None:
        return instance.answer
    if submission.status == InstanceStatus.WAITING:
        return instance.answer
    instance.status = submission.status
    instance.outcome = submission.outcome or ""
    instance.record = (submission.record_key or "")[:255]
    instance.error = {"reason": submission.reason} if submission.reason else {}
    instance.answer = _answer_body(link, instance)
    instance.save(update_fields=["status", "outcome", "record", "error", "answer", "updated_at"])
    return instance.answer


def _receive(link: FormLink, delivery: Delivery, received: payloads.Received) -> Answer:
    _form_check(link, received)
    user = _acting_user(link, received.submitted_by)
    files = attachments_check(
        [*received.attachments, *uploaded(delivery.files, link.attachment_max_bytes)],
        expected=received.attachments_expected,
        types=link.attachment_types,
        max_bytes=link.attachment_max_bytes,
        max_files=link.attachment_max_files,
    )
    mapping = FormMapping.parse(link.mapping)
    with transaction.atomic():
        advisory_lock("intake.kobo.instance", link.pk, received.instance_id)
        existing = FormInstance.objects.filter(link=link, instance_id=received.instance_id).first()
        if existing is not None:
            return Answer(200, _refreshed(link, existing), replayed=True)
        root_id = _root_id(link, received)
        record_id = uuid.uuid5(NAMESPACE, f"{link.pk}:{root_id}")
        client_id = submission_uuid(link, received.instance_id)
        location = mapping.location(received.answers) or received.geolocation
        superseded = FormInstance.objects.filter(
            link=link, deprecated_id=received.instance_id
        ).exists()
        sent = Sent(status=InstanceStatus.SUPERSEDED)
        if not superseded:
            data = mapping.apply(
                received.answers,
                Meta(
                    instance_id=received.instance_id,
                    root_id=root_id,
                    record_id=str(record_id),
                    submitted_by=received.submitted_by,
                    submitted_at=received.submitted_at,
                    form_version=received.form_version,
                    geolocation=location,
                ),
            )
            try:
                sent = submission_send(actor=user, client_id=client_id, kind=link.kind, data=data)
            except ApplicationError as exc:
                raise _with_sources(exc, mapping) from exc
        instance = FormInstance.objects.create(
            link=link,
            instance_id=received.instance_id,
            deprecated_id=received.deprecated_id,
            root_id=root_id,
            client_id=client_id,
            submission=sent.submission,
            record_id=record_id,
            status=sent.status,
            outcome=sent.outcome,
            record=sent.record[:255],
            error=sent.reason,
            acted_as=user,
            submitted_by=received.submitted_by[:150],
            submitted_at=received.submitted_at,
            form_version=received.form_version[:100],
            shape=received.shape,
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            attachments=[a.as_dict() for a in files],
            created_by=actor_user(user),
        )
        instance.answer = _answer_body(link, instance)
        instance.save(update_fields=["answer"])
        audit_record(
            actor=user,
            action="form_instance.receive",
            obj=instance,
            after={
                "form": link.key,
                "instance_id": instance.instance_id,
                "root_id": root_id,
                "status": instance.status,
                "outcome": instance.outcome,
                "record": instance.record,
            },
        )
    waiting_retry(sent)
    return Answer(STATUS_CODES[InstanceStatus(instance.status)], instance.answer)


def _refusal_note(link: FormLink, instance_id: str, exc: ApplicationError) -> None:
    """Remember a refusal on the link (its own transaction; no answer values kept)."""
    found = exc.details.get("errors")
    errors: list[Any] = found if isinstance(found, list) else []
    entry = {
        "at": timezone.now().isoformat(),
        "instance_id": instance_id,
        "status": exc.status_code,
        "code": exc.code,
        "message": str(exc.message)[:500],
        "errors": [
            {k: str(v)[:200] for k, v in e.items() if k in ("field", "column", "source", "message")}
            for e in errors[:5]
            if isinstance(e, dict)
        ],
    }
    with transaction.atomic():
        row = FormLink.objects.select_for_update().get(pk=link.pk)
        row.recent_refusals = [entry, *(row.recent_refusals or [])][:RECENT_REFUSALS]
        row.refused_count += 1
        row.last_refused_at = timezone.now()
        row.save(update_fields=["recent_refusals", "refused_count", "last_refused_at"])


def form_instance_receive(*, delivery: Delivery) -> Answer:
    """Receive one submission of the form ``delivery.key`` (module docstring); raises the
    error that becomes the 4xx answer."""
    link = FormLink.objects.select_related("user").filter(key=delivery.key).first()
    if link is None:
        raise FormUnknown(key=delivery.key[:60])
    if not secret_matches(link, delivery.secret):
        raise FormSecretInvalid()
    if not link.is_active:
        raise FormInactive(key=link.key)
    instance_id = ""
    try:
        received = _received(delivery)
        instance_id = received.instance_id
        return _receive(link, delivery, received)
    except ApplicationError as exc:
        _refusal_note(link, instance_id, exc)
        raise

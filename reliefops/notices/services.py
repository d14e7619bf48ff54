"""Every write of the notices domain: notify, read, e-mail, scheduled reminders.

:func:`notify` is what other apps call from their services, inside their transaction: the
notices are written (with one audit event) in that transaction and their e-mails are
queued when it commits, so a rolled-back write tells nobody anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from reliefops.core.audit import audit_record
from reliefops.core.errors import NotFound
from reliefops.core.jobs import job_send
from reliefops.core.permissions import Actor, actor_user
from reliefops.notices.choices import NoticeKind
from reliefops.notices.messages import (
    Message,
    message_register,
    msgid,
    notice_subject,
    notice_text,
)
from reliefops.notices.models import Notice
from reliefops.notices.reminders import REMINDERS, Reminder, reminder, reminders_discover

__all__ = [
    "Message",
    "Reminder",
    "message_register",
    "msgid",
    "notice_read",
    "notice_read_all",
    "notices_email_retry",
    "notices_email_send",
    "notify",
    "reminder",
    "reminders_send",
]

log = logging.getLogger(__name__)


def _recipients(recipients: Iterable[Any]) -> list[Any]:
    """Active users, each once, in the order given (None and inactive accounts dropped)."""
    seen: set[Any] = set()
    result = []
    for user in recipients:
        if user is None or not getattr(user, "is_active", False) or user.pk in seen:
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def dedup_key(kind: str, reference: str, day: dt.date) -> str:
    return f"{kind}:{reference}:{day.isoformat()}"[:200]


def notify(
    recipients: Iterable[Any],
    kind: str,
    params: dict[str, Any] | None = None,
    link: str = "",
    reference: str = "",
    *,
    actor: Actor | None = None,
    message: str = "",
    dedup_day: dt.date | None = None,
) -> list[Notice]:
    """Tell ``recipients`` (users) about ``reference``: one notice each, and an e-mail.

    ``kind`` is a :class:`NoticeKind` value; ``message`` the message key (default: the
    kind) whose template ``params`` fill at read time (``notices.messages``); ``link`` a URL
    path to the object. ``actor`` is whoever caused it (None: a scheduled job); the actor
    is never told of their own action. With ``dedup_day`` a recipient who already holds a
    notice of this kind about this reference for that day gets nothing new (reminders).

    Runs in the caller's transaction (a savepoint of it); returns the notices created.
    """
    users = [u for u in _recipients(recipients) if actor is None or u.pk != actor.pk]
    if not users:
        return []
    key = dedup_key(kind, reference, dedup_day) if dedup_day is not None else ""
    with transaction.atomic():
        if key:
            held = set(
                Notice.objects.filter(dedup_key=key, recipient__in=users).values_list(
                    "recipient_id", flat=True
                )
            )
            users = [u for u in users if u.pk not in held]
            if not users:
                return []
        rows = [
            Notice(
                recipient=user,
                kind=kind,
                message=message or kind,
                params=params or {},
                link=link[:300],
                reference=reference[:80],
                dedup_key=key,
                created_by=actor_user(actor),
            )
            for user in users
        ]
        # A concurrent run of the same reminder: the unique key lets one of them insert.
        Notice.objects.bulk_create(rows, ignore_conflicts=bool(key))
        created = list(Notice.objects.filter(pk__in=[r.pk for r in rows])) if key else rows
        if not created:
            return []
        audit_record(
            actor=actor,
            action="notice.create",
            obj=None,
            after={
                "kind": kind,
                "reference": reference,
                "recipients": [str(n.recipient_id) for n in created],
                **({"dedup_key": key} if key else {}),
            },
        )
    ids = [str(n.pk) for n in created]
    transaction.on_commit(lambda: _email_queue(ids))
    return created


def _email_queue(ids: list[str]) -> None:
    if not settings.NOTICES_EMAIL_ENABLED:
        return
    from reliefops.notices.tasks import notices_email_task

    # The notices are in the app already; with the broker down only their e-mail is lost
    # (job_send logs it).
    job_send(lambda: notices_email_task.delay(ids), refused=lambda _reason: None, what="e-mails")


def notice_read(*, actor: Actor, notice: Notice) -> Notice:
    """Mark the actor's own notice read (another user's is not found)."""
    with transaction.atomic():
        locked = Notice.objects.select_for_update().filter(pk=notice.pk).first()
        if locked is None or locked.recipient_id != getattr(actor, "pk", None):
            raise NotFound(_("There is no such notice."))
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at", "updated_at"])
    return locked


def notice_read_all(*, actor: Actor) -> int:
    """Mark every unread notice of the actor read; the number marked."""
    if getattr(actor, "pk", None) is None:
        return 0
    with transaction.atomic():
        return Notice.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
            read_at=timezone.now(), updated_at=timezone.now()
        )


# --------------------------------------------------------------------------- e-mail


def recipient_language(user: Any) -> str:
    """The user's own language when the site offers it, else the site default."""
    offered = {code for code, _label in settings.LANGUAGES}
    lang = getattr(user, "language", "") or ""
    return lang if lang in offered else settings.LANGUAGE_CODE


def _email(notice: Notice, connection: Any) -> EmailMultiAlternatives:
    lang = recipient_language(notice.recipient)
    site = settings.RELIEFOPS_SITE_URL.rstrip("/")
    with translation.override(lang):
        context = {
            "notice": notice,
            "text": notice_text(notice, lang),
            "kind": NoticeKind(notice.kind).label if notice.kind in NoticeKind.values else "",
            "link": f"{site}{notice.link}" if notice.link else "",
            "all_url": f"{site}/notices/",
            "user": notice.recipient,
            "lang": lang,
        }
        subject = f"{settings.EMAIL_SUBJECT_PREFIX}{notice_subject(notice, lang)}"
        text = render_to_string("notices/email.txt", context)
        html = render_to_string("notices/email.html", context)
    mail = EmailMultiAlternatives(
        subject=subject.replace("\n", " "),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient.email],
        connection=connection,
        headers={"X-ReliefOps-Notice": str(notice.pk)},
    )
    mail.attach_alternative(html, "text/html")
    return mail


def notices_email_send(notice_ids: Sequence[Any]) -> int:
    """E-mail the notices not e-mailed yet to recipients with an address; the number sent.

    The rows are locked (skipping rows another worker holds) and marked ``emailed_at`` in
    the same transaction, so two workers never send one notice twice. A notice whose
    e-mail fails is left unmarked for :func:`notices_email_retry` (logged by id only).
    """
    if not settings.NOTICES_EMAIL_ENABLED or not notice_ids:
        return 0
    sent = 0
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk__in=list(notice_ids), emailed_at__isnull=True, recipient__is_active=True)
            .exclude(recipient__email="")
        )
        if not notices:
            return 0
        done = []
        with get_connection() as connection:
            for notice in notices:
                try:
                    _email(notice, connection).send()
                except Exception:  # one bad address or a mail server hiccup: retried later
                    log.warning("notice %s: e-mail not sent", notice.pk, exc_info=True)
                    continue
                done.append(notice.pk)
                sent += 1
        Notice.objects.filter(pk__in=done).update(emailed_at=timezone.now())
    return sent


def notices_email_retry(*, now: dt.datetime | None = None) -> int:
    """Send the e-mails still owed (failed or queued when no worker ran), for notices of
    the last ``NOTICES_EMAIL_RETRY_HOURS`` hours and at least five minutes old."""
    now = now or timezone.now()
    owed = (
        Notice.objects.filter(
            emailed_at__isnull=True,
            created_at__gte=now - timedelta(hours=settings.NOTICES_EMAIL_RETRY_HOURS),
            created_at__lte=now - timedelta(minutes=5),
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)[:1000]
    )
    return notices_email_send(list(owed))


# --------------------------------------------------------------------------- reminders


def reminders_send(*, day: dt.date | None = None) -> dict[str, Any]:
    """Run every registered reminder provider for ``day`` (default: today) and notify,
    deduplicated per recipient, kind, reference and day. A provider that fails is logged
    and counted; the others still run. Returns the notices created per kind."""
    reminders_discover()
    day = day or timezone.localdate()
    created: dict[str, int] = {}
    failed: list[str] = []
    for kind, providers in sorted(REMINDERS.items()):
        for provider in providers:
            try:
                with transaction.atomic():
                    count = 0
                    for item in provider(day):
                        count += len(
                            notify(
                                item.recipients,
                                kind,
                                item.params,
                                item.link,
                                item.reference,
                                dedup_day=day,
                            )
                        )
            except Exception:
                log.exception("reminder provider %s.%s failed", kind, provider.__name__)
                failed.append(f"{kind}:{provider.__name__}")
                continue
            created[kind] = created.get(kind, 0) + count
    return {"day": day.isoformat(), "created": created, "failed": failed}

"""Writes of the reports domain: the weekly situation report by e-mail.

A user subscribes themselves (an administrator, with ``user.manage``, may manage anybody's
subscription); :func:`sitrep_weekly_send` (Celery beat, weekly, and
``reliefops sitrep_send``) e-mails each active subscriber the report of the week's last
day generated as that subscriber, so nobody receives figures beyond their own access.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.reports.choices import DispatchStatus, SitrepAttachment
from reliefops.reports.models import SitrepDispatch, SitrepSubscription
from reliefops.reports.selectors import (
    CONTENT_TYPES,
    sitrep_documents,
    sitrep_filename,
    sitrep_subscription_active_list,
    sitrep_week_end,
)

log = logging.getLogger(__name__)


class NoEmailAddress(InvalidInput):
    code = "no_email"
    default_message = gettext_lazy(
        "This account has no e-mail address: the weekly report cannot be sent to it."
    )


def _subscriber(actor: Actor, user: Any) -> Any:
    """Whose subscription ``actor`` manages: their own, or (``user.manage``) ``user``'s."""
    if getattr(actor, "pk", None) is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    if user is None or user.pk == actor.pk:
        return actor
    require_write(actor, Action.USER_MANAGE, area=UNSCOPED, organisation=UNSCOPED)
    return user


def _state(subscription: SitrepSubscription) -> dict[str, Any]:
    return {
        "language": subscription.language,
        "attachment": subscription.attachment,
        "active": subscription.active,
    }


def sitrep_subscribe(
    *,
    actor: Actor,
    language: str,
    attachment: str = SitrepAttachment.PDF,
    user: Any = None,
) -> SitrepSubscription:
    """Subscribe ``user`` (default: the actor) to the weekly situation report by e-mail, or
    change the language and attachment of their subscription. The user needs an e-mail
    address. Someone else's subscription: ``user.manage`` (administrators)."""
    subscriber = _subscriber(actor, user)
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput(field="language", value=language)
    if attachment not in SitrepAttachment.values:
        raise InvalidInput(field="attachment", value=attachment)
    if not (subscriber.email or "").strip():
        raise NoEmailAddress(field="email")
    with transaction.atomic():
        subscription = (
            SitrepSubscription.objects.select_for_update().filter(user_id=subscriber.pk).first()
        )
        before = _state(subscription) if subscription is not None else None
        if subscription is None:
            subscription = SitrepSubscription(user=subscriber, created_by=actor_user(actor))
        subscription.language = language
        subscription.attachment = attachment
        subscription.active = True
        subscription.updated_by = actor_user(actor)
        subscription.save()
        audit_record(
            actor=actor,
            action="sitrep_subscription.subscribe",
            obj=subscription,
            before=before,
            after=_state(subscription),
        )
    return subscription


def sitrep_unsubscribe(*, actor: Actor, user: Any = None) -> SitrepSubscription | None:
    """Stop the weekly e-mail to ``user`` (default: the actor); the subscription and its
    dispatch log are kept, inactive. None when there was no subscription."""
    subscriber = _subscriber(actor, user)
    with transaction.atomic():
        subscription = (
            SitrepSubscription.objects.select_for_update().filter(user_id=subscriber.pk).first()
        )
        if subscription is None or not subscription.active:
            return subscription
        before = _state(subscription)
        subscription.active = False
        subscription.updated_by = actor_user(actor)
        subscription.save(update_fields=["active", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="sitrep_subscription.unsubscribe",
            obj=subscription,
            before=before,
            after=_state(subscription),
        )
    return subscription


# --------------------------------------------------------------------------- the weekly job


def _email(subscription: SitrepSubscription, day: dt.date) -> EmailMultiAlternatives:
    """The e-mail of the report of ``day`` for the subscriber, generated as them: the
    report's text (Markdown) in the body, the report attached (PDF or HTML)."""
    user = subscription.user
    email = (user.email or "").strip()
    if not email:
        raise NoEmailAddress("The subscriber has no e-mail address.")
    lang, fmt = subscription.language, subscription.attachment
    documents = sitrep_documents(user, day, ("md", fmt), lang)
    site = settings.RELIEFOPS_SITE_URL.rstrip("/")
    with translation.override(lang):
        date = formats.date_format(day, "DATE_FORMAT")
        subject = _("Weekly situation report — %(date)s") % {"date": date}
        body = render_to_string(
            "reports/email/sitrep_weekly.txt",
            {
                "date": date,
                "report": documents["md"].decode("utf-8"),
                "attachment": SitrepAttachment(fmt).label,
                "page_url": f"{site}{reverse('reports:sitrep')}",
            },
        )
    mail = EmailMultiAlternatives(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}".replace("\n", " "),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"X-ReliefOps-Sitrep": day.isoformat()},
    )
    mail.attach(sitrep_filename(day, fmt, lang), documents[fmt], CONTENT_TYPES[fmt].split(";")[0])
    return mail


def _dispatch(subscription: SitrepSubscription, day: dt.date) -> str:
    """Send one subscriber the report of ``day`` unless it was sent already; the status
    (``sent``, ``failed``) or ``skipped``.

    The dispatch row (unique per subscription and day) is created or locked first and
    stays locked until the e-mail is sent and its outcome recorded: a second run of the
    job at the same time waits, then finds it sent. A failure (rendering, the mail server,
    no address) is recorded with its reason and tried again by the next run.
    """
    with transaction.atomic():
        dispatch, _created = SitrepDispatch.objects.select_for_update().get_or_create(
            subscription=subscription,
            report_date=day,
            defaults={"status": DispatchStatus.FAILED},
        )
        if dispatch.status == DispatchStatus.SENT:
            return "skipped"
        try:
            with transaction.atomic():  # a failed query while rendering: only this undone
                _email(subscription, day).send()
        except Exception as exc:  # one subscriber's failure never stops the others
            log.warning("weekly sitrep %s to subscription %s failed", day, subscription.pk)
            dispatch.status = DispatchStatus.FAILED
            dispatch.error = f"{type(exc).__name__}: {exc}"[:2000]
            dispatch.sent_at = None
        else:
            dispatch.status = DispatchStatus.SENT
            dispatch.error = ""
            dispatch.sent_at = timezone.now()
        dispatch.save()
        audit_record(
            actor=None,
            action=f"sitrep_dispatch.{dispatch.status}",
            obj=dispatch,
            after={
                "subscription": str(subscription.pk),
                "report_date": day,
                "status": dispatch.status,
                "attachment": subscription.attachment,
                "language": subscription.language,
            },
        )
    return str(dispatch.status)


def sitrep_weekly_send(*, day: dt.date | None = None) -> dict[str, Any]:
    """E-mail the situation report of ``day`` (default: the Sunday ending the last full
    week) to every active subscriber, each generated as that subscriber, at most once per
    subscriber and day. Returns the day and how many were sent, failed and skipped
    (sent before). Not to be called inside a transaction (one per subscriber)."""
    day = day or sitrep_week_end(timezone.localdate())
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for subscription in list(sitrep_subscription_active_list()):
        counts[_dispatch(subscription, day)] += 1
    return {"day": day.isoformat(), **counts}

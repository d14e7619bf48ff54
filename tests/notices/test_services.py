"""notify(): notices in the caller's transaction, e-mail on commit in the reader's
language, deduplicated reminders, reading; and whom an action waits for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from reliefops.access.selectors import users_allowed
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.models import AuditEvent
from reliefops.needs.choices import RequestStatus
from reliefops.notices.choices import NoticeKind
from reliefops.notices.messages import notice_text
from reliefops.notices.models import Notice
from reliefops.notices.services import (
    msgid,
    notice_read,
    notice_read_all,
    notices_email_retry,
    notify,
    reminders_send,
)
from tests.accounts.factories import UserFactory
from tests.notices import helpers

pytestmark = pytest.mark.django_db
K = NoticeKind.CONVOY_TURNED_BACK
POINT = {"names": {"en": "Lachin", "az": "Laçın", "hy": "Բերձոր"}}


def _user(username: str, **fields: Any) -> Any:
    return UserFactory(username=username, email=f"{username}@example.org", **fields)


def test_notify_writes_one_notice_each_audits_once_and_mails_on_commit(
    mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    actor, ann, bob = _user("actor"), _user("ann"), _user("bob")
    quiet = UserFactory(username="noaddress")  # no e-mail address: in the app only
    gone = _user("gone", is_active=False)
    params = {"convoy": "CV-1", "point": POINT, "time": "2023-10-01 09:00"}
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            [ann, bob, ann, None, quiet, gone, actor], K, params, "/x/", "CV-1", actor=actor
        )
        assert mailoutbox == []  # nothing leaves before the commit
    assert sorted(n.recipient.username for n in created) == ["ann", "bob", "noaddress"]
    assert {n.created_by_id for n in created} == {actor.pk}
    event = AuditEvent.objects.get(action="notice.create")
    assert event.actor_id == actor.pk and len(event.after["recipients"]) == 3
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "bob@example.org"]
    mail = mailoutbox[0]
    assert mail.subject == "[ReliefOps] Convoy CV-1 turned back"
    assert "Convoy CV-1 was turned back at Lachin on 2023-10-01 09:00." in mail.body
    assert "http://127.0.0.1:8000/x/" in mail.body
    html, mime = mail.alternatives[0]
    assert mime == "text/html" and 'href="http://127.0.0.1:8000/x/"' in html
    assert Notice.objects.filter(emailed_at__isnull=False).count() == 2
    assert Notice.objects.get(recipient=quiet).emailed_at is None


def test_a_rolled_back_write_tells_nobody(
    mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ann = _user("ann")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([ann], K, {"convoy": "CV-2"}, "/x/", "CV-2")
        raise RuntimeError("the caller's write failed")
    assert callbacks == [] and mailoutbox == []
    assert not Notice.objects.exists() and not AuditEvent.objects.exists()


def test_text_and_mail_in_the_readers_language(
    mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ru = _user("ru-reader", language="ru")
    odd = _user("odd-reader", language="xx")  # not offered: the site default
    with translation.override("ru"):
        submitted_ru = gettext("Submitted")
    assert submitted_ru != "Submitted"  # the catalogue holds it: the test can fail
    params = {"reference": "RQ-1", "place": POINT, "status": msgid(RequestStatus.SUBMITTED.label)}
    # The sender's language (az) is not frozen into the notice.
    with translation.override("az"), django_capture_on_commit_callbacks(execute=True):
        notice = notify([ru, odd], NoticeKind.REQUEST_OVERDUE, params, "/r/", "RQ-1")[0]
    assert notice.params["status"] == {"msgid": "Submitted"}
    by_to = {m.to[0]: m for m in mailoutbox}
    assert submitted_ru in by_to["ru-reader@example.org"].body
    assert 'lang="ru"' in by_to["ru-reader@example.org"].alternatives[0][0]
    assert "is still Submitted" in by_to["odd-reader@example.org"].body
    assert "Laçın" in notice_text(notice, "az") and "Lachin" in notice_text(notice, "en")
    assert "Բերձոր" in notice_text(notice, "hy")


def test_a_missing_parameter_shows_an_ellipsis_not_an_error() -> None:
    ann = _user("ann")
    notice = notify([ann], K, {}, "", "CV-3")[0]
    assert notice_text(notice, "en") == "Convoy … was turned back at … on …."


def test_reminder_dedup_per_recipient_kind_reference_and_day(
    mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ann, bob = _user("ann"), _user("bob")
    day = dt.date(2023, 10, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(notify([ann], K, {}, "", "CV-4", dedup_day=day)) == 1
        assert notify([ann], K, {}, "", "CV-4", dedup_day=day) == []
        assert [n.recipient for n in notify([ann, bob], K, {}, "", "CV-4", dedup_day=day)] == [bob]
        assert len(notify([ann], K, {}, "", "CV-4", dedup_day=day + dt.timedelta(days=1))) == 1
    assert len(mailoutbox) == 3
    assert Notice.objects.filter(dedup_key=f"{K}:CV-4:2023-10-10").count() == 2


def test_read_one_and_all_only_the_readers_own() -> None:
    ann, bob = _user("ann"), _user("bob")
    first, second = (notify([ann], K, {}, "", ref)[0] for ref in ("A", "B"))
    other = notify([bob], K, {}, "", "C")[0]
    with pytest.raises(NotFound):
        notice_read(actor=ann, notice=other)
    assert notice_read(actor=ann, notice=first).read_at is not None
    assert notice_read_all(actor=ann) == 1
    second.refresh_from_db()
    other.refresh_from_db()
    assert second.read_at is not None and other.read_at is None


def test_mail_owed_while_sending_was_off_goes_out_on_retry(
    settings: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NOTICES_EMAIL_ENABLED = False
    ann = _user("ann")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notify([ann], K, {"convoy": "CV-5"}, "", "CV-5")[0]
    assert mailoutbox == []
    settings.NOTICES_EMAIL_ENABLED = True
    later = notice.created_at + dt.timedelta(minutes=10)
    assert notices_email_retry(now=later) == 1
    assert notices_email_retry(now=later) == 0  # marked: never twice
    assert len(mailoutbox) == 1


def test_users_allowed_follows_role_area_and_organisation() -> None:
    s = helpers.scene()
    verify = users_allowed(Action.REQUEST_VERIFY, area=s.area)
    assert [u.username for u in verify] == ["field-here", "hq-coord"]
    submit = users_allowed(Action.REQUEST_SUBMIT, area=s.area, organisation=s.org)
    # Field workers of another organisation and the other partner may not submit for it.
    assert [u.username for u in submit] == ["hq-coord", "kg-partner"]
    assert users_allowed(Action.REQUEST_VERIFY, area=None) == [s.coordinator]


def test_overdue_requests_are_reminded_once_a_day(
    mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    s = helpers.scene()
    s.partner.email = "partner@example.org"
    s.partner.save()
    late = helpers.request_submit(s, needed_by=dt.date(2023, 10, 5))
    helpers.request_submit(s, needed_by=dt.date(2023, 10, 20))  # not due yet
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(day=helpers.DAY)
        second = reminders_send(day=helpers.DAY)
    assert first["created"][NoticeKind.REQUEST_OVERDUE] >= 2 and first["failed"] == []
    assert second["created"].get(NoticeKind.REQUEST_OVERDUE, 0) == 0
    notices = Notice.objects.filter(kind=NoticeKind.REQUEST_OVERDUE)
    assert {n.reference for n in notices} == {late.reference}
    assert {"kg-partner", "hq-coord"} <= {n.recipient.username for n in notices}
    assert "other-partner" not in {n.recipient.username for n in notices}
    assert [m.to for m in mailoutbox] == [["partner@example.org"]]
    assert "was needed by 2023-10-05 and is still Submitted" in mailoutbox[0].body
    assert notices[0].link == f"/needs/requests/{late.pk}/"


def test_users_allowed_loads_the_candidates_grants_together() -> None:
    """Whom to tell costs the same few queries for one coordinator as for five (the
    candidates' memberships and the area tree load once, not once a candidate)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.accounts.factories import MembershipFactory
    from tests.places.factories import AdminAreaFactory

    area = AdminAreaFactory()

    def coordinators(n: int) -> int:
        for _ in range(n):
            MembershipFactory(role="coordinator", areas=[area])
        with CaptureQueriesContext(connection) as queries:
            found = users_allowed(Action.REQUEST_VERIFY, area=area)
        assert len(found) >= n
        return len(queries)

    assert coordinators(1) == coordinators(4)

"""Issue 15: the weekly situation report e-mailed to a list. A user subscribes themselves
(an e-mail address needed; another user's subscription only with user.manage); the weekly
job sends each active subscriber the report generated as that subscriber (no figure of an
area they cannot see), at most once per subscriber and report date; one subscriber's
failure is recorded and stops nobody else; the page's form subscribes and unsubscribes."""

from __future__ import annotations

import datetime as dt
import email
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.test import Client

from reliefops.accounts.choices import Role
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.reports.models import SitrepDispatch, SitrepSubscription
from reliefops.reports.selectors import sitrep_week_end
from reliefops.reports.services import sitrep_subscribe, sitrep_unsubscribe, sitrep_weekly_send
from tests.accounts.factories import make_user
from tests.reports.scene import report_world

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 10, 8)  # a Sunday


def _user(role: str = Role.FIELD, address: str = "", **kwargs: Any) -> Any:
    user = make_user(role, **kwargs)
    user.email = address
    user.save()
    return user


def _result(sent: int, failed: int, skipped: int) -> dict[str, Any]:
    return {"day": "2023-10-08", "sent": sent, "failed": failed, "skipped": skipped}


class FailingForOne(EmailBackend):
    """The test mailbox, refusing mail to one address (a bad address, a mail server that
    rejects it)."""

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            if "refused@example.org" in message.to:
                raise ConnectionRefusedError("mail server refused refused@example.org")
        return super().send_messages(messages)


def test_the_week_ends_on_the_sunday_before() -> None:
    assert sitrep_week_end(dt.date(2023, 10, 9)) == DAY  # Monday: yesterday
    assert sitrep_week_end(dt.date(2023, 10, 8)) == dt.date(2023, 10, 1)  # Sunday: a week ago
    assert sitrep_week_end(dt.date(2023, 10, 14)) == DAY


def test_subscribe_oneself_change_and_unsubscribe() -> None:
    ann = _user(address="ann@example.org")
    subscription = sitrep_subscribe(actor=ann, language="ru", attachment="html")
    assert (subscription.user, subscription.language, subscription.attachment) == (
        ann,
        "ru",
        "html",
    )
    again = sitrep_subscribe(actor=ann, language="hy", attachment="pdf")
    assert again.pk == subscription.pk and (again.language, again.attachment) == ("hy", "pdf")
    assert sitrep_unsubscribe(actor=ann).active is False  # type: ignore[union-attr]
    assert sitrep_unsubscribe(actor=ann).active is False  # type: ignore[union-attr]
    assert SitrepSubscription.objects.count() == 1
    actions = list(
        AuditEvent.objects.filter(object_id=str(subscription.pk))
        .order_by("at")
        .values_list("action", "after")
    )
    assert [a for a, _after in actions] == [
        "sitrep_subscription.subscribe",
        "sitrep_subscription.subscribe",
        "sitrep_subscription.unsubscribe",
    ]
    assert actions[-1][1] == {"language": "hy", "attachment": "pdf", "active": False}
    assert sitrep_unsubscribe(actor=_user(address="bob@example.org")) is None


def test_subscribing_needs_an_address_a_language_and_user_manage_for_others() -> None:
    with pytest.raises(InvalidInput) as no_email:
        sitrep_subscribe(actor=_user(), language="en")
    assert no_email.value.code == "no_email"
    ann = _user(address="ann@example.org")
    with pytest.raises(InvalidInput):
        sitrep_subscribe(actor=ann, language="fr")
    with pytest.raises(InvalidInput):
        sitrep_subscribe(actor=ann, language="en", attachment="md")
    bob = _user(address="bob@example.org")
    for role in (Role.FIELD, Role.COORDINATOR):
        with pytest.raises(Forbidden):
            sitrep_subscribe(actor=_user(role), language="en", user=bob)
        with pytest.raises(Forbidden):
            sitrep_unsubscribe(actor=_user(role), user=bob)
    admin = _user(Role.ADMIN)
    subscription = sitrep_subscribe(actor=admin, language="az", user=bob)
    assert subscription.user == bob and subscription.created_by == admin
    assert sitrep_unsubscribe(actor=admin, user=bob).active is False  # type: ignore[union-attr]
    assert not SitrepSubscription.objects.filter(user=ann).exists()


def test_running_twice_sends_each_subscriber_once(mailoutbox: Any) -> None:
    ann = _user(address="ann@example.org")
    bob = _user(address="bob@example.org")
    off = _user(address="off@example.org")
    sitrep_subscribe(actor=ann, language="en", attachment="html")
    sitrep_subscribe(actor=bob, language="ru", attachment="pdf")
    sitrep_subscribe(actor=off, language="en")
    sitrep_unsubscribe(actor=off)
    assert sitrep_weekly_send(day=DAY) == _result(2, 0, 0)
    assert sitrep_weekly_send(day=DAY) == _result(0, 0, 2)
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "bob@example.org"]
    by_to = {m.to[0]: m for m in mailoutbox}
    mail = by_to["ann@example.org"]
    assert mail.subject == f"{settings.EMAIL_SUBJECT_PREFIX}Weekly situation report — Oct. 8, 2023"
    assert mail.from_email == settings.DEFAULT_FROM_EMAIL
    assert "# Situation report — Oct. 8, 2023" in mail.body and "## Key figures" in mail.body
    assert "http://127.0.0.1:8000/reports/sitrep/" in mail.body
    [(name, content, mimetype)] = mail.attachments
    assert (name, mimetype) == ("sitrep-2023-10-08-en.html", "text/html")
    assert "<html" in content
    [(name, content, mimetype)] = by_to["bob@example.org"].attachments
    assert (name, mimetype) == ("sitrep-2023-10-08-ru.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert by_to["bob@example.org"].subject.startswith(  # in the subscriber's language
        f"{settings.EMAIL_SUBJECT_PREFIX}Еженедельная оперативная сводка — 8 октября 2023"
    )
    assert "# Оперативная сводка" in by_to["bob@example.org"].body
    # another week is another report
    assert sitrep_weekly_send(day=DAY + dt.timedelta(days=7))["sent"] == 2
    assert SitrepDispatch.objects.filter(status="sent").count() == 4
    assert AuditEvent.objects.filter(action="sitrep_dispatch.sent").count() == 4


def test_a_failing_subscriber_is_recorded_and_the_others_are_sent(
    settings: Any, mailoutbox: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FailingForOne"
    users = [_user(address=a) for a in ("ann@example.org", "refused@example.org")]
    users.append(_user(address="carl@example.org"))
    for user in users:
        sitrep_subscribe(actor=user, language="en", attachment="html")
    no_address = _user(address="dan@example.org")
    sitrep_subscribe(actor=no_address, language="en", attachment="html")
    no_address.email = ""  # the address was removed after subscribing
    no_address.save()
    result = sitrep_weekly_send(day=DAY)
    assert (result["sent"], result["failed"]) == (2, 2)
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "carl@example.org"]
    failed = {
        d.subscription.user.username: d
        for d in SitrepDispatch.objects.filter(status="failed").select_related("subscription__user")
    }
    refused = failed[users[1].username]
    assert refused.sent_at is None
    assert refused.error == "ConnectionRefusedError: mail server refused refused@example.org"
    assert "e-mail address" in failed[no_address.username].error
    # the next run tries the failed ones again and leaves the sent ones alone
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    no_address.email = "dan@example.org"
    no_address.save()
    assert sitrep_weekly_send(day=DAY) == _result(2, 0, 2)
    assert len(mailoutbox) == 4
    refused.refresh_from_db()
    assert refused.status == "sent" and refused.error == "" and refused.sent_at is not None
    assert SitrepDispatch.objects.count() == 4


def test_the_report_is_the_subscribers_own_view(mailoutbox: Any) -> None:
    """Field A (area TA-A) and field B (TA-B) get the same week's report with only their
    own area's figures, in the body and in the attachment."""
    world = report_world()
    for user, address in ((world.field_a, "a@example.org"), (world.field_b, "b@example.org")):
        user.email = address
        user.save()
        sitrep_subscribe(actor=user, language="en", attachment="html")
    assert sitrep_weekly_send(day=world.day)["sent"] == 2
    by_to = {m.to[0]: m for m in mailoutbox}
    mail_a, mail_b = by_to["a@example.org"], by_to["b@example.org"]
    html_a, html_b = (m.attachments[0][1] for m in (mail_a, mail_b))
    # People due: 2 in TA-A (suppressed: <5), 6 in TA-B.
    assert "| People due for a visit | <5 |" in mail_a.body
    assert "| People due for a visit | 6 |" in mail_b.body
    assert "<td>People due for a visit</td><td>&lt;5</td>" in html_a
    assert "<td>People due for a visit</td><td>6</td>" in html_b
    # The heating fuel of TA-A's school and kindergarten: only in A's report.
    for text in (mail_a.body, html_a):
        assert "Sch-1" in text and "Kg-1" in text and "Area TA-B" not in text
    for text in (mail_b.body, html_b):
        assert "Sch-1" not in text and "Kg-1" not in text and "Area TA-A" not in text
        assert "| People due for a visit | <5 |" not in text


def test_command_sends_and_prints_the_counts(mailoutbox: Any, capsys: Any) -> None:
    ann = _user(address="ann@example.org")
    sitrep_subscribe(actor=ann, language="en", attachment="html")
    call_command("sitrep_send", "--date", "2023-10-08")
    assert "weekly situation report of 2023-10-08: 1 sent, 0 failed, 0 sent before" in (
        capsys.readouterr().out
    )
    call_command("sitrep_send", "--date", "2023-10-08", "--json")
    assert json.loads(capsys.readouterr().out) == _result(0, 0, 1)
    with pytest.raises(CommandError):
        call_command("sitrep_send", "--date", "8.10.2023")
    dan = _user(address="dan@example.org")
    sitrep_subscribe(actor=dan, language="en", attachment="html")
    dan.email = ""
    dan.save()
    with pytest.raises(CommandError, match="1 e-mail"):  # a non-zero exit for scripts
        call_command("sitrep_send", "--date", "2023-10-08")
    assert "0 sent, 1 failed, 1 sent before" in capsys.readouterr().out
    assert len(mailoutbox) == 1


def test_the_task_is_registered_and_scheduled_weekly() -> None:
    from reliefops.celery import app
    from reliefops.reports.tasks import sitrep_weekly_send_task

    app.loader.import_default_modules()
    assert "reliefops.reports.sitrep_weekly_send" in app.tasks
    entry = settings.CELERY_BEAT_SCHEDULE["reports-sitrep-weekly-send"]
    assert entry["task"] == sitrep_weekly_send_task.name
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1} and schedule.hour == {settings.RELIEFOPS_SITREP_HOUR}
    assert sitrep_weekly_send_task.delay("2023-10-08").get() == _result(0, 0, 0)


# --------------------------------------------------------------------------- the page


def test_page_subscribes_and_unsubscribes(mailoutbox: Any) -> None:
    ann = _user(address="ann@example.org")
    client = Client()
    client.force_login(ann)
    page = client.get("/reports/sitrep/?date=2023-10-08&language=en").content.decode()
    assert "Weekly by e-mail" in page and 'action="/reports/sitrep/subscription/"' in page
    assert 'value="unsubscribe"' not in page
    response = client.post(
        "/reports/sitrep/subscription/",
        {"action": "subscribe", "language": "az", "attachment": "html"},
        follow=True,
    )
    assert response.redirect_chain == [("/reports/sitrep/", 302)]
    page = response.content.decode()
    assert "will be e-mailed to ann@example.org" in page
    assert 'value="unsubscribe"' in page and "Azerbaijani, HTML attached" in page
    subscription = SitrepSubscription.objects.get(user=ann)
    assert (subscription.language, subscription.attachment, subscription.active) == (
        "az",
        "html",
        True,
    )
    invalid = client.post(
        "/reports/sitrep/subscription/", {"action": "subscribe", "language": "xx"}
    )
    assert invalid.status_code == 400 and "Select a valid choice" in invalid.content.decode()
    response = client.post("/reports/sitrep/subscription/", {"action": "unsubscribe"}, follow=True)
    assert "You no longer receive the weekly situation report." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.active is False
    assert client.get("/reports/sitrep/subscription/").status_code == 405
    assert mailoutbox == []


def test_page_without_an_address_says_so_and_refuses(tmp_path: Path) -> None:
    nobody = _user()
    client = Client()
    client.force_login(nobody)
    page = client.get("/reports/sitrep/").content.decode()
    assert "Your account has no e-mail address" in page
    assert 'id="sitrep-subscription-form"' not in page
    response = client.post(
        "/reports/sitrep/subscription/",
        {"action": "subscribe", "language": "en", "attachment": "pdf"},
    )
    assert response.status_code == 400
    assert "This account has no e-mail address" in response.content.decode()
    assert not SitrepSubscription.objects.exists()


def test_mail_parses_as_mime_with_the_attachment(mailoutbox: Any) -> None:
    ann = _user(address="ann@example.org")
    sitrep_subscribe(actor=ann, language="hy", attachment="pdf")
    sitrep_weekly_send(day=DAY)
    message = email.message_from_bytes(mailoutbox[0].message().as_bytes())
    parts = [p for p in message.walk() if p.get_filename()]
    assert [p.get_filename() for p in parts] == ["sitrep-2023-10-08-hy.pdf"]
    assert parts[0].get_payload(decode=True).startswith(b"%PDF")
    assert message["X-ReliefOps-Sitrep"] == "2023-10-08"


def test_demo_subscribes_the_coordinator_once(mailoutbox: Any) -> None:
    import io

    from reliefops.reports import demo

    coordinator = make_user(Role.COORDINATOR, username="coordinator")
    for _ in range(2):
        demo.load(stdout=io.StringIO())
    coordinator.refresh_from_db()
    assert coordinator.email == demo.COORDINATOR_EMAIL
    subscription = SitrepSubscription.objects.get(user=coordinator)
    assert subscription.active and subscription.attachment == "pdf"
    assert AuditEvent.objects.filter(action="sitrep_subscription.subscribe").count() == 1
    assert sitrep_weekly_send(day=DAY)["sent"] == 1
    assert mailoutbox[0].to == [demo.COORDINATOR_EMAIL]


def test_admin_lists_the_subscriptions_and_the_dispatch_log(mailoutbox: Any) -> None:
    ann = _user(address="ann@example.org")
    sitrep_subscribe(actor=ann, language="en", attachment="html")
    sitrep_weekly_send(day=DAY)
    admin = _user(Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    for model in ("sitrepsubscription", "sitrepdispatch"):
        response = client.get(f"/admin/reports/{model}/")
        assert response.status_code == 200 and ann.username in response.content.decode()

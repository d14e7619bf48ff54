"""Issue 15: the weekly situation report is e-mailed by the scheduled job
(``reliefops.reports.sitrep_weekly_send``) through a real Celery worker on Redis, the mail
captured by Django's file backend in the worker's process; the job run again (beat firing
twice, a retry) sends nobody the week's report a second time (CI: Redis + PostgreSQL;
skipped without a broker unless RELIEFOPS_REQUIRE_CELERY is set); and two runs at the same
time (PostgreSQL) send each subscriber once."""

from __future__ import annotations

import datetime as dt
import email
import threading
import time
from email import policy
from pathlib import Path
from typing import Any

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from reliefops.accounts.choices import Role
from reliefops.reports.models import SitrepDispatch
from reliefops.reports.services import sitrep_subscribe, sitrep_weekly_send
from reliefops.reports.tasks import sitrep_weekly_send_task
from tests.accounts.factories import make_user
from tests.celery_workers import celery_workers, wait_for

DAY = dt.date(2023, 10, 8)


def _mails(folder: Path) -> list[Any]:
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.log"))
    ]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_weekly_sitrep_through_a_real_worker_is_mailed_once(tmp_path: Path) -> None:
    subscribers = {}
    for name, attachment in (("ann", "pdf"), ("bob", "html")):
        user = make_user(Role.COORDINATOR, username=f"sitrep-{name}")
        user.email = f"{name}@example.org"
        user.save()
        sitrep_subscribe(actor=user, language="en", attachment=attachment)
        subscribers[name] = user
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    with celery_workers("celery", 1, env=env) as workers:
        worker = workers[0]
        first: Any = sitrep_weekly_send_task.delay(DAY.isoformat())
        wait_for(lambda: first.ready(), worker, seconds=180)
        assert first.get(timeout=10) == {"day": "2023-10-08", "sent": 2, "failed": 0, "skipped": 0}
        sent = sorted(p.name for p in mail_dir.glob("*.log"))
        second: Any = sitrep_weekly_send_task.delay(DAY.isoformat())
        wait_for(lambda: second.ready(), worker, seconds=180)
        assert second.get(timeout=10)["skipped"] == 2
    assert sorted(p.name for p in mail_dir.glob("*.log")) == sent  # nothing new
    mails = {str(m["To"]): m for m in _mails(mail_dir)}
    assert sorted(mails) == ["ann@example.org", "bob@example.org"]
    ann = mails["ann@example.org"]
    assert "Weekly situation report" in str(ann["Subject"])
    [attachment] = [p for p in ann.walk() if p.get_filename()]
    assert attachment.get_filename() == "sitrep-2023-10-08-en.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    [html] = [p for p in mails["bob@example.org"].walk() if p.get_filename()]
    assert html.get_filename() == "sitrep-2023-10-08-en.html"
    statuses = SitrepDispatch.objects.values_list("subscription__user__username", "status")
    assert sorted(statuses) == [("sitrep-ann", "sent"), ("sitrep-bob", "sent")]


class SlowMailbox(EmailBackend):
    """The test mailbox, slow enough for two runs of the job to overlap."""

    def send_messages(self, messages: Any) -> int:
        time.sleep(1.0)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_each_subscriber_once(
    settings: Any, mailoutbox: Any
) -> None:
    """Beat firing twice: two runs in parallel (each its own database connection); the
    dispatch row, created (bob) or locked (ann, whose last send failed) while its e-mail is
    sent, makes the second run wait and skip."""
    settings.EMAIL_BACKEND = f"{__name__}.SlowMailbox"
    for name in ("ann", "bob"):
        user = make_user(Role.FIELD, username=f"parallel-{name}")
        user.email = f"{name}@example.org"
        user.save()
        subscription = sitrep_subscribe(actor=user, language="en", attachment="html")
        if name == "ann":  # failed last time: both runs find it to retry
            SitrepDispatch.objects.create(
                subscription=subscription, report_date=DAY, status="failed", error="earlier"
            )
    results: list[dict[str, Any]] = []

    def run() -> None:
        try:
            results.append(sitrep_weekly_send(day=DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "bob@example.org"]
    assert sum(r["sent"] for r in results) == 2 and sum(r["skipped"] for r in results) == 2
    assert SitrepDispatch.objects.filter(status="sent").count() == 2

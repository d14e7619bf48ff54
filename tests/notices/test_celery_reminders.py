"""MUST HOLD 4 of issue 15 (the mechanism): the scheduled reminder task, sent through a
real Celery worker on Redis, delivers the e-mail (the worker writes it with Django's file
backend into a temporary folder), and a second run sends nothing new (CI: Redis +
PostgreSQL; skipped without a broker unless RELIEFOPS_REQUIRE_CELERY is set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reliefops.notices.choices import NoticeKind
from reliefops.notices.models import Notice
from reliefops.notices.tasks import reminders_send_task
from tests.celery_workers import celery_workers, wait_for
from tests.notices import helpers


def _mails(folder: Path) -> list[str]:
    return [p.read_text() for p in sorted(folder.glob("*.log"))]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overdue_reminder_through_a_real_worker_is_mailed_once(tmp_path: Path) -> None:
    s = helpers.scene()
    s.partner.email = "partner@example.org"
    s.partner.save()
    request = helpers.request_submit(s, needed_by=dt.date(2023, 10, 5))
    Notice.objects.all().delete()  # the submit's own notices are not the point here
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    overdue = Notice.objects.filter(kind=NoticeKind.REQUEST_OVERDUE)

    def mailed() -> bool:
        return (
            overdue.exists()
            and not overdue.filter(recipient=s.partner, emailed_at__isnull=True).exists()
        )

    with celery_workers("celery", 1, env=env) as workers:
        worker = workers[0]
        first: Any = reminders_send_task.delay(helpers.DAY.isoformat())
        wait_for(lambda: first.ready(), worker)
        wait_for(mailed, worker)
        assert first.get(timeout=10)["created"][NoticeKind.REQUEST_OVERDUE] >= 2
        sent = _mails(mail_dir)
        second: Any = reminders_send_task.delay(helpers.DAY.isoformat())
        wait_for(lambda: second.ready(), worker)
        assert second.get(timeout=10)["created"][NoticeKind.REQUEST_OVERDUE] == 0
    texts = "\n".join(sent)
    assert len(sent) == 1 and "To: partner@example.org" in texts
    assert f"Request {request.reference}" in texts and "was needed by 2023-10-05" in texts
    assert _mails(mail_dir) == sent  # the second run sent nothing new
    assert overdue.filter(recipient=s.partner).count() == 1

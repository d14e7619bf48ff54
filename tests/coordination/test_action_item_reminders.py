"""Issue 15, must hold 4: the overdue reminder of an action item is sent by the scheduled
job (``reliefops.notices.reminders_send``) through a real Celery worker on Redis, the
e-mail captured by Django's file backend in the worker's process; a second run of the job
sends nothing new. Also: creating an action item tells its owner (CI: Redis + PostgreSQL;
skipped without a broker unless RELIEFOPS_REQUIRE_CELERY is set)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from reliefops.accounts.choices import Role
from reliefops.coordination import services
from reliefops.notices.choices import NoticeKind
from reliefops.notices.models import Notice
from reliefops.notices.tasks import reminders_send_task
from tests.accounts.factories import make_user
from tests.celery_workers import celery_workers, wait_for
from tests.coordination.meeting_scene import scene_build

DAY = dt.date(2023, 10, 10)


def _item(s: Any, owner: Any = None) -> Any:
    decision = services.decision_record(
        actor=s.coordinator, agenda_item=s.meeting.agenda.first(), text="Fuel for the schools"
    )
    return services.decision_action_create(
        actor=s.coordinator,
        decision=decision,
        title="Deliver 2,000 l of heating oil to the schools",
        owner_organisation=s.own,
        owner_user=owner,
        due_date=dt.date(2023, 10, 1),
    )


@pytest.mark.django_db
def test_a_new_action_item_tells_its_owner_and_not_its_author() -> None:
    s = scene_build()
    owner = make_user(Role.FIELD, areas=[s.north], organisation=s.own)
    item = _item(s, owner)
    assigned = Notice.objects.filter(kind=NoticeKind.ACTION_ITEM_ASSIGNED, reference=item.reference)
    assert list(assigned.values_list("recipient", flat=True)) == [owner.pk]
    # without a named owner user: whoever may update action items for the owner
    # organisation in the meeting's area (the partner and field users of OWN in North)
    item = _item(s)
    recipients = set(
        Notice.objects.filter(reference=item.reference).values_list("recipient", flat=True)
    )
    assert s.partner.pk in recipients and s.field.pk in recipients
    assert s.coordinator.pk not in recipients  # the author is not told of their own step


def _mails(folder: Path) -> list[str]:
    return [p.read_text() for p in sorted(folder.glob("*.log"))]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overdue_action_item_reminder_through_a_real_worker_is_mailed_once(
    tmp_path: Path,
) -> None:
    s = scene_build()
    owner = make_user(Role.FIELD, areas=[s.north], organisation=s.own)
    owner.email = "owner@example.org"
    owner.save()
    item = _item(s, owner)
    Notice.objects.all().delete()  # the assignment notice is not the point here
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    overdue = Notice.objects.filter(kind=NoticeKind.ACTION_ITEM_OVERDUE, reference=item.reference)

    def mailed() -> bool:
        return overdue.filter(recipient=owner, emailed_at__isnull=False).exists()

    with celery_workers("celery", 1, env=env) as workers:
        worker = workers[0]
        first: Any = reminders_send_task.delay(DAY.isoformat())
        wait_for(lambda: first.ready(), worker)
        wait_for(mailed, worker)
        assert first.get(timeout=10)["created"][NoticeKind.ACTION_ITEM_OVERDUE] == 1
        sent = _mails(mail_dir)
        second: Any = reminders_send_task.delay(DAY.isoformat())
        wait_for(lambda: second.ready(), worker)
        assert second.get(timeout=10)["created"][NoticeKind.ACTION_ITEM_OVERDUE] == 0
    texts = "\n".join(m for m in sent if "owner@example.org" in m)
    assert "To: owner@example.org" in texts
    assert "Deliver 2,000 l of heating oil to the schools" in texts and "2023-10-01" in texts
    assert _mails(mail_dir) == sent  # the second run sent nothing new
    assert overdue.filter(recipient=owner).count() == 1

"""Retention (must-hold 4, first half): the purge erases expired personal data from the main
tables, from the record history (``Historical*`` tables, read with SQL) and from the media
folder, leaves what has not expired intact, and audits each kind's run with counts only."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from reliefops.coordination.meeting_models import Meeting, MeetingAttachment
from reliefops.core.models import AuditEvent
from reliefops.core.retention import (
    UnknownRetentionKind,
    retention_kinds,
    retention_purge,
)
from reliefops.core.tasks import retention_purge_task
from reliefops.intake.models import Submission
from reliefops.logistics.models import Delivery, Driver
from reliefops.people.choices import PersonStatus
from reliefops.people.models import IdentityAccess, Person
from reliefops.teams.choices import ReferralReason, TeamKind, Transport
from reliefops.teams.models import Referral, Team, Visit
from tests.accounts.factories import OrganisationFactory
from tests.logistics.factories import DeliveryFactory, DriverFactory
from tests.people.factories import PersonFactory
from tests.stock.factories import FacilityFactory, PlaceFactory

pytestmark = pytest.mark.django_db

KINDS = {
    "persons",
    "identity_access",
    "submissions",
    "drivers",
    "delivery_notes",
    "meeting_attachments",
}
NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=2000)  # beyond every default period
LATELY = NOW - dt.timedelta(days=10)  # within every default period


def _age(model: Any, pk: Any, **when: dt.datetime) -> None:
    """Move a row's timestamps into the past (``auto_now`` fields cannot be passed)."""
    model.objects.filter(pk=pk).update(**when)


def _history_rows(model: Any, **where: Any) -> list[dict[str, Any]]:
    """The record history of ``model`` read straight from its ``Historical*`` table."""
    table = model.history.model._meta.db_table
    columns = " AND ".join(f"{connection.ops.quote_name(k)} = %s" for k in where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {columns}", list(where.values()))
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return out.getvalue()


class World:
    """Expired and unexpired records of every kind, edited so they have history rows."""

    def __init__(self, media: Path) -> None:
        self.media = media
        org = OrganisationFactory()
        place = PlaceFactory()
        facility = FacilityFactory(kind="hospital", place=place)
        team = Team.objects.create(
            code="T-RET", name="Team", kind=TeamKind.MOBILE_MEDICAL, organisation=org,
            area=place.admin1,
        )  # fmt: skip
        self.persons: dict[str, Person] = {}
        for label, status, age in (
            ("expired", PersonStatus.INACTIVE, LONG_AGO),
            ("recent", PersonStatus.INACTIVE, LATELY),
            ("active", PersonStatus.ACTIVE, LONG_AGO),
        ):
            person = PersonFactory(place=place, phone="+994 50 123 4567", address="Street 1")
            person.year_of_birth = 1948  # an edit: a second history row
            person.save()
            person.status = status
            person.save()
            for days in (3, 40):
                visit = Visit.objects.create(
                    person=person, team=team, place=place, area=place.admin1,
                    visited_at=NOW - dt.timedelta(days=days),
                    follow_up_due=(NOW + dt.timedelta(days=7)).date(),
                )  # fmt: skip
                visit.services = ["medication"]
                visit.save()
            referral = Referral.objects.create(
                reference=f"R-{label}", person=person, team=team, facility=facility,
                area=place.admin1, referred_at=NOW, reason=ReferralReason.values[0],
                transport=Transport.AMBULANCE,
            )  # fmt: skip
            referral.status_at = NOW
            referral.save()
            IdentityAccess.objects.create(person=person, fields=["phone"], purpose="visit")
            _age(Person, person.pk, updated_at=age)
            self.persons[label] = person
        self.old_access = IdentityAccess.objects.create(
            person=self.persons["active"], fields=["full_name"], purpose="visit", reason="Named"
        )
        _age(IdentityAccess, self.old_access.pk, at=LONG_AGO)

        self.submissions = {}
        for label, status, received in (
            ("expired", "applied", LONG_AGO),
            ("waiting", "waiting", LONG_AGO),
            ("recent", "applied", LATELY),
        ):
            self.submissions[label] = Submission.objects.create(
                client_id=uuid.uuid4(), kind="deliveries", body_sha256="0" * 64,
                data={"receiver_name": f"Receiver {label}"}, source="api", status=status,
                reason="names Receiver", received_at=received,
            )  # fmt: skip

        self.drivers = {}
        for label, active, age in (
            ("expired", False, LONG_AGO),
            ("recent", False, LATELY),
            ("active", True, LONG_AGO),
        ):
            driver = DriverFactory(organisation=org, name=f"Driver {label}")
            driver.languages = "az, ru"
            driver.is_active = active
            driver.save()
            _age(Driver, driver.pk, updated_at=age)
            self.drivers[label] = driver

        self.deliveries = {}
        for label, received in (("expired", LONG_AGO), ("recent", LATELY)):
            delivery = DeliveryFactory(
                receiver_name=f"Receiver {label}",
                note="Signed by the director",
                received_at=received,
            )
            delivery.photo.save(f"{label}.png", ContentFile(_png()))
            self.deliveries[label] = delivery

        meeting = Meeting.objects.create(
            reference="M-RET", title="Meeting", kind="bilateral", organisation=org,
            starts_at=NOW, place=place, area=place.admin1,
        )  # fmt: skip
        self.attachments = {}
        for label, created in (("expired", LONG_AGO), ("recent", LATELY)):
            attachment = MeetingAttachment(
                meeting=meeting, name="minutes.png", content_type="image/png", size=10
            )
            attachment.file.save(f"{label}.png", ContentFile(_png()))
            _age(MeetingAttachment, attachment.pk, created_at=created)
            self.attachments[label] = attachment

    def files(self) -> set[str]:
        return {p.relative_to(self.media).as_posix() for p in self.media.rglob("*") if p.is_file()}


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(tmp_path / "media")


def test_every_kind_of_personal_data_is_declared() -> None:
    kinds = retention_kinds()
    assert set(kinds) == KINDS
    from django.conf import settings

    assert set(settings.RELIEFOPS_RETENTION) == KINDS  # each has its period in the settings


def test_the_purge_erases_expired_data_from_tables_history_and_disk(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    expired, recent, active = (world.persons[k] for k in ("expired", "recent", "active"))
    assert len(_history_rows(Person, id=expired.pk)) == 3
    assert len(_history_rows(Visit, person_id=expired.pk)) == 4
    assert len(world.files()) == 4  # two delivery photos, two attachments

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = {o.kind: o for o in retention_purge(now=NOW)}

    assert set(outcomes) == KINDS
    # persons: the expired one erased, with its history and its visits' and referrals' history
    erased = Person.objects.get(pk=expired.pk)
    assert erased.status == PersonStatus.ERASED
    assert (erased.full_name, erased.phone, erased.address, erased.year_of_birth) == (None,) * 4
    rows = _history_rows(Person, id=expired.pk)
    assert len(rows) == 1 and rows[0]["year_of_birth"] is None  # only the erasure's own row
    assert rows[0]["status"] == PersonStatus.ERASED
    assert _history_rows(Visit, person_id=expired.pk) == []
    assert _history_rows(Referral, person_id=expired.pk) == []
    assert not Visit.objects.filter(person=expired).exclude(follow_up_due=None).exists()
    assert Visit.objects.filter(person=expired).count() == 2  # pseudonymous counts stay
    assert outcomes["persons"].counts == {
        "persons_erased": 1,
        "history_rows_deleted": 3,
        "visits_erased": 6,  # 4 history rows + 2 follow-ups
        "referrals_erased": 2,
    }
    for kept in (recent, active):
        again = Person.objects.get(pk=kept.pk)
        assert again.status != PersonStatus.ERASED and again.phone == "+994 50 123 4567"
        assert len(_history_rows(Person, id=kept.pk)) == 3
        assert len(_history_rows(Visit, person_id=kept.pk)) == 4
        assert len(_history_rows(Referral, person_id=kept.pk)) == 2
    # identity access log: the old entry deleted, the recent ones kept
    assert not IdentityAccess.objects.filter(pk=world.old_access.pk).exists()
    assert IdentityAccess.objects.count() == 3
    # submissions: the expired record as sent erased; the waiting one and the recent one kept
    subs = {k: Submission.objects.get(pk=s.pk) for k, s in world.submissions.items()}
    assert subs["expired"].data == {} and subs["expired"].reason == ""
    assert subs["expired"].purged_at is not None and subs["expired"].body_sha256 == "0" * 64
    assert subs["waiting"].data == {"receiver_name": "Receiver waiting"}
    assert subs["recent"].data == {"receiver_name": "Receiver recent"}
    # drivers: the inactive, long-unchanged one anonymised, its history gone
    gone = Driver.objects.get(pk=world.drivers["expired"].pk)
    assert (gone.name, gone.phone, gone.licence_number) == ("(erased)", None, None)
    assert _history_rows(Driver, id=gone.pk) == []
    for label in ("recent", "active"):
        kept_driver = Driver.objects.get(pk=world.drivers[label].pk)
        assert kept_driver.name == f"Driver {label}" and kept_driver.phone
        assert [r["name"] for r in _history_rows(Driver, id=kept_driver.pk)] == [
            f"Driver {label}"
        ] * 2
    # proofs of delivery and meeting attachments: rows and files
    old_delivery = Delivery.objects.get(pk=world.deliveries["expired"].pk)
    assert (old_delivery.receiver_name, old_delivery.note, old_delivery.photo.name) == (
        "(erased)",
        "",
        "",
    )
    new_delivery = Delivery.objects.get(pk=world.deliveries["recent"].pk)
    assert new_delivery.receiver_name == "Receiver recent" and new_delivery.photo
    assert not MeetingAttachment.objects.filter(pk=world.attachments["expired"].pk).exists()
    assert MeetingAttachment.objects.filter(pk=world.attachments["recent"].pk).exists()
    on_disk = world.files()
    assert world.deliveries["expired"].photo.name not in on_disk
    assert world.attachments["expired"].file.name not in on_disk
    assert new_delivery.photo.name in on_disk
    assert world.attachments["recent"].file.name in on_disk
    assert len(on_disk) == 2

    # one audit event per kind, counts only: no name, phone or text of the purged records
    events = AuditEvent.objects.filter(action="retention.purge")
    assert {e.after["kind"]: e.after["counts"] for e in events} == {
        k: o.counts for k, o in outcomes.items()
    }
    assert all(e.actor is None for e in events)
    trail = json.dumps([e.after for e in AuditEvent.objects.all()])
    for secret in ("Driver expired", "Receiver expired", "+994", "Named", "Signed by"):
        assert secret not in trail
    assert AuditEvent.objects.filter(
        action="person.erase", object_id=str(expired.pk), after__retention=True
    ).exists()

    # a second run finds nothing left to do
    again = retention_purge(now=NOW)
    assert all(not any(o.counts.values()) for o in again)


def test_a_dry_run_counts_the_same_and_changes_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    before = world.files()
    with django_capture_on_commit_callbacks(execute=True):
        dry = {o.kind: o.counts for o in retention_purge(dry_run=True, now=NOW)}
    assert dry["persons"]["persons_erased"] == 1 and dry["drivers"]["drivers_anonymised"] == 1
    assert world.files() == before
    assert Person.objects.get(pk=world.persons["expired"].pk).phone == "+994 50 123 4567"
    assert len(_history_rows(Person, id=world.persons["expired"].pk)) == 3
    assert not AuditEvent.objects.filter(action__in=["retention.purge", "person.erase"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        real = {o.kind: o.counts for o in retention_purge(now=NOW)}
    assert real == dry


def test_periods_come_from_the_settings(world: World, settings: Any) -> None:
    settings.RELIEFOPS_RETENTION = {**settings.RELIEFOPS_RETENTION, "persons": None}
    outcome = retention_purge(kinds=["persons"], now=NOW)[0]
    assert outcome.skipped and outcome.counts == {}
    assert Person.objects.get(pk=world.persons["expired"].pk).status == PersonStatus.INACTIVE
    settings.RELIEFOPS_RETENTION = {**settings.RELIEFOPS_RETENTION, "persons": 5}
    outcome = retention_purge(kinds=["persons"], now=NOW)[0]
    assert outcome.counts["persons_erased"] == 2  # the recently inactive one too (10 days)
    with pytest.raises(UnknownRetentionKind):
        retention_purge(kinds=["persons", "nonsense"])


def test_the_command_and_the_beat_task(world: World) -> None:
    out = io.StringIO()
    call_command("retention_purge", "--dry-run", "--kind", "drivers", stdout=out)
    assert "drivers anonymised: 1" in out.getvalue() and "would" in out.getvalue()
    assert Driver.objects.get(pk=world.drivers["expired"].pk).name == "Driver expired"
    out = io.StringIO()
    call_command("retention_purge", "--kind", "drivers", "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["counts"]["drivers_anonymised"] == 1
    with pytest.raises(CommandError, match="unknown retention kind"):
        call_command("retention_purge", "--kind", "nonsense")
    from django.conf import settings

    assert (
        settings.CELERY_BEAT_SCHEDULE["core-retention-purge"]["task"] == retention_purge_task.name
    )
    done = retention_purge_task.delay().get()
    assert {d["kind"] for d in done} == KINDS
    assert AuditEvent.objects.filter(action="retention.purge").count() == len(KINDS) + 1

"""The data migration 0003: a database with 3W presence rows, migrated to the new state,
holds one 4W activity per presence with every field carried over (organisation, area,
sector, activity text, start, end, who and when; the id too), and presence is gone.

The test database is migrated back to ``coordination 0002`` (presence and activities side
by side), presence rows are written through that state's models, then it is migrated
forward to the latest state."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("coordination", "0003_activities")]
AFTER = [("coordination", "0004_presence_to_activities")]
migration = importlib.import_module("reliefops.coordination.migrations.0004_presence_to_activities")


def _migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_presence_becomes_an_activity_with_every_field() -> None:
    area = AdminAreaFactory(code="QQ-M", level=1)
    other_area = AdminAreaFactory(code="QQ-O", level=1)
    org = OrganisationFactory(acronym="MIGR")
    user = UserFactory()
    apps = _migrate(BEFORE)
    try:
        Presence = apps.get_model("coordination", "Presence")
        today = dt.date.today()
        rows = [
            {
                "organisation_id": org.pk,
                "area_id": area.pk,
                "sector": "health",
                "activity": "First aid posts",
                "start_date": dt.date(2023, 9, 25),
                "end_date": None,
                "created_by_id": user.pk,
            },
            {
                "organisation_id": org.pk,
                "area_id": other_area.pk,
                "sector": "food",
                "activity": "",
                "start_date": dt.date(2023, 9, 1),
                "end_date": dt.date(2023, 9, 30),
            },
            {
                "organisation_id": org.pk,
                "area_id": area.pk,
                "sector": "energy",
                "activity": "Heating fuel",
                "start_date": today + dt.timedelta(days=10),
                "end_date": None,
            },
        ]
        stamp = dt.datetime(2023, 9, 26, 8, 0, tzinfo=dt.UTC)
        presences = []
        for n, row in enumerate(rows):
            presence = Presence.objects.create(**row)
            Presence.objects.filter(pk=presence.pk).update(
                created_at=stamp + dt.timedelta(hours=n), updated_at=stamp + dt.timedelta(days=1)
            )
            presences.append(Presence.objects.get(pk=presence.pk))
    finally:
        apps = _migrate(AFTER)

    Activity = apps.get_model("coordination", "Activity")
    assert Activity.objects.count() == 3
    for n, presence in enumerate(presences):
        activity = Activity.objects.get(pk=presence.pk)
        assert activity.reference == f"4W-{n + 1:05d}"
        for name in (
            "organisation_id",
            "area_id",
            "sector",
            "activity",
            "start_date",
            "end_date",
            "created_by_id",
            "updated_by_id",
            "created_at",
            "updated_at",
        ):
            assert getattr(activity, name) == getattr(presence, name), name
    statuses = [Activity.objects.get(pk=p.pk).status for p in presences]
    assert statuses == ["ongoing", "completed", "planned"]
    tables = connection.introspection.table_names()
    assert "coordination_presence" not in tables and "coordination_activity" in tables


def test_the_status_follows_the_dates_on_the_day() -> None:
    day = dt.date(2023, 10, 1)
    status = migration.activity_status
    assert status(None, None, day) == "ongoing"
    assert status(dt.date(2023, 9, 1), dt.date(2023, 9, 30), day) == "completed"
    assert status(dt.date(2023, 10, 2), None, day) == "planned"
    assert status(dt.date(2023, 9, 1), dt.date(2023, 10, 1), day) == "ongoing"

"""The due dates' cache (:class:`~reliefops.teams.models.PersonDue`): the one place that
writes it.

Deciding who is due reads every candidate a coverage rule may match, their last visits and
their merged records (:func:`reliefops.teams.selectors.due.due_decide`): about a second
for a national registry of 100,000 persons. The due list, the dashboard and the planner
read the stored result instead. It is kept up to date the way
:mod:`reliefops.places.caches` keeps its caches (signals for caches only, never business
rules):

* a saved or deleted :class:`~reliefops.teams.models.Visit`, a saved
  :class:`~reliefops.people.models.Person` (its rule fields, its status, a merge into
  another record) or :class:`~reliefops.people.models.PersonMerge` (a merge undone)
  rebuilds the rows of the people concerned, in the writing transaction, so the writer and
  everyone after the commit read the new due dates;
* a saved or deleted :class:`~reliefops.teams.models.CoverageRule` rebuilds every row;
* every night (``reliefops.teams.due_store_refresh``, beat) everything is rebuilt: a rule's
  age condition moves with the calendar;
* bulk writers that bypass signals (``bulk_create``, ``update``: the benchmark loaders,
  data fixes) call :func:`due_store_refresh` themselves, as does ``reliefops
  due_refresh``; a database migrated to this table with people already in it is filled
  after ``migrate``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

logger = logging.getLogger(__name__)


def due_store_refresh(person_ids: Iterable[Any] | None = None) -> int:
    """Rebuild the stored due dates of ``person_ids`` (and of the people they are merged
    into), or of everyone (None). Returns the number of rows written."""
    from reliefops.people.selectors import person_merged_into, person_records_all
    from reliefops.teams.models import CoverageRule, PersonDue
    from reliefops.teams.selectors.due import due_decide

    on = timezone.localdate()
    rules = list(CoverageRule.objects.filter(is_active=True))
    with transaction.atomic():
        if person_ids is None:
            people, stored = person_records_all(), PersonDue.objects.all()
        else:
            pks = person_merged_into(person_ids)
            if not pks:
                return 0
            people = person_records_all().filter(pk__in=pks)
            stored = PersonDue.objects.filter(person_id__in=pks)
        decided = due_decide(people, rules=rules, on=on) if rules else []
        stored.exclude(person_id__in=[d.pk for d in decided]).delete()
        # an upsert: two writers refreshing the same person at once both succeed
        PersonDue.objects.bulk_create(
            [
                PersonDue(
                    person_id=d.pk,
                    due_date=d.due_date,
                    interval_days=d.interval_days,
                    last_visit_at=d.last_visit,
                    follow_up_due=d.follow_up_due,
                    computed_on=on,
                )
                for d in decided
            ],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=[
                "due_date",
                "interval_days",
                "last_visit_at",
                "follow_up_due",
                "computed_on",
            ],
        )
        through = PersonDue.rules.through
        links = through.objects.all()
        if person_ids is not None:
            links = links.filter(persondue_id__in=pks)
        links.delete()
        through.objects.bulk_create(
            [
                through(persondue_id=d.pk, coveragerule_id=rule.pk)
                for d in decided
                for rule in d.rules
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
    return len(decided)


# --------------------------------------------------------------------------- signals


# (``raw``: rows loaded from a fixture or a restore, which brings its own due dates)


def _person_changed(sender: type[Any], instance: Any, raw: bool = False, **_: Any) -> None:
    if not raw:
        due_store_refresh([instance.pk, getattr(instance, "merged_into_id", None)])


def _visit_changed(sender: type[Any], instance: Any, raw: bool = False, **_: Any) -> None:
    if not raw:
        due_store_refresh([instance.person_id])


def _merge_changed(sender: type[Any], instance: Any, raw: bool = False, **_: Any) -> None:
    if not raw:
        due_store_refresh([instance.survivor_id, instance.duplicate_id])


def _rule_changed(sender: type[Any], raw: bool = False, **_: Any) -> None:
    if not raw:
        due_store_refresh()


def _fill_after_migrate(sender: Any, using: str = "default", **_: Any) -> None:
    """A database that has people and rules but no stored due dates (migrated from before
    the cache) is filled once."""
    from django.db import connections

    from reliefops.teams.models import CoverageRule, PersonDue

    tables = connections[using].introspection.table_names()
    if PersonDue._meta.db_table not in tables:
        return
    if PersonDue.objects.using(using).exists():
        return
    if not CoverageRule.objects.using(using).filter(is_active=True).exists():
        return
    written = due_store_refresh()
    if written:
        logger.info("due dates stored for %s people", written)


def connect(app_config: Any) -> None:
    """Connect the writes that change due dates (called from ``AppConfig.ready``)."""
    for model, handler in (  # (models of another app by name: lazy senders)
        ("people.Person", _person_changed),
        ("teams.Visit", _visit_changed),
        ("people.PersonMerge", _merge_changed),
        ("teams.CoverageRule", _rule_changed),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"teams-due-save-{model}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"teams-due-delete-{model}")
    post_migrate.connect(_fill_after_migrate, sender=app_config, dispatch_uid="teams-due-fill")

"""Merging duplicate records, undoing a merge, and dismissing a suggested pair.

A merge is non-destructive: the duplicate record stays with all its history, marked
``merged`` and pointing at the survivor; other apps count the records merged into a
survivor with it (:func:`reliefops.people.selectors.person_record_ids`). Only the
data-protection officer undoes a merge (``person.unmerge``); the duplicate gets back the
status it had. Both records' areas must be the actor's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput, _jsonable
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import PersonStatus
from reliefops.people.models import DuplicateDismissal, Person, PersonMerge

#: Statuses a record may be merged from (and gets back when the merge is undone).
_MERGEABLE = (PersonStatus.ACTIVE, PersonStatus.INACTIVE)
_STATUS_KEY = "duplicate_status"


def _distinct(first: Person, second: Person) -> None:
    if first.pk == second.pk:
        raise InvalidInput(_("A record cannot be a duplicate of itself."), field="duplicate")


def person_merge(
    *, actor: Actor, survivor: Person, duplicate: Person, evidence: Mapping[str, Any]
) -> PersonMerge:
    """Merge ``duplicate`` into ``survivor`` (``person.merge`` in both areas)."""
    require_write(
        actor,
        Action.PERSON_MERGE,
        area=survivor.area,
        organisation=UNSCOPED,
        new_area=duplicate.area,
    )
    _distinct(survivor, duplicate)
    if survivor.status not in _MERGEABLE or duplicate.status not in _MERGEABLE:
        raise Conflict(
            _("Only records that are not merged or erased can be merged."),
            code="person_not_mergeable",
            survivor=survivor.reference,
            duplicate=duplicate.reference,
        )
    if not isinstance(evidence, Mapping):
        raise InvalidInput(_("The evidence is a set of named values."), field="evidence")
    author = actor_user(actor)
    with transaction.atomic():
        merge = PersonMerge.objects.create(
            survivor=survivor,
            duplicate=duplicate,
            evidence={**_jsonable(dict(evidence)), _STATUS_KEY: duplicate.status},
            created_by=author,
            updated_by=author,
        )
        duplicate.status = PersonStatus.MERGED
        duplicate.merged_into = survivor
        duplicate.updated_by = author
        duplicate.save()
        audit_record(
            actor=actor,
            action="person.merge",
            obj=merge,
            after={"survivor": survivor.reference, "duplicate": duplicate.reference},
        )
    return merge


def merge_undo(*, actor: Actor, merge: PersonMerge) -> PersonMerge:
    """Undo ``merge``: the duplicate is its own record again (``person.unmerge``, the
    data-protection officer's, in both areas)."""
    duplicate = Person.objects.get(pk=merge.duplicate_id)
    survivor = Person.objects.get(pk=merge.survivor_id)
    require_write(
        actor,
        Action.PERSON_UNMERGE,
        area=duplicate.area,
        organisation=UNSCOPED,
        new_area=survivor.area,
    )
    if merge.undone_at is not None:
        raise Conflict(_("This merge was undone already."), code="merge_undone")
    if duplicate.status != PersonStatus.MERGED or duplicate.merged_into_id != survivor.pk:
        raise Conflict(_("The merged record has changed since."), code="merge_stale")
    author = actor_user(actor)
    with transaction.atomic():
        duplicate.status = merge.evidence.get(_STATUS_KEY, PersonStatus.ACTIVE)
        duplicate.merged_into = None
        duplicate.updated_by = author
        duplicate.save()
        merge.undone_at = timezone.now()
        merge.undone_by = author
        merge.updated_by = author
        merge.save()
        audit_record(
            actor=actor,
            action="person.unmerge",
            obj=merge,
            after={"survivor": survivor.reference, "duplicate": duplicate.reference},
        )
    return merge


def duplicate_dismiss(*, actor: Actor, first: Person, second: Person) -> DuplicateDismissal:
    """Record that ``first`` and ``second`` are different people (no longer suggested)."""
    require_write(
        actor, Action.PERSON_MERGE, area=first.area, organisation=UNSCOPED, new_area=second.area
    )
    _distinct(first, second)
    a, b = sorted((first, second), key=lambda p: str(p.pk))
    author = actor_user(actor)
    with transaction.atomic():
        dismissal, created = DuplicateDismissal.objects.get_or_create(
            first=a, second=b, defaults={"created_by": author, "updated_by": author}
        )
        if created:
            audit_record(
                actor=actor,
                action="person.duplicate_dismiss",
                obj=dismissal,
                after={"first": a.reference, "second": b.reference},
            )
    return dismissal

"""Reads of the people registry, scoped by the caller's access.

A person is seen by whoever may ``person.read`` in the person's area (the admin1 of
their village): a field worker's membership areas are their team's areas. Roles without
``person.read`` (logistics, partners, viewers) see no person, only suppressed counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.accounts.choices import Role
from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.permissions import (
    Actor,
    require,
    scope_queryset,
    user_can,
    user_roles,
)
from reliefops.core.privacy import shown, suppress
from reliefops.people import duplicates
from reliefops.people.choices import AgeBand, PersonStatus, Sex, Vulnerability
from reliefops.people.duplicates import DuplicateCandidate
from reliefops.people.models import (
    IDENTITY_FIELDS,
    DuplicateDismissal,
    IdentityAccess,
    Person,
    PersonMerge,
)
from reliefops.people.services.consent import consent_in_force


def person_scope(actor: Actor | None, *, action: Action = Action.PERSON_READ) -> QuerySet[Any]:
    """The people ``actor`` may take ``action`` on (by area only: a joint team serves
    people registered by any organisation)."""
    return scope_queryset(
        actor, Person.objects.select_related("place", "area"), area_field="area", action=action
    )


def person_lookup(actor: Actor | None, reference: str) -> Person:
    """The person with this pseudonymous reference, if ``actor`` may read them."""
    person = person_scope(actor).filter(reference=reference).first()
    if person is None:
        raise NotFound(_("No such person."), reference=reference)
    return person


# --------------------------------------------------------------------------- fields by role

#: The record fields a field worker's page, list and export need.
FIELD_WORK_FIELDS: tuple[str, ...] = (
    "reference",
    "status",
    "age_band",
    "sex",
    "place",
    "lives_alone",
    "mobility",
    "languages",
    "vulnerabilities",
    "consent",
)
#: What coordinators and the data-protection officer see besides.
COORDINATION_FIELDS: tuple[str, ...] = (
    *FIELD_WORK_FIELDS,
    "year_of_birth",
    "household",
    "organisation",
    "registered_on",
)
#: Role → the non-identity fields it sees (identity only ever through a logged reveal).
ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    Role.FIELD: FIELD_WORK_FIELDS,
    Role.COORDINATOR: COORDINATION_FIELDS,
    Role.DPO: COORDINATION_FIELDS,
    Role.ADMIN: COORDINATION_FIELDS,
}


def person_fields_for(actor: Actor | None) -> tuple[str, ...]:
    """The record fields ``actor``'s roles need, in :data:`COORDINATION_FIELDS` order
    (empty for roles that read no person); never an identity field."""
    if not user_can(actor, Action.PERSON_READ):
        return ()
    wanted: set[str] = set()
    for role in user_roles(actor):
        wanted.update(ROLE_FIELDS.get(role, ()))
    return tuple(name for name in COORDINATION_FIELDS if name in wanted)


def _field_value(person: Person, name: str) -> Any:
    if name == "place":
        return person.place.code
    if name == "household":
        return person.household.reference if person.household is not None else None
    if name == "organisation":
        return person.organisation.acronym
    if name == "consent":
        return consent_in_force(person)
    if name in ("languages", "vulnerabilities"):
        return list(getattr(person, name) or [])
    return getattr(person, name)


def person_row(actor: Actor | None, person: Person) -> dict[str, Any]:
    """``person`` as ``actor`` may see it: the fields of :func:`person_fields_for`
    (related records by code, consent as ``{purpose: in force}``)."""
    return {name: _field_value(person, name) for name in person_fields_for(actor)}


def person_list(actor: Actor | None, *, status: str | None = PersonStatus.ACTIVE) -> QuerySet[Any]:
    """The people ``actor`` may read (active ones by default), with their joins."""
    qs = person_scope(actor).select_related("household", "organisation")
    return qs.filter(status=status) if status else qs


def person_record_ids(person: Person) -> list[Any]:
    """``person`` and every record merged into it (or into those), merges not undone."""
    return person_record_ids_many([person.pk])[person.pk]


#: From this many people on, :func:`person_record_ids_many` reads every merged record once
#: (a short list, by status) instead of sending the people's ids (thousands of parameters
#: cost more than the read: a national due list asks for ≈10,000).
RECORD_IDS_READ_ALL_MERGED_FROM = 1000


def person_records_all() -> QuerySet[Any]:
    """Every record, unscoped: for system jobs that act for no user (the due dates'
    cache, :mod:`reliefops.teams.due_store`), never for a page."""
    return Person.objects.all()


def person_merged_into(pks: Iterable[Any]) -> set[Any]:
    """The records ``pks`` and every record they are merged into, up every level."""
    found: set[Any] = set()
    frontier = {pk for pk in pks if pk is not None}
    while frontier:
        found |= frontier
        above = Person.objects.filter(pk__in=frontier, merged_into__isnull=False)
        frontier = set(above.values_list("merged_into_id", flat=True)) - found
    return found


def person_record_ids_many(pks: Iterable[Any]) -> dict[Any, list[Any]]:
    """:func:`person_record_ids` of many people at once: one query per depth of merging
    (not one per person), or one in all for many people, for lists such as the due list."""
    records: dict[Any, list[Any]] = {pk: [pk] for pk in pks}
    owner = {pk: pk for pk in records}  # record → the person whose records it joins
    frontier = list(records)
    merged_into: dict[Any, list[Any]] | None = None
    if len(records) >= RECORD_IDS_READ_ALL_MERGED_FROM:
        merged_into = defaultdict(list)
        for pk, into in Person.objects.filter(
            status=PersonStatus.MERGED, merged_into_id__isnull=False
        ).values_list("pk", "merged_into_id"):
            merged_into[into].append(pk)
    while frontier:
        if merged_into is not None:
            below: Iterable[tuple[Any, Any]] = [
                (pk, into) for into in frontier for pk in merged_into.get(into, ())
            ]
        else:
            below = Person.objects.filter(
                merged_into_id__in=frontier, status=PersonStatus.MERGED
            ).values_list("pk", "merged_into_id")
        frontier = []
        for pk, into in below:
            if pk in owner:
                continue
            owner[pk] = owner[into]
            records[owner[pk]].append(pk)
            frontier.append(pk)
    return records


# --------------------------------------------------------------------------- duplicates


def _excluded_pairs() -> set[frozenset[Any]]:
    pairs = {frozenset(p) for p in DuplicateDismissal.objects.values_list("first", "second")}
    pairs |= {
        frozenset(p)
        for p in PersonMerge.objects.filter(undone_at__isnull=True).values_list(
            "survivor", "duplicate"
        )
    }
    return pairs


def duplicate_candidates(
    actor: Actor | None,
    *,
    person: Person | None = None,
    limit: int = 200,
    action: Action = Action.PERSON_MERGE,
) -> list[DuplicateCandidate]:
    """Possible duplicates among the active people ``actor`` may ``action`` (best first);
    with ``person``, only the pairs that include them (see :mod:`..duplicates`)."""
    scope = person_scope(actor, action=action).filter(status=PersonStatus.ACTIVE)
    if person is not None:
        scope = scope.filter(place_id=person.place_id)
    found = duplicates.candidates_among(scope, excluded=_excluded_pairs())
    if person is not None:
        found = [f for f in found if person.pk in (f[0].pk, f[1].pk)]
    found = found[:limit]
    people = Person.objects.select_related("place", "area").in_bulk(
        [pk for a, b, _e in found for pk in (a.pk, b.pk)]
    )
    return [
        DuplicateCandidate(people[a.pk], people[b.pk], evidence["name_similarity"], evidence)
        for a, b, evidence in found
    ]


def merge_list(actor: Actor | None, *, undone: bool | None = None) -> QuerySet[Any]:
    """Merges of records ``actor`` may read (newest first)."""
    qs = scope_queryset(
        actor,
        PersonMerge.objects.select_related("survivor", "duplicate", "created_by", "undone_by"),
        area_field="duplicate__area",
        action=Action.PERSON_READ,
    )
    if undone is not None:
        qs = qs.filter(undone_at__isnull=not undone)
    return qs.order_by("-created_at")


# --------------------------------------------------------------------------- access log


def identity_access_log(
    actor: Actor | None,
    *,
    person: Person | None = None,
    user: Any = None,
    since: dt.datetime | dt.date | None = None,
    until: dt.datetime | dt.date | None = None,
) -> QuerySet[Any]:
    """Who saw whose identity, when and why (``access_log.view``: the data-protection
    officer), newest first; refused for anyone else."""
    require(actor, Action.ACCESS_LOG_VIEW)
    qs = scope_queryset(
        actor,
        IdentityAccess.objects.select_related("user", "person"),
        area_field="person__area",
        action=Action.ACCESS_LOG_VIEW,
    )
    if person is not None:
        qs = qs.filter(person=person)
    if user is not None:
        qs = qs.filter(user=user)
    if since is not None:
        qs = qs.filter(at__date__gte=since) if _is_day(since) else qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__date__lte=until) if _is_day(until) else qs.filter(at__lt=until)
    return qs.order_by("-at")


def _is_day(value: dt.date | dt.datetime) -> bool:
    return not isinstance(value, dt.datetime)


# --------------------------------------------------------------------------- counts, history

#: What :func:`people_counts` can count by.
COUNT_BY = ("area", "place", "age_band", "sex", "vulnerability")


def people_counts(actor: Actor | None, *, by: str) -> list[dict[str, Any]]:
    """Active people in ``actor``'s areas by ``by`` (:data:`COUNT_BY`), every count passed
    through :func:`~reliefops.core.privacy.suppress` (``count`` None and ``shown`` "<5"
    for 1–4 people). Any role sees counts; none sees who is counted."""
    if by not in COUNT_BY:
        raise InvalidInput(_("Not something people are counted by."), field="by")
    qs = scope_queryset(actor, Person.objects.filter(status=PersonStatus.ACTIVE), area_field="area")
    totals: dict[str, int] = {}
    labels: dict[str, str] = {}
    if by == "vulnerability":
        for codes in qs.values_list("vulnerabilities", flat=True):
            for code in codes or []:
                totals[code] = totals.get(code, 0) + 1
        labels = {str(v): str(label) for v, label in Vulnerability.choices}
    else:
        key = {"area": "area__code", "place": "place__code"}.get(by, by)
        for row in qs.values(key).annotate(n=Count("pk")).order_by(key):
            totals[row[key] or ""] = row["n"]
        if by == "age_band":
            labels = {str(v): str(label) for v, label in AgeBand.choices}
        elif by == "sex":
            labels = {str(v): str(label) for v, label in Sex.choices}
    return [
        {"key": key, "label": labels.get(key, key), "count": suppress(n), "shown": shown(n)}
        for key, n in sorted(totals.items())
    ]


def _verbose(name: str) -> str:
    field = Person._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def person_history(actor: Actor | None, person: Person) -> list[dict[str, Any]]:
    """The record's history (oldest first) as ``actor`` may read it: when, by whom, what
    changed (identity fields are not in the history at all)."""
    readable = person_scope(actor).filter(pk=person.pk).exists()
    if not readable:
        raise NotFound(_("No such person."), reference=person.reference)
    visible = set(person_fields_for(actor)) | {"status", "inactive_reason", "merged_into"}
    rows = list(person.history.select_related("history_user").order_by("history_date"))  # type: ignore[attr-defined]
    result: list[dict[str, Any]] = []
    previous: Any = None
    for row in rows:
        changed: dict[str, tuple[Any, Any]] = {}
        if previous is not None:
            delta = row.diff_against(previous)
            changed = {c.field: (c.old, c.new) for c in delta.changes if c.field in visible}
        result.append(
            {
                "at": row.history_date,
                "user": row.history_user.get_username() if row.history_user else "",
                "type": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                "changes": changed,
                "fields": [_verbose(name) for name in changed],
            }
        )
        previous = row
    return result


def person_form_choices(actor: Actor | None) -> dict[str, Any]:
    """The villages and organisations a registration form offers ``actor``."""
    from reliefops.core.permissions import allowed_area_ids, user_organisation_ids
    from reliefops.organisations.selectors import organisation_list
    from reliefops.places.selectors import place_list

    places = place_list(actor=actor).filter(admin1__isnull=False)  # type: ignore[arg-type]
    areas = allowed_area_ids(actor, Action.PERSON_REGISTER)
    if areas is not None:
        places = places.filter(admin1__in=areas)
    organisations = organisation_list(actor=actor)  # type: ignore[arg-type]
    own = user_organisation_ids(actor, Action.PERSON_REGISTER)
    if own is not None:
        organisations = organisations.filter(pk__in=own)
    return {"places": places, "organisations": organisations}


def person_area_choices(actor: Actor | None) -> list[Any]:
    """The areas of the people ``actor`` sees (the list's area filter)."""
    from reliefops.places.selectors import admin_areas_among

    ids = person_scope(actor).values_list("area_id", flat=True).distinct()
    return list(admin_areas_among([i for i in ids if i]))


def person_place_choices(actor: Actor | None) -> list[Any]:
    """The villages of the people ``actor`` sees (the list's place filter)."""
    from reliefops.places.selectors import place_list

    places = place_list(actor=actor).filter(  # type: ignore[arg-type]
        pk__in=person_scope(actor).values("place_id")
    )
    return sorted(places, key=lambda p: p.name)


# --- added for plandb


def person_identity_fields() -> tuple[str, ...]:
    """The encrypted identity fields of a person: lists that never show them defer them
    (loading them decrypts every row)."""
    return IDENTITY_FIELDS

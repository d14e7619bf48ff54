"""Reads of the people registry, scoped by the caller's access.

A person is seen by whoever may ``person.read`` in the person's area (the admin1 of
their village): a field worker's membership areas are their team's areas. Roles without
``person.read`` (logistics, partners, viewers) see no person, only suppressed counts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, scope_queryset
from reliefops.people.models import Person


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


# --- added for pweb (replaced by pcore at merge)

import datetime as _dt  # noqa: E402
import unicodedata  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from django.db.models import Count  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from unidecode import unidecode  # noqa: E402

from reliefops.core.permissions import user_can  # noqa: E402
from reliefops.core.privacy import suppress  # noqa: E402
from reliefops.people.models import DuplicateDismissal, IdentityAccess, PersonMerge  # noqa: E402

#: Every pseudonymous field of a person, in the order pages and the API show them.
PSEUDONYMOUS_FIELDS = (
    "reference",
    "status",
    "age_band",
    "year_of_birth",
    "sex",
    "place",
    "area",
    "lives_alone",
    "mobility",
    "languages",
    "vulnerabilities",
    "organisation",
    "registered_on",
    "synthetic",
)
#: What a field worker needs for a visit (no year of birth, no registering organisation).
FIELD_WORK_FIELDS = tuple(
    f for f in PSEUDONYMOUS_FIELDS if f not in {"year_of_birth", "organisation", "registered_on"}
)


def person_fields_for(actor: Actor | None) -> tuple[str, ...]:
    """The pseudonymous fields ``actor``'s roles need (none without ``person.read``)."""
    if not user_can(actor, Action.PERSON_READ):
        return ()
    if user_can(actor, Action.PERSON_MERGE) or user_can(actor, Action.PERSON_ERASE):
        return PSEUDONYMOUS_FIELDS
    return FIELD_WORK_FIELDS


def person_row(actor: Actor | None, person: Person) -> dict[str, Any]:
    """The person's pseudonymous fields ``actor`` may see, as plain JSON-able values."""
    values: dict[str, Any] = {
        "reference": person.reference,
        "status": person.status,
        "age_band": person.age_band,
        "year_of_birth": person.year_of_birth,
        "sex": person.sex,
        "place": person.place.code,
        "area": person.area.code if person.area else None,
        "lives_alone": person.lives_alone,
        "mobility": person.mobility,
        "languages": list(person.languages or []),
        "vulnerabilities": list(person.vulnerabilities or []),
        "organisation": person.organisation.acronym,
        "registered_on": person.registered_on.isoformat() if person.registered_on else None,
        "synthetic": person.synthetic,
    }
    return {name: values[name] for name in person_fields_for(actor)}


@dataclass
class DuplicateCandidate:
    first: Person
    second: Person
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


def _script(text: str) -> str:
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            for script in ("CYRILLIC", "ARMENIAN", "LATIN", "GEORGIAN", "ARABIC"):
                if name.startswith(script):
                    return script.title()
    return "Other"


def _folded(text: str) -> str:
    return " ".join(sorted(unidecode(text or "").lower().replace("'", "").split()))


def duplicate_candidates(
    actor: Actor | None, *, person: Person | None = None, limit: int = 200
) -> list[DuplicateCandidate]:
    """Pairs of active records in ``actor``'s merge scope that may be one person."""
    mergeable = scope_queryset(
        actor, Person.objects.all(), area_field="area", action=Action.PERSON_MERGE
    )
    people = list(mergeable.filter(status="active").select_related("place", "area", "organisation"))
    dismissed = {(a, b) for a, b in DuplicateDismissal.objects.values_list("first_id", "second_id")}
    found: list[DuplicateCandidate] = []
    names = {p.pk: _folded(p.full_name or "") for p in people}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if person is not None and person.pk not in (a.pk, b.pk):
                continue
            if (a.pk, b.pk) in dismissed or (b.pk, a.pk) in dismissed:
                continue
            if a.year_of_birth and b.year_of_birth and abs(a.year_of_birth - b.year_of_birth) > 2:
                continue
            similarity = fuzz.token_sort_ratio(names[a.pk], names[b.pk]) / 100
            if similarity < 0.8:
                continue
            year_diff = (
                abs(a.year_of_birth - b.year_of_birth)
                if a.year_of_birth and b.year_of_birth
                else None
            )
            same_place = a.place_id == b.place_id
            score = similarity * 0.7 + (0.2 if same_place else 0) + (0.1 if year_diff == 0 else 0)
            first, second = sorted((a, b), key=lambda p: p.reference)
            found.append(
                DuplicateCandidate(
                    first,
                    second,
                    round(score, 3),
                    {
                        "name_similarity": round(similarity, 3),
                        "scripts": sorted({_script(a.full_name or ""), _script(b.full_name or "")}),
                        "year_difference": year_diff,
                        "same_place": same_place,
                    },
                )
            )
    found.sort(key=lambda c: -c.score)
    return found[:limit]


def identity_access_log(
    actor: Actor | None,
    *,
    person: Person | None = None,
    user: Any = None,
    since: _dt.date | None = None,
    until: _dt.date | None = None,
) -> QuerySet[Any]:
    """Reveals of identity fields, newest first (the data-protection officer's log)."""
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
        qs = qs.filter(at__date__gte=since)
    if until is not None:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at")


def merge_list(actor: Actor | None) -> QuerySet[Any]:
    """Merges of records ``actor`` may read, newest first."""
    visible = person_scope(actor).values("pk")
    return (
        PersonMerge.objects.select_related("survivor", "duplicate", "undone_by", "created_by")
        .filter(survivor__in=visible, duplicate__in=visible)
        .order_by("-created_at")
    )


def people_counts(actor: Actor | None, *, by: str) -> list[dict[str, Any]]:
    """Counts of active people in scope by ``status``, ``age_band``, ``sex``, ``place`` or
    ``vulnerability``; counts of 1–4 are ``None`` (suppressed)."""
    qs = person_scope(actor).filter(status="active")
    if by == "vulnerability":
        tally: dict[str, int] = {}
        for values in qs.values_list("vulnerabilities", flat=True):
            for value in values or []:
                tally[value] = tally.get(value, 0) + 1
        return [{"key": k, "count": suppress(v)} for k, v in sorted(tally.items())]
    column = {"place": "place__code"}.get(by, by)
    if by not in {"status", "age_band", "sex", "place"}:
        raise ValueError(by)
    rows = qs.values(column).annotate(n=Count("pk")).order_by(column)
    return [{"key": r[column], "count": suppress(r["n"])} for r in rows]


def person_history(actor: Actor | None, person: Person) -> list[dict[str, Any]]:
    """Changes to the record, newest first, without identity (the history holds none)."""
    rows = list(
        person.history.order_by("-history_date").values(
            "history_date", "history_type", "history_user__username", *FIELD_WORK_FIELDS[1:]
        )
    )
    changes = []
    for current, previous in zip(rows, [*rows[1:], None], strict=False):
        if previous is None:
            changed = ["created"]
        else:
            changed = [
                k for k in current if not k.startswith("history_") and current[k] != previous[k]
            ]
        if changed:
            changes.append(
                {
                    "at": current["history_date"],
                    "user": current["history_user__username"] or "",
                    "kind": current["history_type"],
                    "fields": changed,
                }
            )
    return changes


# --- added for pweb (form choices; keep at merge)


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

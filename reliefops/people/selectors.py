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


# --- added for rounds
def person_record_ids(person: Person) -> list[Any]:
    """The ids of ``person``'s record and of the records merged into it (a visit to a
    duplicate counts for the person it was merged into). Fallback until the merge
    service lands: one level of ``merged_into``."""
    return [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]

"""What the registry's pages share: the permission gate and a person's pseudonymous
display values (labels in the user's language, only the fields the role may see)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from reliefops.core.actions import Action
from reliefops.core.permissions import require
from reliefops.people.choices import (
    AgeBand,
    Mobility,
    PersonStatus,
    Sex,
    SpokenLanguage,
    Vulnerability,
)
from reliefops.people.models import Person
from reliefops.people.selectors import person_fields_for

LANGUAGE_LABELS = dict(SpokenLanguage.choices)
VULNERABILITY_LABELS = dict(Vulnerability.choices)


def gate(request: HttpRequest) -> None:
    """A 403 page for roles without ``person.read`` anywhere (before any lookup, so that a
    role without access to the registry learns nothing about which references exist)."""
    require(request.user, Action.PERSON_READ)


def no_store(response: HttpResponse) -> HttpResponse:
    """Identity on this response: no cache (browser or proxy) may keep it."""
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    response["Pragma"] = "no-cache"
    return response


def person_display(person: Person, fields: tuple[str, ...]) -> dict[str, Any]:
    """``person``'s fields the role may see, as labels (absent: not for this role)."""
    values: dict[str, Any] = {
        "reference": person.reference,
        "status": PersonStatus(person.status).label if person.status else "",
        "status_code": person.status,
        "age_band": AgeBand(person.age_band).label if person.age_band else "",
        "year_of_birth": person.year_of_birth,
        "sex": Sex(person.sex).label if person.sex else "",
        "place": person.place.name,
        "area": person.area.name if person.area else "",
        "lives_alone": person.lives_alone,
        "mobility": Mobility(person.mobility).label if person.mobility else "",
        "languages": [LANGUAGE_LABELS.get(v, v) for v in person.languages or []],
        "vulnerabilities": [VULNERABILITY_LABELS.get(v, v) for v in person.vulnerabilities or []],
        "organisation": person.organisation.acronym,
        "registered_on": person.registered_on,
        "synthetic": person.synthetic,
    }
    shown = {name: values[name] for name in fields if name in values}
    shown["status_code"] = person.status
    shown["synthetic"] = person.synthetic
    shown["reference"] = person.reference
    return shown


def displays(request: HttpRequest, people: Any) -> list[dict[str, Any]]:
    fields = person_fields_for(request.user)
    return [person_display(p, fields) for p in people]

"""Registering and changing a person's record.

A person is written in their area (the admin1 of their village): ``person.register``
for the registering organisation, ``person.edit`` by area only (a joint team edits the
records of people any organisation registered). The audit trail names the person by
reference and lists the identity fields a change touched by name, never their values.
Processing needs the person's consent: registration is refused without a consent to
"registration", and a record whose registration consent is no longer in force is not
changed (only deactivated or erased).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNCHANGED, UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import (
    ConsentGivenBy,
    ConsentPurpose,
    InactiveReason,
    Mobility,
    PersonStatus,
    Sex,
    SpokenLanguage,
    Vulnerability,
    age_band_for,
)
from reliefops.people.models import IDENTITY_FIELDS, Consent, Household, Person
from reliefops.people.services.consent import ConsentMissing, consent_require

#: Characters of a reference: no 0/O, 1/I/L, so it reads aloud and copies by hand.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 7

#: What :func:`person_update` may change (identity fields included, never audited).
PERSON_FIELDS = (
    *IDENTITY_FIELDS,
    "year_of_birth",
    "age_band",
    "sex",
    "place",
    "household",
    "lives_alone",
    "mobility",
    "languages",
    "vulnerabilities",
)
#: Statuses whose record may still change.
_OPEN = (PersonStatus.ACTIVE, PersonStatus.INACTIVE)


@dataclass(frozen=True)
class ConsentInput:
    """One consent decision given at registration or later."""

    purpose: str
    given: bool
    given_on: dt.date
    given_by: str = ConsentGivenBy.SELF


@dataclass
class PersonInput:
    """A registration: what the registry keeps of a new person."""

    place: Any
    organisation: Any
    consents: Sequence[ConsentInput] = ()
    full_name: str | None = None
    phone: str | None = None
    address: str | None = None
    year_of_birth: int | None = None
    age_band: str = ""
    sex: str = Sex.NOT_RECORDED
    household: Household | None = None
    lives_alone: bool = False
    mobility: str = Mobility.INDEPENDENT
    languages: list[str] = field(default_factory=list)
    vulnerabilities: list[str] = field(default_factory=list)
    registered_on: dt.date | None = None
    synthetic: bool = False


def reference_new() -> str:
    """A new random reference (``P-`` and seven unambiguous characters), unused so far."""
    while True:
        code = "P-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if not Person.objects.filter(reference=code).exists():
            return code


def _codes(values: Any, allowed: Sequence[str], name: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise InvalidInput(_("Give a list of codes."), field=name)
    unknown = sorted({str(v) for v in values} - set(allowed))
    if unknown:
        raise InvalidInput(
            _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)}, field=name
        )
    return sorted({str(v) for v in values}, key=list(allowed).index)


def _choice(value: Any, allowed: Sequence[str], name: str) -> str:
    if value not in allowed:
        raise InvalidInput(_("Not one of the allowed values."), field=name)
    return str(value)


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    this_year = timezone.localdate().year
    if not isinstance(value, int) or not 1900 <= value <= this_year:
        raise InvalidInput(
            _("A year between 1900 and %(year)s.") % {"year": this_year}, field="year_of_birth"
        )
    return value


def _age_band(year: int | None, band: str) -> str:
    if year is not None:
        return age_band_for(timezone.localdate().year - year)
    if band:
        from reliefops.people.choices import AgeBand

        return _choice(band, AgeBand.values, "age_band")
    return ""


def _text(value: Any, name: str, limit: int | None) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if limit is not None and len(text) > limit:
        raise InvalidInput(_("At most %(limit)s characters.") % {"limit": limit}, field=name)
    return text or None


def _clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated values of the declared fields present in ``values``."""
    clean: dict[str, Any] = {}
    limits = {"full_name": 200, "phone": 40, "address": None}
    for name, value in values.items():
        if name in limits:
            clean[name] = _text(value, name, limits[name])
        elif name == "year_of_birth":
            clean[name] = _year(value)
        elif name == "sex":
            clean[name] = _choice(value, Sex.values, name)
        elif name == "mobility":
            clean[name] = _choice(value, Mobility.values, name)
        elif name == "languages":
            clean[name] = _codes(value, SpokenLanguage.values, name)
        elif name == "vulnerabilities":
            clean[name] = _codes(value, Vulnerability.values, name)
        elif name == "lives_alone":
            clean[name] = bool(value)
        elif name == "place":
            if value is None:
                raise InvalidInput(_("A person needs a village or town."), field="place")
            clean[name] = value
        else:
            clean[name] = value
    return clean


def _consents(consents: Sequence[ConsentInput]) -> list[ConsentInput]:
    for consent in consents:
        _choice(consent.purpose, ConsentPurpose.values, "consents")
        _choice(consent.given_by, ConsentGivenBy.values, "consents")
    return list(consents)


def _pseudonymous(person: Person, names: Sequence[str]) -> dict[str, Any]:
    """Audit values: related records by their code; identity fields never."""
    result: dict[str, Any] = {}
    for name in names:
        if name in IDENTITY_FIELDS:
            continue
        value = getattr(person, name)
        if name == "place":
            value = value.code
        elif name in ("household", "organisation"):
            value = str(value) if value is not None else None
        result[name] = value
    return result


def _registration(actor: Actor, data: PersonInput) -> tuple[dict[str, Any], list[ConsentInput]]:
    place = data.place
    if place is None:
        raise InvalidInput(_("A person needs a village or town."), field="place")
    require_write(actor, Action.PERSON_REGISTER, area=place.admin1, organisation=data.organisation)
    consents = _consents(data.consents)
    if not any(c.purpose == ConsentPurpose.REGISTRATION and c.given for c in consents):
        raise ConsentMissing(purpose=ConsentPurpose.REGISTRATION)
    values = _clean_values(
        {name: getattr(data, name) for name in PERSON_FIELDS if name != "age_band"}
    )
    values["age_band"] = _age_band(values["year_of_birth"], data.age_band)
    return values, consents


def person_register_check(*, actor: Actor, data: PersonInput) -> None:
    """Raise what :func:`person_register` would refuse ``data`` with (an import's check
    pass), writing nothing."""
    _registration(actor, data)


def person_register(*, actor: Actor, data: PersonInput) -> Person:
    """A new person in the registry, with the consents given at registration.

    ``person.register`` in the place's area for ``data.organisation``; refused
    (:class:`ConsentMissing`) without a consent given to "registration".
    """
    values, consents = _registration(actor, data)
    place = data.place
    author = actor_user(actor)
    with transaction.atomic():
        person = Person(
            reference=reference_new(),
            area=place.admin1,
            organisation=data.organisation,
            registered_on=data.registered_on or timezone.localdate(),
            synthetic=data.synthetic,
            created_by=author,
            updated_by=author,
            **values,
        )
        person.save()
        for consent in consents:
            Consent.objects.create(
                person=person,
                purpose=consent.purpose,
                given=consent.given,
                given_on=consent.given_on,
                given_by=consent.given_by,
                created_by=author,
                updated_by=author,
            )
        audit_record(
            actor=actor,
            action="person.register",
            obj=person,
            after={
                **_pseudonymous(person, [*PERSON_FIELDS, "organisation", "registered_on"]),
                "identity_fields": [n for n in IDENTITY_FIELDS if values.get(n)],
                "consents": {c.purpose: c.given for c in consents},
            },
        )
    return person


def _open(person: Person) -> None:
    if person.status not in _OPEN:
        raise Conflict(
            _("This record is merged or erased and cannot change."),
            code="person_closed",
            reference=person.reference,
            status=person.status,
        )


def person_update(*, actor: Actor, person: Person, changes: Mapping[str, Any]) -> Person:
    """Change declared fields of ``person`` (``person.edit`` in their area; a new place in
    another area needs it there too). Identity changes are audited by field name only."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise InvalidInput(fields={name: [_("Not a field of a person.")] for name in unknown})
    new_place = changes.get("place", person.place)
    require_write(
        actor,
        Action.PERSON_EDIT,
        area=person.area,
        organisation=UNSCOPED,
        new_area=new_place.admin1 if new_place is not None and "place" in changes else UNCHANGED,
    )
    _open(person)
    consent_require(person, ConsentPurpose.REGISTRATION)
    values = _clean_values(changes)
    if "year_of_birth" in values or "age_band" in values:
        year = values.get("year_of_birth", person.year_of_birth)
        values["age_band"] = _age_band(year, values.get("age_band", person.age_band))
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    if not changed:
        return person
    before = _pseudonymous(person, changed)
    with transaction.atomic():
        for name in changed:
            setattr(person, name, values[name])
        if "place" in changed:
            person.area = person.place.admin1
            changed.append("area")
        person.updated_by = actor_user(actor)
        person.save()
        audit_record(
            actor=actor,
            action="person.update",
            obj=person,
            before=before,
            after={
                **_pseudonymous(person, changed),
                "identity_fields": [n for n in changed if n in IDENTITY_FIELDS],
            },
        )
    return person


def person_deactivate(*, actor: Actor, person: Person, reason: str) -> Person:
    """``person`` is no longer served (moved, no longer in need, deceased …)."""
    require_write(actor, Action.PERSON_EDIT, area=person.area, organisation=UNSCOPED)
    reason = _choice(reason, InactiveReason.values, "reason")
    if person.status != PersonStatus.ACTIVE:
        raise Conflict(
            _("Only an active record can be deactivated."),
            code="person_not_active",
            reference=person.reference,
        )
    with transaction.atomic():
        person.status = PersonStatus.INACTIVE
        person.inactive_reason = reason
        person.updated_by = actor_user(actor)
        person.save()
        audit_record(
            actor=actor,
            action="person.deactivate",
            obj=person,
            before={"status": PersonStatus.ACTIVE},
            after={"status": person.status, "inactive_reason": reason},
        )
    return person

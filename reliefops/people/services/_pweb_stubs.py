"""Minimal write paths of the registry so that the pages and the API of helper pweb run.

Replaced by pcore's services at merge (same names and signatures); kept small but honest:
permission check, transaction, audit (pseudonymous references only), consent check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import ConsentPurpose, IdentityField, PersonStatus
from reliefops.people.models import (
    IDENTITY_FIELDS,
    Consent,
    DuplicateDismissal,
    IdentityAccess,
    Person,
    PersonMerge,
)

#: Fields a change may touch (identity fields are changed, never audited by value).
EDITABLE = (
    "full_name",
    "phone",
    "address",
    "year_of_birth",
    "age_band",
    "sex",
    "place",
    "lives_alone",
    "mobility",
    "languages",
    "vulnerabilities",
)


@dataclass
class PersonInput:
    full_name: str
    place: Any
    organisation: Any
    phone: str = ""
    address: str = ""
    year_of_birth: int | None = None
    age_band: str = ""
    sex: str = "not_recorded"
    lives_alone: bool = False
    mobility: str = "independent"
    languages: list[str] = field(default_factory=list)
    vulnerabilities: list[str] = field(default_factory=list)
    registered_on: dt.date | None = None
    consents: list[tuple[str, bool, dt.date, str]] = field(default_factory=list)


def _pseudonymous(person: Person) -> dict[str, Any]:
    return {
        "reference": person.reference,
        "status": person.status,
        "place": person.place.code,
        "age_band": person.age_band,
        "lives_alone": person.lives_alone,
        "vulnerabilities": list(person.vulnerabilities),
    }


def _new_reference() -> str:
    while True:
        reference = "P-" + get_random_string(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        if not Person.objects.filter(reference=reference).exists():
            return reference


def person_register(*, actor: Actor, data: PersonInput) -> Person:
    area = data.place.admin1
    require_write(actor, Action.PERSON_REGISTER, area=area, organisation=data.organisation)
    if not (data.full_name or "").strip():
        raise InvalidInput(_("A name is needed."), field="full_name")
    given = {purpose for purpose, ok, _on, _by in data.consents if ok}
    if ConsentPurpose.REGISTRATION not in given:
        raise InvalidInput(_("The person must consent to being registered."), field="consents")
    with transaction.atomic():
        person = Person.objects.create(
            reference=_new_reference(),
            full_name=data.full_name.strip(),
            phone=data.phone or "",
            address=data.address or "",
            year_of_birth=data.year_of_birth,
            age_band=data.age_band,
            sex=data.sex,
            place=data.place,
            area=area,
            lives_alone=data.lives_alone,
            mobility=data.mobility,
            languages=list(data.languages),
            vulnerabilities=list(data.vulnerabilities),
            organisation=data.organisation,
            registered_on=data.registered_on or timezone.localdate(),
        )
        for purpose, ok, on, by in data.consents:
            Consent.objects.create(
                person=person, purpose=purpose, given=ok, given_on=on, given_by=by
            )
        audit_record(actor=actor, action="person.register", obj=person, after=_pseudonymous(person))
    return person


def person_update(*, actor: Actor, person: Person, changes: dict[str, Any]) -> Person:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed."), fields=sorted(unknown))
    new_area = changes["place"].admin1 if "place" in changes else person.area
    require_write(
        actor,
        Action.PERSON_EDIT,
        area=person.area,
        organisation=UNSCOPED,
        new_area=new_area,
    )
    if person.status in (PersonStatus.MERGED, PersonStatus.ERASED):
        raise Conflict(_("This record can no longer be changed."), reference=person.reference)
    with transaction.atomic():
        before = _pseudonymous(person)
        for name, value in changes.items():
            setattr(person, name, value)
        person.area = new_area
        person.save()
        audit_record(
            actor=actor,
            action="person.update",
            obj=person,
            before={**before, "changed": sorted(changes)},
            after=_pseudonymous(person),
        )
    return person


def person_deactivate(*, actor: Actor, person: Person, reason: str) -> Person:
    require_write(actor, Action.PERSON_EDIT, area=person.area, organisation=UNSCOPED)
    with transaction.atomic():
        person.status = PersonStatus.INACTIVE
        person.inactive_reason = reason
        person.save(update_fields=["status", "inactive_reason", "updated_at"])
        audit_record(actor=actor, action="person.deactivate", obj=person, after={"reason": reason})
    return person


def consent_record(
    *, actor: Actor, person: Person, purpose: str, given: bool, given_on: dt.date, given_by: str
) -> Consent:
    require_write(actor, Action.CONSENT_RECORD, area=person.area, organisation=UNSCOPED)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person, purpose=purpose, given=given, given_on=given_on, given_by=given_by
        )
        audit_record(
            actor=actor,
            action="consent.record",
            obj=person,
            after={"reference": person.reference, "purpose": purpose, "given": given},
        )
    return consent


def consent_withdraw(*, actor: Actor, person: Person, purpose: str, on: dt.date) -> Consent:
    require_write(actor, Action.CONSENT_RECORD, area=person.area, organisation=UNSCOPED)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            purpose=purpose,
            given=False,
            given_on=on,
            withdrawn_on=on,
            withdrawn_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="consent.withdraw",
            obj=person,
            after={"reference": person.reference, "purpose": purpose},
        )
    return consent


def identity_reveal(
    *, actor: Actor, person: Person, fields: list[str], purpose: str, reason: str = ""
) -> dict[str, str]:
    require_write(actor, Action.PERSON_REVEAL, area=person.area, organisation=UNSCOPED)
    chosen = [f for f in IdentityField.values if f in fields]
    if not chosen:
        raise InvalidInput(_("Choose at least one field to show."), field="fields")
    if person.status == PersonStatus.ERASED:
        raise Conflict(_("This record was erased."), reference=person.reference)
    IdentityAccess.objects.create(
        user=actor_user(actor), person=person, fields=chosen, purpose=purpose, reason=reason
    )
    return {name: str(getattr(person, name) or "") for name in chosen}


def person_merge(
    *, actor: Actor, survivor: Person, duplicate: Person, evidence: dict[str, Any]
) -> PersonMerge:
    for person in (survivor, duplicate):
        require_write(actor, Action.PERSON_MERGE, area=person.area, organisation=UNSCOPED)
    if survivor.pk == duplicate.pk:
        raise InvalidInput(_("A record cannot be merged into itself."), field="duplicate")
    if survivor.status != PersonStatus.ACTIVE or duplicate.status != PersonStatus.ACTIVE:
        raise Conflict(_("Only active records can be merged."), reference=duplicate.reference)
    with transaction.atomic():
        merge = PersonMerge.objects.create(
            survivor=survivor, duplicate=duplicate, evidence=evidence
        )
        duplicate.merged_into = survivor
        duplicate.status = PersonStatus.MERGED
        duplicate.save(update_fields=["merged_into", "status", "updated_at"])
        audit_record(
            actor=actor,
            action="person.merge",
            obj=merge,
            after={"survivor": survivor.reference, "duplicate": duplicate.reference},
        )
    return merge


def merge_undo(*, actor: Actor, merge: PersonMerge) -> PersonMerge:
    for person in (merge.survivor, merge.duplicate):
        require_write(actor, Action.PERSON_UNMERGE, area=person.area, organisation=UNSCOPED)
    if merge.undone_at is not None:
        raise Conflict(_("This merge was already undone."))
    with transaction.atomic():
        duplicate = merge.duplicate
        duplicate.merged_into = None
        duplicate.status = PersonStatus.ACTIVE
        duplicate.save(update_fields=["merged_into", "status", "updated_at"])
        merge.undone_at = timezone.now()
        merge.undone_by = actor_user(actor)
        merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
        audit_record(
            actor=actor,
            action="person.unmerge",
            obj=merge,
            after={"survivor": merge.survivor.reference, "duplicate": duplicate.reference},
        )
    return merge


def duplicate_dismiss(*, actor: Actor, first: Person, second: Person) -> DuplicateDismissal:
    for person in (first, second):
        require_write(actor, Action.PERSON_MERGE, area=person.area, organisation=UNSCOPED)
    if first.pk == second.pk:
        raise InvalidInput(_("Choose two different records."), field="second")
    a, b = sorted([first, second], key=lambda p: p.reference)
    with transaction.atomic():
        dismissal, _created = DuplicateDismissal.objects.get_or_create(first=a, second=b)
        audit_record(
            actor=actor,
            action="person.duplicate_dismiss",
            obj=dismissal,
            after={"first": a.reference, "second": b.reference},
        )
    return dismissal


def person_erase(*, actor: Actor, person: Person, reason: str) -> Person:
    require_write(actor, Action.PERSON_ERASE, area=person.area, organisation=UNSCOPED)
    if person.status == PersonStatus.ERASED:
        raise Conflict(_("This record was already erased."), reference=person.reference)
    with transaction.atomic():
        for name in IDENTITY_FIELDS:
            setattr(person, name, None)
        person.year_of_birth = None
        person.status = PersonStatus.ERASED
        person.erased_at = timezone.now()
        person.save()
        audit_record(
            actor=actor, action="person.erase", obj=person, after={"reference": person.reference}
        )
    return person


def subject_access_export(*, actor: Actor, person: Person) -> dict[str, Any]:
    require_write(actor, Action.PERSON_SUBJECT_ACCESS, area=person.area, organisation=UNSCOPED)
    identity = {name: getattr(person, name) or "" for name in IDENTITY_FIELDS}
    with transaction.atomic():
        IdentityAccess.objects.create(
            user=actor_user(actor),
            person=person,
            fields=list(IDENTITY_FIELDS),
            purpose="subject_access",
        )
        audit_record(
            actor=actor,
            action="person.subject_access",
            obj=person,
            after={"reference": person.reference},
        )
    consents = [
        {
            "purpose": c.purpose,
            "given": c.given,
            "given_on": c.given_on.isoformat(),
            "given_by": c.given_by,
            "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
        }
        for c in person.consents.all()
    ]
    return {"person": {**_pseudonymous(person), **identity}, "consents": consents}

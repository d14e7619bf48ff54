"""The ways a person's identity leaves the registry, each logged: a reveal for a purpose,
the data-protection officer's subject access export, and erasure.

Every reveal writes an :class:`~reliefops.people.models.IdentityAccess` (who, whom,
when, which fields, why) and an audit event naming the fields, never their values. A
reveal needs the person's consent to what it is for (a visit needs "visits", a referral
"referral", a phone call "contact"; reviewing duplicates or correcting the record the
registration itself).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import AccessPurpose, ConsentPurpose, PersonStatus
from reliefops.people.models import (
    IDENTITY_FIELDS,
    Consent,
    IdentityAccess,
    Person,
    PersonMerge,
)
from reliefops.people.services.consent import consent_in_force, consent_require
from reliefops.people.services.subject import subject_data_sources

#: The consent a reveal for each purpose needs.
PURPOSE_CONSENT: dict[str, str] = {
    AccessPurpose.VISIT: ConsentPurpose.VISITS,
    AccessPurpose.CONTACT: ConsentPurpose.CONTACT,
    AccessPurpose.REFERRAL: ConsentPurpose.REFERRAL,
    AccessPurpose.DUPLICATE_REVIEW: ConsentPurpose.REGISTRATION,
    AccessPurpose.CORRECTION: ConsentPurpose.REGISTRATION,
}


def _access_log(
    *, actor: Actor, person: Person, fields: Sequence[str], purpose: str, reason: str
) -> IdentityAccess:
    access = IdentityAccess.objects.create(
        user=actor_user(actor),
        person=person,
        fields=list(fields),
        purpose=purpose,
        reason=reason[:200],
    )
    audit_record(
        actor=actor,
        action="person.reveal_identity",
        obj=person,
        after={"fields": list(fields), "purpose": purpose, "access": str(access.pk)},
    )
    return access


def identity_reveal(
    *, actor: Actor, person: Person, fields: Sequence[str], purpose: str, reason: str = ""
) -> dict[str, str]:
    """The decrypted ``fields`` of ``person``, logged: ``person.reveal_identity`` in the
    person's area and the person's consent to ``purpose`` (see :data:`PURPOSE_CONSENT`)."""
    require_write(actor, Action.PERSON_REVEAL, area=person.area, organisation=UNSCOPED)
    wanted = list(dict.fromkeys(fields))
    if not wanted or set(wanted) - set(IDENTITY_FIELDS):
        raise InvalidInput(_("Choose identity fields to show."), field="fields")
    if purpose not in PURPOSE_CONSENT:
        raise InvalidInput(_("Say why you need to see the identity."), field="purpose")
    if person.status == PersonStatus.ERASED:
        raise Conflict(_("This record was erased."), code="person_erased")
    consent_require(person, PURPOSE_CONSENT[purpose])
    with transaction.atomic():
        _access_log(
            actor=actor, person=person, fields=wanted, purpose=purpose, reason=reason.strip()
        )
    fresh = Person.objects.only(*IDENTITY_FIELDS).get(pk=person.pk)
    return {name: getattr(fresh, name) or "" for name in wanted}


def _record(person: Person) -> dict[str, Any]:
    return {
        "reference": person.reference,
        "status": person.status,
        "inactive_reason": person.inactive_reason,
        **{name: getattr(person, name) for name in IDENTITY_FIELDS},
        "year_of_birth": person.year_of_birth,
        "age_band": person.age_band,
        "sex": person.sex,
        "place": person.place.code,
        "area": person.area.code if person.area else None,
        "household": str(person.household) if person.household_id else None,
        "lives_alone": person.lives_alone,
        "mobility": person.mobility,
        "languages": list(person.languages),
        "vulnerabilities": list(person.vulnerabilities),
        "registered_by": str(person.organisation.acronym),
        "registered_on": person.registered_on.isoformat(),
        "merged_into": str(person.merged_into) if person.merged_into_id else None,
        "erased_at": person.erased_at.isoformat() if person.erased_at else None,
    }


def _user_name(user: Any) -> str:
    return str(user.get_username()) if user is not None else ""


def subject_access_export(*, actor: Actor, person: Person) -> dict[str, Any]:
    """Everything the installation holds about ``person`` (a subject access request):
    the record with identity, consents, who saw their identity, merges and what every
    other app holds (:func:`subject_data_register`). Logged as an identity access."""
    require_write(actor, Action.PERSON_SUBJECT_ACCESS, area=person.area, organisation=UNSCOPED)
    person = Person.objects.select_related("place", "area", "organisation", "household").get(
        pk=person.pk
    )
    consents = [
        {
            "purpose": c.purpose,
            "given": c.given,
            "given_on": c.given_on.isoformat(),
            "given_by": c.given_by,
            "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
        }
        for c in Consent.objects.filter(person=person).order_by("given_on", "created_at")
    ]
    merges = [
        {
            "survivor": str(m.survivor),
            "duplicate": str(m.duplicate),
            "at": m.created_at.isoformat(),
            "undone_at": m.undone_at.isoformat() if m.undone_at else None,
        }
        for m in PersonMerge.objects.filter(survivor=person).select_related("survivor", "duplicate")
        | PersonMerge.objects.filter(duplicate=person).select_related("survivor", "duplicate")
    ]
    other = {name: source.rows(person) for name, source in subject_data_sources().items()}
    with transaction.atomic():
        access = _access_log(
            actor=actor,
            person=person,
            fields=IDENTITY_FIELDS,
            purpose=AccessPurpose.SUBJECT_ACCESS,
            reason="",
        )
        reads = [
            {
                "at": a.at.isoformat(),
                "user": _user_name(a.user),
                "fields": list(a.fields),
                "purpose": a.purpose,
                "reason": a.reason,
            }
            for a in IdentityAccess.objects.filter(person=person)
            .select_related("user")
            .order_by("at")
        ]
    return {
        "exported_at": access.at.isoformat(),
        "person": _record(person),
        "consents": consents,
        "consent_in_force": consent_in_force(person),
        "identity_access": reads,
        "merges": merges,
        "other_records": other,
    }


def person_erase(*, actor: Actor, person: Person, reason: str) -> Person:
    """Erase ``person``'s identity and details (``person.erase`` in their area): identity,
    year of birth and household cleared, the record history holding details deleted, and
    what other apps hold erased through the subject-data registry. The pseudonymous
    reference stays, so counts and other records keep their link."""
    require_write(actor, Action.PERSON_ERASE, area=person.area, organisation=UNSCOPED)
    if person.status == PersonStatus.ERASED:
        raise Conflict(_("This record was erased already."), code="person_erased")
    if not str(reason or "").strip():
        raise InvalidInput(_("Say why the record is erased."), field="reason")
    with transaction.atomic():
        _erase(person, actor=actor, cause={"reason_given": True})
    return person


def _erase(person: Person, *, actor: Actor | None, cause: dict[str, Any]) -> dict[str, Any]:
    """Erase ``person`` (inside the caller's transaction) and audit it; the counts.

    ``cause`` goes into the audit event (``reason_given`` for an officer's erasure — its
    text may name someone, so it is not in the trail — or the retention period)."""
    status_before = person.status
    history_deleted, _by_model = Person.history.filter(id=person.pk).delete()  # type: ignore[attr-defined]
    for name in IDENTITY_FIELDS:
        setattr(person, name, None)
    person.year_of_birth = None
    person.household = None
    person.status = PersonStatus.ERASED
    person.erased_at = timezone.now()
    person.updated_by = actor_user(actor)
    person.save()
    erased = {
        name: source.erase(person)
        for name, source in subject_data_sources().items()
        if source.erase is not None
    }
    audit_record(
        actor=actor,
        action="person.erase",
        obj=person,
        before={"status": status_before},
        after={
            "status": person.status,
            **cause,
            "history_rows_deleted": history_deleted,
            "other_records_erased": erased,
        },
    )
    return {"history_rows_deleted": history_deleted, **erased}


def persons_erase_expired(*, cutoff: Any) -> dict[str, int]:
    """Erase the persons no longer served (status inactive: moved, deceased, no longer
    needing visits) whose record has not changed since ``cutoff`` — the registry's
    retention, run by the system (:mod:`reliefops.people.retention`). Each erasure is
    :func:`person_erase`'s, audited as ``person.erase`` with ``retention: True``."""
    counts: dict[str, int] = {"persons_erased": 0, "history_rows_deleted": 0}
    expired = Person.objects.filter(status=PersonStatus.INACTIVE, updated_at__lt=cutoff)
    for person in expired.order_by("pk").select_for_update():
        done = _erase(person, actor=None, cause={"retention": True})
        counts["persons_erased"] += 1
        for name, value in done.items():
            key = name if name == "history_rows_deleted" else f"{name}_erased"
            counts[key] = counts.get(key, 0) + int(value)
    return counts


def identity_access_purge(*, cutoff: Any) -> dict[str, int]:
    """Delete the identity access log entries older than ``cutoff`` (their reasons may
    name someone); the audit events of the reveals stay, without personal data."""
    deleted, _by_model = IdentityAccess.objects.filter(at__lt=cutoff).delete()
    return {"identity_accesses_deleted": deleted}

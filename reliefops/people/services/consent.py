"""Consent per purpose, and the check every service that processes a person makes.

The latest :class:`~reliefops.people.models.Consent` record of a purpose is in force; a
withdrawn or refused consent, or none at all, means the purpose may not be processed:
:func:`consent_require` raises :class:`ConsentMissing` (409, naming the person's
reference and the purpose, never their name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import ConsentGivenBy, ConsentPurpose, PersonStatus
from reliefops.people.models import Consent, Person


class ConsentMissing(Conflict):
    code = "consent_missing"
    default_message = _("The person has not consented to this use of their data.")


def consent_state(consents: Iterable[Consent]) -> dict[str, bool]:
    """Purpose → in force, from one person's consent records (any order)."""
    state = {purpose.value: False for purpose in ConsentPurpose}
    latest: dict[str, Consent] = {}
    for consent in consents:
        known = latest.get(consent.purpose)
        if known is None or (consent.given_on, consent.created_at) > (
            known.given_on,
            known.created_at,
        ):
            latest[consent.purpose] = consent
    for purpose, consent in latest.items():
        state[purpose] = consent.given and consent.withdrawn_on is None
    return state


def consent_in_force(person: Person) -> dict[str, bool]:
    """Purpose → whether the consent in force allows it (every purpose is listed)."""
    return consent_state(Consent.objects.filter(person=person))


def consent_require(person: Person, purpose: str) -> None:
    """Raise :class:`ConsentMissing` unless ``person`` consented to ``purpose``."""
    if not consent_in_force(person).get(purpose, False):
        raise ConsentMissing(
            person=person.reference, purpose=purpose, purpose_label=ConsentPurpose(purpose).label
        )


def _purpose(purpose: str) -> str:
    if purpose not in ConsentPurpose.values:
        raise InvalidInput(_("Not a purpose of consent."), field="purpose")
    return purpose


def consent_record(
    *,
    actor: Actor,
    person: Person,
    purpose: str,
    given: bool,
    given_on: dt.date,
    given_by: str = ConsentGivenBy.SELF,
) -> Consent:
    """Record a consent decision (given or refused) for one purpose; the latest is in force.

    ``consent.record`` in the person's area (any registering organisation).
    """
    require_write(actor, Action.CONSENT_RECORD, area=person.area, organisation=UNSCOPED)
    purpose = _purpose(purpose)
    if given_by not in ConsentGivenBy.values:
        raise InvalidInput(_("Not one of the allowed values."), field="given_by")
    if person.status in (PersonStatus.MERGED, PersonStatus.ERASED):
        raise Conflict(_("This record is merged or erased."), code="person_closed")
    author = actor_user(actor)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            purpose=purpose,
            given=bool(given),
            given_on=given_on,
            given_by=given_by,
            created_by=author,
            updated_by=author,
        )
        audit_record(
            actor=actor,
            action="consent.record",
            obj=consent,
            after={
                "person": person.reference,
                "purpose": purpose,
                "given": consent.given,
                "given_on": given_on,
                "given_by": given_by,
            },
        )
    return consent


def consent_withdraw(*, actor: Actor, person: Person, purpose: str, on: dt.date) -> Consent:
    """The person withdrew their consent to ``purpose`` on ``on`` (the consent in force
    keeps its record, marked withdrawn)."""
    require_write(actor, Action.CONSENT_RECORD, area=person.area, organisation=UNSCOPED)
    purpose = _purpose(purpose)
    consent = (
        Consent.objects.filter(person=person, purpose=purpose)
        .order_by("-given_on", "-created_at")
        .first()
    )
    if consent is None or not consent.given or consent.withdrawn_on is not None:
        raise Conflict(
            _("There is no consent in force to withdraw."),
            code="consent_not_in_force",
            person=person.reference,
            purpose=purpose,
        )
    with transaction.atomic():
        consent.withdrawn_on = on
        consent.withdrawn_by = actor_user(actor)
        consent.updated_by = actor_user(actor)
        consent.save()
        audit_record(
            actor=actor,
            action="consent.withdraw",
            obj=consent,
            after={"person": person.reference, "purpose": purpose, "withdrawn_on": on},
        )
    return consent

"""Consent per purpose, and the check every service that processes a person makes.

The latest :class:`~reliefops.people.models.Consent` record of a purpose is in force; a
withdrawn or refused consent, or none at all, means the purpose may not be processed:
:func:`consent_require` raises :class:`ConsentMissing` (409, naming the person's
reference and the purpose, never their name).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import Conflict
from reliefops.people.choices import ConsentPurpose
from reliefops.people.models import Consent, Person


class ConsentMissing(Conflict):
    code = "consent_missing"
    default_message = _("The person has not consented to this use of their data.")


def consent_in_force(person: Person) -> dict[str, bool]:
    """Purpose → whether the consent in force allows it (every purpose is listed)."""
    state = {purpose.value: False for purpose in ConsentPurpose}
    seen: set[str] = set()
    for consent in Consent.objects.filter(person=person).order_by("-given_on", "-created_at"):
        if consent.purpose in seen:
            continue
        seen.add(consent.purpose)
        state[consent.purpose] = consent.given and consent.withdrawn_on is None
    return state


def consent_require(person: Person, purpose: str) -> None:
    """Raise :class:`ConsentMissing` unless ``person`` consented to ``purpose``."""
    if not consent_in_force(person).get(purpose, False):
        raise ConsentMissing(
            person=person.reference, purpose=purpose, purpose_label=ConsentPurpose(purpose).label
        )
